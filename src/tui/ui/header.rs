//! The header: the target, and the two budget gauges (unzipped against 250 MB less the
//! reserve, zipped against the 50 MB direct upload), coloured by how full they are.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{LineGauge, Paragraph};
use wheelbarrow::units::human_bytes;

use super::super::app::App;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let [top, gauges] = area.layout(&Layout::vertical([Constraint::Length(1); 2]));
    let t = &app.target;
    let what = if app.also.is_empty() {
        format!(
            " {} · {} · {} · glibc {}",
            t.runtime.name,
            t.arch.lambda_name(),
            t.runtime.os,
            t.runtime.glibc
        )
    } else {
        // One python/ tree for several targets: all of them, every wheel loading on each.
        let all: Vec<_> = std::iter::once(t).chain(&app.also).cloned().collect();
        format!(
            " {} · one python/ tree",
            wheelbarrow::resolve::portable::targets_text(&all)
        )
    };
    let line = Line::from(vec![
        Span::styled(" wheelbarrow ", app.theme.accent),
        Span::raw(what),
    ]);
    frame.render_widget(Paragraph::new(line), top);
    let [left, right] = gauges.layout(&Layout::horizontal([Constraint::Fill(1); 2]).spacing(2));
    let (unzipped, room, zipped, upload) = match &app.layer.budget {
        Some(b) => (
            Some(b.unzipped),
            b.unzipped_limit.saturating_sub(b.reserved),
            Some(b.zipped),
            b.direct_upload_limit,
        ),
        None => (
            None,
            app.limits.unzipped_bytes,
            None,
            app.limits.zipped_direct_upload_bytes,
        ),
    };
    frame.render_widget(gauge(app, "unzipped", unzipped, room), left);
    frame.render_widget(gauge(app, "zipped", zipped, upload), right);
}

fn gauge<'a>(app: &App, what: &'a str, used: Option<u64>, limit: u64) -> LineGauge<'a> {
    #[allow(clippy::cast_precision_loss)] // a bar on a screen
    let ratio = used.map_or(0.0, |u| u as f64 / limit.max(1) as f64);
    let used_text = used.map_or_else(|| "—".to_string(), human_bytes);
    let over = if ratio > 1.0 { " OVER" } else { "" };
    let style = app.theme.fullness(ratio);
    LineGauge::default()
        .label(Line::from(vec![
            Span::raw(format!(" {what} ")),
            Span::styled(
                format!("{used_text} / {}{over} ", human_bytes(limit)),
                style,
            ),
        ]))
        .ratio(ratio.clamp(0.0, 1.0))
        .filled_style(style)
        .unfilled_style(app.theme.muted)
}
