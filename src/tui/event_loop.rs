//! The loop: `select!` over terminal events, answers from tasks, and a frame timer that runs
//! only while something animates. Messages that arrive together are handled together and drawn
//! once; nothing is drawn when nothing changed.

use std::time::Duration;

use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{Event, EventStream};
use tokio::sync::mpsc::UnboundedReceiver;

use super::app::App;
use super::msg::Msg;
use super::runner::Runner;
use super::ui;
use super::update::update;

/// The spinner's frame interval.
const FRAME: Duration = Duration::from_millis(100);

/// How the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The user quit (or the terminal's input ended).
    Quit,
    /// SIGTERM arrived: the loop stopped so that the terminal is restored before the exit.
    Terminated,
}

pub async fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    runner: &mut Runner,
    rx: &mut UnboundedReceiver<Msg>,
    first: Vec<Msg>,
) -> anyhow::Result<Ended>
where
    B::Error: Send + Sync + 'static,
{
    let mut events = EventStream::new();
    // SIGTERM (a `kill`, a container stopping) ends the app the way `q` does: the terminal is
    // restored and the tasks dropped (a zip being written is a temporary file until renamed).
    let mut term = terminate_signal();
    let mut timer = tokio::time::interval(FRAME);
    timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    for msg in first {
        handle(app, runner, msg);
    }
    cache_problems(app, runner);
    terminal.draw(|f| ui::draw(app, f))?;
    app.dirty = false;
    while !app.exit {
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => match from_event(&event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(msg) = rx.recv() => msg,
            _ = timer.tick(), if app.animating() => Msg::Tick,
            Some(()) = term.recv() => return Ok(Ended::Terminated),
        };
        handle(app, runner, msg);
        while let Ok(msg) = rx.try_recv() {
            handle(app, runner, msg);
        }
        cache_problems(app, runner);
        if app.dirty && !app.exit {
            terminal.draw(|f| ui::draw(app, f))?;
            app.dirty = false;
        }
    }
    Ok(Ended::Quit)
}

/// A stream of SIGTERMs; one that never yields where none can be listened for.
fn terminate_signal() -> tokio::sync::mpsc::Receiver<()> {
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    #[cfg(unix)]
    if let Ok(mut signal) =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
    {
        tokio::spawn(async move {
            while signal.recv().await.is_some() {
                if tx.send(()).await.is_err() {
                    break;
                }
            }
        });
        return rx;
    }
    // Keep the sender alive so that `recv` waits forever instead of ending at once.
    std::mem::forget(tx);
    rx
}

fn handle(app: &mut App, runner: &mut Runner, msg: Msg) {
    for command in update(app, msg) {
        runner.run(command);
    }
}

/// What the engine found wrong with the cache folder since the last look (in the client's
/// probe at the start, or in any task): each said once in the app, so none is left for
/// stderr after the app ends.
fn cache_problems(app: &mut App, runner: &mut Runner) {
    for problem in wheelbarrow::index::take_cache_problems() {
        handle(app, runner, Msg::CacheProblem(problem));
    }
}

fn from_event(event: &Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(*key)),
        Event::Paste(text) => Some(Msg::Paste(text.clone())),
        Event::Mouse(mouse) => Some(Msg::Mouse(*mouse)),
        Event::Resize(width, height) => Some(Msg::Resize {
            width: *width,
            height: *height,
        }),
        _ => None,
    }
}
