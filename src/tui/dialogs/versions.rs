//! `v`: the open project's releases, newest first, each marked by whether a file of it loads
//! on the target; Enter shows the one highlighted in the package pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::super::action::Action;
use super::super::app::{App, Pane};
use super::super::msg::Command;
use super::super::ui::fit;
use super::super::ui::layout::centered;
use super::{Dialog, Press, scroll_by};

/// `v`: the open project's releases, the one shown highlighted.
pub fn open(app: &mut App) -> Vec<Command> {
    match app.package.project.ready() {
        Some(project) => {
            let rows = crate::tui::views::version_rows(project, &app.target);
            let selected = app.package.version.min(rows.len().saturating_sub(1));
            app.dialog = Some(Dialog::Versions { rows, selected });
        }
        None => app.error = Some("open a project first (Enter on a search result)".into()),
    }
    Vec::new()
}

/// Up, Down and the page keys move; Enter shows the release highlighted.
pub fn press(app: &mut App, press: Press) -> Option<Vec<Command>> {
    let Some(Dialog::Versions { rows, selected }) = &mut app.dialog else {
        return None;
    };
    if let Some(by) = scroll_by(press) {
        let last = rows.len().saturating_sub(1);
        *selected = selected.saturating_add_signed(by).min(last);
        return Some(Vec::new());
    }
    if !matches!(press, Press::Action(Action::Confirm)) {
        return None;
    }
    let index = rows.get(*selected).map(|r| r.index);
    app.dialog = None;
    if let Some(index) = index {
        app.show_version(index);
        app.focus = Pane::Package;
    }
    Some(Vec::new())
}

/// The open project's releases, newest first: ✓ when a file loads here, yanked and
/// pre-releases said so.
pub fn render(
    app: &App,
    rows: &[super::super::views::VersionRow],
    selected: usize,
    frame: &mut Frame,
    area: Rect,
) {
    let t = &app.theme;
    let box_area = centered(area, 64, area.height.saturating_sub(4));
    frame.render_widget(ratatui::widgets::Clear, box_area);
    let block = Block::bordered()
        .title(super::super::ui::keyed_title(
            app,
            super::super::keymap::Context::Versions,
            &format!("{} on {}", app.package.name, app.target),
            &[(Action::Confirm, "shows it"), (Action::Back, "closes")],
        ))
        .border_style(t.accent);
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let height = usize::from(inner.height).max(1);
    let offset = selected.saturating_sub(height.saturating_sub(1));
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, row)| {
            let (mark, style) = if row.loads {
                ("✓ loads", t.compatible)
            } else {
                ("✗ none ", t.rejected)
            };
            let mut notes = Vec::new();
            if row.yanked {
                notes.push("yanked");
            }
            if row.pre_release {
                notes.push("pre-release");
            }
            let text = format!(
                "{:<16} {mark}  {:>3} files  {}",
                fit(&row.version, 16),
                row.files,
                notes.join(", ")
            );
            let style = if i == selected { t.selected } else { style };
            Line::styled(text, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
