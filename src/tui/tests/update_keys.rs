//! Each key in each mode: what it changes and which commands it asks for.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::fixtures::{app, app_searching, app_with_layer, app_with_project, ctrl, key};
use crate::tui::app::{Dialog, ExportState, Loadable, Pane};
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
    // The worker has only the well-known projects so far: none is called fastnum.
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
    assert!(matches!(app.dialog, Some(Dialog::Help)));
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
    assert!(matches!(app.dialog, Some(Dialog::Help)));
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

// --- why nothing fits ---

/// An app whose picks do not resolve, with the explanation and derivation the runner sends.
fn app_with_conflict() -> crate::tui::app::App {
    let mut app = app_with_layer(160, 45);
    let generation = app.layer.generation + 1;
    app.layer.generation = generation;
    update(
        &mut app,
        Msg::ResolveDetail {
            generation,
            detail: "no set of versions fits python3.12 on x86_64, because:\n  - you asked for lib==1.0 and lib==2.0, and no version of lib is all of them\n\nHow the resolver got there:\n  root depends on lib".into(),
        },
    );
    update(
        &mut app,
        Msg::Resolved {
            generation,
            result: Err("no set of versions fits python3.12 on x86_64, because: …".into()),
        },
    );
    app.focus = Pane::Layer;
    app
}

#[test]
fn i_in_the_layer_pane_opens_why_nothing_fits_and_the_arrows_scroll_it() {
    let mut app = app_with_conflict();
    update(&mut app, key(KeyCode::Char('i')));
    let Some(Dialog::Detail { text, scroll }) = &app.dialog else {
        panic!("no detail dialog: {:?}", app.dialog.is_some());
    };
    assert!(text.contains("How the resolver got there"), "{text}");
    assert_eq!(*scroll, 0);
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Up));
    assert!(matches!(app.dialog, Some(Dialog::Detail { scroll: 1, .. })));
    assert_eq!(app.focus, Pane::Layer, "nothing moves behind the dialog");
    update(&mut app, key(KeyCode::Esc));
    assert!(app.dialog.is_none());
}

#[test]
fn i_says_there_is_nothing_to_explain_when_the_picks_resolve() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    update(&mut app, key(KeyCode::Char('i')));
    assert!(app.dialog.is_none());
    assert_eq!(
        app.error.as_deref(),
        Some("nothing to explain: the picks resolve")
    );
}

#[test]
fn a_new_resolution_forgets_the_old_explanation() {
    let mut app = app_with_conflict();
    assert!(app.layer.detail.is_some());
    crate::tui::update::resolve_picks(&mut app);
    assert!(app.layer.detail.is_none());
}

#[test]
fn l_switches_the_layout_and_plans_the_tree_again_without_resolving() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Tree;
    let commands = update(&mut app, key(KeyCode::Char('l')));
    let [Command::Plan { spec, .. }] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert_eq!(spec.plan.layout, wheelbarrow::layer::Layout::Python);
    assert!(app.layer.plan.is_loading());
    assert!(
        app.layer.resolution.ready().is_some(),
        "the resolution stays"
    );
    assert_eq!(
        app.notice.as_deref(),
        Some("layout: packages under /opt/python/")
    );
    let commands = update(&mut app, key(KeyCode::Char('l')));
    let [Command::Plan { spec, .. }] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert_eq!(spec.plan.layout, wheelbarrow::layer::Layout::SitePackages);
}

#[test]
fn v_lists_the_releases_marked_by_whether_they_load_and_enter_shows_one() {
    let mut app = app_with_project();
    app.focus = Pane::Package;
    update(&mut app, key(KeyCode::Char('v')));
    let Some(Dialog::Versions { rows, selected }) = &app.dialog else {
        panic!("no versions list");
    };
    let listed: Vec<(&str, bool)> = rows.iter().map(|r| (r.version.as_str(), r.loads)).collect();
    assert_eq!(listed, [("2.3.0", true), ("2.2.0", true)]);
    assert_eq!(*selected, 0, "the release shown is highlighted");
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Enter));
    assert!(app.dialog.is_none());
    assert_eq!(app.package.version, 1);
    assert_eq!(app.package.release.as_ref().unwrap().version, "2.2.0");
}

#[test]
fn a_pasted_block_of_requirements_picks_each_line_and_names_the_bad_one() {
    let mut app = app_with_project();
    app.focus = Pane::Package;
    let commands = update(
        &mut app,
        Msg::Paste("requests>=2.31\n# a comment\nthis is (bad\norjson  # fast\n".into()),
    );
    let picked: Vec<String> = app
        .layer
        .picks
        .iter()
        .map(crate::tui::app::Pick::requirement)
        .collect();
    assert_eq!(picked, ["requests>=2.31", "orjson"]);
    assert!(
        app.error.as_deref().is_some_and(
            |e| e.starts_with("pasted line 3: 'this is (bad' is not a valid requirement")
        ),
        "{:?}",
        app.error
    );
    assert!(
        matches!(&commands[..], [Command::Resolve { .. }, Command::RememberPicks(names)] if names.len() == 2)
    );
}

#[test]
fn one_pasted_line_in_the_search_box_is_typed_there() {
    let mut app = crate::tui::tests::fixtures::app();
    update(&mut app, Msg::Paste("pydantic".into()));
    assert_eq!(app.search.input.value(), "pydantic");
    assert!(app.layer.picks.is_empty());
}

#[test]
fn r_keeps_room_for_the_function_and_the_gauges_count_it() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    update(&mut app, key(KeyCode::Char('r')));
    assert!(matches!(app.dialog, Some(Dialog::Reserve { .. })));
    update(&mut app, key(KeyCode::Backspace));
    for c in "40".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    update(&mut app, key(KeyCode::Enter));
    assert!(app.dialog.is_none());
    assert_eq!(app.reserve, 40 * 1024 * 1024);
    assert_eq!(
        app.layer.budget.as_ref().unwrap().reserved,
        40 * 1024 * 1024
    );
    assert_eq!(
        app.spec().reserve,
        40 * 1024 * 1024,
        "the export counts it too"
    );
    // A number out of range is refused in words; the dialog stays.
    update(&mut app, key(KeyCode::Char('r')));
    for c in "999".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    update(&mut app, key(KeyCode::Enter));
    assert!(matches!(app.dialog, Some(Dialog::Reserve { .. })));
    assert!(
        app.error
            .as_deref()
            .is_some_and(|e| e.contains("from 0 to 250")),
        "{:?}",
        app.error
    );
}

#[test]
fn s_saves_the_picks_with_the_lock_beside_them() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    update(&mut app, key(KeyCode::Char('s')));
    assert!(matches!(app.dialog, Some(Dialog::Save { .. })));
    let commands = update(&mut app, key(KeyCode::Enter));
    let [
        Command::SavePicks {
            path, text, lock, ..
        },
    ] = &commands[..]
    else {
        panic!("{commands:?}");
    };
    assert_eq!(
        path.display().to_string(),
        "/work/requirements-python3.12-x86_64.txt"
    );
    assert!(
        text.contains("fastnum==2.3.0  # the build picked: fastnum-2.3.0-cp312"),
        "{text}"
    );
    assert!(
        lock.as_deref()
            .is_some_and(|l| l.contains("fastnum==2.3.0"))
    );
    update(
        &mut app,
        Msg::Saved(Ok((path.clone(), Some("/work/x.lock.txt".into())))),
    );
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.starts_with("saved /work/requirements"))
    );
}

#[test]
fn a_adds_a_file_of_your_own_and_the_tree_is_planned_again_with_it() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Tree;
    update(&mut app, key(KeyCode::Char('a')));
    assert!(matches!(app.dialog, Some(Dialog::Add { .. })));
    for c in "./libp".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    let commands = update(&mut app, key(KeyCode::Tab));
    assert!(matches!(&commands[..], [Command::Complete { text }] if text == "./libp"));
    update(
        &mut app,
        Msg::Completed {
            from: "./libp".into(),
            to: "./libpq.so.5".into(),
        },
    );
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(matches!(&commands[..], [Command::Addition { text }] if text == "./libpq.so.5"));
    let addition = wheelbarrow::layer::Addition {
        source: "./libpq.so.5".into(),
        dest: "lib/libpq.so.5".into(),
    };
    let commands = update(&mut app, Msg::AdditionReady(Ok(addition.clone())));
    assert!(app.dialog.is_none());
    let [Command::Plan { spec, .. }] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert_eq!(spec.plan.additions, [addition]);
    assert_eq!(
        app.notice.as_deref(),
        Some("added ./libpq.so.5 as /opt/lib/libpq.so.5")
    );
    // A refusal keeps the dialog open with the reason.
    update(&mut app, key(KeyCode::Char('a')));
    update(
        &mut app,
        Msg::AdditionReady(Err("notes.txt is neither …".into())),
    );
    assert!(matches!(app.dialog, Some(Dialog::Add { .. })));
    assert!(
        app.error
            .as_deref()
            .is_some_and(|e| e.starts_with("notes.txt"))
    );
}
