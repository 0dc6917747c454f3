//! An opened layer zip in the layer pane: what it was checked for, every problem `inspect`
//! found (red), then its packages with their sizes.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use wheelbarrow::layer::OpenedLayer;
use wheelbarrow::text::clean;
use wheelbarrow::units::human_bytes;

use super::super::app::{App, Pane};
use super::layout::{Areas, inner};
use super::{fit, pane_block};

/// Problems listed in the pane; `i` shows them all.
const SHOWN_PROBLEMS: usize = 6;

/// The layer pane when a zip is open.
pub fn render_layer(app: &App, opened: &OpenedLayer, frame: &mut Frame, areas: &Areas) {
    let t = &app.theme;
    let area = areas.layer;
    let name = opened.path.file_name().map_or_else(
        || opened.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let title = format!(" Layer: {} (opened) ", fit(&clean(&name), 40));
    frame.render_widget(pane_block(app, Pane::Layer, title), area);
    let inside = inner(area);
    let width = usize::from(inside.width);
    let r = &opened.inspection;
    let mut lines = vec![Line::styled(
        fit(
            &format!(
                "checked for {} on {}{} · i: all of it",
                r.runtime,
                r.arch,
                if r.target_note.is_some() {
                    " (read from the zip; t to choose)"
                } else {
                    ""
                }
            ),
            width,
        ),
        t.muted,
    )];
    if r.problems.is_empty() {
        lines.push(Line::styled(
            fit("✓ nothing found that would fail there", width),
            t.compatible,
        ));
    }
    for p in r.problems.iter().take(SHOWN_PROBLEMS) {
        lines.push(Line::styled(
            // No break after the mark (a non-breaking space): the name starts beside it.
            format!("✗\u{a0}{}", short(&clean(&p.to_string()))),
            t.rejected,
        ));
    }
    if r.problems.len() > SHOWN_PROBLEMS {
        lines.push(Line::styled(
            format!(
                "✗ … and {} more (i shows them all)",
                r.problems.len() - SHOWN_PROBLEMS
            ),
            t.rejected,
        ));
    }
    let name_width = if width < 60 { 16 } else { 26 };
    for package in &opened.plan.packages {
        let label = if package.version.is_empty() {
            package.name.clone()
        } else {
            format!("{} {}", package.name, package.version)
        };
        lines.push(Line::from(vec![
            Span::raw(format!(
                "  {:<name_width$} ",
                fit(&clean(&label), name_width)
            )),
            Span::styled(
                if package.files == 0 {
                    "no RECORD: its files are not told apart".to_string()
                } else {
                    format!(
                        "{:>9}  {} files",
                        human_bytes(package.unzipped),
                        package.files
                    )
                },
                t.muted,
            ),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inside);
}

/// A problem about a file with the file's folders left out (`i` shows the whole path): the
/// name and the reason fit the pane.
fn short(problem: &str) -> String {
    match problem.split_once(": ") {
        Some((path, reason)) if path.contains('/') && !path.contains(' ') => {
            let name = path.rsplit('/').next().unwrap_or(path);
            format!("…/{name}: {reason}")
        }
        _ => problem.to_string(),
    }
}
