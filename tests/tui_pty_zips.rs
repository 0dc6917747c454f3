//! Layer zips in the real binary, in a pseudo-terminal: one made by `pip install -t python/`
//! opened with `wheelbarrow tui LAYER.zip` (its problem shown, checked again for another
//! target), and one exported then published to moto's Lambda on loopback (`p`, then `p` again:
//! unchanged).

mod pty;
mod support;

use std::io::Write;

use pty::{Session, assert_restored, index, pick_fastnum};

/// What `pip install -t python/ fast && zip -r layer.zip python` leaves with CPython 3.11: an
/// extension built for 3.11 that needs glibc 2.28.
fn write_pip_layer(dir: &std::path::Path) {
    let so = "python/fast/_speed.cpython-311-x86_64-linux-gnu.so";
    let mut zip = zip::ZipWriter::new(std::fs::File::create(dir.join("layer.zip")).unwrap());
    let members: [(&str, &[u8]); 3] = [
        ("python/fast/__init__.py", b"x = 1\n"),
        (so, include_bytes!("fixtures/native/libstatx.so")),
        (
            "python/fast-1.0.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: fast\nVersion: 1.0\n",
        ),
    ];
    for (name, data) in members {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn tui_layer_zip_shows_a_pip_built_layer_its_problem_and_checks_it_again_for_another_target() {
    let index = index();
    let mut session = Session::start_with(&index, "opened", &["layer.zip"], write_pip_layer);
    session.screen.wait_for("the opened layer", |s| {
        let text = s.contents();
        text.contains("Layer: layer.zip (opened)")
            && text.contains("needs glibc 2.28")
            && text.contains("/opt: 3 files")
            && text.contains("(in no RECORD)")
    });
    let text = session.screen.text();
    assert!(
        text.contains("python3.11 · x86_64"),
        "read for the extension's Python:\n{text}"
    );
    // Tab to the layer pane, then check it for python3.12 on x86_64.
    session.type_keys(b"\t\t");
    session.type_keys(b"t");
    session.screen.wait_for("the target picker", |s| {
        s.contents().contains("Target: type to filter")
    });
    session.type_keys(b"3.12 x86");
    session.screen.wait_for("one row left", |s| {
        let text = s.contents();
        text.contains("python3.12  x86_64") && !text.contains("python3.12  arm64")
    });
    session.type_keys(b"\r");
    session
        .screen
        .wait_for("the zip checked for python3.12", |s| {
            let text = s.contents();
            text.contains("python3.12 · x86_64") && text.contains("CPython 3.11 extension")
        });
    session.type_keys(b"q");
    let (status, screen) = session.finish();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(screen.parser.screen());
}

/// Picks fastnum's best build and exports it with the default path; the summary is shown.
fn pick_and_export(session: &mut Session) {
    pick_fastnum(session);
    session.type_keys(b"e");
    session.screen.wait_for("the export dialog", |s| {
        s.contents().contains("layer-python3.12-x86_64.zip")
    });
    session.type_keys(b"\r");
    session
        .screen
        .wait_for("the export summary", |s| s.contents().contains("sha256"));
}

#[test]
fn p_in_the_export_summary_publishes_to_moto_and_again_finds_the_same_version_unchanged() {
    let moto = support::moto::Moto::start();
    let index = index();
    let mut session = Session::start_with_env(
        &index,
        "publish",
        &["--runtime", "python3.12", "--arch", "x86_64"],
        |_| {},
        |command, scratch| {
            let (removed, set) = moto.variables(scratch, true);
            for var in removed {
                command.env_remove(var);
            }
            for (var, value) in set {
                command.env(var, value);
            }
        },
    );
    pick_and_export(&mut session);
    let confirmation = |s: &vt100::Screen| {
        let text = s.contents();
        text.contains("as a new Lambda layer version?") && text.contains("architectures: x86_64")
    };
    session.type_keys(b"p");
    session
        .screen
        .wait_for("the confirmation after connecting", confirmation);
    let text = session.screen.text();
    for words in [
        "Publish layer-python3-12-x86_64 as a new Lambda layer version?",
        "region us-east-1",
        &format!("endpoint {}", moto.url()),
        "runtimes: python3.12",
        "goes up directly",
    ] {
        assert!(text.contains(words), "{words:?} not in\n{text}");
    }
    session.type_keys(b"\r");
    session.screen.wait_for("the published version", |s| {
        s.contents().contains("✓ published")
    });
    let text = session.screen.text();
    assert!(
        text.contains("published layer-python3-12-x86_64 version 1 in us-east-1"),
        "{text}"
    );
    assert!(
        text.contains("arn:aws:lambda:us-east-1:")
            && text.contains(":layer:layer-python3-12-x86_64:1"),
        "{text}"
    );
    let record = session
        .scratch
        .join("layer-python3.12-x86_64.published.json");
    let recorded = std::fs::read_to_string(&record).unwrap();
    assert!(recorded.contains("\"version\": 1"), "{recorded}");

    // Back to the summary, p again: the same bytes and settings, no new version.
    session.type_keys(b"\x1b");
    session
        .screen
        .wait_for("the summary again", |s| s.contents().contains("sha256"));
    session.type_keys(b"p");
    session
        .screen
        .wait_for("the confirmation again", confirmation);
    session.type_keys(b"\r");
    session.screen.wait_for("unchanged", |s| {
        s.contents()
            .contains("= unchanged: version 1, ARN arn:aws:lambda:us-east-1:")
    });
    session.type_keys(b"\r");
    session.screen.wait_for("the dialog closed", |s| {
        !s.contents().contains("Publish the layer")
    });
    session.type_keys(b"q");
    let (status, screen) = session.finish();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(screen.parser.screen());
}
