//! What the runner answers for the dialogs and views (a path completed, an addition checked,
//! the matrix's offers) and the notices about the plan and the cache; the dialogs' keys are in
//! `tui::dialogs`.

use super::super::app::App;
use super::super::dialogs::Dialog;
use super::super::msg::Command;

/// A completion, used only if the path was not changed meanwhile.
pub fn completed(app: &mut App, from: &str, to: String) -> Vec<Command> {
    if let Some(Dialog::Add { input } | Dialog::Open { input }) = &mut app.dialog
        && input.value() == from
    {
        *input = tui_input::Input::new(to);
    }
    Vec::new()
}

/// An addition checked by the runner: into the layer, the tree planned again; or why not (the
/// dialog stays open to fix it).
pub fn added(
    app: &mut App,
    result: Result<wheelbarrow::layer::Addition, super::super::failure::Failure>,
) -> Vec<Command> {
    let addition = match result {
        Ok(a) => a,
        Err(e) => {
            app.error = Some(e.to_string());
            return Vec::new();
        }
    };
    app.dialog = None;
    app.error = None;
    app.notice = Some(format!(
        "added {} as /opt/{}",
        addition.source.display(),
        addition.dest
    ));
    app.layer.additions.retain(|a| a.dest != addition.dest);
    app.layer.additions.push(addition);
    super::requests::replan(app)
}

/// The runner's answer for the matrix: the newest release of each package that loads on each
/// target (kept only while the matrix is open).
/// The matrix's offers; when they could not be looked up at all, an empty answer (the matrix
/// stops waiting for it) and why in the status line.
pub fn offers(
    app: &mut App,
    offers: Result<super::super::msg::Offers, super::super::failure::Failure>,
) -> Vec<Command> {
    let offers = offers.unwrap_or_else(|failure| {
        app.error = Some(failure.to_string());
        super::super::msg::Offers::new()
    });
    if let Some(Dialog::Matrix(m)) = &mut app.dialog {
        m.offers = Some(offers);
    }
    Vec::new()
}

/// What the plan warns of (two packages writing one path, a binary of your own that will not
/// load here), added to the status line; `i` in the layer pane shows them all.
pub fn warnings_notice(app: &mut App, plan: &wheelbarrow::layer::LayerPlan) {
    let Some(first) = plan.warnings.first() else {
        return;
    };
    let more = match plan.warnings.len() {
        1 => String::new(),
        n => format!(" (and {} more: i)", n - 1),
    };
    let warning = format!("⚠ {first}{more}");
    app.notice = Some(match app.notice.take() {
        Some(before) => format!("{before} · {warning}"),
        None => warning,
    });
}

/// The cache folder cannot be written: said in the status line (the headless commands say it
/// on stderr), before an error already there, as the runtime table's notice is at the start.
pub fn cache_problem(app: &mut App, problem: &wheelbarrow::index::CacheProblem) -> Vec<Command> {
    let said = format!("warning: {problem}");
    app.error = Some(match app.error.take() {
        Some(error) => format!("{said} · {error}"),
        None => said,
    });
    Vec::new()
}
