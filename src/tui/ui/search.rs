//! The search pane: the input, the live results (match positions highlighted, the kind of match
//! muted), and what the index says about the highlighted result.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};
use wheelbarrow::search::{MatchKind, SearchRow};

use super::super::app::{App, Pane};
use super::super::loading::{Loadable, Names};
use super::layout::visible_offset;
use super::layout::{Areas, PEEK_ROWS, inner};
use super::{cursor_style, fit, pane_block};
use wheelbarrow::text::clean;

pub fn render(app: &App, frame: &mut Frame, areas: &Areas) {
    let area = areas.search;
    let count = match (&app.search.snapshot, &app.names) {
        (Some(s), _) if !app.search.input.value().is_empty() => format!(" {} found ", s.total),
        (_, Names::Ready { count }) => format!(" {count} projects "),
        _ => String::new(),
    };
    let block =
        pane_block(app, Pane::Search, " Search ").title_bottom(Line::from(count).right_aligned());
    frame.render_widget(block, area);
    let inside = inner(area);
    render_input(
        app,
        frame,
        Rect {
            height: 1,
            ..inside
        },
    );
    let list = areas.list(Pane::Search);
    render_rows(app, frame, list);
    let peek = Rect {
        y: list.y + list.height,
        height: PEEK_ROWS.min(inside.height.saturating_sub(1)),
        ..list
    };
    render_peek(app, frame, peek);
}

fn render_input(app: &App, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width.saturating_sub(2));
    let input = &app.search.input;
    let scroll = input.visual_scroll(width);
    let shown: String = input.value().chars().skip(scroll).take(width).collect();
    let line = Line::from(vec![
        Span::styled("› ", app.theme.accent),
        Span::raw(clean(&shown).into_owned()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if app.focus == Pane::Search && app.dialog.is_none() {
        let x = input.visual_cursor().saturating_sub(scroll);
        let x = u16::try_from(x).unwrap_or(u16::MAX).saturating_add(2);
        frame.set_cursor_position(Position::new(
            area.x + x.min(area.width.saturating_sub(1)),
            area.y,
        ));
    }
}

fn render_rows(app: &App, frame: &mut Frame, area: Rect) {
    let Some(snapshot) = &app.search.snapshot else {
        let hint = match &app.names {
            Names::Loading { .. } => {
                "Type a project name (the full name opens even before the list is loaded)."
            }
            _ => "Type a project name, part of one, or an import name.",
        };
        frame.render_widget(
            Paragraph::new(hint)
                .style(app.theme.muted)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    };
    if snapshot.rows.is_empty() {
        let typed = app.search.input.value().trim();
        let text = if typed.is_empty() {
            String::new()
        } else {
            format!(
                "No project name matches. Enter opens '{}' anyway.",
                clean(typed)
            )
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(app.theme.muted)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let width = usize::from(area.width);
    let items: Vec<ListItem> = snapshot
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| ListItem::new(row_line(app, row, i == 0 && app.search.typed_row, width)))
        .collect();
    let offset = visible_offset(app, Pane::Search, area.height);
    let mut state = ListState::default()
        .with_offset(offset)
        .with_selected(Some(app.search.selected));
    let list = List::new(items).highlight_style(cursor_style(app, Pane::Search));
    frame.render_stateful_widget(list, area, &mut state);
}

/// A result: the name with its matched characters highlighted, then how it matched, muted.
fn row_line<'a>(app: &App, row: &'a SearchRow, typed: bool, width: usize) -> Line<'a> {
    let mut spans: Vec<Span> = Vec::new();
    for (i, c) in row.name.char_indices() {
        if c.is_control() {
            continue;
        }
        let style = if row.positions.contains(&i) {
            app.theme.matched
        } else {
            ratatui::style::Style::new()
        };
        spans.push(Span::styled(c.to_string(), style));
    }
    let why: String = match (row.kind, &row.import) {
        _ if typed => "the name as typed".into(),
        (MatchKind::Import, Some(import)) => format!("import {} →", clean(import)),
        (MatchKind::Exact, _) => "exact name".into(),
        (MatchKind::Known, _) if row.rank.is_some() => "in downloads".into(),
        (MatchKind::Known, _) => "picked before".into(),
        (MatchKind::Prefix, _) => "starts with it".into(),
        (MatchKind::Substring, _) => "contains it".into(),
        (MatchKind::Fuzzy | MatchKind::Import, _) => "letters in order".into(),
    };
    // The download rank first, so a narrow pane keeps it when the words are cut.
    let why = match row.rank {
        Some(rank) if !typed => format!("#{rank} {why}"),
        _ => why,
    };
    let room = width.saturating_sub(row.name.chars().count() + 1);
    if room > 4 {
        spans.push(Span::styled(
            format!(" {}", fit(&why, room)),
            app.theme.muted,
        ));
    }
    Line::from(spans)
}

fn render_peek(app: &App, frame: &mut Frame, area: Rect) {
    let Some(name) = app.selected_result() else {
        return;
    };
    let t = &app.theme;
    let target = format!(
        "{} {}",
        app.target.runtime.name,
        app.target.arch.lambda_name()
    );
    let lines: Vec<Line> = match app.selected_peek() {
        None | Some(Loadable::Idle) => Vec::new(),
        Some(Loadable::Loading) => vec![Line::styled(
            format!("{} looking up {}", super::spinner(app), clean(name)),
            t.muted,
        )],
        Some(Loadable::Failed(e)) => vec![Line::styled(format!("✗ {}", clean(e)), t.rejected)],
        Some(Loadable::Ready(peek)) => {
            let verdict = match (&peek.newest, &peek.loadable) {
                (Some(n), Some(l)) if n == l => {
                    Line::styled(format!("✓ {n} loads on {target}"), t.compatible)
                }
                (Some(n), Some(l)) => Line::styled(
                    format!("✗ {n} has no file for {target}; {l} has"),
                    t.warning,
                ),
                (_, None) => {
                    Line::styled(format!("✗ no release has a file for {target}"), t.rejected)
                }
                (None, Some(l)) => Line::styled(format!("✓ {l} loads on {target}"), t.compatible),
            };
            let summary = peek
                .summary
                .as_deref()
                .map_or_else(|| "(no summary)".to_string(), |s| clean(s).into_owned());
            vec![verdict, Line::styled(summary, t.muted)]
        }
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}
