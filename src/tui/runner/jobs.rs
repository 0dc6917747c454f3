//! The one contract for background work: every job the runner starts, async or on the blocking
//! pool, goes through [`Jobs`], which owns
//! - its slot: one job of a kind at a time; a newer one cancels the older (latest wins);
//! - its generation: the runner's own count per slot, so that the answer of a replaced job is
//!   dropped even when it finished just as it was replaced;
//! - its cancellation token, handed to the work (the engine's long calls take it);
//! - what a cancel or a panic answers: a cancel answers nothing, or the job's own answer when
//!   the job says what a cancel left ([`OnCancel::Answers`]: an export, a publish, an opening);
//!   a panic answers the job's failure message with an internal error
//!   ([`work::join_failure`](wheelbarrow::work::join_failure)), so whatever was waiting on it
//!   stops waiting (its spinner stops).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::runtime::Handle;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use wheelbarrow::work::join_failure;

use super::super::failure::Failure;
use super::super::msg::Msg;

/// The kinds of background job; one of each runs at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The debounce before a search result's peek.
    PeekTimer,
    /// A search result's project page, for the peek.
    Peek,
    /// The project page of the package pane.
    Project,
    /// The layer's resolution, then its plan.
    Layer,
    Export,
    /// Connecting to AWS, then publishing.
    Publish,
    /// The matrix's resolutions on several targets.
    Targets,
    /// The matrix's offers (the newest release that loads on each target).
    Offers,
    /// A layer zip opened to be looked at.
    OpenZip,
    /// A requirements file opened.
    OpenFile,
    /// An addition of the user's own checked.
    Addition,
    /// A path completed from the file system.
    Complete,
    Save,
    /// The picks remembered for the search.
    Remember,
    /// The project-name list loaded, then refreshed.
    Names,
}

const SLOTS: usize = Slot::Names as usize + 1;

/// What cancelling a job answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnCancel {
    /// Nothing: the job is dropped (an async one at its next await) and so is its answer.
    Silent,
    /// The job's own answer: it watches its token and says what the cancel left.
    Answers,
}

/// How a job is run: its slot, what it is doing (for a panic's words), what a cancel answers.
#[derive(Debug, Clone, Copy)]
pub struct Job {
    pub slot: Slot,
    /// "resolving", "exporting": said after "internal error while" when it panics.
    pub doing: &'static str,
    pub on_cancel: OnCancel,
}

impl Job {
    /// A job dropped silently when cancelled.
    pub fn new(slot: Slot, doing: &'static str) -> Job {
        Job {
            slot,
            doing,
            on_cancel: OnCancel::Silent,
        }
    }

    /// A job that answers after a cancel too.
    pub fn answering_cancel(self) -> Job {
        Job {
            on_cancel: OnCancel::Answers,
            ..self
        }
    }
}

/// The jobs running, one slot per kind.
pub struct Jobs {
    /// The tasks' runtime (not the screen's).
    handle: Handle,
    tx: UnboundedSender<Msg>,
    tokens: [Option<CancellationToken>; SLOTS],
    /// The generation of the newest job of each slot.
    latest: Arc<[AtomicU64; SLOTS]>,
}

impl Jobs {
    pub fn new(handle: Handle, tx: UnboundedSender<Msg>) -> Jobs {
        Jobs {
            handle,
            tx,
            tokens: Default::default(),
            latest: Arc::new(std::array::from_fn(|_| AtomicU64::new(0))),
        }
    }

    /// Where answers go (for the progress sinks of the jobs).
    pub fn sender(&self) -> &UnboundedSender<Msg> {
        &self.tx
    }

    /// Runs `work` (given its token) on the runtime in `job`'s slot, after cancelling the job
    /// there. Its answer goes out unless a newer job replaced it; a panic answers `failed`.
    pub fn spawn<Fut, A>(
        &mut self,
        job: Job,
        work: impl FnOnce(CancellationToken) -> Fut,
        failed: impl FnOnce(Failure) -> Msg + Send + 'static,
    ) where
        Fut: Future<Output = A> + Send + 'static,
        A: Into<Option<Msg>> + Send + 'static,
    {
        let (token, generation) = self.renew(job.slot);
        let task = self.handle.spawn(work(token.clone()));
        self.supervise(job, generation, token, task, failed);
    }

    /// As [`Jobs::spawn`], for work that blocks (the file system, a zip, a lock).
    pub fn spawn_blocking<A>(
        &mut self,
        job: Job,
        work: impl FnOnce(CancellationToken) -> A + Send + 'static,
        failed: impl FnOnce(Failure) -> Msg + Send + 'static,
    ) where
        A: Into<Option<Msg>> + Send + 'static,
    {
        let (token, generation) = self.renew(job.slot);
        let cancel = token.clone();
        let task = self.handle.spawn_blocking(move || work(cancel));
        self.supervise(job, generation, token, task, failed);
    }

    /// Cancels the job in `slot`, if one runs.
    pub fn cancel(&mut self, slot: Slot) {
        if let Some(token) = self.tokens[slot as usize].take() {
            token.cancel();
        }
    }

    /// Cancels the slot's job and makes way for a new one: its token and generation.
    fn renew(&mut self, slot: Slot) -> (CancellationToken, u64) {
        self.cancel(slot);
        let token = CancellationToken::new();
        self.tokens[slot as usize] = Some(token.clone());
        let generation = self.latest[slot as usize].fetch_add(1, Ordering::SeqCst) + 1;
        (token, generation)
    }

    /// Waits for `task` and sends what it answers, per the contract above.
    fn supervise<A>(
        &self,
        job: Job,
        generation: u64,
        token: CancellationToken,
        mut task: JoinHandle<A>,
        failed: impl FnOnce(Failure) -> Msg + Send + 'static,
    ) where
        A: Into<Option<Msg>> + Send + 'static,
    {
        let (tx, latest) = (self.tx.clone(), self.latest.clone());
        self.handle.spawn(async move {
            let joined = match job.on_cancel {
                // A cancel wins over an answer that comes at the same moment.
                OnCancel::Silent => tokio::select! {
                    biased;
                    () = token.cancelled() => {
                        task.abort();
                        return;
                    }
                    joined = &mut task => joined,
                },
                OnCancel::Answers => task.await,
            };
            let answer = match joined {
                Ok(answer) => answer.into(),
                Err(e) => Failure::joined(job.doing, join_failure(e)).map(failed),
            };
            let replaced = latest[job.slot as usize].load(Ordering::SeqCst) != generation;
            if let (Some(msg), false) = (answer, replaced) {
                let _ = tx.send(msg);
            }
        });
    }
}

/// Runs `work` on the blocking pool from inside a job. A panic there is the job's own panic
/// (its message kept), so the contract answers it as the job's failure.
pub async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(answer) => answer,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        // The runtime is shutting down: nobody waits for the answer.
        Err(_) => std::future::pending().await,
    }
}
