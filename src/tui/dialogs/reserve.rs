//! `r`: the reserve, megabytes of the 250 MB kept for the function's code and its other
//! layers; Enter sets it and the gauges count it at once.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::super::action::Action;
use super::super::app::App;
use super::super::msg::Command;
use super::{Dialog, InputBox, Press, render_input_box, typed};

/// `r`: the reserve dialog, with the megabytes kept now.
pub fn open(app: &mut App) -> Vec<Command> {
    let mb = (app.reserve / (1024 * 1024)).to_string();
    app.dialog = Some(Dialog::Reserve {
        input: tui_input::Input::new(mb),
    });
    Vec::new()
}

/// Enter sets the reserve; a key typed edits the number.
pub fn press(app: &mut App, press: Press) -> Option<Vec<Command>> {
    let Some(Dialog::Reserve { input }) = &mut app.dialog else {
        return None;
    };
    match press {
        Press::Action(Action::Confirm) => {
            let text = input.value().to_string();
            set_reserve(app, &text);
            Some(Vec::new())
        }
        Press::Typed(event) => Some(typed(input, event)),
        Press::Action(_) => None,
    }
}

/// Enter in the reserve dialog: whole megabytes, from 0 to less than the limit; the budget is
/// counted again at once (a pure function of the plan).
fn set_reserve(app: &mut App, text: &str) {
    let limit_mb = app.limits.unzipped_bytes / (1024 * 1024);
    let parsed = text.trim().parse::<u64>().map_err(|_| {
        format!(
            "'{}' is not a number of megabytes from 0 to {}",
            text.trim(),
            limit_mb - 1
        )
    });
    match parsed.and_then(|mb| {
        wheelbarrow::layer::reserve_from_mb(mb, &app.limits).map(|bytes| (mb, bytes))
    }) {
        Ok((mb, bytes)) => {
            app.reserve = bytes;
            app.dialog = None;
            app.error = None;
            app.notice = Some(format!(
                "{mb} MB kept for your function and other layers; the layer may use {} MB",
                limit_mb - mb
            ));
            if let Some(plan) = app.layer.plan.ready() {
                app.layer.budget = Some(wheelbarrow::layer::budget(plan, &app.limits, app.reserve));
            }
        }
        Err(problem) => app.error = Some(problem),
    }
}

/// The reserve: megabytes of the 250 MB kept for the function's code and the other layers.
pub fn render(app: &App, input: &tui_input::Input, frame: &mut Frame, area: Rect) {
    let b = InputBox {
        width: 64,
        height: 7,
        context: super::super::keymap::Context::Reserve,
        head: "Reserve",
        keys: &[(Action::Confirm, "sets it"), (Action::Back, "closes")],
        about: &[
            "Megabytes to keep free in the 250 MB for your function's code",
            "and its other layers (they all share it):",
        ],
        typed: format!("{} MB", input.value()),
    };
    render_input_box(app, b, frame, area);
}
