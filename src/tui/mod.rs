//! The interactive terminal UI: search every project, see each wheel with its tags highlighted
//! for the target, pick builds, watch the layer, the /opt tree and the budget, export the zip.
//!
//! ```text
//! ┌ wheelbarrow  python3.12 · x86_64 · Amazon Linux 2023 · glibc 2.34 ────────────────────┐
//! │ unzipped ███████░░░░░ 61.2 MB / 250.0 MB      zipped ██░░░░░░░░ 18.0 MB / 50.0 MB  │
//! ├ Search ──────────────┬ numpy ──────────────────────────────────────────────────────┤
//! │ › nump               │ Fundamental package for array computing in Python           │
//! │ numpy     exact name │ ← 2.3.1 →  release 1 of 120                                 │
//! │ numpyro  starts with │ ★ numpy-2.3.1-cp312-cp312-manylinux_2_28_x86_64.whl 16.0 MB  │
//! │ ...                  │ ✗ numpy-2.3.1-cp312-cp312-musllinux_1_2_x86_64.whl 15.1 MB   │
//! │ ✓ 2.3.1 loads on ... │ ★ best build: CPython 3.12 extension for x86_64 Linux ...    │
//! ├ Layer: 1 pick ───────┴─────────────────┬ /opt: 1024 files ──────────────────────────┤
//! │ ● numpy   2.3.1   61.2 MB  requested   │ ▾ python/                       61.2 MB   │
//! │                                        │   ▸ numpy/                      45.0 MB   │
//! └────────────────────────────────────────┴────────────────────────────────────────────┘
//!  ⣾ resolving · ✗ the last error, in one line                      (status line)
//!  Enter pick  d remove  ← newer  → older  q quit  ? help           (footer, from the keymap)
//! ```
//!
//! From 120 columns the layer and the tree stack in a third column (see `ui/layout.rs`).
//!
//! The Elm architecture: [`app::App`] is the state; [`update::update`] turns a [`msg::Msg`]
//! into state changes and [`msg::Command`]s, synchronously and without I/O; the
//! [`runner::Runner`] executes commands on tokio and answers with messages (each request with a
//! generation, stale answers dropped, a newer request cancelling the older); [`ui::draw`] is a
//! pure view of `&App`. The keys are data ([`keymap`], `assets/keymap.toml`); the colours are
//! roles ([`theme`]).

// `pub(crate)` so that `benches/tui.rs`, which includes this module by path, can reach them.
pub(crate) mod action;
pub(crate) mod additions;
pub(crate) mod app;
pub(crate) mod dialogs;
pub(crate) mod event_loop;
pub(crate) mod failure;
pub(crate) mod hints;
pub(crate) mod keymap;
pub(crate) mod layer_state;
pub(crate) mod loading;
pub(crate) mod log;
pub(crate) mod msg;
pub(crate) mod offers;
pub(crate) mod opening;
pub(crate) mod publishing;
pub(crate) mod rows;
pub(crate) mod runner;
pub(crate) mod saving;
pub(crate) mod terminal;
pub(crate) mod theme;
pub(crate) mod ui;
pub(crate) mod update;
pub(crate) mod views;

#[cfg(test)]
mod tests;

use std::process::ExitCode;

use std::path::PathBuf;
use std::sync::Arc;

use wheelbarrow::index::{IndexClient, IndexSettings};
use wheelbarrow::layer::Workspace;
use wheelbarrow::resolve::Requested;
use wheelbarrow::{RuntimeTable, Target};

use app::App;
use msg::Msg;

/// What the TUI starts with.
pub struct Options {
    pub target: Target,
    pub table: Arc<RuntimeTable>,
    pub settings: IndexSettings,
    /// Requirements preloaded as picks (`-r FILE`, or given on the command line).
    pub picks: Vec<Requested>,
    /// Lines of those files that could not be used, each with its file and line.
    pub skipped: Vec<String>,
    /// The files they were read from (an export never writes over them).
    pub inputs: Vec<PathBuf>,
    /// A layer zip to open at the start, and the target to inspect it for (`None`: the one its
    /// folders and binaries say).
    pub open: Option<(PathBuf, Option<Target>)>,
    /// The user's runtime table could not be used (said in the status line at start).
    pub table_notice: Option<String>,
}

/// Runs the TUI until the user quits; the terminal is restored however it ends.
pub fn run(options: Options) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the TUI draws on a terminal and stdout is not one; the headless commands (`wheelbarrow --help`) print text or JSON"
        );
    }
    let log_file = log::init(&options.settings.cache_dir);
    let client = IndexClient::new(options.settings)?;
    let (keymap, keymap_problem) = keymap::Keymap::load(keymap::Keymap::default_path().as_deref());
    let mut app = App::new(
        options.target.clone(),
        options.table.limits,
        keymap,
        theme::Theme::from_env(),
    );
    app.log_file = log_file;
    app.table = options.table.clone();
    app.error = match (keymap_problem, options.table_notice) {
        (Some(keys), Some(table)) => Some(format!("{keys} · {table}")),
        (keys, table) => keys.or(table),
    };
    app.cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    app.take_picks(options.picks);
    // Two runtimes: the tasks' (network, parsing the name list: it can keep a worker busy for
    // seconds) and the screen's own thread, whose events and frame timer nothing can starve.
    let work = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("wheelbarrow-work")
        .enable_all()
        .build()?;
    let screen = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    app.inputs = options.inputs;
    if let Some(first) = options.skipped.first() {
        app.error = Some(match options.skipped.len() {
            1 => format!("{first} (the other lines are picked)"),
            n => format!(
                "{first} (and {} more lines not used; the rest are picked)",
                n - 1
            ),
        });
    }
    let today = wheelbarrow::lambda::today();
    app.targets = views::target_rows(&options.table, &today);
    app.table_dates = views::TableDates::of(&options.table, &today);
    let workspace = Workspace::new(client, options.table);
    let mut runner = runner::Runner::new(workspace, tx, work.handle().clone());
    let result = screen.block_on(async move {
        let mut guard = terminal::Guard::enter()?;
        let size = guard.terminal.size()?;
        let first = vec![Msg::Resize {
            width: size.width,
            height: size.height,
        }];
        for command in initial_commands(&mut app) {
            runner.run(command);
        }
        if let Some((path, target)) = options.open {
            runner.run(msg::Command::OpenFile { path, target });
        }
        runner.load_names();
        let result =
            event_loop::run(&mut guard.terminal, &mut app, &mut runner, &mut rx, first).await;
        drop(guard);
        result
    });
    // Quit at once, even with a download under way.
    work.shutdown_background();
    // The guard has restored the terminal by now, so an error prints on the normal screen.
    match result? {
        event_loop::Ended::Quit => Ok(ExitCode::SUCCESS),
        event_loop::Ended::Terminated => {
            // A stderr that is gone drops the words rather than panicking.
            let _ = std::io::Write::write_fmt(
                &mut std::io::stderr(),
                format_args!("wheelbarrow: stopped by SIGTERM; the terminal is restored\n"),
            );
            // 128 + SIGTERM, what a shell reports for a process the signal ended.
            Ok(ExitCode::from(143))
        }
    }
}

/// The first search (the most-downloaded projects for an empty query) and the preloaded picks.
fn initial_commands(app: &mut App) -> Vec<msg::Command> {
    let mut commands = update::search_now(app);
    commands.extend(update::resolve_picks(app));
    commands
}
