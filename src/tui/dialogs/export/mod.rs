//! `e`: export the layer. The path box types every letter (its keys: `[export]`); Enter writes
//! the zip, its lock and its publish script, with a bar while it runs (Ctrl-C cancels); then
//! the summary, where `p` publishes (its keys: `[exported]`; `publish` holds the
//! publishing steps shown in place of the summary, `publish_view` draws them).

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Gauge, Paragraph, Wrap};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;
use wheelbarrow::units::human_bytes;
use wheelbarrow::work::Step;

use super::super::action::Action;
use super::super::app::App;
use super::super::keymap::Context;
use super::super::msg::{Command, ExportSummary};
use super::super::publishing::PublishState;
use super::super::ui::layout::centered;
use super::{Dialog, Press};

pub mod publish;
mod publish_view;

use publish_view::progress_label;

#[derive(Debug)]
pub struct ExportDialog {
    pub input: Input,
    pub state: ExportState,
    /// Publishing the exported zip (`p` in the summary), when begun.
    pub publish: Option<PublishState>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportState {
    Editing,
    Running {
        generation: u64,
        /// The last step reported (downloading, checking, writing).
        step: Option<Step>,
    },
    Done(ExportSummary),
    Failed(String),
}

/// `e`: the export dialog, its path prefilled (`layer-<runtime>-<arch>.zip` here).
pub fn open(app: &mut App) -> Vec<Command> {
    let input = Input::new(app.default_export_path());
    app.dialog = Some(Dialog::Export(Box::new(ExportDialog {
        input,
        state: ExportState::Editing,
        publish: None,
    })));
    Vec::new()
}

/// Whether the path box takes the keys typed (before an export, or after one failed).
fn path_typed(dialog: &ExportDialog) -> bool {
    matches!(dialog.state, ExportState::Editing | ExportState::Failed(_))
}

/// The keymap section: `[export]` while the path is typed (no letter is bound there, so each
/// one types), `[exported]` once the zip is written (`p` publishes).
pub fn context(dialog: &ExportDialog) -> Context {
    if path_typed(dialog) {
        Context::Export
    } else {
        Context::Exported
    }
}

/// Enter exports (or closes the summary, or confirms a publish), `p` publishes from the
/// summary, Esc steps back out of a publish; a key typed edits the path.
pub fn press(app: &mut App, press: Press) -> Option<Vec<Command>> {
    match press {
        Press::Action(Action::Confirm) => Some(confirm(app)),
        Press::Action(Action::Publish) => Some(publish::start(app)),
        Press::Action(Action::Back) => publish::back(app),
        Press::Action(_) => None,
        Press::Typed(event) => {
            if let Some(Dialog::Export(dialog)) = &mut app.dialog
                && path_typed(dialog)
            {
                dialog.input.handle_event(event);
                dialog.state = ExportState::Editing;
            }
            Some(Vec::new())
        }
    }
}

/// Enter: over a publish, what the publish does with it; over the summary, close; over the
/// path, export (a new export generation only then), or say why there is nothing to export.
fn confirm(app: &mut App) -> Vec<Command> {
    if let Some(commands) = publish::confirm(app) {
        return commands;
    }
    let Some(Dialog::Export(dialog)) = &app.dialog else {
        return Vec::new();
    };
    match dialog.state {
        ExportState::Running { .. } => return Vec::new(),
        ExportState::Done(_) => {
            app.dialog = None;
            return Vec::new();
        }
        ExportState::Editing | ExportState::Failed(_) => {}
    }
    let Some(resolution) = app.layer.resolution.ready().cloned() else {
        let why = match &app.layer.opened {
            Some(opened) => format!(
                "{} is an opened zip, shown as it is: to build a new layer, pick builds (Enter on a file) or open a requirements file (o)",
                opened.path.display()
            ),
            None => {
                "nothing to export yet: pick a build first (Enter on a file in the package pane)"
                    .into()
            }
        };
        if let Some(Dialog::Export(dialog)) = &mut app.dialog {
            dialog.state = ExportState::Failed(why);
        }
        return Vec::new();
    };
    let spec = app.spec();
    app.export_generation += 1;
    let generation = app.export_generation;
    let Some(Dialog::Export(dialog)) = &mut app.dialog else {
        return Vec::new();
    };
    dialog.state = ExportState::Running {
        generation,
        step: None,
    };
    vec![Command::Export {
        generation,
        spec,
        resolution,
        path: dialog.input.value().trim().into(),
    }]
}

/// The path, then the bar, the summary or the publishing steps below it.
pub fn render(app: &App, dialog: &ExportDialog, frame: &mut Frame, area: Rect) {
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
                Paragraph::new(Line::styled(export_keys(app), t.muted)),
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
                publish_view::render(app, state, frame, body);
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
fn summary_lines(app: &App, s: &ExportSummary) -> Vec<Line<'static>> {
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

/// Under the path box: the keys that export and close, as the user's keymap binds them.
fn export_keys(app: &App) -> String {
    super::super::ui::key_phrases(
        app,
        super::super::keymap::Context::Export,
        &[(Action::Confirm, "exports"), (Action::Back, "closes")],
    )
    .join(" · ")
}
