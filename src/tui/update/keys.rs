//! Keys: looked up in the keymap for the current context; over a dialog, the dialog's module
//! says what the key does (`dialogs::press`); what is not bound goes to the text input that has
//! the focus (the search box, a dialog's box).

use crokey::KeyCombination;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};
use tui_input::backend::crossterm::EventHandler;

use super::super::action::Action;
use super::super::app::{App, Pane};
use super::super::dialogs::{self, Press};
use super::super::layer_state::Pick;
use super::super::loading::Loadable;
use super::super::msg::Command;
use super::super::rows::layer_rows;
use super::moves::{move_by, page};
use super::requests::{replan, resolve_picks};
use super::search_now;

pub use super::paste::on_paste;

pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    match app.keymap.action(app.context(), KeyCombination::from(key)) {
        Some(action) => act(app, action),
        None => type_text(app, key),
    }
}

/// An unbound key in a text input edits it (the dialog's, or the search box); elsewhere it
/// does nothing.
pub(super) fn type_text(app: &mut App, key: KeyEvent) -> Vec<Command> {
    let event = Event::Key(key);
    if app.dialog.is_some() {
        return dialogs::press(app, Press::Typed(&event)).unwrap_or_default();
    }
    if app.focus != Pane::Search {
        return Vec::new();
    }
    let before = app.search.input.value().to_string();
    app.search.input.handle_event(&event);
    if app.search.input.value() == before {
        return Vec::new();
    }
    app.search.selected = 0;
    app.search.open_pending = false;
    search_now(app)
}

/// What an action does, given where the focus is. Over a dialog only the dialog's own actions
/// (and help, back, quit) work: nothing moves behind it.
pub fn act(app: &mut App, action: Action) -> Vec<Command> {
    if app.dialog.is_some() {
        if let Some(commands) = dialogs::press(app, Press::Action(action)) {
            return commands;
        }
        if !matches!(
            action,
            Action::Quit | Action::Interrupt | Action::Help | Action::Back
        ) {
            return Vec::new();
        }
    }
    match action {
        Action::Quit => {
            app.exit = true;
            Vec::new()
        }
        Action::Interrupt => interrupt(app),
        Action::Help => {
            dialogs::help::toggle(app);
            Vec::new()
        }
        Action::Back => back(app),
        Action::NextPane | Action::PrevPane => {
            let i = Pane::ORDER
                .iter()
                .position(|p| *p == app.focus)
                .unwrap_or(0);
            let n = Pane::ORDER.len();
            let next = if action == Action::NextPane {
                i + 1
            } else {
                i + n - 1
            };
            app.focus = Pane::ORDER[next % n];
            Vec::new()
        }
        Action::FocusSearch => {
            app.focus = Pane::Search;
            Vec::new()
        }
        Action::Up => move_by(app, -1),
        Action::Down => move_by(app, 1),
        Action::PageUp => move_by(app, -page(app)),
        Action::PageDown => move_by(app, page(app)),
        Action::Top => move_by(app, isize::MIN / 2),
        Action::Bottom => move_by(app, isize::MAX / 2),
        Action::Open => open(app),
        Action::Pick => pick(app),
        Action::Unpick => unpick(app),
        Action::NewerVersion | Action::OlderVersion => {
            let current = app.package.version;
            let next = if action == Action::NewerVersion {
                current.checked_sub(1)
            } else {
                Some(current + 1)
            };
            if let Some(next) = next {
                app.show_version(next);
            }
            Vec::new()
        }
        Action::ChooseTarget => {
            dialogs::target::open(app);
            Vec::new()
        }
        Action::AcceptOffer => super::target::accept_offer(app),
        Action::Details => dialogs::detail::open(app),
        Action::Export => dialogs::export::open(app),
        // A dialog's own actions: with no dialog open, nothing to do.
        Action::Confirm
        | Action::Mark
        | Action::Publish
        | Action::Files
        | Action::Complete
        | Action::Left
        | Action::Right => Vec::new(),
        Action::ToggleRuntimeProvided => {
            app.layer.exclude_runtime_provided = !app.layer.exclude_runtime_provided;
            resolve_picks(app)
        }
        Action::ToggleLayout => toggle_layout(app),
        Action::ToggleBytecode => toggle_bytecode(app),
        Action::Versions => dialogs::versions::open(app),
        Action::Save => dialogs::save::open(app),
        Action::Matrix => dialogs::matrix::open(app),
        Action::AddFiles => dialogs::add::open(app),
        Action::RemoveAddition => super::yours::remove_highlighted(app),
        Action::OpenFile => dialogs::open::open(app),
        Action::Reserve => dialogs::reserve::open(app),
    }
}

/// `c`: bytecode compiled into the layer at export, or not. The resolution stays; the tree is
/// planned again, so the gauges count what the bytecode adds (an estimate until it is built).
fn toggle_bytecode(app: &mut App) -> Vec<Command> {
    app.layer.bytecode = !app.layer.bytecode;
    app.notice = Some(if app.layer.bytecode {
        format!(
            "bytecode: compiled for {} at export, by an interpreter of exactly that version (hash-based .pyc; no package code runs)",
            app.target.runtime.name
        )
    } else {
        "bytecode: none (Lambda compiles what it imports at every cold start)".into()
    });
    replan(app)
}

/// `l`: `python/` or `python/lib/python3.X/site-packages/`. The resolution stays; only the
/// tree is planned again (from the wheel lists the client already has).
fn toggle_layout(app: &mut App) -> Vec<Command> {
    use wheelbarrow::layer::Layout;
    app.layer.layout = match app.layer.layout {
        Layout::SitePackages => Layout::Python,
        Layout::Python => Layout::SitePackages,
    };
    let site = app.layer.layout.site_dir(app.target.runtime.python_minor);
    if app.layer.layout == Layout::SitePackages && !app.also.is_empty() {
        // A site-packages tree is read by one runtime: the marked set cannot stay.
        app.also.clear();
        let commands = resolve_picks(app);
        app.notice = Some(format!(
            "layout: packages under /opt/{site}/, which only {} reads: resolved again for {} alone (the other marked targets need the python/ layout)",
            app.target.runtime.name, app.target
        ));
        return commands;
    }
    app.notice = Some(format!("layout: packages under /opt/{site}/"));
    replan(app)
}

fn interrupt(app: &mut App) -> Vec<Command> {
    if let Some(commands) = super::super::dialogs::export::publish::interrupt(app) {
        return commands;
    }
    if let Some(commands) = super::open::interrupt(app) {
        return commands;
    }
    if let Some(commands) = crate::tui::dialogs::matrix::grid::interrupt(app) {
        return commands;
    }
    if app.exporting() {
        return vec![Command::CancelExport];
    }
    app.exit = true;
    Vec::new()
}

/// Esc: closes a dialog (its own Esc, as stepping out of a publish, came first), else back to
/// the search box, else clears it.
fn back(app: &mut App) -> Vec<Command> {
    match &app.dialog {
        Some(_) if app.exporting() => {}
        Some(_) => app.dialog = None,
        None if app.focus != Pane::Search => app.focus = Pane::Search,
        None if !app.search.input.value().is_empty() => {
            app.search.input.reset();
            app.search.selected = 0;
            return search_now(app);
        }
        None => {}
    }
    Vec::new()
}

fn open(app: &mut App) -> Vec<Command> {
    let name = match app.focus {
        Pane::Search => {
            let answered = app.search.snapshot.as_ref().map(|s| s.generation);
            if answered != Some(app.search.generation) {
                // The results on screen are for an older text: wait for the current ones.
                app.search.open_pending = true;
                return Vec::new();
            }
            app.selected_result().map(str::to_string)
        }
        Pane::Layer => {
            let rows = layer_rows(app);
            rows.get(app.layer.selected).map(|r| r.name.to_string())
        }
        Pane::Tree => {
            toggle_folder(app);
            None
        }
        Pane::Package => None,
    };
    match name {
        Some(name) => open_project(app, name),
        _ => Vec::new(),
    }
}

pub fn open_project(app: &mut App, name: String) -> Vec<Command> {
    app.package.generation += 1;
    app.package.name.clone_from(&name);
    app.package.project = Loadable::Loading;
    app.package.release = None;
    app.package.selected = 0;
    app.focus = Pane::Package;
    vec![Command::OpenProject {
        name,
        generation: app.package.generation,
    }]
}

fn toggle_folder(app: &mut App) {
    let Some(plan) = app.layer.plan.ready() else {
        return;
    };
    let rows = super::super::rows::tree_rows(plan, &app.tree.open);
    if let Some(row) = rows.get(app.tree.selected).filter(|r| r.is_folder())
        && !app.tree.open.remove(&row.path)
    {
        app.tree.open.insert(row.path.clone());
    }
}

fn pick(app: &mut App) -> Vec<Command> {
    if app.focus != Pane::Package {
        return Vec::new();
    }
    let Some(release) = &app.package.release else {
        return Vec::new();
    };
    let Some(file) = release.files.get(app.package.selected) else {
        return Vec::new();
    };
    if !file.verdict.compatible {
        let offer = match release.best.and_then(|b| release.files.get(b)) {
            Some(best) => format!("; the best build here is {} (★)", best.file.filename),
            None => "; no file of this release loads: try another version (← →)".into(),
        };
        app.error = Some(format!(
            "{} does not load on {}: {}{offer}",
            file.file.filename, app.target, file.verdict.reason
        ));
        if let Some(best) = release.best {
            app.package.selected = best;
        }
        return Vec::new();
    }
    let name = app.package.name.clone();
    let pick = match Pick::file(&name, &release.version, &file.file.filename) {
        Ok(pick) => pick,
        Err(e) => {
            app.error = Some(e);
            return Vec::new();
        }
    };
    let key = pick.key();
    app.layer.picks.retain(|p| p.key() != key);
    app.layer.picks.push(pick);
    let mut commands = resolve_picks(app);
    commands.push(Command::RememberPicks(vec![name]));
    commands
}

fn unpick(app: &mut App) -> Vec<Command> {
    let index = match app.focus {
        Pane::Layer => layer_rows(app).get(app.layer.selected).and_then(|r| r.pick),
        Pane::Package => {
            let key = wheelbarrow::normalize_name(&app.package.name);
            app.layer.picks.iter().position(|p| p.key() == key)
        }
        _ => None,
    };
    let Some(index) = index else {
        return Vec::new();
    };
    app.layer.picks.remove(index);
    app.layer.selected = app
        .layer
        .selected
        .min(app.layer.picks.len().saturating_sub(1));
    resolve_picks(app)
}
