//! The dialogs over the panes, one module each: its state, how it opens, what its keys do, the
//! keymap section they are read in, and its view. Only three places list every dialog: the
//! state ([`Dialog`]), what a key does over one ([`press`], for `update`) and how one is drawn
//! ([`render`], for `ui`); [`Dialog::context`] names each one's own keymap section, so a
//! rebinding in one never changes another.

pub mod add;
pub mod detail;
pub mod export;
pub mod help;
pub mod matrix;
pub mod open;
pub mod reserve;
pub mod save;
pub mod target;
pub mod versions;

use ratatui::Frame;
use ratatui::crossterm::event::Event;
use ratatui::layout::Rect;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::action::Action;
use super::app::App;
use super::keymap::Context;
use super::msg::Command;
use super::views::{Matrix, VersionRow};

#[derive(Debug)]
pub enum Dialog {
    /// The keys of the mode behind it; `scroll` lines down (a small screen cannot show all).
    Help {
        scroll: u16,
    },
    Export(Box<export::ExportDialog>),
    /// The text behind the layer pane, in full (what it is: `kind`); `scroll` lines down.
    Detail {
        kind: detail::DetailKind,
        text: String,
        scroll: u16,
    },
    /// Choose the runtime and architecture: typing filters the rows; in the `python/` layout
    /// several can be marked, for one tree that serves them all.
    Target {
        input: Input,
        selected: usize,
        marked: Vec<wheelbarrow::Target>,
    },
    /// The megabytes of the 250 MB kept for the function's code and other layers.
    Reserve {
        input: Input,
    },
    /// Where to save the picks as a requirements file (the lock goes beside it).
    Save {
        input: Input,
    },
    /// The layer's packages against every target.
    Matrix(Box<Matrix>),
    /// A file or folder of your own to add under /opt: `PATH` or `PATH=DEST`.
    Add {
        input: Input,
    },
    /// A requirements file or a layer zip to open.
    Open {
        input: Input,
    },
    /// The open project's releases, newest first, each marked by whether it loads here.
    Versions {
        rows: Vec<VersionRow>,
        selected: usize,
    },
}

impl Dialog {
    /// The keymap section keys are read in over this dialog: each dialog its own.
    pub fn context(&self) -> Context {
        match self {
            Dialog::Help { .. } => Context::Help,
            Dialog::Export(dialog) => export::context(dialog),
            Dialog::Detail { .. } => Context::Detail,
            Dialog::Target { .. } => Context::Picker,
            Dialog::Reserve { .. } => Context::Reserve,
            Dialog::Save { .. } => Context::Save,
            Dialog::Matrix(_) => Context::Matrix,
            Dialog::Add { .. } => Context::Add,
            Dialog::Open { .. } => Context::Open,
            Dialog::Versions { .. } => Context::Versions,
        }
    }
}

/// A key pressed over a dialog: the action it is bound to in the dialog's section, or, bound
/// to none, the key itself (typed into the dialog's text box, when it has one).
#[derive(Debug, Clone, Copy)]
pub enum Press<'a> {
    Action(Action),
    Typed(&'a Event),
}

/// What the open dialog does with a key: `None` when it does not take it (then only help,
/// back, quit and the interrupt key do anything: nothing moves behind a dialog).
pub fn press(app: &mut App, press: Press) -> Option<Vec<Command>> {
    match app.dialog.as_ref()? {
        Dialog::Help { .. } => help::press(app, press),
        Dialog::Export(_) => export::press(app, press),
        Dialog::Detail { .. } => detail::press(app, press),
        Dialog::Target { .. } => target::press(app, press),
        Dialog::Reserve { .. } => reserve::press(app, press),
        Dialog::Save { .. } => save::press(app, press),
        Dialog::Matrix(_) => matrix::press(app, press),
        Dialog::Add { .. } => add::press(app, press),
        Dialog::Open { .. } => open::press(app, press),
        Dialog::Versions { .. } => versions::press(app, press),
    }
}

/// Draws the open dialog over the panes.
pub fn render(app: &App, dialog: &Dialog, frame: &mut Frame, area: Rect) {
    match dialog {
        Dialog::Help { scroll } => help::render(app, *scroll, frame, area),
        Dialog::Export(dialog) => export::render(app, dialog, frame, area),
        Dialog::Detail { kind, text, scroll } => {
            detail::render(app, *kind, text, *scroll, frame, area);
        }
        Dialog::Target {
            input,
            selected,
            marked,
        } => target::render(app, input, (*selected, marked), frame, area),
        Dialog::Reserve { input } => reserve::render(app, input, frame, area),
        Dialog::Save { input } => save::render(app, input, frame, area),
        Dialog::Matrix(m) => matrix::render(app, m, frame, area),
        Dialog::Add { input } => add::render(app, input, frame, area),
        Dialog::Open { input } => open::render(app, input, frame, area),
        Dialog::Versions { rows, selected } => {
            versions::render(app, rows, *selected, frame, area);
        }
    }
}

/// How far Up, Down and the page keys move a list or a text inside a dialog.
fn scroll_by(press: Press) -> Option<isize> {
    match press {
        Press::Action(Action::Up) => Some(-1),
        Press::Action(Action::Down) => Some(1),
        Press::Action(Action::PageUp) => Some(-10),
        Press::Action(Action::PageDown) => Some(10),
        _ => None,
    }
}

/// A key typed into a dialog's text box edits it.
fn typed(input: &mut Input, event: &Event) -> Vec<Command> {
    input.handle_event(event);
    Vec::new()
}

/// A dialog that is one text box: its size, its keymap section and the keys its title names,
/// the lines that say what to type, and what is typed so far (as shown).
pub struct InputBox<'a> {
    pub width: u16,
    pub height: u16,
    pub context: Context,
    pub head: &'a str,
    pub keys: &'a [(Action, &'a str)],
    pub about: &'a [&'a str],
    pub typed: String,
}

/// Draws `b` centred in `area` over what is behind it.
pub fn render_input_box(app: &App, b: InputBox, frame: &mut Frame, area: Rect) {
    use ratatui::text::{Line, Span};
    use ratatui::widgets::{Block, Clear, Paragraph};
    let t = &app.theme;
    let box_area = super::ui::layout::centered(area, b.width, b.height);
    frame.render_widget(Clear, box_area);
    let block = Block::bordered()
        .title(super::ui::keyed_title(app, b.context, b.head, b.keys))
        .border_style(t.accent);
    let mut lines: Vec<Line> = b.about.iter().map(|l| Line::raw(*l)).collect();
    lines.push(Line::from(vec![
        Span::styled("› ", t.accent),
        Span::raw(b.typed),
    ]));
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
}
