//! `s`: where to save the picks as a requirements file; the locks (`NAME.lock.txt` and a
//! `pylock.toml`) are written beside it.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::super::action::Action;
use super::super::app::App;
use super::super::msg::Command;
use super::{Dialog, InputBox, Press, render_input_box, typed};

/// `s`: where to save the picks, prefilled in the current directory.
pub fn open(app: &mut App) -> Vec<Command> {
    if app.layer.picks.is_empty() {
        app.error = Some("nothing to save yet: pick a build first".into());
        return Vec::new();
    }
    let name = format!(
        "requirements-{}-{}.txt",
        app.target.runtime.name,
        app.target.arch.lambda_name()
    );
    let path = app.cwd.join(name).display().to_string();
    app.dialog = Some(Dialog::Save {
        input: tui_input::Input::new(path),
    });
    Vec::new()
}

/// Enter saves; a key typed edits the path.
pub fn press(app: &mut App, press: Press) -> Option<Vec<Command>> {
    let Some(Dialog::Save { input }) = &mut app.dialog else {
        return None;
    };
    match press {
        Press::Action(Action::Confirm) => Some(save(app)),
        Press::Typed(event) => Some(typed(input, event)),
        Press::Action(_) => None,
    }
}

/// Enter: the picks, and the locks of their resolution when there is one, to the path typed.
fn save(app: &mut App) -> Vec<Command> {
    let Some(Dialog::Save { input }) = &app.dialog else {
        return Vec::new();
    };
    let path = std::path::PathBuf::from(input.value().trim());
    app.dialog = None;
    let locks = app.layer.resolution.ready().map(|r| {
        [
            wheelbarrow::layer::lock_file(r, app.layer.layout),
            wheelbarrow::layer::pylock_file(&[r.as_ref()], app.layer.layout),
        ]
    });
    vec![Command::SavePicks {
        path,
        text: app.picks_text(),
        locks,
        inputs: app.inputs.clone(),
    }]
}

/// Where to save the picks as a requirements file (the lock is written beside it).
pub fn render(app: &App, input: &tui_input::Input, frame: &mut Frame, area: Rect) {
    let b = InputBox {
        width: 76,
        height: 6,
        context: super::super::keymap::Context::Save,
        head: "Save the picks",
        keys: &[(Action::Confirm, "saves"), (Action::Back, "closes")],
        about: &["The picks as a requirements file (the lock, NAME.lock.txt, beside it):"],
        typed: input.value().to_string(),
    };
    render_input_box(app, b, frame, area);
}
