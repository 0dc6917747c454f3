//! Drawing: a pure view of `&App`, one pane per file.

mod header;
mod layer;
pub mod layout;
mod opened;
mod package;
mod search;
mod status;
mod tree;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::action::Action;
use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Pane};
use super::keymap::Context;
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
    if let Some(dialog) = &app.dialog {
        super::dialogs::render(app, dialog, frame, area);
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
pub(crate) fn spinner(app: &App) -> &'static str {
    const FRAMES: [&str; 8] = ["⣾", "⣽", "⣻", "⢿", "⡿", "⣟", "⣯", "⣷"];
    let i = usize::try_from(app.tick % FRAMES.len() as u64).unwrap_or(0);
    FRAMES[i]
}

/// `text` cut to `width` characters, with an ellipsis when cut.
pub(crate) fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A dialog's title: `head`, then `KEY does` for each of `keys` (see [`key_phrases`]).
pub fn keyed_title(app: &App, context: Context, head: &str, keys: &[(Action, &str)]) -> String {
    let mut parts = vec![head.to_string()];
    parts.extend(key_phrases(app, context, keys));
    format!(" {} ", parts.join(" · "))
}

/// `KEY does` for each of `keys`, with the key the user's keymap binds to the action in
/// `context`; a phrase whose action has no key there is left out, so the words never name a key
/// that does nothing.
pub fn key_phrases(app: &App, context: Context, keys: &[(Action, &str)]) -> Vec<String> {
    keys.iter()
        .filter_map(|(action, does)| {
            let key = app.keymap.key_for(context, *action)?;
            Some(format!("{key} {does}"))
        })
        .collect()
}
