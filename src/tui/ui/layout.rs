//! Where everything goes, as a pure function of the screen size (the mouse uses it too).
//!
//! Narrow (80 to 119 columns): search and package side by side over layer and tree.
//! Wide (120 and more): search | package | layer over tree.

use ratatui::layout::{Constraint, Layout, Rect};

use super::super::app::Pane;

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
