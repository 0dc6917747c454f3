//! `update` for the exploration views and small dialogs: why nothing fits (`i`), the layout
//! (`l`), the versions list (`v`), pasted requirements, the reserve (`r`), saving the picks
//! (`s`) and files of your own (`a`). Pure: the commands each key returns are asserted.

use ratatui::crossterm::event::KeyCode;

use super::fixtures::{app_with_layer, app_with_project, key};
use crate::tui::app::Pane;
use crate::tui::dialogs::Dialog;
use crate::tui::failure::Failure;
use crate::tui::msg::{Command, Msg};
use crate::tui::update::update;

// --- why nothing fits ---

/// An app whose picks do not resolve, the explanation and derivation with the failure.
fn app_with_conflict() -> crate::tui::app::App {
    let mut app = app_with_layer(160, 45);
    let generation = app.layer.generation + 1;
    app.layer.generation = generation;
    update(
        &mut app,
        Msg::Resolved {
            generation,
            result: Err(Failure {
                detail: Some("no set of versions fits python3.12 on x86_64, because:\n  - you asked for lib==1.0 and lib==2.0, and no version of lib is all of them\n\nHow the resolver got there:\n  root depends on lib".into()),
                ..Failure::said("no set of versions fits python3.12 on x86_64, because: …")
            }),
        },
    );
    app.focus = Pane::Layer;
    app
}

#[test]
fn i_in_the_layer_pane_opens_why_nothing_fits_and_the_arrows_scroll_it() {
    let mut app = app_with_conflict();
    update(&mut app, key(KeyCode::Char('i')));
    let Some(Dialog::Detail { text, scroll, .. }) = &app.dialog else {
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
        .map(crate::tui::layer_state::Pick::requirement)
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
            .is_some_and(|e| e.contains("keep less than 250 MB")),
        "{:?}",
        app.error
    );
}

#[test]
fn s_saves_the_picks_with_both_locks_beside_them() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    update(&mut app, key(KeyCode::Char('s')));
    assert!(matches!(app.dialog, Some(Dialog::Save { .. })));
    let commands = update(&mut app, key(KeyCode::Enter));
    let [
        Command::SavePicks {
            path, text, locks, ..
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
    let [lock, pylock] = locks.as_ref().expect("resolved, so locked");
    assert!(lock.contains("fastnum==2.3.0"), "{lock}");
    let doc: toml::Table = toml::from_str(pylock).unwrap();
    assert_eq!(doc["lock-version"].as_str(), Some("1.0"));
    assert_eq!(doc["packages"][0]["name"].as_str(), Some("fastnum"));
    update(
        &mut app,
        Msg::Saved(Ok((path.clone(), Some("/work/x.lock.txt".into())))),
    );
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.starts_with("saved /work/requirements")
                && n.ends_with("pylock.requirements-python3-12-x86_64.toml"))
    );
}

#[test]
fn s_saves_a_direct_url_without_its_credentials_as_the_lock_does() {
    let mut app = app_with_layer(160, 45);
    let requested = wheelbarrow::resolve::parse_requirement(
        "app @ http://me:S3CRET@h.test/files/app-1.0-py3-none-any.whl",
        "pasted line 1",
    )
    .unwrap();
    app.layer
        .picks
        .push(crate::tui::layer_state::Pick { requested });
    app.focus = Pane::Layer;
    update(&mut app, key(KeyCode::Char('s')));
    let commands = update(&mut app, key(KeyCode::Enter));
    let [Command::SavePicks { text, .. }] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert!(!text.contains("S3CRET") && !text.contains("me:"), "{text}");
    assert!(
        text.contains("app @ http://h.test/files/app-1.0-py3-none-any.whl"),
        "{text}"
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

#[test]
fn a_dead_end_in_the_layer_is_said_when_it_resolves_and_i_shows_what_to_use_instead() {
    use std::sync::Arc;
    use wheelbarrow::resolve::successors::{Alternative, Instead};
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    let (resolution, _, _) = super::fixtures::layer();
    let mut resolution = (*resolution).clone();
    resolution.instead = vec![Instead {
        project: "cx-Oracle".into(),
        why: "cx_Oracle is continued as python-oracledb".into(),
        source: "https://python-oracledb.readthedocs.io/".into(),
        alternatives: vec![Alternative {
            requirement: "oracledb".into(),
            note: "thin mode needs no client".into(),
            loads: Some("2.5.1".into()),
            target: "python3.12 on x86_64".into(),
            unknown: None,
        }],
    }];
    let generation = app.layer.generation + 1;
    app.layer.generation = generation;
    update(
        &mut app,
        Msg::Resolved {
            generation,
            result: Ok(Arc::new(resolution)),
        },
    );
    let notice = app.notice.clone().unwrap();
    assert!(
        notice
            .starts_with("cx-Oracle: cx_Oracle is continued as python-oracledb. Instead: oracledb"),
        "{notice}"
    );
    update(&mut app, key(KeyCode::Char('i')));
    let Some(Dialog::Detail { kind, text, .. }) = &app.dialog else {
        panic!("no detail");
    };
    assert_eq!(*kind, crate::tui::dialogs::detail::DetailKind::Notes);
    assert!(
        text.contains("2.5.1 loads on python3.12 on x86_64"),
        "{text}"
    );
}

#[test]
fn the_plans_warnings_reach_the_status_line_and_i_lists_them() {
    use std::sync::Arc;
    use wheelbarrow::layer::PlanWarning;
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    let (_, plan, budget) = super::fixtures::layer();
    let mut plan = (*plan).clone();
    plan.warnings.push(PlanWarning::AddedDoesNotLoad {
        path: "lib/libclient.so.1".into(),
        target: "python3.12 on x86_64".into(),
        problems: vec!["built for aarch64; this function is x86_64".into()],
    });
    let generation = app.layer.generation;
    app.notice = None;
    update(
        &mut app,
        Msg::Planned {
            generation,
            result: Ok((Arc::new(plan), budget)),
        },
    );
    assert_eq!(
        app.notice.as_deref(),
        Some(
            "⚠ lib/libclient.so.1 (yours) will not load on python3.12 on x86_64: built for aarch64; this function is x86_64"
        )
    );
    update(&mut app, key(KeyCode::Char('i')));
    let Some(Dialog::Detail { text, .. }) = &app.dialog else {
        panic!("no detail");
    };
    assert!(
        text.contains("lib/libclient.so.1 (yours) will not load"),
        "{text}"
    );
}

// --- the cache folder ---

#[test]
fn a_cache_folder_that_cannot_be_written_is_said_in_the_status_line_before_an_earlier_error() {
    let mut app = app_with_layer(160, 45);
    app.error = Some("lib: no such project".into());
    let problem = wheelbarrow::index::CacheProblem {
        folder: "/ro/cache".into(),
        kind: std::io::ErrorKind::ReadOnlyFilesystem,
        error: "Read-only file system (os error 30)".into(),
    };
    let commands = update(&mut app, Msg::CacheProblem(problem));
    assert!(commands.is_empty());
    let error = app.error.clone().unwrap();
    assert!(
        error.starts_with(
            "warning: the cache folder /ro/cache is on a read-only file system: working without a cache this run"
        ),
        "{error}"
    );
    assert!(error.ends_with(" · lib: no such project"), "{error}");
    let screen = super::panes::text(&super::panes::render(&app));
    assert!(
        screen.contains("✗ warning: the cache folder /ro/cache is on a read-only file system"),
        "{screen}"
    );
}
