//! Pasted text (bracketed paste): lines of requirements become picks.

use ratatui::crossterm::event::KeyEvent;

use super::super::app::{App, Pane};
use super::super::dialogs::Dialog;
use super::super::layer_state::Pick;
use super::super::msg::Command;
use super::keys::type_text;
use super::requests::resolve_picks;

/// Pasted text: one line goes into the text input that has the focus; several lines (or any
/// outside a text input) are requirements, each a pick. A line that cannot be used is said with
/// its number; the rest are still picked.
pub fn on_paste(app: &mut App, text: &str) -> Vec<Command> {
    // Terminals send a pasted line break as CR, LF or both.
    let lines: Vec<&str> = text.split(['\r', '\n']).filter(|l| !l.is_empty()).collect();
    let in_text_input = matches!(app.dialog, Some(Dialog::Export(_) | Dialog::Target { .. }))
        || (app.dialog.is_none() && app.focus == Pane::Search);
    if lines.len() <= 1 && in_text_input {
        let mut commands = Vec::new();
        for c in text.trim_end_matches(['\r', '\n']).chars() {
            let key = KeyEvent::new(
                ratatui::crossterm::event::KeyCode::Char(c),
                ratatui::crossterm::event::KeyModifiers::NONE,
            );
            commands.extend(type_text(app, key));
        }
        return commands;
    }
    if app.dialog.is_some() {
        return Vec::new();
    }
    let (mut added, mut refused) = (Vec::new(), Vec::new());
    for (n, line) in lines.iter().enumerate() {
        let line = line.split(" #").next().unwrap_or_default().trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let origin = format!("pasted line {}", n + 1);
        match wheelbarrow::resolve::parse_requirement(line, &origin) {
            Ok(requested) => {
                let pick = Pick { requested };
                let key = pick.key();
                app.layer.picks.retain(|p| p.key() != key);
                added.push(pick.name().to_string());
                app.layer.picks.push(pick);
            }
            Err(e) => refused.push(e.to_string()),
        }
    }
    app.error = refused.first().map(|first| match refused.len() {
        1 => first.clone(),
        n => format!("{first} (and {} more lines not used)", n - 1),
    });
    if added.is_empty() {
        return Vec::new();
    }
    let mut commands = resolve_picks(app);
    app.notice = Some(format!("picked from the paste: {}", added.join(", ")));
    commands.push(Command::RememberPicks(added));
    commands
}
