//! The target picker (`t`) and what a switch does to the picks: filtered rows, the switch
//! re-resolving, a pinned build refused there offered its loadable version (`u`), and a line
//! saying what changed.

use ratatui::crossterm::event::KeyCode;

use super::fixtures::{app_with_layer, key, layer};
use crate::tui::app::Pane;
use crate::tui::dialogs::Dialog;
use crate::tui::failure::Failure;
use crate::tui::layer_state::Offer;
use crate::tui::loading::Loadable;
use crate::tui::msg::{Command, Msg};
use crate::tui::update::update;
use crate::tui::views::{filter_targets, target_rows};
use wheelbarrow::RuntimeTable;

pub(super) fn typed(app: &mut crate::tui::app::App, text: &str) {
    for c in text.chars() {
        update(app, key(KeyCode::Char(c)));
    }
}

#[test]
fn typing_filters_the_targets_as_people_say_them() {
    let rows = target_rows(&RuntimeTable::builtin(), "2026-12-01");
    assert_eq!(rows.len(), 12, "six runtimes on two architectures");
    let one: Vec<_> = filter_targets(&rows, "3.11 x86")
        .iter()
        .map(|r| r.target.to_string())
        .collect();
    assert_eq!(one, ["python3.11 on x86_64"]);
    let arm = filter_targets(&rows, "arm");
    assert_eq!(arm.len(), 6);
    assert!(arm.iter().all(|r| r.target.arch.lambda_name() == "arm64"));
    let old = filter_targets(&rows, "python3.9");
    assert!(
        old.iter().all(|r| r.deprecated),
        "python3.9 is past its deprecation"
    );
}

#[test]
fn t_opens_the_picker_and_enter_switches_and_resolves_again() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    update(&mut app, key(KeyCode::Char('t')));
    assert!(matches!(app.dialog, Some(Dialog::Target { .. })));
    typed(&mut app, "3.11 x86");
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(app.dialog.is_none());
    assert_eq!(app.target.to_string(), "python3.11 on x86_64");
    let [Command::Resolve { spec, .. }] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert_eq!(spec.target.runtime.name, "python3.11");
    assert_eq!(
        app.notice.as_deref(),
        Some("switched to python3.11 on x86_64")
    );
    assert!(
        app.layer.before.is_some(),
        "the old answer is kept to compare"
    );
}

#[test]
fn arrows_move_in_the_picker_and_nothing_behind_it() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    update(&mut app, key(KeyCode::Char('t')));
    typed(&mut app, "arm");
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Up));
    let Some(Dialog::Target { selected, .. }) = &app.dialog else {
        panic!("no picker");
    };
    assert_eq!(*selected, 1);
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.target.to_string(), "python3.13 on arm64");
    assert_eq!(app.layer.selected, 0, "the layer's highlight did not move");
}

#[test]
fn a_pinned_build_refused_after_a_switch_is_offered_its_loadable_version_with_u() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    update(&mut app, key(KeyCode::Char('t')));
    typed(&mut app, "3.11 x86");
    update(&mut app, key(KeyCode::Enter));
    let generation = app.layer.generation;
    // The refusal comes with the version that loads, offered with `u`.
    update(
        &mut app,
        Msg::Resolved {
            generation,
            result: Err(Failure {
                offer: Some(Offer {
                    project: "fastnum".into(),
                    version: "2.2.0".into(),
                    hashes: Vec::new(),
                }),
                ..Failure::said(
                    "fastnum-2.3.0-cp312-cp312-manylinux_2_28_x86_64.whl does not load on python3.11 on x86_64: CPython 3.12 extension; this runtime is 3.11.",
                )
            }),
        },
    );
    assert!(matches!(app.layer.resolution, Loadable::Failed(_)));
    let commands = update(&mut app, key(KeyCode::Char('u')));
    assert!(
        matches!(&commands[..], [Command::Resolve { .. }]),
        "{commands:?}"
    );
    assert_eq!(app.layer.picks.len(), 1);
    assert_eq!(app.layer.picks[0].requirement(), "fastnum==2.2.0");
    assert_eq!(
        app.layer.picks[0].filename(),
        None,
        "the resolver picks its best file"
    );
    // Nothing more to take.
    update(&mut app, key(KeyCode::Char('u')));
    assert!(
        app.error
            .as_deref()
            .is_some_and(|e| e.starts_with("nothing to take"))
    );
}

#[test]
fn the_switch_says_what_changed_in_one_line() {
    let (before, _, before_budget) = layer();
    let mut after = (*before).clone();
    after.packages[0].version = "2.2.0".into();
    after.packages.pop();
    let mut budget = before_budget.clone();
    budget.unzipped -= 1_000_000;
    let line = crate::tui::update::target_summary(
        "python3.11 on x86_64",
        &(before, Some(before_budget)),
        &after,
        &budget,
    );
    assert!(
        line.starts_with(
            "on python3.11 on x86_64: fastnum down 2.3.0 → 2.2.0, −six 1.17.0; unzipped "
        ),
        "{line}"
    );
}

#[test]
fn m_shows_where_each_package_and_the_layer_load_and_enter_switches_there() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    let commands = update(&mut app, key(KeyCode::Char('m')));
    let [
        Command::ResolveTargets { targets: asked, .. },
        Command::MatrixOffers { projects, targets },
    ] = &commands[..]
    else {
        panic!(
            "the matrix resolves on every target and asks for the releases that load elsewhere: {commands:?}"
        );
    };
    assert_eq!(asked, targets);
    assert_eq!(projects, &["fastnum", "six"]);
    assert_eq!(targets.len(), 12);
    // `f`: the chosen files' verdicts (the versions view comes first).
    update(&mut app, key(KeyCode::Char('f')));
    let Some(Dialog::Matrix(m)) = &app.dialog else {
        panic!("no matrix");
    };
    assert_eq!(m.targets.len(), 12);
    let here = m.column;
    assert_eq!(m.targets[here].to_string(), "python3.12 on x86_64");
    let loads = |row: usize| -> Vec<String> {
        m.rows[row]
            .cells
            .iter()
            .zip(&m.targets)
            .filter(|(c, _)| c.loads)
            .map(|(_, t)| t.to_string())
            .collect()
    };
    assert_eq!(m.rows[0].label, "the layer");
    assert_eq!(
        loads(0),
        ["python3.12 on x86_64"],
        "site-packages is read by 3.12 only"
    );
    assert_eq!(loads(1), ["python3.12 on x86_64"], "the cp312 x86_64 build");
    assert_eq!(loads(2).len(), 12, "six is pure Python");
    let arm = m
        .targets
        .iter()
        .position(|t| t.to_string() == "python3.12 on arm64")
        .unwrap();
    assert!(
        m.rows[1].cells[arm]
            .reason
            .contains("built for x86_64; this function is arm64")
    );
    assert!(
        m.rows[0].cells[0]
            .reason
            .contains("does not read python/lib/python3.12/site-packages")
    );
    // Right moves to the next target; Enter switches there.
    update(&mut app, key(KeyCode::Right));
    let Some(Dialog::Matrix(m)) = &app.dialog else {
        panic!("no matrix");
    };
    let next = m.targets[here + 1].clone();
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(app.dialog.is_none());
    assert_eq!(app.target, next);
    assert!(matches!(&commands[..], [Command::Resolve { .. }]));
}

#[test]
fn the_matrix_names_the_newest_release_that_loads_where_the_chosen_one_does_not() {
    use crate::tui::views::cell_words;
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    update(&mut app, key(KeyCode::Char('m')));
    let arm = |m: &crate::tui::views::Matrix| {
        m.targets
            .iter()
            .position(|t| t.to_string() == "python3.12 on arm64")
            .unwrap()
    };
    let Some(Dialog::Matrix(m)) = &mut app.dialog else {
        panic!("no matrix");
    };
    (m.row, m.column) = (1, arm(m));
    assert!(
        cell_words(m).ends_with(" · looking up the releases that load there…"),
        "{}",
        cell_words(m)
    );
    // The runner's answer: fastnum 2.2.0 is the newest with an arm64 build; six loads anywhere.
    let mut per_target = vec![Some("2.3.0".to_string()); 12];
    per_target[arm(m)] = Some("2.2.0".into());
    let offers = [
        ("fastnum".to_string(), Ok(per_target)),
        ("six".to_string(), Err("the index did not answer".into())),
    ]
    .into_iter()
    .collect();
    update(&mut app, Msg::MatrixOffers(Ok(offers)));
    let Some(Dialog::Matrix(m)) = &mut app.dialog else {
        panic!("no matrix");
    };
    let words = cell_words(m);
    assert!(
        words.starts_with("fastnum 2.3.0 on python3.12 on arm64: "),
        "{words}"
    );
    assert!(
        words.ends_with(" · the newest fastnum that loads there is 2.2.0"),
        "{words}"
    );
    // The layer's row names the offers of the packages that do not load there.
    m.row = 0;
    let words = cell_words(m);
    assert!(
        words.ends_with(" · the newest fastnum that loads there is 2.2.0"),
        "{words}"
    );
    // A cell that loads says only why.
    m.row = 2;
    assert!(!cell_words(m).contains(" · "), "{}", cell_words(m));
}

#[test]
fn a_resolution_for_a_deprecated_runtime_warns_in_the_status_line_once() {
    let mut app = app_with_layer(160, 45);
    assert_eq!(app.notice, None, "the fixture's python3.12 is supported");
    let (resolution, plan, budget) = layer();
    let table = RuntimeTable::builtin();
    let nine = table.target(Some("python3.9"), None).unwrap();
    let mut old = (*resolution).clone();
    old.deprecated = wheelbarrow::lambda::deprecation(&table, &nine, "2026-01-01");
    let old = std::sync::Arc::new(old);
    for round in 0..2 {
        app.notice = None;
        let generation = app.layer.generation;
        update(
            &mut app,
            Msg::Resolved {
                generation,
                result: Ok(old.clone()),
            },
        );
        update(
            &mut app,
            Msg::Planned {
                generation,
                result: Ok((plan.clone(), budget.clone())),
            },
        );
        if round == 0 {
            let notice = app.notice.clone().unwrap_or_default();
            assert!(
                notice.starts_with("⚠ python3.9 is deprecated since 2025-12-15"),
                "{notice}"
            );
        } else {
            assert_eq!(app.notice, None, "said once, not after every change");
        }
    }
    assert!(matches!(app.layer.resolution, Loadable::Ready(_)));
}

/// The ✓ of the matrix's layer row, as `runtime arch` words.
fn layer_row_ticks(app: &mut crate::tui::app::App) -> Vec<String> {
    if app.dialog.is_some() {
        update(app, key(KeyCode::Esc));
    }
    update(app, key(KeyCode::Char('m')));
    let Some(Dialog::Matrix(m)) = &app.dialog else {
        panic!("no matrix");
    };
    m.rows[0]
        .cells
        .iter()
        .zip(&m.targets)
        .filter(|(c, _)| c.loads)
        .map(|(_, t)| format!("{} {}", t.runtime.name, t.arch))
        .collect()
}

#[test]
fn the_matrix_ticks_exactly_what_the_publish_command_lists() {
    use wheelbarrow::layer::{Layout, publish_command, served_by};
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    let table = RuntimeTable::builtin();
    let full = app.layer.resolution.ready().cloned().unwrap();
    // Only six, pure Python: python/ serves every runtime on both architectures.
    let mut pure = (*full).clone();
    pure.packages.retain(|p| p.name == "six");
    let pure = std::sync::Arc::new(pure);
    for (resolution, layout, count) in [
        (&full, Layout::SitePackages, 1),
        (&full, Layout::Python, 1),
        (&pure, Layout::SitePackages, 2),
        (&pure, Layout::Python, 12),
    ] {
        app.layer.resolution = Loadable::Ready(resolution.clone());
        app.layer.layout = layout;
        let ticks = layer_row_ticks(&mut app);
        let served = served_by(resolution, layout, &app.target, &table);
        let command = publish_command(
            std::path::Path::new("layer.zip"),
            1000,
            &served,
            "test",
            &table.limits,
        );
        let runtimes = command
            .lines()
            .find_map(|l| l.trim().strip_prefix("--compatible-runtimes "))
            .unwrap()
            .trim_end_matches([' ', '\\']);
        let arches = command
            .lines()
            .find_map(|l| l.trim().strip_prefix("--compatible-architectures "))
            .unwrap()
            .trim_end_matches([' ', '\\']);
        let listed: Vec<String> = runtimes
            .split(' ')
            .flat_map(|r| arches.split(' ').map(move |a| format!("{r} {a}")))
            .collect();
        let mut ticks_sorted = ticks.clone();
        ticks_sorted.sort();
        let mut listed_sorted = listed.clone();
        listed_sorted.sort();
        assert_eq!(ticks_sorted, listed_sorted, "{layout:?}:\n{command}");
        assert_eq!(ticks.len(), count, "{layout:?}: {ticks:?}");
    }
}

#[test]
fn m_in_the_package_pane_shows_the_open_release_and_its_files_against_every_target() {
    use crate::tui::tests::fixtures::app_with_project;
    use crate::tui::views::cell_words;
    let mut app = app_with_project();
    app.focus = Pane::Package;
    let commands = update(&mut app, key(KeyCode::Char('m')));
    assert!(commands.is_empty(), "the project page is here already");
    let Some(Dialog::Matrix(m)) = &mut app.dialog else {
        panic!("no matrix");
    };
    assert_eq!(m.subject, "fastnum 2.3.0");
    assert_eq!(m.rows[0].label, "fastnum 2.3.0");
    // The release and its six files.
    assert_eq!(m.rows.len(), 7);
    let ticks = |row: usize| -> Vec<String> {
        m.rows[row]
            .cells
            .iter()
            .zip(&m.targets)
            .filter(|(c, _)| c.loads)
            .map(|(_, t)| t.to_string())
            .collect()
    };
    // cp312 manylinux builds load on 3.12 x86_64; the cp311 one on 3.11 x86_64.
    assert_eq!(ticks(0), ["python3.12 on x86_64", "python3.11 on x86_64"]);
    let labels: Vec<&str> = m.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "fastnum 2.3.0",
            "cp312 ml2_28 x86",
            "cp312 ml2_17 x86",
            "cp312 musl1_2 x86",
            "cp311 ml2_17 x86",
            "cp312 mac11_0 arm",
            "sdist"
        ]
    );
    // Where 2.3.0 does not load, the newest release that does: 2.2.0's pure wheel loads on arm64.
    let arm = m
        .targets
        .iter()
        .position(|t| t.to_string() == "python3.12 on arm64")
        .unwrap();
    m.column = arm;
    let words = cell_words(m);
    assert!(
        words.starts_with("fastnum 2.3.0 on python3.12 on arm64: none of its 6 files loads there"),
        "{words}"
    );
    assert!(
        words.ends_with(" · the newest fastnum that loads there is 2.2.0"),
        "{words}"
    );
}

#[test]
fn a_tick_of_a_python_layout_with_a_script_says_the_export_may_narrow_it() {
    use wheelbarrow::layer::Layout;
    let app = app_with_layer(160, 45);
    let table = RuntimeTable::builtin();
    let mut pure = (**app.layer.resolution.ready().unwrap()).clone();
    pure.packages.retain(|p| p.name == "six");
    let targets: Vec<_> = app.targets.iter().map(|r| r.target.clone()).collect();
    let scripts = vec!["bin/six-tool".to_string()];
    let with = crate::tui::views::matrix(
        &pure,
        Layout::Python,
        &app.target,
        &targets,
        &table,
        &scripts,
    );
    let cell = &with.rows[0].cells[0];
    assert!(cell.loads);
    assert!(
        cell.reason.contains("bin/six-tool is a script: if its #! names one Python (a #!python line does), the export lists only that runtime"),
        "{}",
        cell.reason
    );
    // Without scripts, or in the site-packages layout, the tick is the publish command's.
    let without =
        crate::tui::views::matrix(&pure, Layout::Python, &app.target, &targets, &table, &[]);
    assert!(
        without.rows[0].cells[0]
            .reason
            .ends_with("the publish command lists it")
    );
    let site = crate::tui::views::matrix(
        &pure,
        Layout::SitePackages,
        &app.target,
        &targets,
        &table,
        &scripts,
    );
    assert!(
        !site.rows[0]
            .cells
            .iter()
            .any(|c| c.reason.contains("is a script"))
    );
}
