//! Each dialog reads its keys in a keymap section of its own: a rebinding in one changes no
//! other, the export path types every letter, and Enter does what the open dialog says.

use ratatui::crossterm::event::KeyCode;
use tui_input::Input;

use super::fixtures::{app_with_layer, ctrl, export_summary, key, project};
use crate::tui::app::{App, Pane};
use crate::tui::dialogs::Dialog;
use crate::tui::dialogs::export::{ExportDialog, ExportState};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::msg::Command;
use crate::tui::update::update;

const DEFAULT: &str = include_str!("../../../assets/keymap.toml");

/// Every dialog there is, the export dialog in both its sections.
fn every_dialog() -> Vec<Dialog> {
    let export = |state| {
        Dialog::Export(Box::new(ExportDialog {
            input: Input::new("/work/layer.zip".into()),
            state,
            publish: None,
        }))
    };
    let target: wheelbarrow::Target = app_with_layer(80, 24).target;
    let matrix = crate::tui::views::release_matrix(
        &project(),
        "2.3.0",
        &target,
        std::slice::from_ref(&target),
    );
    vec![
        Dialog::Help { scroll: 0 },
        export(ExportState::Editing),
        export(ExportState::Done(export_summary())),
        Dialog::Detail {
            kind: crate::tui::dialogs::detail::DetailKind::NothingFits,
            text: "why".into(),
            scroll: 0,
        },
        Dialog::Target {
            input: Input::default(),
            selected: 0,
            marked: Vec::new(),
        },
        Dialog::Reserve {
            input: Input::default(),
        },
        Dialog::Save {
            input: Input::default(),
        },
        Dialog::Matrix(Box::new(matrix)),
        Dialog::Add {
            input: Input::default(),
        },
        Dialog::Open {
            input: Input::default(),
        },
        Dialog::Versions {
            rows: Vec::new(),
            selected: 0,
        },
    ]
}

#[test]
fn each_dialog_reads_its_keys_in_a_section_of_its_own() {
    let mut app = app_with_layer(80, 24);
    let mut seen: Vec<Context> = Pane::ORDER.iter().map(|p| p.context()).collect();
    for dialog in every_dialog() {
        let name = format!("{dialog:?}").chars().take(30).collect::<String>();
        app.dialog = Some(dialog);
        let context = app.context();
        assert!(!seen.contains(&context), "{name} shares {context:?}");
        seen.push(context);
    }
}

/// The fixture layer, its keys the default with `user` on top, the focus in the layer pane.
fn with_keys(user: &str) -> App {
    let mut app = app_with_layer(80, 24);
    app.keymap = Keymap::from_toml(DEFAULT, Some(user)).unwrap().0;
    app.focus = Pane::Layer;
    app
}

#[test]
fn a_users_save_confirm_changes_the_save_dialog_and_leaves_the_others_as_they_were() {
    let mut app = with_keys("[save]\nconfirm = [\"ctrl-j\"]\n");
    update(&mut app, key(KeyCode::Char('s')));
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.dialog, Some(Dialog::Save { .. })));
    let commands = update(&mut app, ctrl('j'));
    assert!(
        matches!(&commands[..], [Command::SavePicks { .. }]),
        "{commands:?}"
    );
    // The reserve, the add dialog and the export path: Enter still confirms each.
    update(&mut app, key(KeyCode::Char('r')));
    update(&mut app, key(KeyCode::Enter));
    assert!(app.dialog.is_none(), "{:?}", app.dialog);
    update(&mut app, key(KeyCode::Char('a')));
    for c in "lib.so".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(&commands[..], [Command::Addition { text }] if text == "lib.so"),
        "{commands:?}"
    );
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, key(KeyCode::Char('e')));
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(&commands[..], [Command::Export { .. }]),
        "{commands:?}"
    );
}

#[test]
fn the_export_path_types_p_and_every_other_letter() {
    let mut app = with_keys("");
    update(&mut app, key(KeyCode::Char('e')));
    let Some(Dialog::Export(d)) = &app.dialog else {
        panic!("{:?}", app.dialog);
    };
    let before = d.input.value().to_string();
    for c in "/pub/up.zip".chars() {
        assert!(update(&mut app, key(KeyCode::Char(c))).is_empty());
    }
    let Some(Dialog::Export(d)) = &app.dialog else {
        panic!("{:?}", app.dialog);
    };
    assert_eq!(d.input.value(), format!("{before}/pub/up.zip"));
    assert_eq!(d.state, ExportState::Editing);
    assert_eq!(app.context(), Context::Export);
}

#[test]
fn enter_asks_for_an_export_only_in_the_export_path_and_only_then_takes_a_generation() {
    // A confirm key that works everywhere: over the help it does nothing.
    let mut app = with_keys("[global]\nconfirm = [\"ctrl-j\"]\n");
    update(&mut app, key(KeyCode::F(1)));
    assert!(update(&mut app, ctrl('j')).is_empty());
    assert!(matches!(app.dialog, Some(Dialog::Help { .. })));
    assert_eq!(app.export_generation, 0);
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, key(KeyCode::Char('e')));
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(&commands[..], [Command::Export { generation: 1, .. }]),
        "{commands:?}"
    );
    // Enter over the summary closes it, and asks for nothing.
    if let Some(Dialog::Export(d)) = &mut app.dialog {
        d.state = ExportState::Done(export_summary());
    }
    assert_eq!(app.context(), Context::Exported);
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    assert!(app.dialog.is_none());
    assert_eq!(app.export_generation, 1);
}

#[test]
fn a_dialogs_title_names_the_key_the_users_keymap_binds_not_the_default() {
    use super::panes::{render, text};
    let mut app = with_keys("[save]\nconfirm = [\"ctrl-j\"]\n[global]\nback = [\"ctrl-q\"]\n");
    app.size = (160, 45);
    update(&mut app, key(KeyCode::Char('s')));
    let screen = text(&render(&app));
    assert!(
        screen.contains("Save the picks · Ctrl-J saves · Ctrl-Q closes"),
        "{screen}"
    );
    assert!(!screen.contains("Enter saves"), "{screen}");
    // The reserve keeps Enter: its own section was not touched.
    update(&mut app, ctrl('q'));
    update(&mut app, key(KeyCode::Char('r')));
    let screen = text(&render(&app));
    assert!(
        screen.contains("Reserve · Enter sets it · Ctrl-Q closes"),
        "{screen}"
    );
}
