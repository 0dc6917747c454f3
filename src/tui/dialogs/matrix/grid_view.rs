//! The matrix's versions view: the picks resolved on every target (see `grid`),
//! one column a target, a version per cell (a difference from the newest target that resolves
//! in the warning colour, ✗ where the set does not resolve, the spinner where it is still
//! resolving), the wheels' total at the bottom, and the highlighted cell in words. Columns that
//! do not fit scroll to keep the highlighted one in view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use wheelbarrow::layer::{Cell, Column};
use wheelbarrow::text::clean;

use crate::tui::app::App;
use crate::tui::dialogs::matrix::grid::{GridState, cell_words};
use crate::tui::ui::fit;
use crate::tui::ui::layout::centered;
use crate::tui::views::Matrix;

/// Width of one target's column.
const CELL: usize = 9;
/// Width of the package names' column at most.
const NAMES: usize = 22;

pub fn render(app: &App, matrix: &Matrix, g: &GridState, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let rows = g.grid.rows();
    let targets = &g.grid.targets;
    let longest = rows
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(0);
    let name_width = longest.clamp(8, NAMES);
    let box_area = box_for(area, name_width, targets.len(), rows.len());
    frame.render_widget(Clear, box_area);
    let status = title_status(app, g);
    let block = Block::bordered()
        .title(format!(" Your picks on every target · {status} "))
        .border_style(t.accent);
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let [grid_area, words] = inner.layout(&Layout::vertical([
        Constraint::Min(4),
        Constraint::Length(4),
    ]));
    // The columns that fit, scrolled to keep the highlighted one in view.
    let fits = (usize::from(grid_area.width).saturating_sub(name_width + 1) / CELL).max(1);
    let first = (matrix.column + 1).saturating_sub(fits);
    let shown: Vec<usize> = (first..targets.len()).take(fits).collect();
    let pad = |text: String, style: Style| {
        Span::styled(format!("{:<CELL$}", fit(&text, CELL - 1)), style)
    };
    let mut lines = Vec::new();
    let header = |f: &dyn Fn(&wheelbarrow::Target) -> String| {
        let mut spans = vec![Span::raw(" ".repeat(name_width + 1))];
        spans.extend(shown.iter().map(|&i| pad(f(&targets[i]), t.muted)));
        Line::from(spans)
    };
    lines.push(header(&|target| target.runtime.python_version()));
    lines.push(header(&|target| target.arch.to_string()));
    let visible = usize::from(grid_area.height.saturating_sub(2)).max(1);
    let offset = (g.row + 1).saturating_sub(visible);
    let selected = |r: usize, c: usize, style: Style| {
        if (r, c) == (g.row, matrix.column) {
            t.selected
        } else {
            style
        }
    };
    for (r, row) in rows.iter().enumerate().skip(offset).take(visible) {
        let name_style = if row.requested {
            t.accent
        } else {
            Style::default()
        };
        let mut spans = vec![Span::styled(
            format!(
                "{:<w$} ",
                fit(&clean(&row.name), name_width),
                w = name_width
            ),
            name_style,
        )];
        for &c in &shown {
            let (text, style) = match &row.cells[c] {
                Cell::Version { version, differs } => (
                    clean(version).into_owned(),
                    if *differs { t.warning } else { t.compatible },
                ),
                Cell::NotNeeded => ("-".into(), t.muted),
                Cell::Failed => ("✗".into(), t.rejected),
                Cell::Pending if g.stopped => ("·".into(), t.muted),
                Cell::Pending => (crate::tui::ui::spinner(app).into(), t.muted),
            };
            spans.push(pad(text, selected(r, c, style)));
        }
        lines.push(Line::from(spans));
    }
    // The wheels' row, below the packages (row index rows.len()).
    if offset + visible > rows.len() {
        let mut spans = vec![Span::styled(
            format!("{:<w$} ", "wheels", w = name_width),
            t.muted,
        )];
        for &c in &shown {
            spans.push(pad(
                wheels(&g.grid.columns[c]),
                selected(rows.len(), c, t.muted),
            ));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), grid_area);
    let explanation = match &g.failed {
        Some(problem) => format!("could not resolve on every target: {problem}"),
        None => cell_words(g, matrix.column),
    };
    frame.render_widget(
        Paragraph::new(clean(&explanation).into_owned())
            .style(t.muted)
            .wrap(Wrap { trim: true }),
        words,
    );
}

/// The dialog's box: the names and every target's column if the screen is that wide, the rows
/// and the words below if it is that tall.
fn box_for(area: Rect, name_width: usize, targets: usize, rows: usize) -> Rect {
    let width = area
        .width
        .saturating_sub(2)
        .min(u16::try_from(name_width + 1 + CELL * targets + 2).unwrap_or(u16::MAX))
        .max(40.min(area.width));
    let height = u16::try_from(rows + 11)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(2));
    centered(area, width, height)
}

/// The grid's state for its title: the spinner and the count while it fills.
fn title_status(app: &App, g: &GridState) -> String {
    let all = g.grid.targets.len();
    if g.running() {
        format!(
            "{} {} of {all} targets",
            crate::tui::ui::spinner(app),
            g.grid.answered()
        )
    } else if g.stopped {
        format!("stopped: {} of {all} answered", g.grid.answered())
    } else {
        format!("{} of {all} resolve", resolving(g))
    }
}

/// A target's wheels in the bottom row.
fn wheels(column: &Column) -> String {
    match column {
        Column::Resolved(a) => wheelbarrow::units::human_bytes(a.wheel_bytes),
        Column::Failed(_) => "✗".into(),
        Column::Pending => String::new(),
    }
}

/// How many targets resolve.
fn resolving(g: &GridState) -> usize {
    g.grid
        .columns
        .iter()
        .filter(|c| matches!(c, Column::Resolved(_)))
        .count()
}
