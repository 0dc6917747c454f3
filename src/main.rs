//! The `wheelbarrow` binary: parses arguments, then runs the terminal UI or a headless command.

mod cli;
mod tui;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A day given for the clock must be one (it decides what the runtime table says).
    if let Err(e) = wheelbarrow::lambda::today_from_environment() {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    // Alone on a terminal, `wheelbarrow` is the TUI; anywhere else it prints help, as before.
    let result = if std::env::args_os().len() <= 1 && std::io::stdout().is_terminal() {
        cli::run_tui(&cli::TuiArgs::default())
    } else {
        cli::run(cli::Cli::parse())
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // One readable line (plus causes), never a backtrace.
            eprintln!("error: {}", cli::error_text(&err));
            ExitCode::from(2)
        }
    }
}
