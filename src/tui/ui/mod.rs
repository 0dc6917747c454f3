//! Drawing: a pure view of `&App`, one pane per file.

mod dialogs;
mod header;
mod layer;
pub mod layout;
mod matrix;
mod opened;
mod package;
mod publish;
mod search;
mod status;
mod target_grid;
mod tree;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Pane};
use super::dialog::Dialog;
use layout::Areas;

/// Draws the whole screen.
pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    let areas = Areas::new(area.width, area.height);
    header::render(app, frame, areas.header);
    search::render(app, frame, &areas);
    package::render(app, frame, &areas);
    match &app.layer.opened {
        Some(layer) => opened::render_layer(app, layer, frame, &areas),
        None => layer::render(app, frame, &areas),
    }
    tree::render(app, frame, &areas);
    status::render_status(app, frame, areas.status);
    status::render_footer(app, frame, areas.footer);
    match &app.dialog {
        Some(Dialog::Help { scroll }) => dialogs::render_help(app, *scroll, frame, area),
        Some(Dialog::Reserve { input }) => dialogs::render_reserve(app, input, frame, area),
        Some(Dialog::Save { input }) => dialogs::render_save(app, input, frame, area),
        Some(Dialog::Matrix(m)) => match (&m.grid, m.mode) {
            (Some(g), crate::tui::target_grid::MatrixMode::Versions) => {
                target_grid::render(app, m, g, frame, area);
            }
            _ => matrix::render(app, m, frame, area),
        },
        Some(Dialog::Add { input }) => dialogs::render_add(app, input, frame, area),
        Some(Dialog::Open { input }) => opened::render_open(app, input, frame, area),
        Some(Dialog::Versions { rows, selected }) => {
            dialogs::render_versions(app, rows, *selected, frame, area);
        }
        Some(Dialog::Target {
            input,
            selected,
            marked,
        }) => {
            dialogs::render_target(app, input, (*selected, marked), frame, area);
        }
        Some(Dialog::Detail { text, scroll }) => {
            dialogs::render_detail(app, text, *scroll, frame, area);
        }
        Some(Dialog::Export(dialog)) => dialogs::render_export(app, dialog, frame, area),
        None => {}
    }
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "The terminal is {}x{}; wheelbarrow needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge it (q or Ctrl-C quits).",
        area.width, area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// A pane's frame: its title, brighter when focused.
fn pane_block<'a>(app: &App, pane: Pane, title: impl Into<Line<'a>>) -> Block<'a> {
    let focused = app.focus == pane && app.dialog.is_none();
    Block::bordered()
        .border_style(app.theme.border(focused))
        .title(title.into().style(if focused {
            app.theme.accent
        } else {
            app.theme.muted
        }))
}

/// The style of a highlighted row: reverse in the focused pane, underline elsewhere.
fn cursor_style(app: &App, pane: Pane) -> ratatui::style::Style {
    if app.focus == pane && app.dialog.is_none() {
        app.theme.selected
    } else {
        app.theme.selected_unfocused
    }
}

/// The spinner's current frame.
fn spinner(app: &App) -> &'static str {
    const FRAMES: [&str; 8] = ["⣾", "⣽", "⣻", "⢿", "⡿", "⣟", "⣯", "⣷"];
    let i = usize::try_from(app.tick % FRAMES.len() as u64).unwrap_or(0);
    FRAMES[i]
}

/// `text` cut to `width` characters, with an ellipsis when cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}
