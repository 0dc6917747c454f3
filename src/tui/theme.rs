//! Semantic colours: panes ask for `theme.compatible` or `theme.muted`, never for a colour.
//!
//! With `NO_COLOR` set, every role falls back to a modifier (bold, reverse, crossed out), and
//! the ✓ ✗ ★ marks carry the meaning, so nothing depends on colour alone.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// A tag, file or package that loads on the target.
    pub compatible: Style,
    /// One that does not.
    pub rejected: Style,
    /// Secondary text: match kinds, sizes, explanations.
    pub muted: Style,
    /// Titles, the focused border, match positions.
    pub accent: Style,
    /// Budgets filling up, notes worth reading.
    pub warning: Style,
    /// The last error.
    pub error: Style,
    /// The highlighted row of the focused pane.
    pub selected: Style,
    /// The highlighted row of an unfocused pane.
    pub selected_unfocused: Style,
    /// Borders of unfocused panes.
    pub border: Style,
    /// Matched characters in search results.
    pub matched: Style,
    /// The best build for the target (★).
    pub best: Style,
}

impl Theme {
    /// Colours unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::plain(),
            _ => Theme::colored(),
        }
    }

    pub fn colored() -> Theme {
        Theme {
            compatible: Style::new().fg(Color::Green),
            rejected: Style::new().fg(Color::Red),
            muted: Style::new().fg(Color::DarkGray),
            accent: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            warning: Style::new().fg(Color::Yellow),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            selected_unfocused: Style::new().add_modifier(Modifier::UNDERLINED),
            border: Style::new().fg(Color::DarkGray),
            matched: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            best: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        }
    }

    pub fn plain() -> Theme {
        let none = Style::new();
        Theme {
            compatible: none.add_modifier(Modifier::BOLD),
            rejected: none.add_modifier(Modifier::CROSSED_OUT),
            muted: none,
            accent: none.add_modifier(Modifier::BOLD),
            warning: none.add_modifier(Modifier::BOLD),
            error: none.add_modifier(Modifier::BOLD),
            selected: none.add_modifier(Modifier::REVERSED),
            selected_unfocused: none.add_modifier(Modifier::UNDERLINED),
            border: none,
            matched: none.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            best: none.add_modifier(Modifier::BOLD),
        }
    }

    /// The border of a pane, brighter when it has the focus.
    pub fn border(&self, focused: bool) -> Style {
        if focused { self.accent } else { self.border }
    }

    /// A gauge's colour by how full it is.
    pub fn fullness(&self, ratio: f64) -> Style {
        if ratio > 1.0 {
            self.rejected
        } else if ratio >= 0.8 {
            self.warning
        } else {
            self.compatible
        }
    }
}
