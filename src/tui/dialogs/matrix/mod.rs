//! `m`: the layer's packages against every target (or, in the package pane, the open release's
//! files), the current target highlighted; arrows move among cells, Enter switches to the
//! cell's target, `f` turns to the picks resolved on every target (`grid`). The
//! views are drawn by `files_view` and `grid_view`.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::super::action::Action;
use super::super::app::App;
use super::super::msg::Command;
use super::super::views::Matrix;
use super::{Dialog, Press, scroll_by};

mod files_view;
pub mod grid;
mod grid_view;

use grid::MatrixMode;

/// `m`: the layer's packages against every target, the current one highlighted; in the package
/// pane, the open release's files.
pub fn open(app: &mut App) -> Vec<Command> {
    if app.focus == super::super::app::Pane::Package
        && let (Some(project), Some(release)) =
            (app.package.project.ready(), app.package.release.as_ref())
    {
        let targets: Vec<_> = app.targets.iter().map(|r| r.target.clone()).collect();
        let m =
            super::super::views::release_matrix(project, &release.version, &app.target, &targets);
        app.dialog = Some(Dialog::Matrix(Box::new(m)));
        return Vec::new();
    }
    match app.layer.resolution.ready() {
        Some(resolution) => {
            let targets: Vec<_> = app.targets.iter().map(|r| r.target.clone()).collect();
            let scripts: Vec<String> = app
                .layer
                .plan
                .ready()
                .map(|plan| {
                    plan.files
                        .iter()
                        .filter(|f| f.is_script())
                        .map(|f| f.path.clone())
                        .collect()
                })
                .unwrap_or_default();
            let m = super::super::views::matrix(
                resolution,
                app.layer.layout,
                &app.target,
                &targets,
                &app.table,
                &scripts,
            );
            let projects = m.rows.iter().filter_map(|r| r.project.clone()).collect();
            app.dialog = Some(Dialog::Matrix(Box::new(m)));
            let mut commands = grid::start(app);
            commands.push(Command::MatrixOffers { projects, targets });
            return commands;
        }
        None if resolves_nowhere_here(app) => return versions_only(app),
        None => app.error = Some(not_yet(app)),
    }
    Vec::new()
}

/// The picks do not resolve on the target at hand: no file is chosen, so there is no files
/// view, but the versions view answers the first question (where does the set resolve?).
fn resolves_nowhere_here(app: &App) -> bool {
    matches!(
        app.layer.resolution,
        super::super::loading::Loadable::Failed(_)
    ) && !app.layer.picks.is_empty()
        && app.layer.opened.is_none()
}

/// The matrix with its versions view alone, for picks that do not resolve here.
fn versions_only(app: &mut App) -> Vec<Command> {
    let targets: Vec<_> = app.targets.iter().map(|r| r.target.clone()).collect();
    let column = targets.iter().position(|t| *t == app.target).unwrap_or(0);
    app.dialog = Some(Dialog::Matrix(Box::new(Matrix {
        subject: "your picks".into(),
        targets,
        rows: Vec::new(),
        row: 0,
        column,
        offers: None,
        mode: MatrixMode::Versions,
        grid: None,
    })));
    app.notice = Some(format!(
        "the layer did not resolve on {}: the matrix tries your picks on every target",
        app.target
    ));
    grid::start(app)
}

/// Why `m` has no matrix to show yet, in the state the layer is in.
fn not_yet(app: &App) -> String {
    if matches!(
        app.layer.resolution,
        super::super::loading::Loadable::Loading
    ) {
        "the layer is still resolving: the matrix can be shown once it has".into()
    } else {
        "the matrix needs a layer: pick a build first".into()
    }
}

/// Up, Down and the page keys move the row (of the versions view when it is shown), Left and
/// Right the target, Enter switches to it, `f` turns to the other view.
pub fn press(app: &mut App, press: Press) -> Option<Vec<Command>> {
    if let Some(by) = scroll_by(press) {
        if !grid::move_row(app, by)
            && let Some(Dialog::Matrix(m)) = &mut app.dialog
        {
            let last = m.rows.len().saturating_sub(1);
            m.row = m.row.saturating_add_signed(by).min(last);
        }
        return Some(Vec::new());
    }
    match press {
        Press::Action(action @ (Action::Left | Action::Right)) => {
            move_column(app, action);
            Some(Vec::new())
        }
        Press::Action(Action::Confirm) => Some(confirm(app)),
        Press::Action(Action::Files) => {
            grid::toggle(app);
            Some(Vec::new())
        }
        _ => None,
    }
}

/// Left and Right move among the matrix's targets; `false` when the matrix is not open.
fn move_column(app: &mut App, action: Action) -> bool {
    let (Some(Dialog::Matrix(m)), Action::Left | Action::Right) = (&mut app.dialog, action) else {
        return false;
    };
    let last = m.targets.len().saturating_sub(1);
    m.column = if action == Action::Left {
        m.column.saturating_sub(1)
    } else {
        (m.column + 1).min(last)
    };
    true
}

/// Enter on a cell: switch to that target, as the picker does (the same summary line).
fn confirm(app: &mut App) -> Vec<Command> {
    let Some(Dialog::Matrix(m)) = &app.dialog else {
        return Vec::new();
    };
    let Some(target) = m.targets.get(m.column).cloned() else {
        return Vec::new();
    };
    super::target::open(app);
    if let Some(Dialog::Target { selected, .. }) = &mut app.dialog {
        *selected = app
            .targets
            .iter()
            .position(|r| r.target == target)
            .unwrap_or(0);
    }
    super::target::apply(app)
}

/// The versions view when it is shown and there is a grid, the files view otherwise.
pub fn render(app: &App, m: &Matrix, frame: &mut Frame, area: Rect) {
    match (&m.grid, m.mode) {
        (Some(g), MatrixMode::Versions) => {
            grid_view::render(app, m, g, frame, area);
        }
        _ => files_view::render(app, m, frame, area),
    }
}
