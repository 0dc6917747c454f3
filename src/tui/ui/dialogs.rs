//! The dialogs over the panes: help (generated from the keymap) and export.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Gauge, Paragraph, Wrap};
use wheelbarrow::units::human_bytes;

use super::super::app::App;
use super::super::dialog::{ExportDialog, ExportState};
use super::super::keymap::Context;
use super::fit;
use super::layout::{centered, help_layout};

/// Help for where the focus is: every binding that applies there, from the keymap.
/// The target picker: the filter, then every runtime × architecture it leaves, the current one
/// marked, each runtime's phase in a few words; below them the highlighted runtime's standing
/// with every date still ahead, and the day the table's dates are from.
pub fn render_target(
    app: &App,
    input: &tui_input::Input,
    (selected, marked): (usize, &[wheelbarrow::Target]),
    frame: &mut Frame,
    area: Rect,
) {
    let t = &app.theme;
    let rows = crate::tui::views::filter_targets(&app.targets, input.value());
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
    let mark_key = app
        .keymap
        .bindings(Context::Picker)
        .into_iter()
        .find(|(a, _)| *a == crate::tui::action::Action::Mark)
        .and_then(|(_, keys)| keys.into_iter().next());
    match mark_key {
        Some(key) if app.layer.layout == wheelbarrow::layer::Layout::Python => format!(
            " Target: type to filter (3.11 x86, arm) · {key} marks several, one python/ tree for all · Enter applies · Esc closes "
        ),
        _ => " Target: type to filter (3.11 x86, arm) · Enter applies · Esc closes ".to_string(),
    }
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

/// A file or folder of your own under /opt.
pub fn render_add(app: &App, input: &tui_input::Input, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let box_area = centered(area, 76, 8);
    frame.render_widget(ratatui::widgets::Clear, box_area);
    let block = Block::bordered()
        .title(" Add files of your own · Tab completes · Enter adds · Esc closes ")
        .border_style(t.accent);
    let lines = vec![
        Line::raw("PATH, or PATH=DEST with DEST under /opt. Without DEST a shared library"),
        Line::raw("goes to lib/ (on LD_LIBRARY_PATH), an executable to bin/ (on PATH), a"),
        Line::raw("folder's contents to lib/:"),
        Line::from(vec![
            Span::styled("› ", t.accent),
            Span::raw(input.value().to_string()),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
}

/// Where to save the picks as a requirements file (the lock is written beside it).
pub fn render_save(app: &App, input: &tui_input::Input, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let box_area = centered(area, 76, 6);
    frame.render_widget(ratatui::widgets::Clear, box_area);
    let block = Block::bordered()
        .title(" Save the picks · Enter saves · Esc closes ")
        .border_style(t.accent);
    let lines = vec![
        Line::raw("The picks as a requirements file (the lock, NAME.lock.txt, beside it):"),
        Line::from(vec![
            Span::styled("› ", t.accent),
            Span::raw(input.value().to_string()),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
}

/// The reserve: megabytes of the 250 MB kept for the function's code and the other layers.
pub fn render_reserve(app: &App, input: &tui_input::Input, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let box_area = centered(area, 64, 7);
    frame.render_widget(ratatui::widgets::Clear, box_area);
    let block = Block::bordered()
        .title(" Reserve · Enter sets it · Esc closes ")
        .border_style(t.accent);
    let lines = vec![
        Line::raw("Megabytes to keep free in the 250 MB for your function's code"),
        Line::raw("and its other layers (they all share it):"),
        Line::from(vec![
            Span::styled("› ", t.accent),
            Span::raw(format!("{} MB", input.value())),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
}

/// The open project's releases, newest first: ✓ when a file loads here, yanked and
/// pre-releases said so.
pub fn render_versions(
    app: &App,
    rows: &[crate::tui::views::VersionRow],
    selected: usize,
    frame: &mut Frame,
    area: Rect,
) {
    let t = &app.theme;
    let box_area = centered(area, 64, area.height.saturating_sub(4));
    frame.render_widget(ratatui::widgets::Clear, box_area);
    let block = Block::bordered()
        .title(format!(
            " {} on {} · Enter shows it · Esc closes ",
            app.package.name, app.target
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

/// Why nothing fits, in full: the explanation, then the resolver's derivation (scrolls).
pub fn render_detail(app: &App, text: &str, scroll: u16, frame: &mut Frame, area: Rect) {
    let box_area = centered(
        area,
        area.width.saturating_sub(8).max(60),
        area.height.saturating_sub(4),
    );
    frame.render_widget(ratatui::widgets::Clear, box_area);
    let block = Block::bordered()
        .title(" Why nothing fits (↑ ↓ scroll, Esc closes) ")
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

pub fn render_help(app: &App, scroll: u16, frame: &mut Frame, area: Rect) {
    let context = app.dialog_free_context();
    let (paragraph, box_area, hidden) = help_layout(app, area);
    let scroll = scroll.min(hidden);
    let title = if hidden > 0 {
        format!(
            " Keys: {context:?} · ↑↓ scroll, {} more · Esc closes ",
            hidden - scroll
        )
    } else {
        format!(" Keys: {context:?} (Esc closes) ")
    };
    let keymap = app
        .keymap
        .user_file
        .as_ref()
        .map_or_else(|| "no config directory".into(), |p| p.display().to_string());
    let mut foot = format!(" Your keys: {keymap} ");
    if let Some(log) = &app.log_file {
        foot = format!("{foot}· log: {} ", log.display());
    }
    frame.render_widget(Clear, box_area);
    let block = Block::bordered()
        .border_style(app.theme.accent)
        .title(title)
        .title_bottom(Line::styled(foot, app.theme.muted));
    frame.render_widget(paragraph.block(block).scroll((scroll, 0)), box_area);
}

/// How far the export is, and that in words: "downloading wheels: 3.0 MB of 12.0 MB".
pub(super) fn progress_label(
    app: &App,
    step: Option<&wheelbarrow::work::Step>,
    idle: &str,
) -> (f64, String) {
    let (done, total) = step.map_or((0, None), |s| (s.done, s.total));
    #[allow(clippy::cast_precision_loss)] // a bar on a screen
    let ratio = total.map_or(0.0, |t| done as f64 / t.max(1) as f64);
    let amount = |n: u64| match step {
        Some(s) if s.phase.counts_bytes() => human_bytes(n),
        _ => n.to_string(),
    };
    let label = match (step, total) {
        (Some(s), Some(t)) => format!("{}: {} of {}", s.phase.label(), amount(done), amount(t)),
        (Some(s), None) => format!("{} {}…", super::spinner(app), s.phase.label()),
        (None, _) => format!("{} {idle}…", super::spinner(app)),
    };
    (ratio, label)
}

pub fn render_export(app: &App, dialog: &ExportDialog, frame: &mut Frame, area: Rect) {
    let (width, title) = if dialog.publish.is_some() {
        // Publishing shows ARNs: as wide as the screen allows, up to 120 columns.
        (
            area.width.saturating_sub(4).clamp(76, 120),
            " Publish the layer ",
        )
    } else {
        (76, " Export the layer ")
    };
    let box_area = centered(area, width, 16);
    frame.render_widget(Clear, box_area);
    let block = Block::bordered()
        .border_style(app.theme.accent)
        .title(title);
    let inside = block.inner(box_area);
    frame.render_widget(block, box_area);
    let [label, input, _, body] = inside.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    frame.render_widget(
        Paragraph::new(Line::styled(
            "Write the zip (and its lock file and publish script beside it) to:",
            app.theme.muted,
        )),
        label,
    );
    let width = usize::from(input.width.saturating_sub(1));
    let scroll = dialog.input.visual_scroll(width);
    let shown: String = dialog
        .input
        .value()
        .chars()
        .skip(scroll)
        .take(width)
        .collect();
    frame.render_widget(Paragraph::new(shown), input);
    let t = &app.theme;
    match &dialog.state {
        ExportState::Editing => {
            let x = u16::try_from(dialog.input.visual_cursor().saturating_sub(scroll)).unwrap_or(0);
            frame.set_cursor_position(Position::new(
                input.x + x.min(input.width.saturating_sub(1)),
                input.y,
            ));
            frame.render_widget(
                Paragraph::new(Line::styled("Enter exports · Esc closes", t.muted)),
                body,
            );
        }
        ExportState::Running { step, .. } => {
            let (ratio, label) = progress_label(app, step.as_ref(), "exporting");
            let [bar, hint] = body.layout(&Layout::vertical([
                Constraint::Length(1),
                Constraint::Length(1),
            ]));
            frame.render_widget(
                Gauge::default()
                    .ratio(ratio.clamp(0.0, 1.0))
                    .label(label)
                    .gauge_style(t.accent),
                bar,
            );
            frame.render_widget(
                Paragraph::new(Line::styled(
                    "Ctrl-C cancels (nothing is left behind)",
                    t.muted,
                )),
                hint,
            );
        }
        ExportState::Done(_) if dialog.publish.is_some() => {
            if let Some(state) = &dialog.publish {
                super::publish::render(app, state, frame, body);
            }
        }
        ExportState::Done(s) => {
            frame.render_widget(
                Paragraph::new(summary_lines(app, s)).wrap(Wrap { trim: false }),
                body,
            );
        }
        ExportState::Failed(e) => {
            frame.render_widget(
                Paragraph::new(Line::styled(format!("✗ {e}"), t.rejected))
                    .wrap(Wrap { trim: true }),
                body,
            );
        }
    }
}

/// What the bytecode added, what had none, and how many files did not compile.
fn bytecode_line(cost: &wheelbarrow::layer::bytecode::BytecodeCost) -> String {
    let mut line = format!(
        "bytecode for {}: +{} unzipped, +{} zipped ({})",
        cost.runtimes.join(", "),
        human_bytes(cost.unzipped),
        human_bytes(cost.zipped),
        wheelbarrow::units::count(cost.modules, "module")
    );
    if !cost.without.is_empty() {
        let _ = write!(
            line,
            " · none for {} (no interpreter)",
            cost.without.join(", ")
        );
    }
    if !cost.skipped.is_empty() {
        let _ = write!(line, " · {} files do not compile", cost.skipped.len());
    }
    line
}

/// The export summary: the zip, its sizes against the limits, what it serves, the files
/// beside it and the publish command.
fn summary_lines(app: &App, s: &super::super::msg::ExportSummary) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = vec![
        Line::styled(format!("✓ {}", s.zip.display()), t.compatible),
        Line::raw(format!(
            "unzipped {} of {} · zipped {} of {} direct upload",
            human_bytes(s.unzipped),
            human_bytes(app.limits.unzipped_bytes),
            human_bytes(s.zipped),
            human_bytes(app.limits.zipped_direct_upload_bytes)
        )),
        Line::raw(format!("sha256 {}", s.sha256)),
        Line::raw(format!("The layer {}.", s.served)),
    ];
    if let Some(cost) = &s.bytecode {
        lines.push(Line::raw(bytecode_line(cost)));
    }
    lines.extend([Line::raw(format!(
        "lock {} · script {}",
        s.lock.display(),
        s.publish_script.display()
    ))]);
    // The command as it is in the script, one line each.
    lines.extend(
        s.publish_command
            .lines()
            .map(|l| Line::styled(l.to_string(), t.accent)),
    );
    lines
}
