//! `i`: the full text behind the layer pane: why nothing fits (the resolver's derivation), the
//! dead ends, the plan's warnings, or everything `inspect` found in an opened zip. It scrolls.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};
use wheelbarrow::layer::OpenedLayer;

use super::super::action::Action;
use super::super::app::App;
use super::super::msg::Command;
use super::super::ui::layout::centered;
use super::{Dialog, Press, scroll_by};

/// What the detail view shows, for its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailKind {
    /// Why the picks do not resolve (the explanation, then the resolver's derivation).
    NothingFits,
    /// The resolution's and the plan's notes and warnings (the picks resolve).
    Notes,
    /// Everything `inspect` found in an opened zip.
    Report,
}

impl DetailKind {
    fn heading(self) -> &'static str {
        match self {
            DetailKind::NothingFits => "Why nothing fits",
            DetailKind::Notes => "What to know about the layer",
            DetailKind::Report => "What inspect found in the zip",
        }
    }
}

/// Why nothing fits, in full, when the picks do not resolve.
pub fn open(app: &mut App) -> Vec<Command> {
    if let Some(opened) = &app.layer.opened {
        app.dialog = Some(Dialog::Detail {
            kind: DetailKind::Report,
            text: report(opened),
            scroll: 0,
        });
        return Vec::new();
    }
    let mut said: Vec<String> = Vec::new();
    if let Some(resolution) = app.layer.resolution.ready() {
        said.extend(resolution.instead.iter().map(ToString::to_string));
    }
    if let Some(plan) = app.layer.plan.ready() {
        said.extend(plan.warnings.iter().map(|w| format!("⚠ {w}")));
    }
    if !said.is_empty() && !app.layer.resolution.is_failed() {
        let text = said;
        app.dialog = Some(Dialog::Detail {
            kind: DetailKind::Notes,
            text: text.join("\n\n"),
            scroll: 0,
        });
        return Vec::new();
    }
    match &app.layer.detail {
        Some(text) if app.layer.resolution.is_failed() => {
            app.dialog = Some(Dialog::Detail {
                kind: DetailKind::NothingFits,
                text: text.clone(),
                scroll: 0,
            });
        }
        _ => app.error = Some("nothing to explain: the picks resolve".into()),
    }
    Vec::new()
}

/// Up, Down and the page keys scroll the text.
pub fn press(app: &mut App, press: Press) -> Option<Vec<Command>> {
    let by = scroll_by(press)?;
    if let Some(Dialog::Detail { scroll, .. }) = &mut app.dialog {
        *scroll = u16::try_from((i64::from(*scroll) + by as i64).max(0)).unwrap_or(u16::MAX);
    }
    Some(Vec::new())
}

/// Everything `inspect` found in the opened zip, for the detail view (`i`).
pub fn report(opened: &OpenedLayer) -> String {
    use std::fmt::Write as _;
    use wheelbarrow::text::clean;
    let r = &opened.inspection;
    let mut out = format!(
        "{}: {} files, {} unzipped, {} zipped, checked for {} on {}\n\n",
        clean(&r.zip),
        r.files,
        wheelbarrow::units::human_bytes(r.unzipped),
        wheelbarrow::units::human_bytes(r.zipped),
        r.runtime,
        r.arch
    );
    if r.problems.is_empty() {
        out.push_str("✓ nothing found that would fail there\n");
    }
    for p in &r.problems {
        let _ = writeln!(out, "✗ {}", clean(&p.to_string()));
    }
    let _ = writeln!(out, "\n{}", r.native_summary());
    for b in &r.bytecode {
        let _ = writeln!(out, "⚠ {}", clean(&b.to_string()));
    }
    for n in &r.notes {
        let _ = writeln!(out, "• {}", clean(n));
    }
    out
}

/// Why nothing fits, in full: the explanation, then the resolver's derivation (scrolls).
pub fn render(app: &App, kind: DetailKind, text: &str, scroll: u16, frame: &mut Frame, area: Rect) {
    let box_area = centered(
        area,
        area.width.saturating_sub(8).max(60),
        area.height.saturating_sub(4),
    );
    frame.render_widget(ratatui::widgets::Clear, box_area);
    let block = Block::bordered()
        .title({
            let mut how = vec!["↑ ↓ scroll".to_string()];
            how.extend(super::super::ui::key_phrases(
                app,
                super::super::keymap::Context::Detail,
                &[(Action::Back, "closes")],
            ));
            format!(" {} ({}) ", kind.heading(), how.join(", "))
        })
        .border_style(app.theme.accent);
    let lines: Vec<Line> = text
        .lines()
        .map(|l| Line::raw(wheelbarrow::text::clean(l).into_owned()))
        .collect();
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        box_area,
    );
}
