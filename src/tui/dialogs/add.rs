//! `a`: a file or folder of your own to add under /opt (`PATH` or `PATH=DEST`); Tab completes
//! the path, Enter has the runner check it (the dialog stays open until it answers, so that a
//! wrong path can be fixed).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::super::action::Action;
use super::super::app::App;
use super::super::msg::Command;
use super::super::ui::layout::centered;
use super::{Dialog, Press, typed};

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
    let t = &app.theme;
    let box_area = centered(area, 76, 8);
    frame.render_widget(ratatui::widgets::Clear, box_area);
    let block = Block::bordered()
        .title(super::super::ui::keyed_title(
            app,
            super::super::keymap::Context::Add,
            "Add files of your own",
            &[
                (Action::Complete, "completes"),
                (Action::Confirm, "adds"),
                (Action::Back, "closes"),
            ],
        ))
        .border_style(t.accent);
    let lines = vec![
        Line::raw("PATH, or PATH=DEST with DEST under /opt. Without DEST a shared library"),
        Line::raw("goes to lib/ (on LD_LIBRARY_PATH), an executable to bin/ (on PATH), a"),
        Line::raw("folder's contents to lib/:"),
        Line::from(vec![
            Span::styled("› ", t.accent),
            Span::raw(input.value().to_string()),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
}
