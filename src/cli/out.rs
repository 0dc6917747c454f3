//! The headless commands' output. A reader that goes away (`wheelbarrow check - | head`) ends
//! the command quietly: the write that finds stdout closed returns [`Closed`], which the
//! command passes up like any error and `main` turns into the status a shell gives a program
//! ended by a closed pipe (141, 128 + SIGPIPE), with nothing on stderr. Never a panic, which
//! is what `println!` does there. Messages on stderr go through [`say!`]: a closed stderr
//! loses them, and nothing else happens.

use std::io::Write as _;

/// The status a shell reports for a program ended by a closed pipe (128 + SIGPIPE).
pub const CLOSED_STATUS: u8 = 141;

/// stdout was closed by its reader: not a failure worth a message.
#[derive(Debug, thiserror::Error)]
#[error("stdout was closed by its reader")]
pub struct Closed;

/// A failed write to stdout as the command's error: [`Closed`] for a reader that went away,
/// else the I/O error said as a write to stdout.
pub fn stdout_error(error: std::io::Error) -> anyhow::Error {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        anyhow::Error::new(Closed)
    } else {
        anyhow::Error::new(error).context("could not write to stdout")
    }
}

/// Whether `err` is (or was caused by) stdout closing.
pub fn closed(err: &anyhow::Error) -> bool {
    err.chain().any(<dyn std::error::Error>::is::<Closed>)
}

/// Writes `text` to stdout and flushes it.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(stdout_error)
}

/// Writes `text` and a newline to stdout.
pub fn println(text: &str) -> anyhow::Result<()> {
    let mut line = String::with_capacity(text.len() + 1);
    line.push_str(text);
    line.push('\n');
    print(&line)
}

/// `eprintln!` that never panics: a message for a stderr that is gone is dropped.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use say;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_pipe_is_closed_and_other_write_errors_are_said() {
        let err = stdout_error(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(closed(&err));
        let err = stdout_error(std::io::Error::other("disk on fire"));
        assert!(!closed(&err));
        assert_eq!(
            format!("{err:#}"),
            "could not write to stdout: disk on fire"
        );
    }
}
