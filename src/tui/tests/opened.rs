//! `o` and `wheelbarrow tui LAYER.zip`: a layer zip built by another tool opened in the panes
//! (tree, gauges, problems), requirements files opened as picks; `update` and snapshots.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use ratatui::crossterm::event::KeyCode;
use wheelbarrow::RuntimeTable;
use wheelbarrow::layer::OpenedLayer;

use super::fixtures::{app_with_layer, key};
use super::panes::{render, text};
use crate::tui::app::{App, Pane};
use crate::tui::dialogs::{Dialog, export::ExportState};
use crate::tui::msg::{Command, Msg, OpenedRequirements};
use crate::tui::update::update;

/// A real x86_64 library needing `GLIBC_2.28` (tests/fixtures/native/libstatx.c).
const NEEDS_GLIBC_2_28: &[u8] = include_bytes!("../../../tests/fixtures/native/libstatx.so");

/// What `pip install -t python/ fast && zip -r layer.zip python` leaves with CPython 3.11,
/// opened by the engine (and shown as `layer.zip`, wherever the test wrote it).
fn opened() -> Arc<OpenedLayer> {
    static OPENED: OnceLock<Arc<OpenedLayer>> = OnceLock::new();
    OPENED
        .get_or_init(|| {
            let path = std::env::temp_dir().join(format!("wb-tui-opened-{}.zip", std::process::id()));
            let so = "fast/_speed.cpython-311-x86_64-linux-gnu.so";
            let record = format!(
                "fast/__init__.py,,\n{so},,\nfast-1.0.dist-info/METADATA,,\nfast-1.0.dist-info/RECORD,,\n"
            );
            let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
            let members: [(&str, &[u8]); 4] = [
                ("python/fast/__init__.py", b"x = 1\n"),
                ("python/fast/_speed.cpython-311-x86_64-linux-gnu.so", NEEDS_GLIBC_2_28),
                (
                    "python/fast-1.0.dist-info/METADATA",
                    b"Metadata-Version: 2.1\nName: fast\nVersion: 1.0\n",
                ),
                ("python/fast-1.0.dist-info/RECORD", record.as_bytes()),
            ];
            for (name, data) in members {
                zip.start_file(name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                zip.write_all(data).unwrap();
            }
            zip.finish().unwrap();
            let mut opened =
                wheelbarrow::layer::open_layer(&path, None, &RuntimeTable::builtin()).unwrap();
            let _ = std::fs::remove_file(&path);
            opened.path = "layer.zip".into();
            opened.inspection.zip = "layer.zip".into();
            Arc::new(opened)
        })
        .clone()
}

fn app_with_opened(width: u16, height: u16) -> App {
    let mut app = app_with_layer(width, height);
    app.focus = Pane::Layer;
    update(&mut app, Msg::LayerOpened(Ok(opened())));
    app
}

#[test]
fn o_opens_the_dialog_and_enter_asks_the_runner_for_the_path() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    update(&mut app, key(KeyCode::Char('o')));
    assert!(matches!(app.dialog, Some(Dialog::Open { .. })));
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    assert!(
        app.error.as_deref().unwrap().contains("type the path"),
        "{:?}",
        app.error
    );
    for c in "layer.zip".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(&commands[..], [Command::OpenFile { path, target: None }] if path.as_os_str() == "layer.zip"),
        "{commands:?}"
    );
    assert!(
        matches!(app.dialog, Some(Dialog::Open { .. })),
        "open until the runner answers"
    );
    let commands = update(&mut app, key(KeyCode::Tab));
    assert!(
        matches!(&commands[..], [Command::Complete { text }] if text == "layer.zip"),
        "Tab completes the path: {commands:?}"
    );
    update(
        &mut app,
        Msg::LayerOpened(Err("layer.zip does not exist".into())),
    );
    assert!(
        matches!(app.dialog, Some(Dialog::Open { .. })),
        "stays to fix the path"
    );
    assert_eq!(app.error.as_deref(), Some("layer.zip does not exist"));
}

#[test]
fn an_opened_zip_fills_the_tree_and_the_gauges_for_the_target_it_was_read_for() {
    let mut app = app_with_layer(160, 45);
    let picks = app.layer.picks.len();
    app.dialog = Some(Dialog::Open {
        input: tui_input::Input::new("layer.zip".into()),
    });
    update(&mut app, Msg::LayerOpened(Ok(opened())));
    assert!(app.dialog.is_none());
    assert!(app.layer.opened.is_some());
    assert_eq!(
        app.target.runtime.name, "python3.11",
        "read from the extension's cpython-311"
    );
    let plan = app.layer.plan.ready().unwrap();
    assert_eq!(plan.files.len(), 4);
    let budget = app.layer.budget.as_ref().unwrap();
    assert_eq!(budget.unzipped, plan.unzipped());
    assert_eq!(app.layer.picks.len(), picks, "the picks stay");
    let notice = app.notice.as_deref().unwrap();
    assert!(
        notice.contains("opened layer.zip: 4 files, 1 problem for python3.11 on x86_64"),
        "{notice}"
    );
}

#[test]
fn t_inspects_the_opened_zip_again_for_the_target_chosen() {
    let mut app = app_with_opened(160, 45);
    update(&mut app, key(KeyCode::Char('t')));
    for c in "3.12 x86".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    let commands = update(&mut app, key(KeyCode::Enter));
    let [
        Command::OpenFile {
            path,
            target: Some(target),
        },
    ] = &commands[..]
    else {
        panic!("{commands:?}");
    };
    assert_eq!(path.as_os_str(), "layer.zip");
    assert_eq!(target.runtime.name, "python3.12");
}

#[test]
fn i_shows_everything_inspect_found_and_e_says_the_zip_is_shown_as_it_is() {
    let mut app = app_with_opened(160, 45);
    update(&mut app, key(KeyCode::Char('i')));
    let Some(Dialog::Detail { kind, text, .. }) = &app.dialog else {
        panic!("no detail");
    };
    assert_eq!(*kind, crate::tui::dialogs::detail::DetailKind::Report);
    assert!(text.contains("GLIBC_2.28"), "{text}");
    assert!(
        text.contains("1 native file checked: 0 load, 1 does not."),
        "{text}"
    );
    assert!(
        text.contains("⚠ its one module has no bytecode python3.11 can use"),
        "{text}"
    );
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, key(KeyCode::Char('e')));
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    let Some(Dialog::Export(dialog)) = &app.dialog else {
        panic!("no export dialog");
    };
    let ExportState::Failed(why) = &dialog.state else {
        panic!("{:?}", dialog.state);
    };
    assert!(why.contains("layer.zip is an opened zip"), "{why}");
}

#[test]
fn changing_the_picks_leaves_the_opened_zip() {
    let mut app = app_with_opened(160, 45);
    let commands = update(&mut app, key(KeyCode::Char('x')));
    assert!(app.layer.opened.is_none());
    assert!(
        matches!(&commands[..], [Command::Resolve { .. }]),
        "{commands:?}"
    );
}

#[test]
fn a_requirements_file_opened_becomes_picks_and_its_bad_line_is_said() {
    let mut app = app_with_layer(160, 45);
    let requested = wheelbarrow::resolve::parse_requirement("six==1.16.0", "req.txt:1").unwrap();
    let commands = update(
        &mut app,
        Msg::RequirementsOpened(Ok(OpenedRequirements {
            path: "req.txt".into(),
            picks: vec![requested],
            skipped: vec!["req.txt:2: editable installs (-e) cannot go into a layer".into()],
        })),
    );
    assert!(app.layer.picks.iter().any(|p| p.key() == "six"));
    assert!(
        app.inputs.iter().any(|p| p.as_os_str() == "req.txt"),
        "never exported over"
    );
    assert!(
        app.error
            .as_deref()
            .unwrap()
            .starts_with("req.txt:2: editable")
    );
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::Resolve { .. }))
    );
    update(
        &mut app,
        Msg::RequirementsOpened(Ok(OpenedRequirements {
            path: "empty.txt".into(),
            picks: Vec::new(),
            skipped: Vec::new(),
        })),
    );
    assert_eq!(
        app.error.as_deref(),
        Some("empty.txt has no requirements in it")
    );
}

#[test]
fn the_opened_layer_and_the_open_dialog_are_drawn() {
    for (w, h) in [(80, 24), (160, 45)] {
        let app = app_with_opened(w, h);
        insta::assert_snapshot!(format!("opened_layer_{w}x{h}"), text(&render(&app)));
        let mut app = app_with_opened(w, h);
        update(&mut app, key(KeyCode::Char('o')));
        insta::assert_snapshot!(format!("open_dialog_{w}x{h}"), text(&render(&app)));
    }
}
