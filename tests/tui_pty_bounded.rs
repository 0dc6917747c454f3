//! The TUI under hostile files, in a pseudo-terminal: `o` on a FIFO named like a zip is
//! refused in the status line; `o` on a zip of 200 entries sharing one deflate stream shows
//! its progress and Ctrl-C stops it (the app keeps running), and opened to the end it shows
//! the budget it stopped at; `a` of a FIFO is refused before it is added, `d` in the /opt tree
//! removes an addition, an addition replaced by a FIFO after it was added is removed with the
//! reason, and the layer still exports. The terminal is restored at quit.

mod pty;
mod support;

use pty::{Session, assert_restored, index, pick_fastnum};

fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

/// Esc, then waits until `title` is gone (an Esc followed at once by a letter would read as
/// Alt and that letter).
fn close(session: &mut Session, title: &'static str) {
    session.type_keys(b"\x1b");
    session
        .screen
        .wait_for("the dialog closed", |s| !s.contents().contains(title));
}

fn open_path(session: &mut Session, path: &str) {
    session.type_keys(b"o");
    session.screen.wait_for("the open dialog", |s| {
        s.contents().contains("Open a file · Tab completes")
    });
    session.type_keys(path.as_bytes());
    session.type_keys(b"\r");
}

#[test]
fn o_on_a_fifo_is_refused_and_on_a_zip_bomb_shows_progress_that_ctrl_c_stops() {
    let index = index();
    let mut session = Session::start_with(
        &index,
        "bomb",
        &["--runtime", "python3.12", "--arch", "x86_64"],
        |dir| {
            mkfifo(&dir.join("fifo.zip"));
            std::fs::write(dir.join("bomb.zip"), support::bomb::overlapping_zip(200)).unwrap();
        },
    );
    session.screen.wait_for("the name list", |s| {
        s.contents().contains("2 project names")
    });
    // Out of the search box, where o would be typed.
    session.type_keys(b"\t");
    open_path(&mut session, "fifo.zip");
    session.screen.wait_for("the FIFO refused", |s| {
        s.contents()
            .contains("fifo.zip is a named pipe (FIFO), not a layer zip")
    });
    close(&mut session, "Open a file");
    open_path(&mut session, "bomb.zip");
    session
        .screen
        .wait_for("the opening in the status line", |s| {
            s.contents().contains("opening bomb.zip")
        });
    session.type_keys(b"\x03");
    session.screen.wait_for("the opening stopped", |s| {
        s.contents()
            .contains("stopped opening bomb.zip; nothing changed")
    });
    // Still running: Enter in the dialog (still there, with the path) opens it to the end.
    session.type_keys(b"\r");
    session
        .screen
        .wait_for("the zip opened with its problems", |s| {
            s.contents()
                .contains("opened bomb.zip: 200 files, 4 problems")
        });
    // From the package pane to the layer pane, where i shows the report.
    session.type_keys(b"\t");
    session.type_keys(b"i");
    session.screen.wait_for("the report", |s| {
        let text = s.contents();
        text.contains("What inspect found in the zip")
            && text.contains("1 native file checked: 0 load, 1 does not.")
            && text.contains("share their stored bytes")
            && text.contains("stopped inflating at")
    });
    close(&mut session, "native file checked");
    session.type_keys(b"q");
    let (status, screen) = session.finish();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(screen.parser.screen());
}

/// `a`, the text, Enter.
fn add(session: &mut Session, text: &str) {
    session.type_keys(b"a");
    session.screen.wait_for("the add dialog", |s| {
        s.contents().contains("Add files of your own")
    });
    session.type_keys(text.as_bytes());
    session.type_keys(b"\r");
}

#[test]
fn a_refuses_a_fifo_d_removes_an_addition_and_a_broken_one_is_dropped_so_export_works() {
    let index = index();
    let mut session = Session::start_with(
        &index,
        "additions",
        &["--runtime", "python3.12", "--arch", "x86_64"],
        |dir| {
            mkfifo(&dir.join("fifo"));
            std::fs::write(dir.join("notes.txt"), b"mine\n").unwrap();
            std::fs::write(dir.join("later.txt"), b"mine too\n").unwrap();
        },
    );
    pick_fastnum(&mut session);
    add(&mut session, "fifo=lib/fifo");
    session.screen.wait_for("the FIFO refused", |s| {
        s.contents()
            .contains("fifo is a named pipe (FIFO), not a file or folder to add")
    });
    close(&mut session, "Add files of your own");
    add(&mut session, "notes.txt=share/notes.txt");
    session.screen.wait_for("the file added and planned", |s| {
        let text = s.contents();
        text.contains("added notes.txt as /opt/share/notes.txt") && text.contains("share/")
    });
    // The /opt tree: its last row is share/ (the smallest folder), all of it yours.
    // From the package pane to the tree.
    session.type_keys(b"\t\t");
    session.type_keys(b"G");
    session.type_keys(b"d");
    session.screen.wait_for("the addition removed", |s| {
        let text = s.contents();
        text.contains("removed your addition in /opt/share/") && text.contains("/opt: 8 files")
    });
    // An addition that becomes a FIFO after it was added: the next plan drops it, saying why.
    add(&mut session, "later.txt=share/later.txt");
    session.screen.wait_for("the second file added", |s| {
        s.contents()
            .contains("added later.txt as /opt/share/later.txt")
    });
    std::fs::remove_file(session.scratch.join("later.txt")).unwrap();
    mkfifo(&session.scratch.join("later.txt"));
    session.type_keys(b"l");
    session.screen.wait_for("the broken addition removed", |s| {
        s.contents().contains(
            "left out your addition /opt/share/later.txt: later.txt is a named pipe (FIFO)",
        )
    });
    session.type_keys(b"e");
    session.screen.wait_for("the export dialog", |s| {
        s.contents().contains("layer-python3.12-x86_64.zip")
    });
    session.type_keys(b"\r");
    session
        .screen
        .wait_for("the export summary", |s| s.contents().contains("sha256"));
    close(&mut session, "sha256");
    session.type_keys(b"q");
    let (status, screen) = session.finish();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(screen.parser.screen());
}
