//! What `o` opened (the dialog is `dialogs::open`): a requirements file (its lines become picks)
//! or a layer zip built by any tool (the panes show its tree, its budget and what `inspect`
//! finds, until the picks change).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use wheelbarrow::layer::OpenedLayer;
use wheelbarrow::work::Step;

use super::super::app::App;
use super::super::dialogs::Dialog;
use super::super::failure::Failure;
use super::super::msg::{Command, OpenedRequirements};
use super::requests::resolve_picks;

/// Whether a path names a layer zip rather than a requirements file.
pub fn is_zip(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// A layer zip opened: the tree and the gauges show it, read for the target it was inspected
/// for; the picks stay (they come back when one changes).
pub fn layer_opened(app: &mut App, result: Result<Arc<OpenedLayer>, Failure>) -> Vec<Command> {
    app.opening = None;
    let opened = match result {
        Ok(opened) => opened,
        Err(e) => {
            app.error = Some(e.to_string());
            return Vec::new();
        }
    };
    if matches!(app.dialog, Some(Dialog::Open { .. })) {
        app.dialog = None;
    }
    app.error = None;
    app.target = opened.plan.target.clone();
    app.search.peeks.clear();
    if app.package.release.is_some() {
        app.show_version(app.package.version);
    }
    let plan = Arc::new(opened.plan.clone());
    let budget = wheelbarrow::layer::budget(&plan, &app.limits, app.reserve);
    app.tree.selected = 0;
    app.tree.open.clear();
    app.tree.open.insert("python/".into());
    let problems = opened.inspection.problems.len();
    app.notice = Some(format!(
        "opened {}: {} files, {} for {}{}",
        opened.path.display(),
        opened.plan.files.len(),
        match problems {
            0 => "no problems".to_string(),
            1 => "1 problem".to_string(),
            n => format!("{n} problems"),
        },
        opened.plan.target,
        if opened.inspection.target_note.is_some() {
            " (read from its folders and binaries; t inspects it for another)"
        } else {
            ""
        }
    ));
    app.layer.show_opened(opened, plan, budget);
    Vec::new()
}

/// How far opening a layer zip has got (the status line shows it; the interrupt key stops it).
pub fn progress(app: &mut App, path: PathBuf, step: Step) -> Vec<Command> {
    if app.opening.as_ref().is_none_or(|(at, _)| *at != path) {
        // A new opening: what was said before it is about something else.
        app.error = None;
        app.notice = None;
    }
    app.opening = Some((path, step));
    Vec::new()
}

/// The interrupt key while a layer zip is being opened: stop that, and nothing else.
pub fn interrupt(app: &mut App) -> Option<Vec<Command>> {
    let (path, _) = app.opening.as_ref()?;
    app.notice = Some(format!("stopping opening {}…", path.display()));
    Some(vec![Command::CancelOpen])
}

/// Opening a layer zip stopped: what the panes show has not changed.
pub fn cancelled(app: &mut App, path: &Path) -> Vec<Command> {
    app.opening = None;
    app.error = None;
    app.notice = Some(format!(
        "stopped opening {}; nothing changed (o opens it again)",
        path.display()
    ));
    Vec::new()
}

/// A requirements file read: each usable line becomes a pick (replacing a pick of the same
/// project), a line that cannot be used is said with its file and line, the rest still picked.
pub fn requirements_opened(
    app: &mut App,
    result: Result<OpenedRequirements, Failure>,
) -> Vec<Command> {
    let opened = match result {
        Ok(opened) => opened,
        Err(e) => {
            app.error = Some(e.to_string());
            return Vec::new();
        }
    };
    if matches!(app.dialog, Some(Dialog::Open { .. })) {
        app.dialog = None;
    }
    app.error = opened
        .skipped
        .first()
        .map(|first| match opened.skipped.len() {
            1 => first.clone(),
            n => format!("{first} (and {} more lines not used)", n - 1),
        });
    if opened.picks.is_empty() {
        if app.error.is_none() {
            app.error = Some(format!(
                "{} has no requirements in it",
                opened.path.display()
            ));
        }
        return Vec::new();
    }
    let names = app.take_picks(opened.picks);
    if !app.inputs.contains(&opened.path) {
        app.inputs.push(opened.path.clone());
    }
    let mut commands = resolve_picks(app);
    app.notice = Some(format!(
        "picked from {}: {}",
        opened.path.display(),
        names.join(", ")
    ));
    commands.push(Command::RememberPicks(names));
    commands
}
