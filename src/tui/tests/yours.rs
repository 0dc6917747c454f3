//! `update` for files of your own taken out again (`d` in the /opt tree, an addition broken
//! after it was added) and for the interrupt key while a layer zip opens. Pure: the commands
//! each message returns are asserted.

use std::sync::Arc;

use ratatui::crossterm::event::KeyCode;
use wheelbarrow::layer::{Addition, PlannedFile, Source};
use wheelbarrow::work::{Phase, Step};

use super::fixtures::{app_with_layer, ctrl, key, layer};
use crate::tui::app::{App, Pane};
use crate::tui::failure::{Broken, Failure};
use crate::tui::msg::{Command, Msg};
use crate::tui::update::update;

/// The fixture layer with `./libpq.so.5` added as `lib/libpq.so.5`, planned with it.
fn app_with_addition() -> App {
    let mut app = app_with_layer(160, 45);
    let addition = Addition {
        source: "./libpq.so.5".into(),
        dest: "lib/libpq.so.5".into(),
    };
    let commands = update(&mut app, Msg::AdditionReady(Ok(addition)));
    assert!(
        matches!(&commands[..], [Command::Plan { .. }]),
        "{commands:?}"
    );
    let (_, plan, budget) = layer();
    let mut plan = (*plan).clone();
    plan.files.push(PlannedFile {
        path: "lib/libpq.so.5".into(),
        size: 5,
        compressed: 5,
        executable: false,
        owner: "added".into(),
        source: Source::Local("./libpq.so.5".into()),
    });
    let generation = app.layer.generation;
    update(
        &mut app,
        Msg::Planned {
            generation,
            result: Ok((Arc::new(plan), budget)),
        },
    );
    app.focus = Pane::Tree;
    app
}

#[test]
fn d_on_a_packages_folder_says_it_is_not_yours_and_removes_nothing() {
    let mut app = app_with_addition();
    app.tree.selected = 0; // python/, the biggest folder
    let commands = update(&mut app, key(KeyCode::Char('d')));
    assert!(commands.is_empty(), "{commands:?}");
    assert_eq!(app.layer.additions.len(), 1);
    let error = app.error.as_deref().unwrap_or_default();
    assert!(
        error.starts_with("/opt/python/ is not a file of your own (d removes what a added;"),
        "{error}"
    );
}

#[test]
fn d_on_a_folder_holding_only_your_addition_removes_it_and_plans_again() {
    let mut app = app_with_addition();
    update(&mut app, key(KeyCode::End)); // lib/, the smallest top-level folder, last
    let commands = update(&mut app, key(KeyCode::Char('d')));
    let [Command::Plan { spec, .. }] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert!(spec.plan.additions.is_empty());
    assert!(app.layer.additions.is_empty());
    assert_eq!(
        app.notice.as_deref(),
        Some("removed your addition in /opt/lib/")
    );
}

#[test]
fn an_addition_that_broke_the_plan_is_removed_with_the_reason_and_the_plan_asked_again() {
    let mut app = app_with_addition();
    let generation = app.layer.generation;
    let commands = update(
        &mut app,
        Msg::Planned {
            generation,
            result: Err(Failure {
                broken: Some(Broken {
                    dest: "lib/libpq.so.5".into(),
                    why: "./libpq.so.5 is a named pipe (FIFO), not a file or folder to add".into(),
                }),
                ..Failure::said("could not read ./libpq.so.5")
            }),
        },
    );
    assert!(
        matches!(&commands[..], [Command::Plan { spec, .. }] if spec.plan.additions.is_empty())
    );
    assert_eq!(
        app.error.as_deref(),
        Some(
            "left out your addition /opt/lib/libpq.so.5: ./libpq.so.5 is a named pipe (FIFO), not a file or folder to add"
        )
    );
    // An answer for an older plan changes nothing.
    let mut app = app_with_addition();
    let stale = app.layer.generation - 1;
    let commands = update(
        &mut app,
        Msg::Planned {
            generation: stale,
            result: Err(Failure {
                broken: Some(Broken {
                    dest: "lib/libpq.so.5".into(),
                    why: "gone".into(),
                }),
                ..Failure::said("gone")
            }),
        },
    );
    assert!(commands.is_empty());
    assert_eq!(app.layer.additions.len(), 1);
}

#[test]
fn ctrl_c_while_a_zip_opens_stops_the_opening_and_not_the_app() {
    let mut app = app_with_layer(160, 45);
    update(
        &mut app,
        Msg::OpenProgress {
            path: "bomb.zip".into(),
            step: Step::new(Phase::Inspecting, 3 << 20, None),
        },
    );
    assert!(
        app.activity()
            .contains(&"opening bomb.zip: 3.0 MB inflated".to_string()),
        "{:?}",
        app.activity()
    );
    let commands = update(&mut app, ctrl('c'));
    assert!(
        matches!(&commands[..], [Command::CancelOpen]),
        "{commands:?}"
    );
    assert!(!app.exit);
    update(
        &mut app,
        Msg::OpenCancelled {
            path: "bomb.zip".into(),
        },
    );
    assert!(app.activity().is_empty(), "{:?}", app.activity());
    assert_eq!(
        app.notice.as_deref(),
        Some("stopped opening bomb.zip; nothing changed (o opens it again)")
    );
    // Nothing opening: Ctrl-C quits, as before.
    update(&mut app, ctrl('c'));
    assert!(app.exit);
}
