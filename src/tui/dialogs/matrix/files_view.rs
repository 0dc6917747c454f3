//! The compatibility matrix (`m`): every package of the layer against every runtime ×
//! architecture, ✓ where its chosen file loads, the layer's own row (every file loads and the
//! layout is read there), and the highlighted cell's reason in words.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::tui::app::App;
use crate::tui::ui::fit;
use crate::tui::ui::layout::centered;
use crate::tui::views::Matrix;

/// Width of one target's column.
const CELL: usize = 5;

pub fn render(app: &App, matrix: &Matrix, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let width = area
        .width
        .saturating_sub(2)
        .min(u16::try_from(28 + CELL * matrix.targets.len() + 2).unwrap_or(u16::MAX));
    let height = u16::try_from(matrix.rows.len() + 10)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(2));
    let box_area = centered(area, width, height);
    frame.render_widget(Clear, box_area);
    let block = Block::bordered()
        .title(crate::tui::ui::keyed_title(
            app,
            crate::tui::keymap::Context::Matrix,
            &format!(
                "Where {} loads · arrows move",
                wheelbarrow::text::clean(&matrix.subject)
            ),
            &[
                (crate::tui::action::Action::Confirm, "switches there"),
                (crate::tui::action::Action::Back, "closes"),
            ],
        ))
        .border_style(t.accent);
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let [grid, words] = inner.layout(&Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(4),
    ]));
    let name_width = usize::from(grid.width)
        .saturating_sub(CELL * matrix.targets.len())
        .max(8);
    let mut lines = Vec::new();
    let header = |f: &dyn Fn(&wheelbarrow::Target) -> String| {
        let mut spans = vec![Span::raw(" ".repeat(name_width))];
        for target in &matrix.targets {
            spans.push(Span::styled(format!("{:^CELL$}", f(target)), t.muted));
        }
        Line::from(spans)
    };
    lines.push(header(&|target| target.runtime.python_version()));
    lines.push(header(&|target| {
        match target.arch {
            wheelbarrow::Arch::X86_64 => "x86",
            wheelbarrow::Arch::Arm64 => "arm",
        }
        .to_string()
    }));
    // Below the two header rows, as many rows as fit, scrolled to keep the highlighted one.
    let visible = usize::from(grid.height.saturating_sub(2)).max(1);
    let offset = (matrix.row + 1).saturating_sub(visible);
    for (r, row) in matrix.rows.iter().enumerate().skip(offset).take(visible) {
        let mut spans = vec![Span::raw(format!(
            "{:<name_width$}",
            fit(&row.label, name_width)
        ))];
        for (c, cell) in row.cells.iter().enumerate() {
            let (mark, style) = if cell.loads {
                ("✓", t.compatible)
            } else {
                ("✗", t.rejected)
            };
            let style = if (r, c) == (matrix.row, matrix.column) {
                t.selected
            } else {
                style
            };
            spans.push(Span::styled(format!("{mark:^CELL$}"), style));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), grid);
    let explanation = crate::tui::views::cell_words(matrix);
    frame.render_widget(
        Paragraph::new(wheelbarrow::text::clean(&explanation).into_owned())
            .style(t.muted)
            .wrap(Wrap { trim: true }),
        words,
    );
}
