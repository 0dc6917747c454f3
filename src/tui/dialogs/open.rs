//! `o`: the path of a requirements file, a `pyproject.toml`, a lock file or a layer zip; Tab
//! completes it, Enter has the runner read it (`update::open` takes the answer).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::super::action::Action;
use super::super::app::App;
use super::super::msg::Command;
use super::{Dialog, InputBox, Press, render_input_box, typed};

/// `o`: the open dialog, empty.
pub fn open(app: &mut App) -> Vec<Command> {
    app.dialog = Some(Dialog::Open {
        input: tui_input::Input::default(),
    });
    Vec::new()
}

/// Enter opens, Tab completes the path; a key typed edits it.
pub fn press(app: &mut App, press: Press) -> Option<Vec<Command>> {
    let Some(Dialog::Open { input }) = &mut app.dialog else {
        return None;
    };
    match press {
        Press::Action(Action::Confirm) => Some(confirm(app)),
        Press::Action(Action::Complete) => Some(vec![Command::Complete {
            text: input.value().to_string(),
        }]),
        Press::Typed(event) => Some(typed(input, event)),
        Press::Action(_) => None,
    }
}

/// Enter in the open dialog: the runner reads the file (the dialog stays until it answers, so
/// that a wrong path can be fixed).
fn confirm(app: &mut App) -> Vec<Command> {
    let Some(Dialog::Open { input }) = &app.dialog else {
        return Vec::new();
    };
    let path = input.value().trim();
    if path.is_empty() {
        app.error = Some(
            "type the path of a requirements file, a pyproject.toml, a lock file or a layer zip (Tab completes)"
                .into(),
        );
        return Vec::new();
    }
    vec![Command::OpenFile {
        path: path.into(),
        target: None,
    }]
}

/// `o`: the path of a requirements file, a `pyproject.toml`, a lock file or a layer zip.
pub fn render(app: &App, input: &tui_input::Input, frame: &mut Frame, area: Rect) {
    let b = InputBox {
        width: 76,
        height: 8,
        context: super::super::keymap::Context::Open,
        head: "Open a file",
        keys: &[
            (Action::Complete, "completes"),
            (Action::Confirm, "opens"),
            (Action::Back, "closes"),
        ],
        about: &[
            "A requirements file or pyproject.toml: its requirements become picks.",
            "A lock (uv.lock, poetry.lock, pylock.toml): its versions, locked (◆).",
            "A layer zip built by any tool: its tree, its budget and its problems.",
        ],
        typed: input.value().to_string(),
    };
    render_input_box(app, b, frame, area);
}
