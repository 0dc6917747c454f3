//! Inputs that once aborted the app (a 1,000-deep chain of `-r` includes overflowed the stack
//! and left the terminal in the alternate screen) or filled memory (`/dev/zero`), opened with
//! `o` in the real binary in a pseudo-terminal: each is an error in the status line, the app
//! goes on, and the terminal is restored when it quits.

mod pty;
mod support;

use pty::{Session, assert_restored, index};

/// `d/r0.txt` includes `d/r1.txt`, … 5,000 deep; the last asks for fastnum.
fn write_deep_chain(dir: &std::path::Path) {
    std::fs::create_dir_all(dir.join("d")).unwrap();
    for i in 0..5_000 {
        let text = if i + 1 < 5_000 {
            format!("-r r{}.txt\n", i + 1)
        } else {
            "fastnum\n".into()
        };
        std::fs::write(dir.join(format!("d/r{i}.txt")), text).unwrap();
    }
}

fn open(session: &mut Session, path: &str) {
    session.type_keys(b"o");
    session
        .screen
        .wait_for("the open dialog", |s| s.contents().contains("Open a file"));
    session.type_keys(path.as_bytes());
    session.type_keys(b"\r");
}

#[test]
fn tui_open_of_a_deep_chain_and_of_dev_zero_says_why_in_the_status_line_and_goes_on() {
    let index = index();
    let mut session = Session::start_with(
        &index,
        "inputs",
        &["--runtime", "python3.12", "--arch", "x86_64"],
        write_deep_chain,
    );
    session
        .screen
        .wait_for("the name list from the loopback index", |s| {
            s.contents().contains("2 project names")
        });
    // Out of the search box (where `o` is a letter), into the package pane.
    session.type_keys(b"\t");
    open(&mut session, "d/r0.txt");
    session
        .screen
        .wait_for("the depth limit in the status line", |s| {
            s.contents()
                .contains("✗ d/r99.txt:1: -r r100.txt would be file 101 of a chain")
        });
    // Still running: the open dialog comes back, and /dev/zero is refused unread.
    open(&mut session, "/dev/zero");
    session
        .screen
        .wait_for("/dev/zero refused in the status line", |s| {
            s.contents()
                .contains("✗ /dev/zero: is a character device, not a requirements file")
        });
    session.type_keys(b"\x1b");
    session.screen.wait_for("the dialog closed", |s| {
        !s.contents().contains("Open a file")
    });
    session.type_keys(b"q");
    let (status, screen) = session.finish();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(screen.parser.screen());
}

#[test]
fn sigterm_ends_the_app_with_the_terminal_restored_and_status_143() {
    let index = index();
    let mut session = Session::start_with(
        &index,
        "sigterm",
        &["--runtime", "python3.12", "--arch", "x86_64"],
        |_| {},
    );
    session
        .screen
        .wait_for("the name list from the loopback index", |s| {
            s.contents().contains("2 project names")
        });
    let pid = session.child.process_id().expect("the app's process id");
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -TERM {pid}: {sent:?}");
    let (status, screen) = session.finish();
    assert_eq!(status.exit_code(), 143, "exit status {status:?}");
    assert_restored(screen.parser.screen());
    assert!(
        screen.text().contains("stopped by SIGTERM"),
        "the words after the app: {}",
        screen.text()
    );
}
