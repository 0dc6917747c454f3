//! The user's runtime table in the real app: a `runtimes.json` that adds python3.15 shows in the
//! target picker, and one that cannot be used is said in the status line (with its path) while
//! the app goes on with the built-in table; q quits and the terminal is restored.

mod pty;
mod support;

use pty::{Session, assert_restored, index};

fn write_table(scratch: &std::path::Path, text: &str) {
    let dir = scratch.join("config/wheelbarrow");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("runtimes.json"), text).unwrap();
}

#[test]
fn a_runtime_added_in_runtimes_json_is_offered_by_the_target_picker() {
    let index = index();
    let mut session = Session::start_with(&index, "runtimes-added", &[], |scratch| {
        write_table(
            scratch,
            r#"{"as_of": "2026-12-01", "runtimes": [{"name": "python3.15", "os": "Amazon Linux 2023",
                "glibc": "2.34", "architectures": ["x86_64", "arm64"], "deprecation": "2031-06-30"}]}"#,
        );
    });
    session
        .screen
        .wait_for("the first frame on the newest runtime", |s| {
            s.contents().contains("python3.15 · x86_64")
        });
    session.type_keys(b"\tt");
    session
        .screen
        .wait_for("the picker with python3.15 and the day", |s| {
            let text = s.contents();
            text.contains("python3.15  arm64")
                && text.contains("supported until 2031-06-30")
                && text.contains("as of 2026-12-01 (with ")
        });
    session.type_keys(b"\x1b");
    session.screen.wait_for("the picker closed", |s| {
        !s.contents().contains("Target: type")
    });
    session.type_keys(b"q");
    let (status, screen) = session.finish();
    assert!(status.success());
    assert_restored(screen.parser.screen());
}

#[test]
fn a_malformed_runtimes_json_is_said_in_the_status_line_and_the_app_goes_on() {
    let index = index();
    let mut session = Session::start_with(&index, "runtimes-bad", &[], |scratch| {
        write_table(
            scratch,
            r#"{"runtimes": [{"name": "python3.11", "deprecaton": "x"}]}"#,
        );
    });
    session
        .screen
        .wait_for("the notice in the status line", |s| {
            let text = s.contents();
            text.contains("runtimes.json not used, the built-in runtime table instead")
                && text.contains("python3.14 · x86_64")
        });
    session.type_keys(b"\tq");
    let (status, screen) = session.finish();
    assert!(status.success());
    assert_restored(screen.parser.screen());
}
