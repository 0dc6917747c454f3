//! The `wheelbarrow` binary: parses arguments and runs a headless command.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            // One readable line (plus causes), never a backtrace.
            eprintln!("error: {}", cli::error_text(&err));
            ExitCode::from(2)
        }
    }
}
