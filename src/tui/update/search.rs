//! The search box's answers: the worker's results (with the typed name first before the name
//! list is there), the name list's progress, and the peek at the highlighted project.

use wheelbarrow::search::{MatchKind, SearchRow, Snapshot};

use super::super::app::{App, peek_key};
use super::super::loading::{Loadable, Names};
use super::super::msg::{Command, Msg};
use super::{PEEK_DELAY, open_project};

/// A search answer: shown when it is the newest query's, and the pending Enter carried out.
pub(super) fn searched(app: &mut App, mut snapshot: Snapshot) -> Vec<Command> {
    if snapshot.generation != app.search.generation {
        return Vec::new();
    }
    app.search.typed_row = typed_row(app, &mut snapshot);
    let rows = snapshot.rows.len();
    app.search.snapshot = Some(snapshot);
    app.search.selected = app.search.selected.min(rows.saturating_sub(1));
    if std::mem::take(&mut app.search.open_pending) {
        return match app.selected_result().map(str::to_string) {
            Some(name) => open_project(app, name),
            None => Vec::new(),
        };
    }
    schedule_peek(app)
}

/// The project-name list's progress, and whether it loaded.
pub(super) fn names_answered(app: &mut App, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::NamesProgress { got, total } => app.names = Names::Loading { got, total },
        Msg::NamesReady { count, note } => {
            app.names = Names::Ready { count };
            if note.is_some() {
                app.error = note;
            }
            return search_now(app);
        }
        Msg::NamesFailed(problem) => {
            let problem = problem.to_string();
            app.error = Some(format!(
                "{problem}; only an exact name can be opened (Enter)"
            ));
            app.names = Names::Unavailable(problem);
        }
        _ => {}
    }
    Vec::new()
}

/// Before the name list is there, the typed name itself comes first, so that Enter opens it
/// (the index says whether it exists), unless a row already stands for it. Returns whether such
/// a row was added.
fn typed_row(app: &App, snapshot: &mut Snapshot) -> bool {
    let typed = snapshot.query.trim();
    let wanted = wheelbarrow::normalize_name(typed);
    // Already there by its name, or as the project an import name stands for (`yaml`).
    let listed = snapshot.rows.iter().any(|r| {
        wheelbarrow::normalize_name(&r.name) == wanted
            || r.import.as_deref().map(wheelbarrow::normalize_name) == Some(wanted.clone())
    });
    if matches!(app.names, Names::Ready { .. }) || typed.is_empty() || listed {
        return false;
    }
    snapshot.rows.insert(
        0,
        SearchRow {
            name: typed.to_string(),
            kind: MatchKind::Exact,
            positions: typed.char_indices().map(|(i, _)| i).collect(),
            import: None,
            rank: None,
        },
    );
    true
}

/// Sends the search box's text to the search worker as a new generation.
pub fn search_now(app: &mut App) -> Vec<Command> {
    app.search.generation += 1;
    vec![Command::Search {
        text: app.search.input.value().to_string(),
        generation: app.search.generation,
    }]
}

/// Starts the debounce for the highlighted result's peek, unless it is known already.
pub fn schedule_peek(app: &mut App) -> Vec<Command> {
    let Some(name) = app.selected_result() else {
        return Vec::new();
    };
    if app.search.peeks.contains_key(&peek_key(name)) {
        return Vec::new();
    }
    app.search.peek_generation += 1;
    vec![Command::PeekAfter {
        generation: app.search.peek_generation,
        delay: PEEK_DELAY,
    }]
}

/// The peek's delay ran out: fetch the highlighted project's page, unless it is known or the
/// cursor moved on.
pub(super) fn peek_due(app: &mut App, generation: u64) -> Vec<Command> {
    if generation != app.search.peek_generation {
        return Vec::new();
    }
    let Some(name) = app.selected_result().map(str::to_string) else {
        return Vec::new();
    };
    let key = peek_key(&name);
    if app.search.peeks.contains_key(&key) {
        return Vec::new();
    }
    // The runner cancels the peek still running for another name: forget it, so that it is
    // asked again when the cursor comes back.
    app.search.peeks.retain(|_, p| !p.is_loading());
    app.search.peeks.insert(key.clone(), Loadable::Loading);
    vec![Command::Peek {
        name,
        key,
        target: app.target.clone(),
    }]
}
