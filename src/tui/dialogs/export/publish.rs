//! `p` in the export summary, and what the dialog does with each answer: connect, confirm,
//! progress, the ARN (or "unchanged"), errors in words. Esc steps back to the summary from
//! every state but a running publish (Ctrl-C cancels that, through the engine's token).

use wheelbarrow::work::Step;

use super::super::super::app::App;
use super::super::super::dialogs::{
    Dialog,
    export::{ExportDialog, ExportState},
};
use super::super::super::failure::Failure;
use super::super::super::msg::{Command, Msg};
use super::super::super::publishing::{PublishOutcome, PublishPlan, PublishState, ToPublish};

fn dialog(app: &mut App) -> Option<&mut ExportDialog> {
    match &mut app.dialog {
        Some(Dialog::Export(d)) => Some(d),
        _ => None,
    }
}

/// `p`: in the summary of a finished export, check the zip and connect; anywhere else in the
/// export dialog, nothing (the path input takes the letter before this is reached).
pub fn start(app: &mut App) -> Vec<Command> {
    app.publish_generation += 1;
    let generation = app.publish_generation;
    let Some(dialog) = dialog(app) else {
        return Vec::new();
    };
    let ExportState::Done(summary) = &dialog.state else {
        return Vec::new();
    };
    if matches!(
        dialog.publish,
        Some(
            PublishState::Connecting { .. }
                | PublishState::Confirm { .. }
                | PublishState::Publishing { .. }
        )
    ) {
        return Vec::new();
    }
    if let Some(why) = not_built_in(summary) {
        dialog.publish = Some(PublishState::Failed(why));
        return Vec::new();
    }
    if !summary.fits {
        dialog.publish = Some(PublishState::Failed(format!(
            "not published: {} is over Lambda's unzipped limit for a function and its layers, so no function could use it",
            summary.zip.display()
        )));
        return Vec::new();
    }
    if summary.runtimes.is_empty() || summary.architectures.is_empty() {
        dialog.publish = Some(PublishState::Failed(format!(
            "not published: the layer {}, so there are no compatible runtimes to list",
            summary.served
        )));
        return Vec::new();
    }
    let what = ToPublish {
        zip: summary.zip.clone(),
        description: summary.description.clone(),
        runtimes: summary.runtimes.clone(),
        architectures: summary.architectures.clone(),
    };
    dialog.publish = Some(PublishState::Connecting { generation });
    vec![Command::ConnectPublish { generation, what }]
}

/// Without the `publish` feature: that it is not built in, and what does it instead.
#[cfg(not(feature = "publish"))]
fn not_built_in(summary: &super::super::super::msg::ExportSummary) -> Option<String> {
    Some(format!(
        "{} ({})",
        super::super::super::publishing::NOT_BUILT_IN,
        summary.publish_script.display()
    ))
}

#[cfg(feature = "publish")]
#[allow(clippy::unnecessary_wraps)]
fn not_built_in(_: &super::super::super::msg::ExportSummary) -> Option<String> {
    None
}

/// Enter over a publish state: `Some` when the publish took it.
pub fn confirm(app: &mut App) -> Option<Vec<Command>> {
    let dialog = dialog(app)?;
    match dialog.publish.take()? {
        PublishState::Confirm { generation, plan } => {
            let command = Command::Publish {
                generation,
                plan: (*plan).clone(),
            };
            dialog.publish = Some(PublishState::Publishing {
                generation,
                plan,
                step: None,
                cancelling: false,
            });
            Some(vec![command])
        }
        // Done: Enter closes the dialog, as it does over the export summary.
        PublishState::Published(_) => {
            app.dialog = None;
            Some(Vec::new())
        }
        // Back to the summary, where p tries again.
        PublishState::Failed(_) => Some(Vec::new()),
        running @ (PublishState::Connecting { .. } | PublishState::Publishing { .. }) => {
            dialog.publish = Some(running);
            Some(Vec::new())
        }
    }
}

/// Esc over a publish state: `Some` when the publish took it.
pub fn back(app: &mut App) -> Option<Vec<Command>> {
    let dialog = dialog(app)?;
    match dialog.publish.take()? {
        PublishState::Connecting { .. } => Some(vec![Command::CancelPublish]),
        running @ PublishState::Publishing { .. } => {
            // Leaving would hide what the publish did; Ctrl-C cancels it (the dialog says so).
            dialog.publish = Some(running);
            Some(Vec::new())
        }
        PublishState::Confirm { .. } | PublishState::Published(_) | PublishState::Failed(_) => {
            Some(Vec::new())
        }
    }
}

/// Ctrl-C over a publish state: `Some` when the publish took it.
pub fn interrupt(app: &mut App) -> Option<Vec<Command>> {
    let dialog = dialog(app)?;
    match dialog.publish.as_mut()? {
        PublishState::Connecting { .. } => {
            dialog.publish = None;
            Some(vec![Command::CancelPublish])
        }
        PublishState::Publishing { cancelling, .. } => {
            *cancelling = true;
            Some(vec![Command::CancelPublish])
        }
        _ => None,
    }
}

/// An answer of the runner's publish work.
pub fn answered(app: &mut App, msg: Msg) {
    match msg {
        Msg::PublishConnected { generation, result } => connected(app, generation, result),
        Msg::PublishProgress { generation, step } => progress(app, generation, step),
        Msg::Published { generation, result } => finished(app, generation, result),
        _ => {}
    }
}

/// The connect answered: the confirmation, or why not.
fn connected(app: &mut App, generation: u64, result: Result<PublishPlan, Failure>) {
    let Some(dialog) = dialog(app) else { return };
    if dialog.publish != Some(PublishState::Connecting { generation }) {
        return;
    }
    dialog.publish = Some(match result {
        Ok(plan) => PublishState::Confirm {
            generation,
            plan: Box::new(plan),
        },
        Err(e) => PublishState::Failed(e.to_string()),
    });
}

/// A step of the publish of `generation`.
fn progress(app: &mut App, generation: u64, next: Step) {
    if let Some(PublishState::Publishing { step, .. }) = running(app, generation) {
        *step = Some(next);
    }
}

/// The publish of `generation` answered.
fn finished(app: &mut App, generation: u64, result: Result<PublishOutcome, Failure>) {
    if let Some(state) = running(app, generation) {
        *state = match result {
            Ok(outcome) => PublishState::Published(Box::new(outcome)),
            Err(e) => PublishState::Failed(e.to_string()),
        };
    }
}

fn running(app: &mut App, generation: u64) -> Option<&mut PublishState> {
    let state = dialog(app)?.publish.as_mut()?;
    match state {
        PublishState::Publishing { generation: g, .. } if *g == generation => Some(state),
        _ => None,
    }
}
