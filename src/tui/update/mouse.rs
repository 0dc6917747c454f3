//! The mouse: a click focuses the pane under it and selects the row; the wheel scrolls.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use super::super::app::{App, Pane};
use super::super::msg::Command;
use super::super::ui::layout::{Areas, visible_offset};
use super::moves::{move_in, set_cursor};

pub fn on_mouse(app: &mut App, mouse: MouseEvent) -> Vec<Command> {
    if app.dialog.is_some() {
        return Vec::new();
    }
    let areas = Areas::new(app.size.0, app.size.1);
    let at = Position::new(mouse.column, mouse.row);
    let Some(pane) = Pane::ORDER
        .into_iter()
        .find(|p| areas.pane(*p).contains(at))
    else {
        return Vec::new();
    };
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            app.focus = pane;
            let list = areas.list(pane);
            if list.contains(at) {
                let offset = visible_offset(app, pane, list.height);
                let row = offset + usize::from(at.y - list.y);
                return set_cursor(app, pane, row);
            }
            Vec::new()
        }
        MouseEventKind::ScrollDown => move_in(app, pane, 3),
        MouseEventKind::ScrollUp => move_in(app, pane, -3),
        _ => Vec::new(),
    }
}
