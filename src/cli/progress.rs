//! Progress on stderr: one line, redrawn in place, only when stderr is a terminal. Every long
//! engine operation reports the same [`Step`]s; this turns them into words.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wheelbarrow::units::human_bytes;
use wheelbarrow::work::{Phase, Progress, Step};

/// The line on stderr.
pub struct Line {
    enabled: bool,
    last: Mutex<Option<Instant>>,
    /// Words put before every step (`Refreshing the project list:`), when given.
    label: Option<String>,
}

impl Line {
    pub fn new(label: Option<String>) -> Arc<Line> {
        Arc::new(Line {
            enabled: std::io::stderr().is_terminal(),
            last: Mutex::new(None),
            label,
        })
    }

    /// A progress sink that draws on this line, at most every 80 ms (the last step of a phase
    /// always shows).
    pub fn sink(self: &Arc<Line>) -> Progress {
        if !self.enabled {
            return Progress::none();
        }
        let line = self.clone();
        Progress::new(move |step: &Step| line.draw(step))
    }

    fn draw(&self, step: &Step) {
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let finished = step.total.is_some_and(|t| step.done >= t);
        if !finished && last.is_some_and(|t| t.elapsed() < Duration::from_millis(80)) {
            return;
        }
        *last = Some(Instant::now());
        let text = match &self.label {
            Some(label) => format!("{label} {}", amount(step)),
            None => step_text(step),
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{}", wheelbarrow::text::clean(&text));
        let _ = err.flush();
    }

    /// Clears the line, if anything was drawn.
    pub fn clear(&self) {
        if self.enabled && self.last.lock().is_ok_and(|l| l.is_some()) {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

/// `3 of 12`, `1.5 MB of 20.0 MB (7%)`, or just the amount done.
fn amount(step: &Step) -> String {
    let show = |n: u64| {
        if step.phase.counts_bytes() {
            human_bytes(n)
        } else {
            n.to_string()
        }
    };
    match step.total {
        Some(t) if t > 0 && step.phase.counts_bytes() => format!(
            "{} of {} ({}%)",
            show(step.done),
            show(t),
            step.done.min(t) * 100 / t
        ),
        Some(t) => format!("{} of {}", show(step.done), show(t)),
        None => show(step.done),
    }
}

/// A step in the CLI's words.
pub fn step_text(step: &Step) -> String {
    let subject = step.subject.as_deref().unwrap_or_default();
    match step.phase {
        Phase::ReadingProjects => {
            format!("Resolving: reading {subject} ({} projects read)", step.done)
        }
        Phase::TryingVersions => {
            format!("Resolving: tried {} versions of {subject}", step.done)
        }
        Phase::ReadingWheels => format!("Reading wheel contents: {}", amount(step)),
        Phase::Downloading => format!("Downloading wheels: {}", amount(step)),
        Phase::Checking => format!("Checking wheels: {}", amount(step)),
        Phase::Compiling => format!("Compiling bytecode: {} compilations", amount(step)),
        Phase::Writing => format!("Writing the zip: {} files", amount(step)),
        Phase::NameList => format!("Downloading the project list: {}", amount(step)),
        Phase::Hashing => format!("Computing the zip's sha256: {}", amount(step)),
        Phase::Comparing => format!("Comparing with the newest version of {subject}"),
        Phase::Uploading => format!("Uploading to S3: {}", amount(step)),
        Phase::Publishing => format!("Publishing {subject}"),
        Phase::Inspecting => format!("Inspecting: {} inflated", amount(step)),
        Phase::ResolvingTargets => format!(
            "Resolving on each target: {} targets (last: {subject})",
            amount(step)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_read_as_sentences() {
        let cases = [
            (
                Step::new(Phase::ReadingProjects, 3, None).about("numpy"),
                "Resolving: reading numpy (3 projects read)",
            ),
            (
                Step::new(Phase::Downloading, 1536, Some(3072)),
                "Downloading wheels: 1.5 KB of 3.0 KB (50%)",
            ),
            (
                Step::new(Phase::Writing, 256, Some(900)),
                "Writing the zip: 256 of 900 files",
            ),
            (
                Step::new(Phase::Checking, 2, Some(5)),
                "Checking wheels: 2 of 5",
            ),
        ];
        for (step, words) in cases {
            assert_eq!(step_text(&step), words);
        }
    }
}
