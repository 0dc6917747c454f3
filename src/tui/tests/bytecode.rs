//! `c` in the layer pane: bytecode compiled into the layer at export. The tree is planned again
//! with it, the pane's title and the gauges count the estimate, and the export summary says
//! what the bytecode added.

use ratatui::crossterm::event::KeyCode;
use wheelbarrow::RuntimeTable;
use wheelbarrow::layer::bytecode::{BytecodeCost, Invalidation};
use wheelbarrow::layer::{LayerPlan, budget};

use super::fixtures::{app_with_layer, export_summary, key, layer};
use super::panes::{render, text};
use crate::tui::app::Pane;
use crate::tui::dialogs::{Dialog, export::ExportState};
use crate::tui::msg::{Command, Msg};
use crate::tui::update::update;

#[test]
fn c_in_the_layer_pane_plans_the_layer_again_with_bytecode_and_the_gauges_count_it() {
    let mut app = app_with_layer(160, 45);
    app.focus = Pane::Layer;
    let commands = update(&mut app, key(KeyCode::Char('c')));
    let [
        Command::Plan {
            spec, generation, ..
        },
    ] = &commands[..]
    else {
        panic!("{commands:?}");
    };
    let options = spec.plan.bytecode.clone().expect("bytecode asked for");
    assert_eq!(options.invalidation, Invalidation::UncheckedHash);
    assert!(
        app.notice
            .as_deref()
            .unwrap()
            .starts_with("bytecode: compiled for python3.12")
    );
    // The engine's answer: the fixture's plan with its estimate.
    let (_, plan, _) = layer();
    let sources: Vec<_> = plan.files.clone();
    let plan = LayerPlan {
        bytecode: Some(wheelbarrow::layer::bytecode::estimate(
            &sources,
            &[12],
            Invalidation::UncheckedHash,
        )),
        ..(*plan).clone()
    };
    let before = app.layer.budget.as_ref().unwrap().unzipped;
    let budget = budget(&plan, &RuntimeTable::builtin().limits, 0);
    update(
        &mut app,
        Msg::Planned {
            generation: *generation,
            result: Ok((std::sync::Arc::new(plan), budget)),
        },
    );
    let after = app.layer.budget.as_ref().unwrap().unzipped;
    // 38.2 KB of sources (three .py files) → about 45.8 KB of bytecode.
    assert_eq!(after - before, (1_200 + 3_000 + 34_000) * 120 / 100);
    let screen = text(&render(&app));
    assert!(screen.contains("· bytecode ≈+44.8 KB"), "{screen}");
    // Off again: planned without.
    let commands = update(&mut app, key(KeyCode::Char('c')));
    let [Command::Plan { spec, .. }] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert!(spec.plan.bytecode.is_none());
}

#[test]
fn the_export_summary_says_what_the_bytecode_added_and_which_runtimes_got_none() {
    let mut app = app_with_layer(160, 45);
    update(&mut app, key(KeyCode::Char('e')));
    let mut summary = export_summary();
    summary.bytecode = Some(Box::new(BytecodeCost {
        modules: 3,
        unzipped: 46_000,
        zipped: 19_000,
        runtimes: vec!["python3.12".into()],
        without: vec!["python3.13".into()],
        ..BytecodeCost::default()
    }));
    if let Some(Dialog::Export(d)) = &mut app.dialog {
        d.state = ExportState::Done(summary);
    }
    let screen = text(&render(&app));
    // The line wraps in the dialog.
    assert!(
        screen
            .contains("bytecode for python3.12: +44.9 KB unzipped, +18.6 KB zipped (3 modules) ·"),
        "{screen}"
    );
    assert!(
        screen.contains("none for python3.13 (no interpreter)"),
        "{screen}"
    );
}
