//! Several targets for one python/ tree: Tab marks targets in the picker (python/ layout only),
//! Enter resolves one tree for them all, and the status line says what that changed.

use ratatui::crossterm::event::KeyCode;

use super::fixtures::{app_with_layer, key};
use super::target_switch::typed;
use crate::tui::app::Pane;
use crate::tui::dialogs::Dialog;
use crate::tui::msg::Command;
use crate::tui::update::update;
use wheelbarrow::RuntimeTable;

/// Types `text` into the picker's filter after clearing it.
fn filter(app: &mut crate::tui::app::App, text: &str) {
    for _ in 0..20 {
        update(app, key(KeyCode::Backspace));
    }
    typed(app, text);
}

#[test]
fn in_the_python_layout_tab_marks_several_targets_and_enter_resolves_one_tree_for_them_all() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    app.layer.layout = wheelbarrow::layer::Layout::Python;
    update(&mut app, key(KeyCode::Char('t')));
    filter(&mut app, "3.11 x86");
    update(&mut app, key(KeyCode::Tab));
    filter(&mut app, "3.10 arm");
    update(&mut app, key(KeyCode::Tab));
    filter(&mut app, "3.12 x86");
    update(&mut app, key(KeyCode::Tab));
    // Marked twice is unmarked: python3.10 on arm64 goes again.
    filter(&mut app, "3.10 arm");
    update(&mut app, key(KeyCode::Tab));
    let Some(Dialog::Target { marked, .. }) = &app.dialog else {
        panic!("the picker stays open while marking");
    };
    let marked: Vec<String> = marked.iter().map(ToString::to_string).collect();
    assert_eq!(marked, ["python3.11 on x86_64", "python3.12 on x86_64"]);
    // The picker says what is marked, and Tab is the picker's (not the next pane's).
    filter(&mut app, "x86");
    let screen = super::panes::text(&super::panes::render(&app));
    assert!(screen.contains("✓ python3.11"), "{screen}");
    assert!(
        screen.contains("marked: python3.11, python3.12 on x86_64"),
        "{screen}"
    );

    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(app.dialog.is_none());
    let [Command::Resolve { spec, .. }] = &commands[..] else {
        panic!("{commands:?}");
    };
    // The newest is the target the one resolution is made for; the other must load too.
    assert_eq!(spec.target.to_string(), "python3.12 on x86_64");
    let also: Vec<String> = spec
        .resolve
        .also_for
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(also, ["python3.11 on x86_64"]);
    assert_eq!(
        app.notice.as_deref(),
        Some(
            "one python/ tree for python3.11, python3.12 on x86_64: every wheel must load on each"
        )
    );
    let screen = super::panes::text(&super::panes::render(&app));
    assert!(
        screen.contains("python3.11, python3.12 on x86_64 · one python/ tree"),
        "{screen}"
    );

    // Opened again, the set is marked; Enter with nothing changed does nothing.
    update(&mut app, key(KeyCode::Char('t')));
    let Some(Dialog::Target { marked, .. }) = &app.dialog else {
        panic!("the picker opens");
    };
    assert_eq!(marked.len(), 2);
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());

    // The site-packages layout is read by one runtime: the set goes, said, and resolved again.
    let commands = update(&mut app, key(KeyCode::Char('l')));
    assert!(app.also.is_empty());
    assert!(
        matches!(&commands[..], [Command::Resolve { spec, .. }] if spec.resolve.also_for.is_empty())
    );
    assert!(
        app.notice
            .as_deref()
            .unwrap()
            .contains("the other marked targets need the python/ layout"),
        "{:?}",
        app.notice
    );
}

#[test]
fn in_the_site_packages_layout_marking_a_target_is_refused_with_the_reason() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    app.layer.layout = wheelbarrow::layer::Layout::SitePackages;
    update(&mut app, key(KeyCode::Char('t')));
    update(&mut app, key(KeyCode::Tab));
    let Some(Dialog::Target { marked, .. }) = &app.dialog else {
        panic!("the picker stays open");
    };
    assert!(marked.is_empty());
    let error = app.error.as_deref().unwrap_or_default();
    assert!(
        error.starts_with("several targets share one tree only in the python/ layout"),
        "{error}"
    );
}

#[test]
fn after_a_switch_to_several_targets_an_older_version_is_warned_about_first() {
    use wheelbarrow::resolve::portable::{OtherVersion, Portable, PortableChoice};
    let table = RuntimeTable::builtin();
    let portable = Portable {
        targets: vec![
            table.target(Some("python3.12"), Some("x86_64")).unwrap(),
            table.target(Some("python3.11"), Some("x86_64")).unwrap(),
        ],
        instead: vec![PortableChoice {
            project: "charset-normalizer".into(),
            version: "3.5.3".into(),
            taken: "charset_normalizer-3.5.3-py3-none-any.whl".into(),
            taken_tag: "py3-none-any".into(),
            preferred: "charset_normalizer-3.5.3-cp312-cp312-manylinux_2_28_x86_64.whl".into(),
            preferred_tag: "cp312-cp312-manylinux_2_28_x86_64".into(),
            preferred_on: "python3.12 on x86_64".into(),
        }],
        partial: Vec::new(),
        older: vec![OtherVersion {
            project: "pydantic".into(),
            version: "1.10.27".into(),
            alone: "2.14.4".into(),
            alone_on: "python3.12 on x86_64".into(),
            itself: false,
            not_everywhere: vec!["pydantic_core 2.50.5".into()],
        }],
    };
    let words = crate::tui::update::portable_words(
        &portable,
        "on python3.11, python3.12 on x86_64: pydantic down",
    );
    assert_eq!(
        words,
        "⚠ pydantic 1.10.27 instead of 2.14.4, which python3.12 on x86_64 alone gets: with it comes pydantic_core 2.50.5, which has no wheel that loads on every target; on python3.11, python3.12 on x86_64: pydantic down; portable wheels instead of compiled builds: charset-normalizer"
    );
}

#[test]
fn the_default_export_name_of_one_tree_for_several_targets_names_every_one_asked_for() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    assert!(
        app.default_export_path()
            .ends_with("/layer-python3.12-x86_64.zip"),
        "{}",
        app.default_export_path()
    );
    app.layer.layout = wheelbarrow::layer::Layout::Python;
    update(&mut app, key(KeyCode::Char('t')));
    filter(&mut app, "3.10 arm");
    update(&mut app, key(KeyCode::Tab));
    filter(&mut app, "3.12 x86");
    update(&mut app, key(KeyCode::Tab));
    update(&mut app, key(KeyCode::Enter));
    let path = app.default_export_path();
    assert!(
        path.ends_with("/layer-python3.10-3.12-x86_64-arm64.zip"),
        "{path}"
    );
    // Back to the site-packages layout: one runtime's tree, named for it alone.
    app.layer.layout = wheelbarrow::layer::Layout::SitePackages;
    let path = app.default_export_path();
    assert!(path.ends_with("/layer-python3.12-x86_64.zip"), "{path}");
}
