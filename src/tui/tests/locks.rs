//! Lock files in the TUI: `o uv.lock` (and `tui -r uv.lock`) picks the project's dependencies
//! marked as locked, keeps the lock's pins aside, says what cannot go in; a target switch that
//! breaks a locked version offers the one that loads (`u`).

use std::path::Path;

use ratatui::crossterm::event::KeyCode;
use wheelbarrow::resolve::Locked;

use super::fixtures::{app_with_layer, key};
use super::panes::{render, text};
use crate::tui::app::{App, Pane};
use crate::tui::failure::Failure;
use crate::tui::layer_state::Offer;
use crate::tui::msg::{Command, Msg, OpenedRequirements};
use crate::tui::update::update;

/// The uv.lock made by uv (`scripts/make_lock_fixtures.sh`), opened as `o` opens it.
fn opened_uv_lock(app: &mut App) -> Vec<Command> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/locks/uv/uv.lock");
    let Msg::RequirementsOpened(result) = crate::tui::opening::open_requirements(&path) else {
        panic!("a lock file opens as requirements");
    };
    let mut opened: OpenedRequirements = result.unwrap();
    opened.path = "uv.lock".into();
    for r in &mut opened.picks {
        let line = r.origin.rsplit_once(':').map(|(_, l)| l.to_string());
        r.origin = format!("uv.lock:{}", line.unwrap_or_default());
    }
    update(app, Msg::RequirementsOpened(Ok(opened)))
}

#[test]
fn opening_a_uv_lock_picks_its_dependencies_locked_and_names_your_own_projects() {
    let mut app = app_with_layer(160, 45);
    app.layer.picks.clear();
    app.focus = Pane::Layer;
    let commands = opened_uv_lock(&mut app);
    let mut picks: Vec<String> = app
        .layer
        .picks
        .iter()
        .map(crate::tui::layer_state::Pick::requirement)
        .collect();
    picks.sort();
    assert_eq!(picks, ["alpha==1.1", "fastnum==2.0"]);
    assert!(app.layer.picks.iter().all(|p| p.lock() == Some("uv.lock")));
    // Every registry package of the lock pins its version, not as a pick of its own.
    assert!(
        app.layer
            .locked
            .iter()
            .all(|r| r.locked == Some(Locked::Pin))
    );
    assert_eq!(app.layer.locked.len(), 8, "{:?}", app.layer.locked);
    assert_eq!(app.spec().picks.len(), 10);
    let error = app.error.clone().unwrap_or_default();
    assert!(
        error.contains("the lock's `myapp` is your own project at ./") && error.contains("3 more"),
        "{error}"
    );
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::Resolve { .. }))
    );
    let screen = text(&render(&app));
    assert!(screen.contains("2 picks · locked by uv.lock"), "{screen}");
    assert!(screen.contains("◆ fastnum==2.0"), "{screen}");
}

#[test]
fn a_locked_version_refused_after_a_switch_is_offered_and_u_takes_it_with_its_hashes() {
    let mut app = app_with_layer(160, 45);
    app.layer.picks.clear();
    app.focus = Pane::Layer;
    opened_uv_lock(&mut app);
    let generation = app.layer.generation;
    // The refusal comes with the version it offers (and that version's hashes).
    update(
        &mut app,
        Msg::Resolved {
            generation,
            result: Err(Failure {
                offer: Some(Offer {
                    project: "fastnum".into(),
                    version: "1.0".into(),
                    hashes: vec!["ab".repeat(32)],
                }),
                ..Failure::said(
                    "uv.lock:45: fastnum 2.0 is locked, and no wheel of it loads on python3.11 on x86_64",
                )
            }),
        },
    );
    let error = app.error.clone().unwrap();
    assert!(
        error.starts_with("u takes fastnum 1.0 · uv.lock:45: fastnum 2.0 is locked"),
        "{error}"
    );
    let commands = update(&mut app, key(KeyCode::Char('u')));
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::Resolve { .. }))
    );
    let fastnum = app
        .layer
        .picks
        .iter()
        .find(|p| p.key() == "fastnum")
        .unwrap();
    assert_eq!(fastnum.requirement(), "fastnum==1.0");
    assert_eq!(fastnum.requested.hashes, ["ab".repeat(32)]);
    assert!(!app.layer.locked.iter().any(|r| r.project() == "fastnum"));
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("instead of the lock's version")),
        "{:?}",
        app.notice
    );
}
