//! Every pane and dialog drawn into a `TestBackend` at 80x24 and 160x45, fed from the engine's
//! real types, and compared with the snapshots beside this file.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;

use super::fixtures::{app_searching, app_with_layer, app_with_project, key};
use crate::tui::app::{App, peek_key};
use crate::tui::dialogs::{Dialog, export::ExportState};
use crate::tui::loading::{Loadable, Peek};
use crate::tui::msg::Msg;
use crate::tui::ui::draw;
use crate::tui::update::update;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 45)];

/// Draws `app` at its size and returns the buffer.
pub fn render(app: &App) -> Buffer {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| draw(app, frame)).unwrap();
    terminal.backend().buffer().clone()
}

/// The buffer's text, one line a row, trailing spaces kept off.
pub fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn sized(mut app: App, (width, height): (u16, u16)) -> App {
    update(&mut app, Msg::Resize { width, height });
    app
}

fn snap(name: &str, app: &App) {
    let (w, h) = app.size;
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), text(&render(app)));
}

#[test]
fn the_search_pane_shows_results_with_their_match_kinds_and_the_peek() {
    for size in SIZES {
        let mut app = sized(app_searching("requests"), size);
        let name = app.selected_result().unwrap().to_string();
        let peek = Peek {
            summary: Some("Python HTTP for Humans.".into()),
            newest: Some("2.32.3".into()),
            loadable: Some("2.32.3".into()),
        };
        update(
            &mut app,
            Msg::Peeked {
                key: peek_key(&name),
                result: Ok(peek),
            },
        );
        snap("search", &app);
    }
}

#[test]
fn the_search_pane_says_when_the_newest_release_does_not_load_and_which_does() {
    let mut app = app_searching("requests");
    let name = app.selected_result().unwrap().to_string();
    let peek = Peek {
        summary: None,
        newest: Some("3.0.0".into()),
        loadable: Some("2.9.1".into()),
    };
    update(
        &mut app,
        Msg::Peeked {
            key: peek_key(&name),
            result: Ok(peek),
        },
    );
    let screen = text(&render(&app));
    assert!(screen.contains("✗ 3.0.0 has no file for"), "{screen}");
    assert!(screen.contains("2.9.1 has"), "{screen}");
}

#[test]
fn the_package_pane_lists_each_file_with_its_mark_size_and_the_reason_below() {
    for size in SIZES {
        let app = sized(app_with_project(), size);
        snap("package", &app);
    }
}

#[test]
fn the_package_pane_explains_a_refused_file_and_a_source_distribution() {
    let mut app = app_with_project();
    update(&mut app, key(KeyCode::End));
    let screen = text(&render(&app));
    assert!(screen.contains("fastnum-2.3.0.tar.gz"), "{screen}");
    assert!(
        screen.contains("✗ refused: source distribution"),
        "{screen}"
    );
    assert!(
        !screen.contains('\u{1b}'),
        "control characters from the index are removed"
    );
}

#[test]
fn the_layer_pane_tree_and_gauges_show_the_plan() {
    for (w, h) in SIZES {
        let mut app = app_with_layer(w, h);
        app.tree.open.insert("python/".into());
        app.tree.open.insert("python/lib/".into());
        snap("layer", &app);
    }
}

#[test]
fn the_help_lists_the_focused_panes_keys_from_the_keymap() {
    for size in SIZES {
        let mut app = sized(app_with_project(), size);
        update(&mut app, key(KeyCode::F(1)));
        snap("help", &app);
    }
}

#[test]
fn the_help_scrolls_on_a_small_screen_to_its_last_binding_and_no_further() {
    let mut app = sized(app_with_project(), (80, 24));
    app.focus = crate::tui::app::Pane::Layer;
    update(&mut app, key(KeyCode::F(1)));
    let first = text(&render(&app));
    assert!(
        first.contains("scroll,"),
        "the title says there is more:\n{first}"
    );
    let last = app
        .keymap
        .bindings(crate::tui::keymap::Context::Layer)
        .last()
        .map(|(action, _)| action.describe())
        .unwrap();
    assert!(
        !first.contains(last),
        "the last binding is below the fold:\n{first}"
    );
    for _ in 0..40 {
        update(&mut app, key(KeyCode::Down));
    }
    let end = text(&render(&app));
    assert!(end.contains(last), "scrolled to the end:\n{end}");
    assert!(end.contains(", 0 more"), "{end}");
    snap("help_scrolled", &app);
    update(&mut app, key(KeyCode::Up));
    assert!(text(&render(&app)).contains(", 1 more"));
}

fn export_dialog(app: &mut App, state: ExportState) {
    if app.dialog.is_none() {
        update(app, key(KeyCode::Char('e')));
    }
    if let Some(Dialog::Export(d)) = &mut app.dialog {
        d.state = state;
    }
}

#[test]
fn the_export_dialog_shows_the_path_then_progress_then_the_summary() {
    for size in SIZES {
        let mut app = sized(app_with_layer(size.0, size.1), size);
        export_dialog(&mut app, ExportState::Editing);
        snap("export_editing", &app);
        export_dialog(
            &mut app,
            ExportState::Running {
                generation: 1,
                step: Some(wheelbarrow::work::Step::new(
                    wheelbarrow::work::Phase::Downloading,
                    3 << 20,
                    Some(12 << 20),
                )),
            },
        );
        snap("export_running", &app);
        let summary = super::fixtures::export_summary();
        export_dialog(&mut app, ExportState::Done(summary));
        snap("export_done", &app);
    }
}

#[test]
fn the_status_line_shows_what_runs_and_the_last_error() {
    let mut app = app_with_project();
    app.package.project = Loadable::Loading;
    app.package.name = "numpy".into();
    app.error = Some("offline, and numpy is not in the cache\nsecond line".into());
    let screen = text(&render(&app));
    let status = screen.lines().nth(22).unwrap();
    assert!(status.contains("opening numpy"), "{status}");
    assert!(
        status.contains("✗ offline, and numpy is not in the cache"),
        "{status}"
    );
    assert!(!screen.contains("second line"));
}

#[test]
fn the_footer_hints_come_from_the_keymap_for_the_focused_pane() {
    let app = app_with_project();
    let screen = text(&render(&app));
    let footer = screen.lines().nth(23).unwrap();
    assert!(
        footer.starts_with(" Enter pick  Space pick") || footer.starts_with(" Enter pick"),
        "{footer}"
    );
    assert!(footer.contains("d remove"), "{footer}");
}

#[test]
fn below_80x24_the_screen_says_so_instead_of_drawing_the_panes() {
    let mut app = app_with_project();
    update(
        &mut app,
        Msg::Resize {
            width: 79,
            height: 24,
        },
    );
    let screen = text(&render(&app));
    assert!(
        screen.starts_with("The terminal is 79x24; wheelbarrow needs at least 80x24."),
        "{screen}"
    );
    assert!(!screen.contains('┌'));
}

#[test]
fn the_layer_pane_shows_picks_with_their_pinned_tags_while_they_resolve() {
    for size in SIZES {
        let mut app = sized(app_with_project(), size);
        update(&mut app, key(KeyCode::Enter));
        app.layer.picks.push(crate::tui::layer_state::Pick {
            requested: wheelbarrow::resolve::parse_requirement("requests[socks]>=2.31", "test")
                .unwrap(),
        });
        snap("layer_resolving", &app);
    }
}

#[test]
fn a_release_without_a_loading_file_says_so_above_its_files() {
    let mut app = app_with_project();
    let screen = text(&render(&app));
    assert!(!screen.contains("none loads here"), "{screen}");
    app.target = wheelbarrow::RuntimeTable::builtin()
        .target(Some("python3.12"), Some("arm64"))
        .unwrap();
    app.show_version(0);
    let screen = text(&render(&app));
    assert!(screen.contains("✗ none loads here"), "{screen}");
}

#[test]
fn the_detail_view_shows_the_conflict_and_the_derivation() {
    for size in SIZES {
        let mut app = sized(app_with_layer(size.0, size.1), size);
        app.dialog = Some(Dialog::Detail {
            kind: crate::tui::dialogs::detail::DetailKind::NothingFits,
            text: "no set of versions fits python3.12 on x86_64, because:\n  - you asked for requests==2.31.0\n  - you asked for urllib3<1\n  - requests 2.31.0 needs urllib3>=1.21.1, <3\n\nHow the resolver got there:\n  Because requests ==2.31.0 depends on urllib3 >=1.21.1, <3 and you asked for urllib3 <1.0, requests ==2.31.0 cannot be chosen.".into(),
            scroll: 0,
        });
        snap("detail", &app);
    }
}

#[test]
fn the_target_picker_lists_every_runtime_and_architecture_with_its_standing() {
    for size in SIZES {
        let mut app = sized(app_with_layer(size.0, size.1), size);
        app.focus = crate::tui::app::Pane::Layer;
        update(&mut app, key(KeyCode::Char('t')));
        snap("target_picker", &app);
    }
}

#[test]
fn the_picker_says_the_highlighted_runtimes_dates_and_when_they_may_have_moved() {
    let mut app = sized(app_with_layer(80, 24), (80, 24));
    let table = wheelbarrow::RuntimeTable::builtin();
    // A day long after the table's: the dates may have moved, and the picker says so.
    app.targets = crate::tui::views::target_rows(&table, "2027-08-01");
    app.table_dates = crate::tui::views::TableDates::of(&table, "2027-08-01");
    app.focus = crate::tui::app::Pane::Layer;
    update(&mut app, key(KeyCode::Char('t')));
    for _ in 0..2 {
        update(&mut app, key(KeyCode::Down)); // from python3.12 x86_64 to python3.11 x86_64
    }
    let screen = text(&render(&app));
    let flat: String = screen.split('│').collect::<Vec<_>>().join(" ");
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("python3.11: deprecated; new functions blocked since 2027-07-31, updates of")
            && flat.contains("existing ones from 2027-08-31"),
        "{screen}"
    );
    assert!(
        flat.contains("⚠ Dates as of 2026-12-04, 240 days ago: AWS may have moved them since;"),
        "{screen}"
    );
    assert!(
        flat.contains("python3.10 x86_64 glibc 2.26 deprecated, no updates since 2027-03-03"),
        "{screen}"
    );
}

#[test]
fn a_pinned_build_that_no_longer_loads_shows_red_in_the_layer_pane() {
    for size in SIZES {
        let mut app = sized(app_with_layer(size.0, size.1), size);
        app.target = wheelbarrow::RuntimeTable::builtin()
            .target(Some("python3.11"), Some("x86_64"))
            .unwrap();
        crate::tui::update::resolve_picks(&mut app);
        snap("layer_pin_refused", &app);
    }
}

#[test]
fn the_versions_list_marks_each_release() {
    for size in SIZES {
        let mut app = sized(app_with_project(), size);
        app.focus = crate::tui::app::Pane::Package;
        update(&mut app, key(KeyCode::Char('v')));
        snap("versions", &app);
    }
}

#[test]
fn the_reserve_dialog_says_what_the_room_is_for() {
    for size in SIZES {
        let mut app = sized(app_with_layer(size.0, size.1), size);
        app.focus = crate::tui::app::Pane::Layer;
        update(&mut app, key(KeyCode::Char('r')));
        snap("reserve", &app);
    }
}

#[test]
fn the_matrix_shows_each_package_against_every_target() {
    for size in SIZES {
        let mut app = sized(app_with_layer(size.0, size.1), size);
        app.focus = crate::tui::app::Pane::Layer;
        update(&mut app, key(KeyCode::Char('m')));
        // `f`: from the versions on every target to the chosen files' verdicts.
        update(&mut app, key(KeyCode::Char('f')));
        snap("matrix", &app);
    }
}

#[test]
fn the_release_matrix_shows_each_file_against_every_target() {
    for size in SIZES {
        let mut app = sized(app_with_project(), size);
        app.focus = crate::tui::app::Pane::Package;
        update(&mut app, key(KeyCode::Char('m')));
        // Down to the last file: the grid scrolls to keep it in view at 80x24.
        for _ in 0..6 {
            update(&mut app, key(KeyCode::Down));
        }
        let screen = text(&render(&app));
        assert!(screen.contains("cp312 mac11_0"), "{screen}");
        snap("release_matrix", &app);
    }
}

#[test]
fn the_add_dialog_says_where_files_go() {
    for size in SIZES {
        let mut app = sized(app_with_layer(size.0, size.1), size);
        app.focus = crate::tui::app::Pane::Tree;
        update(&mut app, key(KeyCode::Char('a')));
        snap("add_files", &app);
    }
}
