//! The matrix view's keys: open it from the layer, move among its cells, Enter switches to the
//! highlighted cell's target.

use super::super::action::Action;
use super::super::app::{App, Dialog};
use super::super::msg::Command;

/// `m`: the layer's packages against every target, the current one highlighted.
pub fn open_matrix(app: &mut App) -> Vec<Command> {
    match app.layer.resolution.ready() {
        Some(resolution) => {
            let targets: Vec<_> = app.targets.iter().map(|r| r.target.clone()).collect();
            let m = super::super::app::matrix(resolution, app.layer.layout, &app.target, &targets);
            app.dialog = Some(Dialog::Matrix(Box::new(m)));
        }
        None => app.error = Some("the matrix needs a layer: pick a build first".into()),
    }
    Vec::new()
}

/// Left and Right move among the matrix's targets; `false` when the matrix is not open.
pub fn move_column(app: &mut App, action: Action) -> bool {
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
pub fn confirm_matrix(app: &mut App) -> Vec<Command> {
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
