//! The `wheelbarrow` binary: parses arguments, then runs the terminal UI or a headless command.

mod cli;
mod tui;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Asked before the command line is understood, so that even a refused one answers in JSON.
    let json_asked = std::env::args_os().any(|a| a == "--json");
    // A day given for the clock must be one (it decides what the runtime table says).
    if let Err(e) = wheelbarrow::lambda::today_from_environment() {
        cli::out::say!("error: {e}");
        if json_asked {
            cli::print_json(&cli::failure_json("environment", &e, &[]));
        }
        return ExitCode::from(2);
    }
    // Alone on a terminal, `wheelbarrow` is the TUI; anywhere else it prints help, as before.
    let (result, json) = if std::env::args_os().len() <= 1 && std::io::stdout().is_terminal() {
        (cli::run_tui(&cli::TuiArgs::default()), false)
    } else {
        match cli::Cli::try_parse() {
            Ok(parsed) => {
                let json = parsed.command.json();
                (cli::run(parsed), json)
            }
            Err(e) => return refused(&e, json_asked),
        }
    };
    // A cache folder that could not be written was worked around; said once, whatever happened.
    for problem in wheelbarrow::index::take_cache_problems() {
        cli::out::say!("warning: {problem}");
    }
    match result {
        Ok(code) => code,
        // The reader of stdout went away (`| head`): nothing to say, and no one to say it to.
        Err(err) if cli::out::closed(&err) => ExitCode::from(cli::out::CLOSED_STATUS),
        Err(err) => {
            // One readable line (plus causes), never a backtrace.
            cli::out::say!("error: {}", cli::error_text(&err));
            if json {
                cli::print_json(&cli::error_json(&err));
            }
            ExitCode::from(2)
        }
    }
}

/// A command line clap did not take: help and version are printed as asked; a mistake is said
/// on stderr (and as JSON on stdout with `--json`) with clap's exit status.
fn refused(e: &clap::Error, json_asked: bool) -> ExitCode {
    if !e.use_stderr() {
        e.exit();
    }
    let _ = e.print();
    if json_asked {
        cli::print_json(&cli::usage_json(e));
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}
