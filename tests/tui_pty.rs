//! The real binary in a pseudo-terminal against the loopback index: search a project, open it,
//! see its files with the best build starred, quit with q; the exit status is 0 and the
//! terminal is left as it was found (main screen, cursor shown, mouse reporting off).

mod support;

use std::io::{Read, Write};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use support::{IndexOptions, TestIndex, WheelBuilder};

const ROWS: u16 = 30;
const COLS: u16 = 120;
/// How long any one screen may take to appear before the test gives up (a debug build on a
/// busy 2-core machine).
const PATIENCE: Duration = Duration::from_secs(30);

struct Screen {
    parser: vt100::Parser,
    bytes: Receiver<Vec<u8>>,
}

impl Screen {
    /// Feeds output to the parser until `ready` holds for the screen, or fails after PATIENCE.
    fn wait_for(&mut self, what: &str, ready: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !ready(self.parser.screen()) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.bytes.recv_timeout(left) {
                Ok(bytes) => self.parser.process(&bytes),
                Err(e) => panic!(
                    "waited {PATIENCE:?} for {what} ({e}); the screen shows:\n{}",
                    self.parser.screen().contents()
                ),
            }
        }
    }

    /// Takes in everything the program wrote until its end of output.
    fn drain(&mut self) {
        while let Ok(bytes) = self.bytes.recv_timeout(PATIENCE) {
            self.parser.process(&bytes);
        }
    }

    fn text(&self) -> String {
        self.parser.screen().contents()
    }
}

fn index() -> TestIndex {
    let index = TestIndex::start(IndexOptions::default());
    for tag in [
        "cp312-cp312-manylinux_2_28_x86_64",
        "cp312-cp312-musllinux_1_2_x86_64",
        "cp311-cp311-manylinux_2_17_x86_64",
    ] {
        index.add_wheel(
            &WheelBuilder::new("fastnum", "2.3.0")
                .tag(tag)
                .file("fastnum/__init__.py", b"X = 1\n")
                .build(),
        );
    }
    index.add_wheel(
        &WheelBuilder::new("slowtext", "1.0.0")
            .file("slowtext.py", b"Y = 2\n")
            .build(),
    );
    index
}

#[test]
fn the_tui_finds_a_project_shows_its_files_and_quits_with_q_leaving_the_terminal_as_it_was() {
    let index = index();
    let scratch = std::env::temp_dir().join(format!("wb-tui-pty-{}", std::process::id()));
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_wheelbarrow"));
    command.args([
        "tui",
        "--runtime",
        "python3.12",
        "--arch",
        "x86_64",
        "--index-url",
        &index.simple(),
    ]);
    command.env("TERM", "xterm-256color");
    command.env("WHEELBARROW_CACHE_DIR", scratch.join("cache"));
    command.env("WHEELBARROW_DATA_DIR", scratch.join("data"));
    command.env("XDG_CONFIG_HOME", scratch.join("config"));
    command.env("PIP_CONFIG_FILE", "/dev/null");
    command.env_remove("PIP_INDEX_URL");
    command.env_remove("WHEELBARROW_LOG");
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut keys = pair.master.take_writer().unwrap();
    let (tx, bytes) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut screen = Screen {
        parser: vt100::Parser::new(ROWS, COLS, 0),
        bytes,
    };

    screen.wait_for("the first frame", |s| {
        s.alternate_screen() && s.contents().contains("Search")
    });
    screen.wait_for("the name list from the loopback index", |s| {
        s.contents().contains("2 project names")
    });
    keys.write_all(b"fastn").unwrap();
    screen.wait_for("fastnum among the results", |s| {
        s.contents().contains("fastnum starts with it")
    });
    keys.write_all(b"\r").unwrap();
    // A frame can be read half drawn: wait for its last parts too (the reason, the status).
    screen.wait_for("fastnum's files and the best build's reason", |s| {
        let text = s.contents();
        text.contains("fastnum 2.3.0")
            && text.contains("musllinux_1_2")
            && text.contains("★ best build: CPython 3.12 extension")
            && !text.contains("opening fastnum")
    });
    let text = screen.text();
    let best = text.lines().find(|l| l.contains("★ ")).unwrap();
    assert!(best.contains("cp312-cp312-manylinux_2_28_x86_64"), "{text}");

    keys.write_all(b"q").unwrap();
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after q");
        std::thread::yield_now();
    };
    drop(keys);
    drop(pair.master);
    screen.drain();
    assert!(status.success(), "exit status {status:?}");
    let end = screen.parser.screen();
    assert!(!end.alternate_screen(), "the alternate screen was left");
    assert!(!end.hide_cursor(), "the cursor is shown again");
    assert_eq!(end.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
    let _ = std::fs::remove_dir_all(&scratch);
}
