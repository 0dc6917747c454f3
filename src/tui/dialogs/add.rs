//! `a`: a file or folder of your own to add under /opt (`PATH` or `PATH=DEST`); Tab completes
//! the path, Enter has the runner check it (the dialog stays open until it answers, so that a
//! wrong path can be fixed).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::super::action::Action;
use super::super::app::App;
use super::super::msg::Command;
use super::{Dialog, InputBox, Press, render_input_box, typed};

/// `a`: the add dialog, empty.
pub fn open(app: &mut App) -> Vec<Command> {
    app.dialog = Some(Dialog::Add {
        input: tui_input::Input::default(),
    });
    Vec::new()
}

/// Enter adds, Tab completes the path; a key typed edits it.
pub fn press(app: &mut App, press: Press) -> Option<Vec<Command>> {
    let Some(Dialog::Add { input }) = &mut app.dialog else {
        return None;
    };
    let text = input.value().to_string();
    match press {
        Press::Action(Action::Confirm) => Some(vec![Command::Addition { text }]),
        Press::Action(Action::Complete) => Some(vec![Command::Complete { text }]),
        Press::Typed(event) => Some(typed(input, event)),
        Press::Action(_) => None,
    }
}

/// A file or folder of your own under /opt.
pub fn render(app: &App, input: &tui_input::Input, frame: &mut Frame, area: Rect) {
    let b = InputBox {
        width: 76,
        height: 8,
        context: super::super::keymap::Context::Add,
        head: "Add files of your own",
        keys: &[
            (Action::Complete, "completes"),
            (Action::Confirm, "adds"),
            (Action::Back, "closes"),
        ],
        about: &[
            "PATH, or PATH=DEST with DEST under /opt. Without DEST a shared library",
            "goes to lib/ (on LD_LIBRARY_PATH), an executable to bin/ (on PATH), a",
            "folder's contents to lib/:",
        ],
        typed: input.value().to_string(),
    };
    render_input_box(app, b, frame, area);
}
