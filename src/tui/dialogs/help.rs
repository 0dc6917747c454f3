//! F1 or `?`: the keys of where the focus is, every binding that applies there, from the
//! keymap (a user's rebinding shows at once); it scrolls when the screen is small.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear};

use super::super::action::Action;
use super::super::app::App;
use super::super::msg::Command;
use super::super::ui::layout::{help_hidden, help_layout};
use super::{Dialog, Press, scroll_by};

/// F1 or `?`: the help over where the focus is, or closed when it is open.
pub fn toggle(app: &mut App) {
    app.dialog = match app.dialog {
        Some(Dialog::Help { .. }) => None,
        _ => Some(Dialog::Help { scroll: 0 }),
    };
}

/// Up, Down and the page keys scroll, down to the last line of the help and no further.
pub fn press(app: &mut App, press: Press) -> Option<Vec<Command>> {
    let by = scroll_by(press)?;
    let hidden = help_hidden(app);
    if let Some(Dialog::Help { scroll }) = &mut app.dialog {
        let next = (i64::from(*scroll) + by as i64).clamp(0, i64::from(hidden));
        *scroll = u16::try_from(next).unwrap_or(0);
    }
    Some(Vec::new())
}

pub fn render(app: &App, scroll: u16, frame: &mut Frame, area: Rect) {
    let context = app.dialog_free_context();
    let (paragraph, box_area, hidden) = help_layout(app, area);
    let scroll = scroll.min(hidden);
    // The key that closes it, as the user's keymap binds it (none bound: not said).
    let closes = super::super::ui::key_phrases(
        app,
        super::super::keymap::Context::Help,
        &[(Action::Back, "closes")],
    );
    let title = match (hidden > 0, closes.first()) {
        (true, Some(closes)) => format!(
            " Keys: {context:?} · ↑↓ scroll, {} more · {closes} ",
            hidden - scroll
        ),
        (true, None) => format!(" Keys: {context:?} · ↑↓ scroll, {} more ", hidden - scroll),
        (false, Some(closes)) => format!(" Keys: {context:?} ({closes}) "),
        (false, None) => format!(" Keys: {context:?} "),
    };
    let keymap = app
        .keymap
        .user_file
        .as_ref()
        .map_or_else(|| "no config directory".into(), |p| p.display().to_string());
    let mut foot = format!(" Your keys: {keymap} ");
    if let Some(log) = &app.log_file {
        foot = format!("{foot}· log: {} ", log.display());
    }
    frame.render_widget(Clear, box_area);
    let block = Block::bordered()
        .border_style(app.theme.accent)
        .title(title)
        .title_bottom(Line::styled(foot, app.theme.muted));
    frame.render_widget(paragraph.block(block).scroll((scroll, 0)), box_area);
}
