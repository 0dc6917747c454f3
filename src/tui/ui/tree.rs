//! The /opt tree: the real files from the wheels' directories, with sizes, biggest first;
//! folders fold and unfold.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use wheelbarrow::units::human_bytes;

use super::super::app::{App, Pane};
use super::super::rows::tree_rows;
use super::layout::Areas;
use super::layout::visible_offset;
use super::{cursor_style, fit, pane_block};
use wheelbarrow::text::clean;

pub fn render(app: &App, frame: &mut Frame, areas: &Areas) {
    let area = areas.tree;
    let list = areas.list(Pane::Tree);
    let Some(plan) = app.layer.plan.ready() else {
        frame.render_widget(pane_block(app, Pane::Tree, " /opt "), area);
        let hint = Paragraph::new("The layer's files appear here once a pick is resolved.")
            .style(app.theme.muted)
            .wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(hint, list);
        return;
    };
    let title = format!(" /opt: {} files ", plan.files.len());
    frame.render_widget(pane_block(app, Pane::Tree, title), area);
    let width = usize::from(list.width);
    let rows = tree_rows(plan, &app.tree.open);
    // The highlighted entry explained (what Lambda does with it, its share of the budget),
    // on the pane's last two lines when there is room.
    let list = if list.height >= 8 {
        let [rows_area, words] = list.layout(&ratatui::layout::Layout::vertical([
            ratatui::layout::Constraint::Min(1),
            ratatui::layout::Constraint::Length(2),
        ]));
        if let Some(row) = rows.get(app.tree.selected) {
            #[allow(clippy::cast_precision_loss)] // a percentage for people
            let share = row.size as f64 * 100.0 / app.limits.unzipped_bytes.max(1) as f64;
            let text = format!(
                "{} = {share:.1}% of the 250 MB · {}",
                human_bytes(row.size),
                wheelbarrow::layer::roles::role(&row.path)
            );
            frame.render_widget(
                Paragraph::new(text)
                    .style(app.theme.muted)
                    .wrap(ratatui::widgets::Wrap { trim: true }),
                words,
            );
        }
        rows_area
    } else {
        list
    };
    let items: Vec<ListItem> = rows
        .iter()
        .map(|row| {
            let indent = "  ".repeat(row.depth);
            let fold = match (row.is_folder(), app.tree.open.contains(&row.path)) {
                (true, true) => "▾ ",
                (true, false) => "▸ ",
                (false, _) => "  ",
            };
            let size = human_bytes(row.size);
            let files = if row.is_folder() {
                format!(" {} files", row.files)
            } else {
                String::new()
            };
            // Files of your own are marked as such.
            let yours = !row.is_folder()
                && plan
                    .files
                    .binary_search_by(|f| f.path.as_str().cmp(&row.path))
                    .is_ok_and(|i| plan.files[i].owner == "added");
            let bytecode = row.is_folder() && row.path.ends_with("/__pycache__/");
            let label = if yours {
                format!("{} (yours)", row.label())
            } else if bytecode {
                format!("{} (bytecode)", row.label())
            } else {
                row.label().to_string()
            };
            let room = width.saturating_sub(indent.len() + 2 + size.len() + files.len() + 2);
            let label = fit(&clean(&label), room);
            let pad = " ".repeat(room.saturating_sub(label.chars().count()));
            ListItem::new(Line::from(vec![
                Span::raw(format!("{indent}{fold}{label}{pad}  ")),
                Span::raw(size),
                Span::styled(files, app.theme.muted),
            ]))
        })
        .collect();
    let offset = visible_offset(app, Pane::Tree, list.height);
    let mut state = ListState::default()
        .with_offset(offset)
        .with_selected(Some(app.tree.selected));
    frame.render_stateful_widget(
        List::new(items).highlight_style(cursor_style(app, Pane::Tree)),
        list,
        &mut state,
    );
}
