//! Files of your own under /opt, taken out again: `d` in the /opt tree removes the addition
//! the highlighted row belongs to, and an addition that stops the plan (a file deleted or
//! replaced by a FIFO after it was added) is removed with the reason, so the layer is never
//! left without a tree or an export.

use super::super::app::{App, Pane};
use super::super::failure::Broken;
use super::super::msg::Command;
use super::super::rows::tree_rows;
use wheelbarrow::layer::Source;

/// `d` in the /opt tree: the addition the highlighted file or folder is, or is inside of.
pub fn remove_highlighted(app: &mut App) -> Vec<Command> {
    if app.focus != Pane::Tree {
        return Vec::new();
    }
    if app.layer.opened.is_some() {
        app.error = Some(
            "this tree is an opened zip: nothing of your own to remove (d removes files added with a)"
                .into(),
        );
        return Vec::new();
    }
    let Some(plan) = app.layer.plan.ready() else {
        return Vec::new();
    };
    let Some(row) = tree_rows(plan, &app.tree.open)
        .into_iter()
        .nth(app.tree.selected)
    else {
        return Vec::new();
    };
    let path = row.path.trim_end_matches('/');
    let index = app
        .layer
        .additions
        .iter()
        .position(|a| a.dest == path || path.starts_with(&format!("{}/", a.dest)));
    let Some(index) = index else {
        let folder = format!("{path}/");
        let theirs = plan
            .files
            .iter()
            .any(|f| f.path.starts_with(&folder) && !matches!(f.source, Source::Local(_)));
        let before = app.layer.additions.len();
        if !theirs && row.is_folder() {
            // A folder of yours alone: what you added in it goes.
            app.layer.additions.retain(|a| !a.dest.starts_with(&folder));
        }
        let removed = before - app.layer.additions.len();
        if removed > 0 {
            app.error = None;
            app.notice = Some(format!(
                "removed your {} in /opt/{}",
                if removed == 1 {
                    "addition".to_string()
                } else {
                    format!("{removed} additions")
                },
                row.path
            ));
            return replan(app);
        }
        let yours = app
            .layer
            .additions
            .iter()
            .any(|a| a.dest.starts_with(&folder));
        app.error = Some(if yours {
            format!(
                "/opt/{} holds files of yours and the packages': unfold it and highlight yours to remove it",
                row.path
            )
        } else {
            format!(
                "/opt/{} is not a file of your own (d removes what a added; a package's files go with it: remove the package in the layer pane)",
                row.path
            )
        });
        return Vec::new();
    };
    let removed = app.layer.additions.remove(index);
    app.error = None;
    app.notice = Some(format!(
        "removed your addition {} (/opt/{})",
        removed.source.display(),
        removed.dest
    ));
    replan(app)
}

/// The plan failed, and the addition at `broken.dest` is why: it goes, and the layer is
/// planned again without it; `None` when no such addition is in the layer.
pub fn broken(app: &mut App, broken: &Broken) -> Option<Vec<Command>> {
    let index = app
        .layer
        .additions
        .iter()
        .position(|a| a.dest == broken.dest)?;
    let removed = app.layer.additions.remove(index);
    app.error = Some(format!(
        "left out your addition /opt/{}: {}",
        removed.dest, broken.why
    ));
    Some(replan(app))
}

/// The tree planned again without what was removed, the highlight a row up.
fn replan(app: &mut App) -> Vec<Command> {
    let commands = super::requests::replan(app);
    if !commands.is_empty() {
        app.tree.selected = app.tree.selected.saturating_sub(1);
    }
    commands
}
