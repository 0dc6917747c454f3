//! Where everything goes, as a pure function of the screen size and the state: the view draws
//! there and `update` reads the same geometry (the mouse, how far a list or the help scrolls).
//!
//! Narrow (80 to 119 columns): search and package side by side over layer and tree.
//! Wide (120 and more): search | package | layer over tree.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::app::{App, Pane};
use super::super::keymap::Context;
use super::fit;

/// Rows inside the search pane under the result list: the peek at the highlighted result.
pub const PEEK_ROWS: u16 = 3;
/// Rows inside the package pane above its file list (summary, versions) and below (reason).
pub const PACKAGE_HEAD_ROWS: u16 = 2;
pub const PACKAGE_FOOT_ROWS: u16 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub search: Rect,
    pub package: Rect,
    pub layer: Rect,
    pub tree: Rect,
    pub status: Rect,
    pub footer: Rect,
}

impl Areas {
    pub fn new(width: u16, height: u16) -> Areas {
        let screen = Rect::new(0, 0, width, height);
        let [header, body, status, footer] = screen.layout(&Layout::vertical([
            Constraint::Length(2),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ]));
        let (search, package, layer, tree) = if width >= 120 {
            let [search, package, right] = body.layout(&Layout::horizontal([
                Constraint::Percentage(24),
                Constraint::Percentage(46),
                Constraint::Fill(1),
            ]));
            let [layer, tree] = right.layout(&Layout::vertical([
                Constraint::Percentage(45),
                Constraint::Fill(1),
            ]));
            (search, package, layer, tree)
        } else {
            let [top, bottom] = body.layout(&Layout::vertical([
                Constraint::Percentage(62),
                Constraint::Fill(1),
            ]));
            let [search, package] = top.layout(&Layout::horizontal([
                Constraint::Length(30),
                Constraint::Fill(1),
            ]));
            let [layer, tree] = bottom.layout(&Layout::horizontal([
                Constraint::Percentage(50),
                Constraint::Fill(1),
            ]));
            (search, package, layer, tree)
        };
        Areas {
            header,
            search,
            package,
            layer,
            tree,
            status,
            footer,
        }
    }

    pub fn pane(&self, pane: Pane) -> Rect {
        match pane {
            Pane::Search => self.search,
            Pane::Package => self.package,
            Pane::Layer => self.layer,
            Pane::Tree => self.tree,
        }
    }

    /// The rows of a pane's list (inside its border, less its fixed rows).
    pub fn list(&self, pane: Pane) -> Rect {
        let inner = inner(self.pane(pane));
        let (top, bottom) = match pane {
            Pane::Search => (1, PEEK_ROWS),
            Pane::Package => (PACKAGE_HEAD_ROWS, PACKAGE_FOOT_ROWS),
            Pane::Layer => (1, 0),
            Pane::Tree => (0, 0),
        };
        let height = inner.height.saturating_sub(top + bottom);
        Rect::new(
            inner.x,
            inner.y + top.min(inner.height),
            inner.width,
            height,
        )
    }
}

/// Inside a one-cell border.
pub fn inner(area: Rect) -> Rect {
    Rect::new(
        area.x.saturating_add(1),
        area.y.saturating_add(1),
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    )
}

/// The first row drawn in a list of `height` rows, as the panes scroll: just enough to keep
/// the cursor on screen.
pub fn visible_offset(app: &App, pane: Pane, height: u16) -> usize {
    let selected = match pane {
        Pane::Search => app.search.selected,
        Pane::Package => app.package.selected,
        Pane::Layer => app.layer.selected,
        Pane::Tree => app.tree.selected,
    };
    (selected + 1).saturating_sub(usize::from(height.max(1)))
}

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = area.layout(
        &Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center),
    );
    let [cell] = row.layout(
        &Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center),
    );
    cell
}

/// Lines of the help that do not fit on the screen (what ↓ can scroll to).
pub fn help_hidden(app: &App) -> u16 {
    help_layout(app, Rect::new(0, 0, app.size.0, app.size.1)).2
}

/// The help's text (wrapped), its box on a screen of `area`, and how many of its lines do not
/// fit in the box.
pub(crate) fn help_layout(app: &App, area: Rect) -> (Paragraph<'static>, Rect, u16) {
    let context = app.dialog_free_context();
    let mut lines: Vec<Line<'static>> = app
        .keymap
        .bindings(context)
        .iter()
        .map(|(action, keys)| {
            Line::from(vec![
                Span::styled(
                    format!("{:<22}", fit(&keys.join(" "), 21)),
                    app.theme.accent,
                ),
                Span::raw(action.describe()),
            ])
        })
        .collect();
    // The keymap file's mistakes in full: the status line had room for their start only.
    if let Some(problem) = &app.keymap.problem {
        let problem = wheelbarrow::text::clean(problem).into_owned();
        lines.splice(
            0..0,
            [Line::styled(problem, app.theme.error), Line::raw("")],
        );
    }
    if context == Context::Search {
        lines.push(Line::styled(
            "Other keys type into the search box.",
            app.theme.muted,
        ));
    }
    // Wide enough that most descriptions take one line; as tall as the screen allows.
    let width = area.width.saturating_sub(4).clamp(60, 110);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let wrapped = paragraph.line_count(width.saturating_sub(2));
    let height = u16::try_from(wrapped + 2).unwrap_or(u16::MAX);
    let box_area = centered(area, width, height);
    (paragraph, box_area, height.saturating_sub(box_area.height))
}
