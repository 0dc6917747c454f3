//! Moving the cursor in the focused pane, clamped to its rows.

use super::super::app::{App, Pane};
use super::super::msg::Command;
use super::super::rows::{layer_rows, tree_rows};
use super::super::ui::layout::Areas;
use super::schedule_peek;

/// Rows in the focused pane.
fn row_count(app: &App, pane: Pane) -> usize {
    match pane {
        Pane::Search => app.search.snapshot.as_ref().map_or(0, |s| s.rows.len()),
        Pane::Package => app.package.release.as_ref().map_or(0, |r| r.files.len()),
        Pane::Layer => layer_rows(app).len(),
        Pane::Tree => app
            .layer
            .plan
            .ready()
            .map_or(0, |plan| tree_rows(plan, &app.tree.open).len()),
    }
}

fn cursor(app: &mut App, pane: Pane) -> &mut usize {
    match pane {
        Pane::Search => &mut app.search.selected,
        Pane::Package => &mut app.package.selected,
        Pane::Layer => &mut app.layer.selected,
        Pane::Tree => &mut app.tree.selected,
    }
}

/// A page: the focused pane's height less its frame.
pub fn page(app: &App) -> isize {
    let areas = Areas::new(app.size.0, app.size.1);
    let height = areas.pane(app.focus).height.saturating_sub(4).max(1);
    isize::try_from(height).unwrap_or(1)
}

/// Moves the focused pane's cursor by `delta` rows.
pub fn move_by(app: &mut App, delta: isize) -> Vec<Command> {
    move_in(app, app.focus, delta)
}

/// Moves `pane`'s cursor by `delta` rows (the mouse wheel moves the pane under the pointer).
pub fn move_in(app: &mut App, pane: Pane, delta: isize) -> Vec<Command> {
    let count = row_count(app, pane);
    if count == 0 {
        return Vec::new();
    }
    let row = cursor(app, pane).saturating_add_signed(delta);
    set_cursor(app, pane, row)
}

/// Puts `pane`'s cursor on `row` (clamped); a new search result is peeked after a rest.
pub fn set_cursor(app: &mut App, pane: Pane, row: usize) -> Vec<Command> {
    let count = row_count(app, pane);
    let row = row.min(count.saturating_sub(1));
    let moved = *cursor(app, pane) != row;
    *cursor(app, pane) = row;
    if moved && pane == Pane::Search {
        schedule_peek(app)
    } else {
        Vec::new()
    }
}
