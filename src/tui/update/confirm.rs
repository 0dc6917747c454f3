//! Enter in each dialog (apply the target, add the file, open the path, save, export), and `i`:
//! the full text behind the layer pane (why nothing fits, dead ends, the plan's warnings, an
//! opened zip's problems).

use super::super::app::{App, Pane};
use super::super::dialog::{Dialog, ExportState};
use super::super::msg::Command;

pub fn confirm(app: &mut App) -> Vec<Command> {
    if let Some(commands) = super::publish::confirm(app) {
        return commands;
    }
    if matches!(app.dialog, Some(Dialog::Target { .. })) {
        return super::target::apply(app);
    }
    if matches!(app.dialog, Some(Dialog::Open { .. })) {
        return super::open::confirm(app);
    }
    if let Some(Dialog::Add { input }) = &app.dialog {
        return vec![Command::Addition {
            text: input.value().to_string(),
        }];
    }
    if matches!(app.dialog, Some(Dialog::Matrix(_))) {
        return super::views::confirm_matrix(app);
    }
    if let Some(Dialog::Save { input }) = &app.dialog {
        let path = std::path::PathBuf::from(input.value().trim());
        app.dialog = None;
        let locks = app.layer.resolution.ready().map(|r| {
            [
                wheelbarrow::layer::lock_file(r, app.layer.layout),
                wheelbarrow::layer::pylock_file(&[r.as_ref()], app.layer.layout),
            ]
        });
        return vec![Command::SavePicks {
            path,
            text: app.picks_text(),
            locks,
            inputs: app.inputs.clone(),
        }];
    }
    if let Some(Dialog::Reserve { input }) = &app.dialog {
        let text = input.value().to_string();
        super::views::set_reserve(app, &text);
        return Vec::new();
    }
    if let Some(Dialog::Versions { rows, selected }) = &app.dialog {
        let index = rows.get(*selected).map(|r| r.index);
        app.dialog = None;
        if let Some(index) = index {
            app.show_version(index);
            app.focus = Pane::Package;
        }
        return Vec::new();
    }
    let resolution = app.layer.resolution.ready().cloned();
    let spec = app.spec();
    app.export_generation += 1;
    let generation = app.export_generation;
    let Some(Dialog::Export(dialog)) = &mut app.dialog else {
        return Vec::new();
    };
    match (&dialog.state, resolution) {
        (ExportState::Running { .. }, _) => Vec::new(),
        (ExportState::Done(_), _) => {
            app.dialog = None;
            Vec::new()
        }
        (_, None) => {
            dialog.state = ExportState::Failed(match &app.layer.opened {
                Some(opened) => format!(
                    "{} is an opened zip, shown as it is: to build a new layer, pick builds (Enter on a file) or open a requirements file (o)",
                    opened.path.display()
                ),
                None => {
                    "nothing to export yet: pick a build first (Enter on a file in the package pane)"
                        .into()
                }
            });
            Vec::new()
        }
        (_, Some(resolution)) => {
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
    }
}

/// Why nothing fits, in full, when the picks do not resolve.
pub fn details(app: &mut App) -> Vec<Command> {
    if let Some(opened) = &app.layer.opened {
        app.dialog = Some(Dialog::Detail {
            text: super::open::report(opened),
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
            text: text.join("\n\n"),
            scroll: 0,
        });
        return Vec::new();
    }
    match &app.layer.detail {
        Some(text) if app.layer.resolution.is_failed() => {
            app.dialog = Some(Dialog::Detail {
                text: text.clone(),
                scroll: 0,
            });
        }
        _ => app.error = Some("nothing to explain: the picks resolve".into()),
    }
    Vec::new()
}
