//! The real binary in a pseudo-terminal against the loopback index: the harness the `tui_pty*`
//! tests share (use with `mod support; mod pty;`).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::support::{IndexOptions, TestIndex, WheelBuilder};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub const ROWS: u16 = 30;
pub const COLS: u16 = 120;
/// How long any one screen may take to appear before the test gives up (a debug build on a
/// busy 2-core machine).
pub const PATIENCE: Duration = Duration::from_secs(30);

pub struct Screen {
    pub parser: vt100::Parser,
    pub bytes: Receiver<Vec<u8>>,
}

impl Screen {
    /// Feeds output to the parser until `ready` holds for the screen, or fails after PATIENCE.
    pub fn wait_for(&mut self, what: &str, ready: impl Fn(&vt100::Screen) -> bool) {
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
    pub fn drain(&mut self) {
        while let Ok(bytes) = self.bytes.recv_timeout(PATIENCE) {
            self.parser.process(&bytes);
        }
    }

    pub fn text(&self) -> String {
        self.parser.screen().contents()
    }
}

pub fn index() -> TestIndex {
    let index = TestIndex::start(IndexOptions::default());
    for tag in [
        "cp312-cp312-manylinux_2_28_x86_64",
        "cp312-cp312-musllinux_1_2_x86_64",
        "cp311-cp311-manylinux_2_17_x86_64",
    ] {
        index.add_wheel(
            &WheelBuilder::new("fastnum", "2.3.0")
                .tag(tag)
                .requires_dist("slowtext>=1")
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

/// The binary running in a pty, its screen, and the keyboard.
pub struct Session {
    pub screen: Screen,
    pub keys: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    pub master: Box<dyn portable_pty::MasterPty + Send>,
    pub scratch: std::path::PathBuf,
}

impl Session {
    /// Starts `wheelbarrow tui` on `python3.12`/`x86_64` against `index`, with its own cache, data
    /// and config directories.
    pub fn start(index: &TestIndex, name: &str) -> Session {
        Session::start_with(
            index,
            name,
            &["--runtime", "python3.12", "--arch", "x86_64"],
            |_| {},
        )
    }

    /// `wheelbarrow tui ARGS… --index-url INDEX`, after `prepare` has had the scratch folder
    /// (the program's working directory).
    pub fn start_with(
        index: &TestIndex,
        name: &str,
        args: &[&str],
        prepare: impl FnOnce(&std::path::Path),
    ) -> Session {
        Session::start_with_env(index, name, args, prepare, |_, _| {})
    }

    /// As [`Session::start_with`], and `env` changes the program's environment last (it has
    /// the scratch folder).
    pub fn start_with_env(
        index: &TestIndex,
        name: &str,
        args: &[&str],
        prepare: impl FnOnce(&std::path::Path),
        env: impl FnOnce(&mut CommandBuilder, &std::path::Path),
    ) -> Session {
        let scratch =
            std::env::temp_dir().join(format!("wb-tui-pty-{name}-{}", std::process::id()));
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_wheelbarrow"));
        command.arg("tui");
        command.args(args);
        command.args(["--index-url", &index.simple()]);
        std::fs::create_dir_all(&scratch).unwrap();
        prepare(&scratch);
        command.cwd(&scratch);
        command.env("TERM", "xterm-256color");
        command.env("WHEELBARROW_CACHE_DIR", scratch.join("cache"));
        command.env("WHEELBARROW_DATA_DIR", scratch.join("data"));
        command.env("XDG_CONFIG_HOME", scratch.join("config"));
        command.env("WHEELBARROW_TODAY", "2026-12-04");
        command.env("PIP_CONFIG_FILE", "/dev/null");
        command.env_remove("PIP_FIND_LINKS");
        command.env_remove("PIP_INDEX_URL");
        // The log is read back when the program does not end (see `finish`).
        command.env("WHEELBARROW_LOG", "wheelbarrow=debug");
        env(&mut command, &scratch);
        let child = pair.slave.spawn_command(command).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let keys = pair.master.take_writer().unwrap();
        let (tx, bytes) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Session {
            screen: Screen {
                parser: vt100::Parser::new(ROWS, COLS, 0),
                bytes,
            },
            keys,
            child,
            master: pair.master,
            scratch,
        }
    }

    pub fn type_keys(&mut self, keys: &[u8]) {
        self.keys.write_all(keys).unwrap();
    }

    /// Waits for the program to end and reads the rest of its output; its exit status.
    pub fn finish(mut self) -> (portable_pty::ExitStatus, Screen) {
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() >= deadline {
                // Say what the program last showed, to find out why it did not end.
                while let Ok(bytes) = self.screen.bytes.try_recv() {
                    self.screen.parser.process(&bytes);
                }
                let log =
                    std::fs::read_to_string(self.scratch.join("cache/tui.log")).unwrap_or_default();
                panic!(
                    "still running after {PATIENCE:?}; the screen shows:\n{}\nlog:\n{log}",
                    self.screen.text()
                );
            }
            std::thread::yield_now();
        };
        drop(self.keys);
        drop(self.master);
        self.screen.drain();
        let _ = std::fs::remove_dir_all(&self.scratch);
        (status, self.screen)
    }
}

/// The terminal as the user had it: main screen, cursor shown, no mouse reporting.
pub fn assert_restored(screen: &vt100::Screen) {
    assert!(!screen.alternate_screen(), "the alternate screen was left");
    assert!(!screen.hide_cursor(), "the cursor is shown again");
    assert_eq!(screen.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
}

/// Waits for the name list, opens fastnum, picks its best build (Enter) and waits until the
/// layer is resolved and planned.
pub fn pick_fastnum(session: &mut Session) {
    session
        .screen
        .wait_for("the name list from the loopback index", |s| {
            s.contents().contains("2 project names")
        });
    session.type_keys(b"fastnum");
    session.screen.wait_for("fastnum among the results", |s| {
        s.contents().contains("fastnum exact name")
    });
    session.type_keys(b"\r");
    session.screen.wait_for("fastnum's files", |s| {
        let text = s.contents();
        text.contains("★ best build") && !text.contains("opening fastnum")
    });
    session.type_keys(b"\r");
    session.screen.wait_for("the layer resolved", |s| {
        let text = s.contents();
        text.contains("slowtext") && text.contains("python/") && !text.contains("resolving")
    });
}
