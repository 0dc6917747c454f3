//! The user's keymap in the real app: a file with a typo is said in the status line (its path,
//! its line, the name misspelt) and in full on the help screen (with every action there is),
//! while the default keys work; once fixed, the next start uses it without a word. A FIFO in the
//! keymap's place is refused before the first frame instead of hanging it; Ctrl-C quits even
//! when the file unbinds quit and interrupt. A rebinding in one dialog's section leaves the
//! other dialogs' keys as they were.

mod pty;
mod support;

use pty::{Session, assert_restored, index};

fn write_keymap(scratch: &std::path::Path, text: &str) {
    let dir = scratch.join("config/wheelbarrow");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("keymap.toml"), text).unwrap();
}

#[test]
fn a_keymap_with_a_typo_is_said_with_its_line_and_the_actions_and_the_fixed_file_is_used() {
    let index = index();
    let mut session = Session::start_with(&index, "keymap-typo", &[], |scratch| {
        write_keymap(scratch, "[browse]\nquti = [\"x\"]\n");
    });
    session.screen.wait_for("the mistake in the status line", |s| {
        let text = s.contents();
        text.contains(" ✗ keymap.toml line 2: no action \"quti\" in [browse] (did you mean \"quit\"?); default keys")
    });
    session.type_keys(b"\x1bOP");
    session
        .screen
        .wait_for("the whole message on the help screen", |s| {
            let text = s.contents().replace('\n', " ");
            text.contains("config/wheelbarrow/keymap.toml line 2: no action")
                && text.contains("the default keys are used until it is fixed")
                && text.contains("The actions: quit, interrupt")
                && text.contains("open-file")
        });
    session.type_keys(b"\x1b");
    session.screen.wait_for("the help closed", |s| {
        !s.contents().contains("The actions: quit")
    });
    // The default keys are in use: Tab leaves the search box, q quits.
    session.type_keys(b"\tq");
    let (status, screen) = session.finish();
    assert!(status.success());
    assert_restored(screen.parser.screen());

    let mut session = Session::start_with(&index, "keymap-fixed", &[], |scratch| {
        write_keymap(scratch, "[browse]\nquit = [\"x\"]\n");
    });
    session.screen.wait_for("the first frame", |s| {
        s.contents().contains("python3.14 · x86_64")
    });
    assert!(
        !session.screen.text().contains("keymap.toml"),
        "{}",
        session.screen.text()
    );
    // The help lists x for quit: the file is in use.
    session.type_keys(b"\t\x1bOP");
    session.screen.wait_for("the help with x for quit", |s| {
        s.contents()
            .lines()
            .any(|l| l.contains("│x                     Quit wheelbarrow"))
    });
    session.type_keys(b"\x1b");
    session.screen.wait_for("the help closed", |s| {
        !s.contents().contains("Quit wheelbarrow")
    });
    session.type_keys(b"x");
    let (status, screen) = session.finish();
    assert!(status.success(), "x quits with the fixed file");
    assert_restored(screen.parser.screen());
}

#[test]
fn a_fifo_as_the_keymap_is_refused_and_the_app_starts() {
    let index = index();
    let mut session = Session::start_with(&index, "keymap-fifo", &[], |scratch| {
        let dir = scratch.join("config/wheelbarrow");
        std::fs::create_dir_all(&dir).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.join("keymap.toml"))
            .status()
            .unwrap();
        assert!(made.success());
    });
    session
        .screen
        .wait_for("the refusal in the status line", |s| {
            s.contents().contains(
                " ✗ keymap.toml is not a regular file; default keys in use (F1 says more)",
            )
        });
    session.type_keys(b"\tq");
    let (status, screen) = session.finish();
    assert!(status.success());
    assert_restored(screen.parser.screen());
}

#[test]
fn ctrl_c_quits_when_the_keymap_unbinds_quit_and_interrupt() {
    let index = index();
    let mut session = Session::start_with(&index, "keymap-stuck", &[], |scratch| {
        write_keymap(scratch, "[global]\ninterrupt = []\n[browse]\nquit = []\n");
    });
    session.screen.wait_for("the note in the status line", |s| {
        s.contents()
            .contains(" ✗ keymap.toml line 2: interrupt leaves out ctrl-c; Ctrl-C still cancels")
    });
    session.type_keys(b"\tq");
    session.type_keys(b"\x03");
    let (status, screen) = session.finish();
    assert!(status.success());
    assert_restored(screen.parser.screen());
}

#[test]
fn a_save_confirm_of_ones_own_changes_the_save_dialog_and_no_other() {
    let index = index();
    let mut session = Session::start_with(
        &index,
        "keymap-save",
        &["--runtime", "python3.12", "--arch", "x86_64"],
        |scratch| {
            write_keymap(scratch, "[save]\nconfirm = [\"ctrl-j\"]\n");
            std::fs::write(scratch.join("reqs.txt"), "fastnum\n").unwrap();
        },
    );
    session
        .screen
        .wait_for("the name list from the loopback index", |s| {
            s.contents().contains("2 project names")
        });
    // Out of the search box; the open dialog's Enter is still Enter.
    session.type_keys(b"\to");
    session
        .screen
        .wait_for("the open dialog", |s| s.contents().contains("Open a file"));
    session.type_keys(b"reqs.txt\r");
    session
        .screen
        .wait_for("the picks resolved", |s| s.contents().contains("slowtext"));
    session.type_keys(b"s");
    session.screen.wait_for("the save dialog", |s| {
        s.contents().contains("Save the picks")
    });
    // Enter saves no more: the dialog stays and takes the next letter.
    session.type_keys(b"\r2");
    session.screen.wait_for("the path typed on", |s| {
        s.contents().contains("x86_64.txt2")
    });
    session.type_keys(b"\x7f\x0a");
    session.screen.wait_for("the picks saved with ctrl-j", |s| {
        let text = s.contents();
        text.contains("saved ") && !text.contains("Save the picks")
    });
    assert!(
        session
            .scratch
            .join("requirements-python3.12-x86_64.txt")
            .is_file()
    );
    // The reserve's Enter is Enter.
    session.type_keys(b"r");
    session
        .screen
        .wait_for("the reserve dialog", |s| s.contents().contains("Reserve"));
    session.type_keys(b"\r");
    session.screen.wait_for("the reserve set with Enter", |s| {
        s.contents().contains("MB kept for your function")
    });
    // The export path types p.
    session.type_keys(b"e");
    session.screen.wait_for("the export dialog", |s| {
        s.contents().contains("Export the layer")
    });
    session.type_keys(b"pp");
    session
        .screen
        .wait_for("p typed into the path", |s| s.contents().contains(".zippp"));
    session.type_keys(b"\x1b");
    session.screen.wait_for("the export dialog closed", |s| {
        !s.contents().contains("Export the layer")
    });
    session.type_keys(b"q");
    let (status, screen) = session.finish();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(screen.parser.screen());
}
