//! `update(&mut App, Msg) -> Vec<Command>`: the only place state changes. Synchronous, no I/O;
//! answers from the runner whose generation is not the latest asked for are dropped.

mod keys;
mod mouse;
mod moves;
mod open;
mod paste;
mod requests;
mod search;
pub(crate) mod target;
mod views;
mod yours;

pub use keys::open_project;
pub use open::is_zip;
pub use requests::resolve_picks;
pub use search::{schedule_peek, search_now};
#[cfg(test)]
pub use target::portable_words;
#[cfg(test)]
pub use target::summary as target_summary;

use std::sync::Arc;
use std::time::Duration;

use wheelbarrow::index::Project;
use wheelbarrow::layer::{Budget, LayerPlan};
use wheelbarrow::resolve::Resolution;

use ratatui::crossterm::event::MouseEventKind;
use wheelbarrow::wheel::{newest_loadable, newest_release};

use super::app::App;
use super::dialogs::{Dialog, export::ExportState};
use super::failure::Failure;
use super::loading::Loadable;
use super::msg::{Command, Msg};

/// How long the cursor rests on a search result before its project page is fetched.
pub const PEEK_DELAY: Duration = Duration::from_millis(250);

pub fn update(app: &mut App, msg: Msg) -> Vec<Command> {
    if !changes_anything(app, &msg) {
        return Vec::new();
    }
    app.dirty = true;
    dispatch(app, msg)
}

/// False for messages that change nothing on screen: stale answers, pointer motion.
fn changes_anything(app: &App, msg: &Msg) -> bool {
    match msg {
        Msg::Mouse(mouse) => !matches!(
            mouse.kind,
            MouseEventKind::Moved | MouseEventKind::Drag(_) | MouseEventKind::Up(_)
        ),
        Msg::Searched(snapshot) => snapshot.generation == app.search.generation,
        Msg::ProjectLoaded { generation, .. } => *generation == app.package.generation,
        Msg::Resolved { generation, .. } | Msg::Planned { generation, .. } => {
            *generation == app.layer.generation
        }
        Msg::PeekDue { generation } => *generation == app.search.peek_generation,
        _ => true,
    }
}

fn dispatch(app: &mut App, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(key) => keys::on_key(app, key),
        Msg::Paste(text) => keys::on_paste(app, &text),
        Msg::MatrixOffers(offers) => views::offers(app, offers),
        Msg::JobFailed(failure) => {
            app.error = Some(failure.to_string());
            Vec::new()
        }
        Msg::TargetAnswered {
            generation,
            at,
            column,
        } => super::dialogs::matrix::grid::answered(app, generation, at, column),
        Msg::TargetsFinished { generation, result } => {
            super::dialogs::matrix::grid::finished(app, generation, result)
        }
        Msg::LayerOpened(result) => open::layer_opened(app, result),
        Msg::OpenProgress { path, step } => open::progress(app, path, step),
        Msg::OpenCancelled { path } => open::cancelled(app, &path),
        Msg::RequirementsOpened(result) => open::requirements_opened(app, result),
        Msg::AdditionReady(result) => super::update::views::added(app, result),
        Msg::Completed { from, to } => super::update::views::completed(app, &from, to),
        Msg::Saved(result) => {
            saved(app, result);
            Vec::new()
        }
        Msg::Mouse(mouse) => mouse::on_mouse(app, mouse),
        Msg::Resize { width, height } => {
            app.size = (width, height);
            Vec::new()
        }
        Msg::Tick => {
            app.tick = app.tick.wrapping_add(1);
            Vec::new()
        }
        Msg::Searched(snapshot) => search::searched(app, snapshot),
        Msg::CacheProblem(problem) => views::cache_problem(app, &problem),
        msg @ (Msg::NamesProgress { .. } | Msg::NamesReady { .. } | Msg::NamesFailed(_)) => {
            search::names_answered(app, msg)
        }
        Msg::PeekDue { generation } => search::peek_due(app, generation),
        Msg::Peeked { key, result } => {
            let state = match result {
                Ok(peek) => Loadable::Ready(peek),
                Err(e) => Loadable::Failed(e.to_string()),
            };
            app.search.peeks.insert(key, state);
            Vec::new()
        }
        Msg::ProjectLoaded { generation, result } => {
            project_loaded(app, generation, result);
            Vec::new()
        }
        Msg::Resolved { generation, result } => resolved(app, generation, result),
        Msg::Planned { generation, result } => planned(app, generation, result),
        msg @ (Msg::PublishConnected { .. }
        | Msg::PublishProgress { .. }
        | Msg::Published { .. }) => {
            super::dialogs::export::publish::answered(app, msg);
            Vec::new()
        }
        msg @ (Msg::ExportProgress { .. } | Msg::Exported { .. }) => {
            export_answered(app, msg);
            Vec::new()
        }
        Msg::LayerProgress { generation, step } => {
            if generation == app.layer.generation {
                app.layer.progress = Some(step);
            }
            Vec::new()
        }
    }
}

/// The runner's answers about the export under way.
fn export_answered(app: &mut App, msg: Msg) {
    match msg {
        Msg::ExportProgress { generation, step } => {
            if let Some(state) = running_export(app, generation) {
                *state = ExportState::Running {
                    generation,
                    step: Some(step),
                };
            }
        }
        Msg::Exported { generation, result } => {
            if let Some(state) = running_export(app, generation) {
                *state = match result {
                    Ok(summary) => ExportState::Done(summary),
                    Err(e) => ExportState::Failed(e.to_string()),
                };
            }
        }
        _ => {}
    }
}

/// The export dialog's state, when it runs the export of this generation.
fn running_export(app: &mut App, generation: u64) -> Option<&mut ExportState> {
    match &mut app.dialog {
        Some(Dialog::Export(dialog)) if matches!(dialog.state, ExportState::Running { generation: g, .. } if g == generation) => {
            Some(&mut dialog.state)
        }
        _ => None,
    }
}

fn project_loaded(app: &mut App, generation: u64, result: Result<Arc<Project>, Failure>) {
    if generation != app.package.generation {
        return;
    }
    match result {
        Ok(project) => {
            app.package.name.clone_from(&project.name);
            let version = newest_loadable(project.as_ref(), &app.target)
                .or_else(|| newest_release(project.as_ref()).cloned())
                .and_then(|v| project.versions.iter().position(|x| *x == v))
                .unwrap_or(0);
            app.package.project = Loadable::Ready(project);
            app.show_version(version);
        }
        Err(e) => {
            let e = e.to_string();
            app.error = Some(e.clone());
            app.package.project = Loadable::Failed(e);
            app.package.release = None;
        }
    }
}

fn saved(app: &mut App, result: Result<(std::path::PathBuf, Option<std::path::PathBuf>), Failure>) {
    match result {
        Ok((path, lock)) => {
            app.error = None;
            app.notice = Some(match lock {
                Some(lock) => format!(
                    "saved {}, {} and {}",
                    path.display(),
                    lock.display(),
                    wheelbarrow::layer::pylock_beside(&path).display()
                ),
                None => format!(
                    "saved {} (no lock: the picks do not resolve yet)",
                    path.display()
                ),
            });
        }
        Err(e) => app.error = Some(e.to_string()),
    }
}

fn resolved(
    app: &mut App,
    generation: u64,
    result: Result<Arc<Resolution>, Failure>,
) -> Vec<Command> {
    if generation != app.layer.generation {
        return Vec::new();
    }
    match result {
        Ok(resolution) => {
            // A dead end in the layer (abandoned, or failing on Lambda): said at once; `i`
            // shows all of them.
            if let Some(first) = resolution.instead.first() {
                app.notice = Some(format!("{first} (i: more)"));
            }
            app.layer.resolution = Loadable::Ready(resolution.clone());
            app.layer.plan = Loadable::Loading;
            vec![Command::Plan {
                generation,
                spec: app.spec(),
                resolution,
            }]
        }
        Err(failure) => {
            // What `u` takes and what `i` explains come with the failure, and its words say
            // the offer's key first.
            let e = failure.to_string();
            app.layer.offer = failure.offer;
            app.layer.detail = failure.detail;
            app.error = Some(e.clone());
            app.layer.resolution = Loadable::Failed(e);
            app.layer.plan = Loadable::Idle;
            Vec::new()
        }
    }
}

/// A resolution for a deprecated runtime: its notice in the status line (after what a switch
/// changed), once per runtime.
fn deprecation_notice(app: &mut App) {
    let Some(notice) = app
        .layer
        .resolution
        .ready()
        .and_then(|r| r.deprecated.clone())
    else {
        return;
    };
    if app.layer.deprecation_said.as_deref() == Some(notice.runtime.as_str()) {
        return;
    }
    app.layer.deprecation_said = Some(notice.runtime.clone());
    app.notice = Some(match app.notice.take() {
        Some(summary) => format!("{summary} · ⚠ {notice}"),
        None => format!("⚠ {notice}"),
    });
}

fn planned(
    app: &mut App,
    generation: u64,
    result: Result<(Arc<LayerPlan>, Budget), Failure>,
) -> Vec<Command> {
    if generation != app.layer.generation {
        return Vec::new();
    }
    match result {
        Ok((plan, budget)) => {
            if let (Some(before), Some(after)) =
                (app.layer.before.take(), app.layer.resolution.ready())
            {
                let switched = target::summary(&app.target_words(), &before, after, &budget);
                app.notice = Some(match &after.portable {
                    Some(portable) => target::portable_words(portable, &switched),
                    None => switched,
                });
            }
            deprecation_notice(app);
            views::warnings_notice(app, &plan);
            // Unfold down to the folder Python imports from, so the packages show at once.
            let site = plan.layout.site_dir(plan.python_minor);
            let mut path = String::new();
            for part in site.split('/') {
                path.push_str(part);
                path.push('/');
                app.tree.open.insert(path.clone());
            }
            app.layer.plan = Loadable::Ready(plan);
            app.layer.budget = Some(budget);
            app.layer.progress = None;
        }
        Err(e) => {
            if let Some(replanned) = e.broken.as_ref().and_then(|b| yours::broken(app, b)) {
                return replanned;
            }
            let e = e.to_string();
            app.error = Some(e.clone());
            app.layer.plan = Loadable::Failed(e);
        }
    }
    Vec::new()
}
