//! The status line (what is running, with a spinner; the last error in one line) and the
//! footer (key hints generated from the keymap for where the focus is).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::action::Action;
use super::super::app::App;
use super::super::dialogs::{Dialog, export::ExportState};
use super::super::loading::Names;
use super::super::publishing::PublishState;
use super::fit;
use wheelbarrow::text::clean;

pub fn render_status(app: &App, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let activity = app.activity();
    let mut spans = Vec::new();
    if activity.is_empty() {
        let ready = match &app.names {
            Names::Ready { count } => format!(" ready · {count} project names"),
            Names::Unavailable(_) => " ready · no project list: exact names only".into(),
            Names::Loading { .. } => " ready".into(),
        };
        spans.push(Span::styled(ready, app.theme.muted));
    } else {
        spans.push(Span::styled(
            format!(" {} ", super::spinner(app)),
            app.theme.accent,
        ));
        spans.push(Span::raw(activity.join(" · ")));
    }
    if let (None, Some(notice)) = (&app.error, &app.notice) {
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        spans.push(Span::styled(
            format!(
                "  · {}",
                fit(&clean(notice), width.saturating_sub(used + 4))
            ),
            app.theme.accent,
        ));
    }
    if let Some(error) = &app.error {
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let line = clean(error.lines().next().unwrap_or_default()).into_owned();
        spans.push(Span::styled(
            format!("  ✗ {}", fit(&line, width.saturating_sub(used + 4))),
            app.theme.error,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn render_footer(app: &App, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    // `p` publishes from the export summary only; elsewhere in the dialog it is a letter.
    let publishable = matches!(&app.dialog, Some(Dialog::Export(d))
        if matches!(d.state, ExportState::Done(_))
            && matches!(d.publish, None | Some(PublishState::Published(_) | PublishState::Failed(_))));
    // `f` switches the layer's matrix between its two views; a release's matrix has one.
    let two_views = matches!(&app.dialog, Some(Dialog::Matrix(m)) if m.grid.is_some());
    let applies = |a: Action| match a {
        Action::Publish => publishable,
        Action::Files => two_views,
        _ => true,
    };
    for (key, hint) in app.keymap.hints_for(app.context(), applies) {
        let len = key.chars().count() + hint.chars().count() + 3;
        if used + len > width {
            break;
        }
        used += len;
        spans.push(Span::styled(key, app.theme.accent));
        spans.push(Span::styled(format!(" {hint}  "), app.theme.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
