//! Running an interpreter as a child process: input fed on stdin, stdout collected (bounded),
//! stopped when it takes too long or the work is cancelled.

use std::io::{Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

/// The most a child may print; more is cut (our driver prints a line per failed file).
const STDOUT_MAX: u64 = 64 << 20;

/// A child that ran to its end.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
}

/// Runs `cmd` with `input` on its stdin; `Err` when it cannot start, takes longer than
/// `timeout` or is cancelled (it is killed then).
pub fn run_with_input(
    mut cmd: Command,
    input: &[u8],
    timeout: Duration,
    cancel: &CancellationToken,
) -> std::io::Result<Finished> {
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| std::io::Error::new(e.kind(), format!("it cannot be started: {e}")))?;
    let mut stdin = child.stdin.take();
    let mut stdout = child.stdout.take();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            // A child that exits early closes the pipe: that shows in its status.
            let _ = stdin.write_all(&input);
        }
    });
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(stdout) = stdout.as_mut() {
            let _ = stdout.take(STDOUT_MAX).read_to_end(&mut out);
        }
        out
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        let stop = if cancel.is_cancelled() {
            Some("cancelled")
        } else if started.elapsed() > timeout {
            Some("it took too long")
        } else {
            None
        };
        if let Some(why) = stop {
            let _ = child.kill();
            let _ = child.wait();
            let _ = writer.join();
            let _ = reader.join();
            return Err(std::io::Error::other(format!(
                "{why} (stopped after {} s)",
                started.elapsed().as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = writer.join();
    let stdout = reader.join().unwrap_or_default();
    Ok(Finished { status, stdout })
}
