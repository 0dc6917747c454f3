//! A lock file in the real binary, in a pseudo-terminal: `wheelbarrow tui -r uv.lock` starts
//! with the lock's dependencies picked and marked locked; on python3.11 its fastnum 2.0 has no
//! wheel that loads, which is said in red with the offer, and `u` takes the version that loads.

mod pty;
mod support;

use pty::{Session, assert_restored};
use support::locks;

#[test]
fn tui_with_a_uv_lock_marks_its_picks_locked_and_u_takes_the_version_that_loads() {
    let index = locks::index();
    let mylib = format!("./dist/{}", locks::mylib_wheel().filename);
    let args = [
        "-r",
        "uv/uv.lock",
        "--no-project",
        mylib.as_str(),
        "--runtime",
        "python3.11",
        "--arch",
        "x86_64",
    ];
    let mut session = Session::start_with(&index, "locks", &args, |dir| {
        locks::copy_dir(&locks::fixtures().join("uv"), &dir.join("uv"));
        let wheel = locks::mylib_wheel();
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        std::fs::write(dir.join("dist").join(&wheel.filename), &wheel.bytes).unwrap();
    });
    session
        .screen
        .wait_for("the locked picks and the refusal", |s| {
            let text = s.contents();
            text.contains("3 picks · locked by uv/uv")
                && text.contains("◆ fastnum==2.0")
                && text.contains("u takes fastnum 1.0")
        });
    // Tab to the layer pane, then take the offer.
    session.type_keys(b"\t\t");
    session.type_keys(b"u");
    session
        .screen
        .wait_for("fastnum 1.0 resolved and planned", |s| {
            let text = s.contents();
            text.contains("fastnum 1.0 instead of the lock's version") && text.contains("/opt:")
        });
    let text = session.screen.text();
    assert!(!text.contains("u takes"), "{text}");
    session.type_keys(b"q");
    let (status, screen) = session.finish();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(screen.parser.screen());
}
