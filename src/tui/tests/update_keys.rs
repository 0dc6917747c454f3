//! Each key in each mode: what it changes and which commands it asks for.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::fixtures::{app, app_searching, app_with_layer, app_with_project, ctrl, key};
use crate::tui::app::Pane;
use crate::tui::dialogs::{Dialog, export::ExportState};
use crate::tui::loading::Loadable;
use crate::tui::msg::{Command, Msg};
use crate::tui::update::update;

fn typed(app: &crate::tui::app::App) -> &str {
    app.search.input.value()
}

// --- the search box ---

#[test]
fn typing_in_the_search_box_sends_each_new_text_as_a_newer_search() {
    let mut app = app();
    let first = update(&mut app, key(KeyCode::Char('n')));
    let second = update(&mut app, key(KeyCode::Char('u')));
    assert!(matches!(&first[..], [Command::Search { text, generation: 1 }] if text == "n"));
    assert!(matches!(&second[..], [Command::Search { text, generation: 2 }] if text == "nu"));
    let back = update(&mut app, key(KeyCode::Backspace));
    assert!(matches!(&back[..], [Command::Search { text, generation: 3 }] if text == "n"));
}

#[test]
fn q_and_question_mark_type_into_the_search_box_instead_of_quitting_or_helping() {
    let mut app = app();
    update(&mut app, key(KeyCode::Char('q')));
    update(&mut app, key(KeyCode::Char('?')));
    assert_eq!(typed(&app), "q?");
    assert!(!app.exit);
    assert!(app.dialog.is_none());
}

#[test]
fn arrows_and_ctrl_n_ctrl_p_move_through_the_results_and_schedule_a_peek() {
    let mut app = app_searching("requests");
    assert_eq!(app.search.selected, 0);
    let down = update(&mut app, key(KeyCode::Down));
    assert_eq!(app.search.selected, 1);
    assert!(matches!(&down[..], [Command::PeekAfter { .. }]));
    update(&mut app, ctrl('n'));
    assert_eq!(app.search.selected, 2);
    update(&mut app, ctrl('p'));
    update(&mut app, key(KeyCode::Up));
    assert_eq!(app.search.selected, 0);
    assert!(
        update(&mut app, key(KeyCode::Up)).is_empty(),
        "no move, no peek"
    );
}

#[test]
fn enter_opens_the_highlighted_project_and_moves_the_focus_to_its_files() {
    let mut app = app_searching("pyyaml");
    let name = app.selected_result().unwrap().to_string();
    assert_eq!(name, "PyYAML");
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(&commands[..], [Command::OpenProject { name, generation: 1 }] if name == "PyYAML")
    );
    assert_eq!(app.focus, Pane::Package);
    assert!(app.package.project.is_loading());
}

#[test]
fn before_the_name_list_is_there_enter_opens_the_name_as_typed() {
    let mut app = app();
    for c in "fastnum".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    // The worker has only the known (most-downloaded) projects so far: none is called fastnum.
    let generation = app.search.generation;
    let empty = wheelbarrow::search::Snapshot {
        query: "fastnum".into(),
        generation,
        total: 0,
        rows: Vec::new(),
        elapsed: std::time::Duration::ZERO,
    };
    update(&mut app, Msg::Searched(empty));
    assert!(app.search.typed_row);
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(matches!(&commands[..], [Command::OpenProject { name, .. }] if name == "fastnum"));
}

#[test]
fn esc_in_the_search_box_clears_the_query() {
    let mut app = app_searching("numpy");
    let commands = update(&mut app, key(KeyCode::Esc));
    assert_eq!(typed(&app), "");
    assert!(matches!(&commands[..], [Command::Search { text, .. }] if text.is_empty()));
}

#[test]
fn tab_and_shift_tab_cycle_through_the_panes() {
    let mut app = app();
    for expected in [Pane::Package, Pane::Layer, Pane::Tree, Pane::Search] {
        update(&mut app, key(KeyCode::Tab));
        assert_eq!(app.focus, expected);
    }
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
    );
    assert_eq!(app.focus, Pane::Tree);
}

#[test]
fn f1_opens_the_help_anywhere_and_esc_closes_it() {
    let mut app = app();
    update(&mut app, key(KeyCode::F(1)));
    assert!(matches!(app.dialog, Some(Dialog::Help { .. })));
    update(&mut app, key(KeyCode::Esc));
    assert!(app.dialog.is_none());
}

#[test]
fn ctrl_c_quits_from_the_search_box() {
    let mut app = app();
    assert!(update(&mut app, ctrl('c')).is_empty());
    assert!(app.exit);
}

// --- the package pane ---

#[test]
fn an_opened_project_shows_the_newest_loadable_release_with_the_best_build_highlighted() {
    let app = app_with_project();
    let release = app.package.release.as_ref().unwrap();
    assert_eq!(release.version, "2.3.0");
    assert_eq!(release.best, Some(0));
    assert_eq!(app.package.selected, 0);
    assert_eq!(
        release.files[0].file.filename,
        "fastnum-2.3.0-cp312-cp312-manylinux_2_28_x86_64.whl"
    );
    assert_eq!(app.focus, Pane::Package);
}

#[test]
fn enter_and_space_on_a_loading_file_pick_it_pinned_and_ask_for_a_resolution() {
    for pick_key in [KeyCode::Enter, KeyCode::Char(' ')] {
        let mut app = app_with_project();
        let commands = update(&mut app, key(pick_key));
        let [
            Command::Resolve { generation, spec },
            Command::RememberPicks(names),
        ] = &commands[..]
        else {
            panic!("{commands:?}");
        };
        assert_eq!(*generation, 1);
        assert_eq!(names, &["fastnum".to_string()]);
        assert_eq!(spec.picks.len(), 1);
        assert_eq!(spec.picks[0].requirement.to_string(), "fastnum==2.3.0");
        assert_eq!(
            spec.picks[0].file.as_deref(),
            Some("fastnum-2.3.0-cp312-cp312-manylinux_2_28_x86_64.whl")
        );
        assert!(app.layer.resolution.is_loading());
    }
}

#[test]
fn picking_a_file_that_does_not_load_is_refused_with_its_reason_and_the_best_build_offered() {
    let mut app = app_with_project();
    let musl = app
        .package
        .release
        .as_ref()
        .unwrap()
        .files
        .iter()
        .position(|f| f.file.filename.contains("musllinux"))
        .unwrap();
    app.package.selected = musl;
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(commands.is_empty());
    let error = app.error.as_deref().unwrap();
    assert!(error.contains("musllinux is for musl libc"), "{error}");
    assert!(error.contains("manylinux_2_28_x86_64.whl (★)"), "{error}");
    assert_eq!(app.package.selected, 0, "the cursor goes to the best build");
    assert!(app.layer.picks.is_empty());
}

#[test]
fn picking_another_build_of_the_same_project_replaces_the_first_pick() {
    let mut app = app_with_project();
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, key(KeyCode::Down));
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(matches!(
        &commands[0],
        Command::Resolve { generation: 2, .. }
    ));
    assert_eq!(app.layer.picks.len(), 1);
    assert!(
        app.layer.picks[0]
            .filename()
            .unwrap()
            .contains("manylinux_2_17")
    );
}

#[test]
fn d_and_delete_in_the_package_pane_remove_the_projects_pick() {
    for remove in [KeyCode::Char('d'), KeyCode::Delete] {
        let mut app = app_with_project();
        update(&mut app, key(KeyCode::Enter));
        let commands = update(&mut app, key(remove));
        assert!(commands.is_empty(), "nothing left to resolve");
        assert!(app.layer.picks.is_empty());
        assert!(matches!(app.layer.resolution, Loadable::Idle));
    }
}

#[test]
fn right_and_left_step_through_the_releases() {
    let mut app = app_with_project();
    update(&mut app, key(KeyCode::Right));
    let release = app.package.release.as_ref().unwrap();
    assert_eq!(release.version, "2.2.0");
    assert_eq!(
        release.files[app.package.selected].file.filename,
        "fastnum-2.2.0-py3-none-any.whl"
    );
    update(&mut app, key(KeyCode::Right));
    assert_eq!(app.package.version, 1, "no release older than the last");
    update(&mut app, key(KeyCode::Left));
    assert_eq!(app.package.release.as_ref().unwrap().version, "2.3.0");
}

#[test]
fn j_k_home_and_end_move_through_the_files() {
    let mut app = app_with_project();
    update(&mut app, key(KeyCode::Char('j')));
    assert_eq!(app.package.selected, 1);
    update(&mut app, key(KeyCode::End));
    assert_eq!(app.package.selected, 5);
    update(&mut app, key(KeyCode::Char('k')));
    assert_eq!(app.package.selected, 4);
    update(&mut app, key(KeyCode::Home));
    assert_eq!(app.package.selected, 0);
}

#[test]
fn slash_and_esc_in_a_pane_go_back_to_the_search_box() {
    for back in [KeyCode::Char('/'), KeyCode::Esc] {
        let mut app = app_with_project();
        update(&mut app, key(back));
        assert_eq!(app.focus, Pane::Search);
        assert_eq!(typed(&app), "fastnum", "the query stays");
    }
}

#[test]
fn q_outside_the_search_box_quits_and_question_mark_shows_the_help() {
    let mut app = app_with_project();
    update(&mut app, key(KeyCode::Char('?')));
    assert!(matches!(app.dialog, Some(Dialog::Help { .. })));
    update(&mut app, key(KeyCode::Char('?')));
    assert!(app.dialog.is_none());
    update(&mut app, key(KeyCode::Char('q')));
    assert!(app.exit);
}

// --- the layer pane and the tree ---

#[test]
fn enter_on_a_dependency_in_the_layer_pane_opens_its_files() {
    let mut app = app_with_layer(80, 24);
    app.focus = Pane::Layer;
    update(&mut app, key(KeyCode::Down));
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(matches!(&commands[..], [Command::OpenProject { name, .. }] if name == "six"));
    assert_eq!(app.focus, Pane::Package);
}

#[test]
fn d_in_the_layer_pane_removes_the_highlighted_pick_but_not_a_dependency() {
    let mut app = app_with_layer(80, 24);
    app.focus = Pane::Layer;
    update(&mut app, key(KeyCode::Down));
    assert!(update(&mut app, key(KeyCode::Char('d'))).is_empty());
    assert_eq!(app.layer.picks.len(), 1, "six is a dependency, not a pick");
    update(&mut app, key(KeyCode::Up));
    update(&mut app, key(KeyCode::Delete));
    assert!(app.layer.picks.is_empty());
    assert!(app.layer.budget.is_none());
}

#[test]
fn enter_in_the_tree_folds_and_unfolds_the_highlighted_folder() {
    let mut app = app_with_layer(80, 24);
    app.focus = Pane::Tree;
    // A new plan shows unfolded down to the folder Python imports from.
    let site = "python/lib/python3.12/site-packages/";
    assert!(app.tree.open.contains("python/") && app.tree.open.contains(site));
    update(&mut app, key(KeyCode::Enter));
    assert!(!app.tree.open.contains("python/"), "Enter folds python/");
    update(&mut app, key(KeyCode::Enter));
    assert!(app.tree.open.contains("python/"), "and unfolds it again");
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Enter));
    assert!(
        !app.tree.open.contains("python/lib/"),
        "Enter folds the next one down"
    );
}

// --- the export dialog ---

fn export_path(app: &crate::tui::app::App) -> String {
    match &app.dialog {
        Some(Dialog::Export(d)) => d.input.value().to_string(),
        _ => panic!("no export dialog"),
    }
}

fn export_state(app: &crate::tui::app::App) -> ExportState {
    match &app.dialog {
        Some(Dialog::Export(d)) => d.state.clone(),
        _ => panic!("no export dialog"),
    }
}

#[test]
fn e_opens_the_export_dialog_with_a_path_named_after_the_target_in_the_current_directory() {
    let mut app = app_with_project();
    update(&mut app, key(KeyCode::Char('e')));
    assert_eq!(export_path(&app), "/work/layer-python3.12-x86_64.zip");
    update(&mut app, key(KeyCode::Char('q')));
    assert!(!app.exit, "q types into the path");
    assert_eq!(export_path(&app), "/work/layer-python3.12-x86_64.zipq");
}

#[test]
fn enter_in_the_export_dialog_without_a_resolution_says_what_to_do_first() {
    let mut app = app_with_project();
    update(&mut app, key(KeyCode::Char('e')));
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    assert!(
        matches!(export_state(&app), ExportState::Failed(e) if e.contains("pick a build first"))
    );
}

#[test]
fn enter_in_the_export_dialog_exports_and_ctrl_c_then_cancels_instead_of_quitting() {
    let mut app = app_with_layer(80, 24);
    update(&mut app, key(KeyCode::Char('e')));
    let commands = update(&mut app, key(KeyCode::Enter));
    let [
        Command::Export {
            generation,
            path,
            spec,
            ..
        },
    ] = &commands[..]
    else {
        panic!("{commands:?}");
    };
    assert_eq!(path.to_str(), Some("/work/layer-python3.12-x86_64.zip"));
    assert_eq!(spec.picks.len(), 1);
    let generation = *generation;
    assert!(matches!(export_state(&app), ExportState::Running { .. }));
    assert!(update(&mut app, key(KeyCode::Esc)).is_empty());
    assert!(app.dialog.is_some(), "Esc does not hide a running export");
    let cancel = update(&mut app, ctrl('c'));
    assert!(matches!(&cancel[..], [Command::CancelExport]));
    assert!(!app.exit);
    update(
        &mut app,
        Msg::Exported {
            generation,
            result: Err("cancelled; nothing was written".into()),
        },
    );
    assert!(matches!(export_state(&app), ExportState::Failed(_)));
    update(&mut app, key(KeyCode::Esc));
    assert!(app.dialog.is_none());
}

#[test]
fn x_in_the_layer_pane_leaves_out_what_the_runtime_has_and_resolves_again() {
    let mut app = app_with_layer(80, 24);
    app.focus = Pane::Layer;
    let commands = update(&mut app, key(KeyCode::Char('x')));
    let [
        Command::Resolve {
            spec,
            generation: 2,
        },
    ] = &commands[..]
    else {
        panic!("{commands:?}");
    };
    assert!(spec.resolve.exclude_runtime_provided);
    update(&mut app, key(KeyCode::Char('x')));
    assert!(!app.spec().resolve.exclude_runtime_provided);
}

#[test]
fn enter_typed_before_the_results_arrive_opens_the_top_result_for_the_text_typed() {
    let mut app = app_searching("boto3");
    update(&mut app, key(KeyCode::Esc));
    for c in "pyyaml".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    assert!(
        update(&mut app, key(KeyCode::Enter)).is_empty(),
        "the rows on screen are stale"
    );
    assert_eq!(app.focus, Pane::Search);
    let generation = app.search.generation;
    let query = typed(&app).to_string();
    let commands = update(
        &mut app,
        Msg::Searched(super::fixtures::snapshot(&query, generation)),
    );
    assert!(
        matches!(&commands[..], [Command::OpenProject { name, .. }] if name == "PyYAML"),
        "{query}: {commands:?}"
    );
}

#[test]
fn page_down_and_page_up_move_a_pane_height_at_a_time() {
    let mut app = app_searching("req");
    update(&mut app, key(KeyCode::PageDown));
    let page = app.search.selected;
    assert!(page >= 3, "{page}");
    update(&mut app, key(KeyCode::PageDown));
    assert_eq!(app.search.selected, 2 * page);
    update(&mut app, key(KeyCode::PageUp));
    assert_eq!(app.search.selected, page);
}

#[test]
fn left_and_right_in_the_search_box_move_its_cursor_and_search_nothing_new() {
    let mut app = app_searching("numpy");
    assert!(update(&mut app, key(KeyCode::Left)).is_empty());
    let commands = update(&mut app, key(KeyCode::Char('x')));
    assert!(matches!(&commands[..], [Command::Search { text, .. }] if text == "numpxy"));
    assert!(update(&mut app, key(KeyCode::Right)).is_empty());
}

#[test]
fn key_releases_are_ignored() {
    let mut app = app();
    let mut release = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE);
    release.kind = ratatui::crossterm::event::KeyEventKind::Release;
    assert!(update(&mut app, Msg::Key(release)).is_empty());
    assert_eq!(typed(&app), "");
}

#[test]
fn arrows_and_tab_over_a_dialog_move_nothing_behind_it() {
    let mut app = app_with_project();
    update(&mut app, key(KeyCode::Char('e')));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Tab));
    assert_eq!(app.package.selected, 0);
    assert_eq!(app.focus, Pane::Package);
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, key(KeyCode::F(1)));
    update(&mut app, key(KeyCode::Down));
    assert_eq!(app.package.selected, 0);
}
