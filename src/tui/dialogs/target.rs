//! `t`: the target picker. Typing filters the runtimes × architectures, Up and Down move, Tab
//! marks several for one `python/` tree, Enter switches (the picks are checked there again:
//! `update::target` does the switch and says what it changed). Its keys: `[picker]`, then
//! `[target]` (Enter, as before the picker had a section of its own).

use ratatui::Frame;
use ratatui::crossterm::event::Event;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use tui_input::backend::crossterm::EventHandler;
use wheelbarrow::resolve::portable::{anchor_first, targets_text};

use super::super::action::Action;
use super::super::app::App;
use super::super::keymap::Context;
use super::super::msg::Command;
use super::super::ui::fit;
use super::super::ui::layout::centered;
use super::super::update::target::switch;
use super::super::views::filter_targets;
use super::{Dialog, Press, scroll_by};

/// Opens the picker on the current target; the targets a `python/` layer is resolved for
/// together start marked.
pub fn open(app: &mut App) {
    let selected = app
        .targets
        .iter()
        .position(|row| row.target == app.target)
        .unwrap_or(0);
    let marked = if app.also.is_empty() {
        Vec::new()
    } else {
        std::iter::once(&app.target)
            .chain(&app.also)
            .cloned()
            .collect()
    };
    app.dialog = Some(Dialog::Target {
        input: tui_input::Input::default(),
        selected,
        marked,
    });
}

/// Enter applies, Tab marks, Up and Down move; a key typed filters the rows (the highlight back
/// on the first).
pub fn press(app: &mut App, press: Press) -> Option<Vec<Command>> {
    if let Some(by) = scroll_by(press) {
        move_by(app, by);
        return Some(Vec::new());
    }
    match press {
        Press::Action(Action::Confirm) => Some(apply(app)),
        Press::Action(Action::Mark) => Some(mark(app)),
        Press::Typed(event) => Some(typed(app, event)),
        Press::Action(_) => None,
    }
}

fn typed(app: &mut App, event: &Event) -> Vec<Command> {
    if let Some(Dialog::Target {
        input, selected, ..
    }) = &mut app.dialog
    {
        input.handle_event(event);
        *selected = 0;
    }
    Vec::new()
}

/// Tab in the picker: marks the highlighted target, or unmarks it. Only the `python/` layout
/// serves several targets with one tree; in the other the refusal says so.
fn mark(app: &mut App) -> Vec<Command> {
    let Some(Dialog::Target {
        input,
        selected,
        marked,
    }) = &mut app.dialog
    else {
        return Vec::new();
    };
    if app.layer.layout != wheelbarrow::layer::Layout::Python {
        app.error = Some(format!(
            "several targets share one tree only in the python/ layout: {} is read by one runtime (Esc, then l switches the layout)",
            app.layer.layout.site_dir(app.target.runtime.python_minor)
        ));
        return Vec::new();
    }
    let rows = filter_targets(&app.targets, input.value());
    let Some(row) = rows.get(*selected) else {
        return Vec::new();
    };
    match marked.iter().position(|t| *t == row.target) {
        Some(at) => {
            marked.remove(at);
        }
        None => marked.push(row.target.clone()),
    }
    app.error = None;
    Vec::new()
}

/// Moves the picker's highlight among the rows the filter leaves; `false` when the picker is
/// not open.
fn move_by(app: &mut App, by: isize) -> bool {
    let count = match &app.dialog {
        Some(Dialog::Target { input, .. }) => filter_targets(&app.targets, input.value()).len(),
        _ => return false,
    };
    if let Some(Dialog::Target { selected, .. }) = &mut app.dialog {
        let last = count.saturating_sub(1);
        *selected = selected.saturating_add_signed(by).min(last);
    }
    true
}

/// Enter in the picker: switch to the marked targets (one `python/` tree for all of them), or
/// else to the highlighted one; check every pick there again.
pub fn apply(app: &mut App) -> Vec<Command> {
    let Some(Dialog::Target {
        input,
        selected,
        marked,
    }) = &app.dialog
    else {
        return Vec::new();
    };
    if !marked.is_empty() && app.layer.opened.is_none() {
        let mut set = anchor_first(marked.clone()).into_iter();
        let target = set.next().expect("one is marked");
        let also: Vec<_> = set.collect();
        app.dialog = None;
        if target == app.target && also == app.also {
            return Vec::new();
        }
        let words = std::iter::once(&target)
            .chain(&also)
            .cloned()
            .collect::<Vec<_>>();
        let switched = if also.is_empty() {
            format!("switched to {target}")
        } else {
            format!(
                "one python/ tree for {}: every wheel must load on each",
                targets_text(&words)
            )
        };
        return switch(app, target, also, switched);
    }
    let rows = filter_targets(&app.targets, input.value());
    let Some(row) = rows.get(*selected).or_else(|| rows.first()) else {
        app.error = Some(format!(
            "no target matches '{}': try 3.12, arm or x86",
            input.value()
        ));
        return Vec::new();
    };
    let target = row.target.clone();
    app.dialog = None;
    if target == app.target && app.also.is_empty() {
        return Vec::new();
    }
    if let Some(opened) = &app.layer.opened {
        // The opened zip is inspected again for the new target.
        return vec![Command::OpenFile {
            path: opened.path.clone(),
            target: Some(target),
        }];
    }
    let switched = format!("switched to {target}");
    switch(app, target, Vec::new(), switched)
}

/// The target picker: the filter, then every runtime × architecture it leaves, the current one
/// marked, each runtime's phase in a few words; below them the highlighted runtime's standing
/// with every date still ahead, and the day the table's dates are from.
pub fn render(
    app: &App,
    input: &tui_input::Input,
    (selected, marked): (usize, &[wheelbarrow::Target]),
    frame: &mut Frame,
    area: Rect,
) {
    let t = &app.theme;
    let rows = filter_targets(&app.targets, input.value());
    let width = area.width.saturating_sub(4).min(100);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    // Below the rows, as room allows, most useful first: the highlighted runtime's standing,
    // that the dates may have moved, the table's day, what its OS's end of life means.
    let mut wanted: Vec<Line> = Vec::new();
    if let Some(row) = rows.get(selected) {
        let style = if row.deprecated { t.warning } else { t.muted };
        wanted.push(Line::styled(
            format!("{}: {}", row.target.runtime.name, row.lifecycle),
            style,
        ));
    }
    match &app.table_dates.stale {
        Some(stale) => wanted.push(Line::styled(format!("⚠ {stale}."), t.warning)),
        None => wanted.push(Line::styled(
            format!("Dates: AWS's runtime table {}.", app.table_dates.as_of),
            t.muted,
        )),
    }
    if let Some((os, note)) = rows.get(selected).and_then(|row| {
        app.table
            .os_notes
            .iter()
            .find(|(os, _)| *os == row.target.runtime.os)
    }) {
        wanted.push(Line::styled(format!("{os} {note}."), t.muted));
    }
    let room = usize::from(area.height.saturating_sub(2)).saturating_sub(rows.len().max(1) + 5);
    let mut below: Vec<Line> = vec![Line::raw("")];
    let mut used = 0;
    for line in wanted {
        let height = line.width().div_ceil(inner).max(1);
        if used + height > room {
            continue;
        }
        used += height;
        below.push(line);
    }
    let height = u16::try_from(rows.len().max(1) + used + 1)
        .unwrap_or(u16::MAX)
        .saturating_add(4);
    let box_area = centered(area, width, height.min(area.height.saturating_sub(2)));
    frame.render_widget(ratatui::widgets::Clear, box_area);
    let title = picker_title(app);
    let block = Block::bordered().title(title).border_style(t.accent);
    let mut lines = vec![
        Line::from(vec![
            Span::styled("› ", t.accent),
            Span::raw(input.value().to_string()),
        ]),
        Line::raw(""),
    ];
    if !marked.is_empty() {
        lines.insert(
            1,
            Line::styled(
                format!(
                    "marked: {} (Enter: one python/ tree whose every wheel loads on each)",
                    wheelbarrow::resolve::portable::targets_text(marked)
                ),
                t.accent,
            ),
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let current = mark_of(app, marked, &row.target);
        // The OS column only where the phase still fits after it (the header names the OS).
        let os = if inner >= 95 {
            format!("{:<18} ", row.target.runtime.os)
        } else {
            String::new()
        };
        let text = format!(
            "{current}{:<11} {:<7} {os}glibc {:<5} {}",
            row.target.runtime.name,
            row.target.arch.to_string(),
            row.target.runtime.glibc.to_string(),
            row.short
        );
        // Rows never wrap (the highlight is one line a row); the full standing is below.
        let text = fit(&text, inner);
        let style = match (i == selected, row.deprecated) {
            (true, _) => t.selected,
            (false, true) => t.warning,
            (false, false) => ratatui::style::Style::default(),
        };
        lines.push(Line::styled(text, style));
    }
    if rows.is_empty() {
        lines.push(Line::styled("no target matches", t.muted));
    }
    lines.extend(below);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        box_area,
    );
}

/// The picker's title, with the key that marks several targets in the `python/` layout.
fn picker_title(app: &App) -> String {
    let mark_key = app.keymap.key_for(Context::Picker, Action::Mark);
    let head = match mark_key {
        Some(key) if app.layer.layout == wheelbarrow::layer::Layout::Python => format!(
            "Target: type to filter (3.11 x86, arm) · {key} marks several, one python/ tree for all"
        ),
        _ => "Target: type to filter (3.11 x86, arm)".to_string(),
    };
    super::super::ui::keyed_title(
        app,
        Context::Picker,
        &head,
        &[(Action::Confirm, "applies"), (Action::Back, "closes")],
    )
}

/// A picker row's mark: ✓ marked for the next switch, ● the layer's target(s) now.
fn mark_of(
    app: &App,
    marked: &[wheelbarrow::Target],
    target: &wheelbarrow::Target,
) -> &'static str {
    if marked.contains(target) {
        "✓ "
    } else if *target == app.target || app.also.contains(target) {
        "● "
    } else {
        "  "
    }
}
