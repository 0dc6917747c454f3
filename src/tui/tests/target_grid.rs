//! The matrix's versions view (`m`): the picks resolved on every target, filled in as each
//! answers, Ctrl-C stopping it, Enter switching, `f` to the files' verdicts and back; drawn at
//! both sizes while it fills.

use ratatui::crossterm::event::KeyCode;
use wheelbarrow::layer::{Answer, Column, Failure};

use super::fixtures::{app_with_layer, ctrl, key};
use super::panes::{render, sized, text};
use crate::tui::app::{App, Pane};
use crate::tui::dialogs::Dialog;
use crate::tui::dialogs::matrix::grid::{GridState, MatrixMode};
use crate::tui::msg::{Command, Msg};
use crate::tui::update::update;

fn resolved(pairs: &[(&str, &str)]) -> Column {
    Column::Resolved(Answer {
        versions: pairs
            .iter()
            .map(|(n, v)| ((*n).to_string(), ((*n).to_string(), (*v).to_string())))
            .collect(),
        requested: vec!["fastnum".into()],
        wheel_bytes: 3_500_000,
        unknown_sizes: 0,
    })
}

fn failed(target: &str) -> Column {
    Column::Failed(Failure {
        headline: format!("no set of versions fits {target}"),
        explanation: vec![
            "you asked for fastnum==2.3.0".into(),
            "fastnum 2.3.0 has no wheel for this runtime".into(),
        ],
    })
}

/// The layer's app with `m` pressed: the grid's generation and the column of `target`.
fn opened(size: (u16, u16)) -> (App, u64) {
    let mut app = sized(app_with_layer(size.0, size.1), size);
    app.focus = Pane::Layer;
    let commands = update(&mut app, key(KeyCode::Char('m')));
    let Some(Command::ResolveTargets { generation, .. }) = commands.first() else {
        panic!("m resolves on every target: {commands:?}");
    };
    (app, *generation)
}

fn column_of(app: &App, target: &str) -> usize {
    let Some(Dialog::Matrix(m)) = &app.dialog else {
        panic!("no matrix");
    };
    m.targets
        .iter()
        .position(|t| t.to_string() == target)
        .unwrap()
}

fn grid(app: &App) -> &GridState {
    match &app.dialog {
        Some(Dialog::Matrix(m)) => m.grid.as_ref().expect("the versions view"),
        _ => panic!("no matrix"),
    }
}

/// Three targets answer: python3.12 (the current one) and python3.11 on x86_64 resolve with
/// different versions, python3.12 on arm64 does not.
fn fill_three(app: &mut App, generation: u64) {
    let answers = [
        (
            "python3.12 on x86_64",
            resolved(&[("fastnum", "2.3.0"), ("six", "1.17.0")]),
        ),
        (
            "python3.11 on x86_64",
            resolved(&[("fastnum", "2.2.0"), ("six", "1.17.0")]),
        ),
        ("python3.12 on arm64", failed("python3.12 on arm64")),
    ];
    for (target, column) in answers {
        let at = column_of(app, target);
        update(
            app,
            Msg::TargetAnswered {
                generation,
                at,
                column,
            },
        );
    }
}

#[test]
fn m_shows_the_versions_on_every_target_filled_in_as_each_answers() {
    for size in [(80, 24), (160, 45)] {
        let (mut app, generation) = opened(size);
        let Some(Dialog::Matrix(m)) = &app.dialog else {
            panic!("no matrix");
        };
        assert_eq!(m.mode, MatrixMode::Versions);
        assert!(app.animating(), "the spinner turns while targets resolve");
        assert!(
            app.activity()
                .contains(&"resolving on every target: 0 of 12".to_string())
        );
        fill_three(&mut app, generation);
        assert_eq!(grid(&app).grid.answered(), 3);
        assert!(
            app.activity()
                .contains(&"resolving on every target: 3 of 12".to_string())
        );
        let screen = text(&render(&app));
        assert!(screen.contains("Your picks on every target"), "{screen}");
        assert!(screen.contains("fastnum"), "{screen}");
        insta::assert_snapshot!(format!("versions_grid_{}x{}", size.0, size.1), screen);
    }
}

#[test]
fn the_highlighted_cell_says_what_differs_or_why_the_set_does_not_resolve() {
    let (mut app, generation) = opened((160, 45));
    fill_three(&mut app, generation);
    let words = |app: &App| {
        let Some(Dialog::Matrix(m)) = &app.dialog else {
            panic!("no matrix");
        };
        crate::tui::dialogs::matrix::grid::cell_words(grid(app), m.column)
    };
    // The current target first: python3.12 on x86_64, fastnum's row.
    assert_eq!(words(&app), "python3.12 on x86_64: fastnum 2.3.0");
    let arm = column_of(&app, "python3.12 on arm64");
    let eleven = column_of(&app, "python3.11 on x86_64");
    if let Some(Dialog::Matrix(m)) = &mut app.dialog {
        m.column = eleven;
    }
    assert_eq!(
        words(&app),
        "python3.11 on x86_64: fastnum 2.2.0 (on python3.12 on x86_64: 2.3.0)"
    );
    if let Some(Dialog::Matrix(m)) = &mut app.dialog {
        m.column = arm;
    }
    assert_eq!(
        words(&app),
        "python3.12 on arm64: no set of versions fits python3.12 on arm64 · you asked for fastnum==2.3.0 · fastnum 2.3.0 has no wheel for this runtime"
    );
}

#[test]
fn a_stale_answer_is_dropped_and_ctrl_c_stops_the_grid_keeping_what_answered() {
    let (mut app, generation) = opened((160, 45));
    update(
        &mut app,
        Msg::TargetAnswered {
            generation: generation + 7,
            at: 0,
            column: resolved(&[("fastnum", "1.0")]),
        },
    );
    assert_eq!(grid(&app).grid.answered(), 0, "an older request's answer");
    fill_three(&mut app, generation);
    let commands = update(&mut app, ctrl('c'));
    assert!(
        matches!(&commands[..], [Command::CancelTargets]),
        "{commands:?}"
    );
    assert!(!app.exit, "Ctrl-C stops the grid, not the program");
    assert!(grid(&app).stopped);
    assert_eq!(grid(&app).grid.answered(), 3, "what answered stays");
    assert!(!app.animating());
    let screen = text(&render(&app));
    assert!(screen.contains("stopped: 3 of 12 answered"), "{screen}");
    // With nothing running, Ctrl-C quits as everywhere.
    update(&mut app, ctrl('c'));
    assert!(app.exit);
}

#[test]
fn enter_switches_to_the_highlighted_target_and_f_shows_the_files_and_back() {
    let (mut app, generation) = opened((160, 45));
    fill_three(&mut app, generation);
    update(&mut app, key(KeyCode::Char('f')));
    let Some(Dialog::Matrix(m)) = &app.dialog else {
        panic!("no matrix");
    };
    assert_eq!(m.mode, MatrixMode::Files);
    assert!(text(&render(&app)).contains("Where the layer loads"));
    update(&mut app, key(KeyCode::Char('f')));
    let Some(Dialog::Matrix(m)) = &app.dialog else {
        panic!("no matrix");
    };
    assert_eq!(m.mode, MatrixMode::Versions);
    let here = m.column;
    let next = m.targets[here + 1].clone();
    update(&mut app, key(KeyCode::Right));
    let commands = update(&mut app, key(KeyCode::Enter));
    assert!(app.dialog.is_none());
    assert_eq!(app.target, next);
    assert!(
        matches!(&commands[..], [Command::Resolve { .. }]),
        "{commands:?}"
    );
}

#[test]
fn m_while_the_layer_resolves_says_so_and_opens_nothing() {
    use crate::tui::loading::Loadable;
    let mut app = app_with_layer(80, 24);
    app.focus = Pane::Layer;
    app.layer.resolution = Loadable::Loading;
    assert!(update(&mut app, key(KeyCode::Char('m'))).is_empty());
    assert!(app.dialog.is_none());
    let said = app.error.clone().unwrap_or_default();
    assert!(said.contains("still resolving"), "{said}");
}

#[test]
fn m_on_picks_that_do_not_resolve_here_shows_where_they_do_with_no_files_view() {
    use crate::tui::loading::Loadable;
    let mut app = app_with_layer(80, 24);
    app.focus = Pane::Layer;
    app.layer.resolution = Loadable::Failed("no version of x fits".into());
    let commands = update(&mut app, key(KeyCode::Char('m')));
    assert!(
        matches!(&commands[..], [Command::ResolveTargets { targets, .. }] if targets.len() == 12),
        "{commands:?}"
    );
    let Some(Dialog::Matrix(m)) = &app.dialog else {
        panic!("{:?}", app.dialog);
    };
    assert_eq!(m.mode, MatrixMode::Versions);
    assert_eq!(m.targets[m.column], app.target);
    let said = app.notice.clone().unwrap_or_default();
    assert!(
        said.contains("did not resolve on python3.12")
            && said.contains("tries your picks on every target"),
        "{said}"
    );
    update(&mut app, key(KeyCode::Char('f')));
    let Some(Dialog::Matrix(m)) = &app.dialog else {
        panic!("{:?}", app.dialog);
    };
    assert_eq!(m.mode, MatrixMode::Versions);
    let said = app.error.clone().unwrap_or_default();
    assert!(said.contains("no files to show"), "{said}");
    let screen = text(&render(&app));
    assert!(screen.contains("Your picks on every target"), "{screen}");
}
