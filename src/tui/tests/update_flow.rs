//! Answers from the runner: the latest generation wins, stale answers change nothing; the
//! debounced peek; the name list arriving; the mouse; resizing.

use std::time::Duration;

use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::fixtures::{
    app, app_searching, app_with_layer, app_with_project, key, project, snapshot,
};
use crate::tui::app::Pane;
use crate::tui::loading::{Loadable, Names, Peek};
use crate::tui::msg::{Command, Msg};
use crate::tui::update::{PEEK_DELAY, update};
use ratatui::crossterm::event::KeyCode;

#[test]
fn a_search_answer_for_an_older_query_is_dropped() {
    let mut app = app();
    update(&mut app, key(KeyCode::Char('r')));
    update(&mut app, key(KeyCode::Char('e')));
    assert!(update(&mut app, Msg::Searched(snapshot("r", 1))).is_empty());
    assert!(app.search.snapshot.is_none());
    update(&mut app, Msg::Searched(snapshot("re", 2)));
    assert_eq!(app.search.snapshot.as_ref().unwrap().query, "re");
}

#[test]
fn a_search_answer_schedules_the_peek_and_only_the_latest_peek_is_fetched() {
    let mut app = app_searching("requests");
    let PeekAfter { generation, delay } = last_peek(&mut app);
    assert_eq!(delay, PEEK_DELAY);
    update(&mut app, key(KeyCode::Down));
    assert!(
        update(&mut app, Msg::PeekDue { generation }).is_empty(),
        "the cursor moved on"
    );
    let current = app.search.peek_generation;
    let commands = update(
        &mut app,
        Msg::PeekDue {
            generation: current,
        },
    );
    let name = app.selected_result().unwrap().to_string();
    assert!(matches!(&commands[..], [Command::Peek { name: n, .. }] if *n == name));
    assert!(app.selected_peek().unwrap().is_loading());
}

struct PeekAfter {
    generation: u64,
    delay: Duration,
}

fn last_peek(app: &mut crate::tui::app::App) -> PeekAfter {
    let generation = app.search.generation;
    let commands = update(app, Msg::Searched(snapshot("requests", generation)));
    match &commands[..] {
        [Command::PeekAfter { generation, delay }] => PeekAfter {
            generation: *generation,
            delay: *delay,
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_known_peek_is_not_fetched_again() {
    let mut app = app_searching("requests");
    let key_name = crate::tui::app::peek_key(app.selected_result().unwrap());
    let peek = Peek {
        summary: None,
        newest: Some("2.32.3".into()),
        loadable: Some("2.32.3".into()),
    };
    update(
        &mut app,
        Msg::Peeked {
            key: key_name,
            result: Ok(peek),
        },
    );
    update(&mut app, key(KeyCode::Down));
    let commands = update(&mut app, key(KeyCode::Up));
    assert!(commands.is_empty(), "{commands:?}");
}

#[test]
fn the_name_list_arriving_reruns_the_query_and_drops_the_typed_row() {
    let mut app = app();
    update(&mut app, key(KeyCode::Char('x')));
    let commands = update(
        &mut app,
        Msg::NamesReady {
            count: 930_000,
            note: None,
        },
    );
    assert_eq!(app.names, Names::Ready { count: 930_000 });
    assert!(matches!(&commands[..], [Command::Search { text, generation: 2 }] if text == "x"));
}

#[test]
fn no_name_list_is_said_in_the_status_and_exact_names_still_open() {
    let mut app = app();
    update(
        &mut app,
        Msg::NamesFailed("could not download the project list (dead)".into()),
    );
    assert!(app.error.as_deref().unwrap().contains("only an exact name"));
    assert!(matches!(app.names, Names::Unavailable(_)));
}

#[test]
fn a_project_page_for_an_older_open_is_dropped() {
    let mut app = app_with_project();
    crate::tui::update::open_project(&mut app, "other".into());
    update(
        &mut app,
        Msg::ProjectLoaded {
            generation: 1,
            result: Ok(project()),
        },
    );
    assert!(app.package.project.is_loading(), "generation 1 is stale");
    update(
        &mut app,
        Msg::ProjectLoaded {
            generation: 2,
            result: Err("no project 'other' on the index".into()),
        },
    );
    assert!(matches!(&app.package.project, Loadable::Failed(e) if e.contains("no project")));
    assert_eq!(
        app.error.as_deref(),
        Some("no project 'other' on the index")
    );
}

#[test]
fn a_resolution_asks_for_the_plan_and_a_stale_one_is_dropped() {
    let mut app = app_with_project();
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Enter));
    let (resolution, _, _) = super::fixtures::layer();
    let stale = update(
        &mut app,
        Msg::Resolved {
            generation: 1,
            result: Ok(resolution.clone()),
        },
    );
    assert!(stale.is_empty());
    assert!(app.layer.resolution.is_loading());
    let commands = update(
        &mut app,
        Msg::Resolved {
            generation: 2,
            result: Ok(resolution),
        },
    );
    assert!(matches!(
        &commands[..],
        [Command::Plan { generation: 2, .. }]
    ));
    assert!(app.layer.plan.is_loading());
}

#[test]
fn a_failed_resolution_is_shown_and_the_app_keeps_working() {
    let mut app = app_with_project();
    update(&mut app, key(KeyCode::Enter));
    update(
        &mut app,
        Msg::Resolved {
            generation: 1,
            result: Err("no set of versions loads on this target.".into()),
        },
    );
    assert!(matches!(app.layer.resolution, Loadable::Failed(_)));
    assert!(app.error.is_some());
    update(&mut app, key(KeyCode::Char('/')));
    assert_eq!(app.focus, Pane::Search);
}

fn click(column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn a_click_focuses_the_pane_under_it_and_selects_the_row() {
    let mut app = app_with_layer(80, 24);
    // The layer pane starts at row 14 at 80x24: border, column header, then the rows.
    update(&mut app, click(5, 17));
    assert_eq!(app.focus, Pane::Layer);
    assert_eq!(app.layer.selected, 1, "the second row, six");
    update(&mut app, click(5, 4));
    assert_eq!(app.focus, Pane::Search);
    assert_eq!(app.search.selected, 0);
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let mut app = app_searching("req");
    let scroll = |kind| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 5,
            row: 6,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut app, scroll(MouseEventKind::ScrollDown));
    assert_eq!(app.search.selected, 3);
    update(&mut app, scroll(MouseEventKind::ScrollUp));
    assert_eq!(app.search.selected, 0);
}

#[test]
fn a_resize_is_remembered_for_layout_and_paging() {
    let mut app = app();
    update(
        &mut app,
        Msg::Resize {
            width: 160,
            height: 45,
        },
    );
    assert_eq!(app.size, (160, 45));
}

#[test]
fn stale_answers_and_pointer_motion_leave_the_screen_clean() {
    let mut app = app_with_project();
    app.dirty = false;
    update(
        &mut app,
        Msg::ProjectLoaded {
            generation: 0,
            result: Ok(project()),
        },
    );
    update(&mut app, Msg::Searched(snapshot("old", 0)));
    update(
        &mut app,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Moved,
            column: 3,
            row: 3,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert!(!app.dirty);
    update(&mut app, key(KeyCode::Down));
    assert!(app.dirty);
}

#[test]
fn without_the_name_list_an_import_name_match_is_not_pushed_down_by_the_typed_name() {
    let mut app = app();
    for c in "yaml".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    let generation = app.search.generation;
    let mut matcher = wheelbarrow::search::Matcher::new(
        std::sync::Arc::new(wheelbarrow::search::NameList::default()),
        std::sync::Arc::new(wheelbarrow::search::Known::builtin(&[])),
    );
    update(
        &mut app,
        Msg::Searched(matcher.search("yaml", generation, 10)),
    );
    assert!(!app.search.typed_row);
    assert_eq!(app.selected_result(), Some("PyYAML"));
}

#[test]
fn a_click_on_a_file_row_highlights_that_file() {
    let mut app = app_with_project();
    app.focus = Pane::Search;
    // At 80x24 the package pane's file list starts at row 5 (border, summary, versions).
    update(&mut app, click(40, 7));
    assert_eq!(app.focus, Pane::Package);
    assert_eq!(app.package.selected, 2);
}

#[test]
fn a_peek_that_failed_is_shown_as_the_index_said_it() {
    let mut app = app_searching("requests");
    let name = app.selected_result().unwrap().to_string();
    update(
        &mut app,
        Msg::Peeked {
            key: crate::tui::app::peek_key(&name),
            result: Err("the index is down".into()),
        },
    );
    assert!(matches!(app.selected_peek(), Some(Loadable::Failed(e)) if e == "the index is down"));
}
