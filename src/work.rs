//! One contract for long work: every long operation of the engine (resolve, plan, download,
//! build, the name-list refresh) takes a [`Progress`] sink and a `CancellationToken`, and
//! reports [`Step`]s of one shape. The CLI draws them on stderr; the TUI turns them into
//! messages for its status line.
//!
//! A worker task that panics is an engine bug, not a cancellation: [`join_failure`] tells the
//! two apart so that callers report the panic's message as an internal error.
//!
//! ```
//! use wheelbarrow::work::{Phase, Progress, Step};
//!
//! let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
//! let sink = seen.clone();
//! let progress = Progress::new(move |step: &Step| sink.lock().unwrap().push(step.done));
//! progress.report(&Step::new(Phase::Checking, 1, Some(3)));
//! progress.report(&Step::new(Phase::Checking, 2, Some(3)));
//! assert_eq!(*seen.lock().unwrap(), vec![1, 2]);
//! Progress::none().report(&Step::new(Phase::Checking, 1, None)); // goes nowhere
//! ```

use std::fmt;
use std::sync::Arc;

/// What a long operation is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Reading project pages while resolving; `done` counts the projects read.
    ReadingProjects,
    /// The resolver tried a version of the project in `subject`; `done` counts the versions of
    /// it tried so far (a growing count is backtracking).
    TryingVersions,
    /// Reading the file lists of the wheels (range requests) to plan the tree.
    ReadingWheels,
    /// Downloading wheels; `done` and `total` are bytes.
    Downloading,
    /// Checking downloaded wheels (paths, sizes, RECORD).
    Checking,
    /// Compiling bytecode; `done` counts compilations (a wheel for one Python) done or cached.
    Compiling,
    /// Writing the zip; `done` counts files.
    Writing,
    /// Downloading the list of every project; bytes.
    NameList,
    /// Computing a layer zip's CodeSha256 before publishing; bytes.
    Hashing,
    /// Asking Lambda for the newest version of the layer, to compare with it.
    Comparing,
    /// Uploading the zip to S3 (a zip over the direct-upload limit); bytes.
    Uploading,
    /// Lambda is publishing the new layer version (a direct upload sends the zip with it).
    Publishing,
    /// Inspecting a layer zip; `done` counts the bytes inflated so far (no total: which
    /// members are read depends on what they are).
    Inspecting,
    /// Resolving one set on several targets; `done` counts the targets answered, `subject`
    /// names the last one.
    ResolvingTargets,
}

impl Phase {
    /// Whether `done` and `total` count bytes (else they count items).
    pub fn counts_bytes(self) -> bool {
        matches!(
            self,
            Phase::Downloading
                | Phase::NameList
                | Phase::Hashing
                | Phase::Uploading
                | Phase::Inspecting
        )
    }

    /// The phase in a few words, for a status line.
    pub fn label(self) -> &'static str {
        match self {
            Phase::ReadingProjects => "reading projects",
            Phase::TryingVersions => "trying versions",
            Phase::ReadingWheels => "reading wheel contents",
            Phase::Downloading => "downloading wheels",
            Phase::Checking => "checking wheels",
            Phase::Compiling => "compiling bytecode",
            Phase::Writing => "writing the zip",
            Phase::NameList => "downloading the project list",
            Phase::Hashing => "computing the zip's sha256",
            Phase::Comparing => "comparing with the newest version",
            Phase::Uploading => "uploading the zip to S3",
            Phase::Publishing => "publishing the layer version",
            Phase::Inspecting => "inspecting the zip",
            Phase::ResolvingTargets => "resolving on each target",
        }
    }
}

/// One report of progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub phase: Phase,
    pub done: u64,
    /// The amount to reach, when known.
    pub total: Option<u64>,
    /// What is being worked on (`numpy`, `numpy 2.2.6`, a file name), when there is one thing.
    pub subject: Option<String>,
}

impl Step {
    pub fn new(phase: Phase, done: u64, total: Option<u64>) -> Step {
        Step {
            phase,
            done,
            total,
            subject: None,
        }
    }

    #[must_use]
    pub fn about(mut self, subject: impl Into<String>) -> Step {
        self.subject = Some(subject.into());
        self
    }
}

/// What a sink is: called with each step, from any thread.
type Sink = dyn Fn(&Step) + Send + Sync;

/// Where progress goes. Cheap to clone; [`Progress::none`] discards everything.
#[derive(Clone, Default)]
pub struct Progress(Option<Arc<Sink>>);

impl Progress {
    pub fn new(sink: impl Fn(&Step) + Send + Sync + 'static) -> Progress {
        Progress(Some(Arc::new(sink)))
    }

    pub fn none() -> Progress {
        Progress(None)
    }

    pub fn report(&self, step: &Step) {
        if let Some(sink) = &self.0 {
            sink(step);
        }
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(sink)"
        } else {
            "Progress(none)"
        })
    }
}

/// Why a worker task did not give an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinFailure {
    /// The task was cancelled (the runtime shut down under it).
    Cancelled,
    /// The task panicked: a bug, with the panic's message.
    Panicked(String),
}

/// Tells a cancelled task from a panicked one, keeping the panic's message.
pub fn join_failure(error: tokio::task::JoinError) -> JoinFailure {
    if error.is_cancelled() {
        return JoinFailure::Cancelled;
    }
    let payload = error.into_panic();
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string());
    JoinFailure::Panicked(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_task_is_told_apart_from_a_cancelled_one() {
        let panicked = tokio::spawn(async { panic!("the plan lost a file") }).await;
        assert_eq!(
            join_failure(panicked.unwrap_err()),
            JoinFailure::Panicked("the plan lost a file".into())
        );
        let formatted = tokio::task::spawn_blocking(|| panic!("{} of {}", 3, 4)).await;
        assert_eq!(
            join_failure(formatted.unwrap_err()),
            JoinFailure::Panicked("3 of 4".into())
        );
        let task = tokio::spawn(std::future::pending::<()>());
        task.abort();
        assert_eq!(
            join_failure(task.await.unwrap_err()),
            JoinFailure::Cancelled
        );
    }
}
