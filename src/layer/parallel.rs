//! Work on every item of a list, on both cores: the one way the layer's steps that take a
//! second per item (checking wheels, compiling bytecode) run, with the long-work contract
//! (progress per item done, cancellation between items, a worker's panic carried on).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio_util::sync::CancellationToken;

use super::LayerError;
use crate::work::{Phase, Progress, Step};

/// How many items run at once: this project's machines have two cores.
const WORKERS: usize = 2;

/// `each(i)` for `i` in `0..total`, `WORKERS` at a time, the results in order. Progress is
/// `phase` with the count done; a cancel stops before the next item and is the answer.
pub(super) fn each<T: Send>(
    total: usize,
    phase: Phase,
    progress: &Progress,
    cancel: &CancellationToken,
    each: impl Fn(usize) -> Result<T, LayerError> + Sync,
) -> Result<Vec<T>, LayerError> {
    let done = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<T, LayerError>>>> =
        (0..total).map(|_| Mutex::new(None)).collect();
    progress.report(&Step::new(phase, 0, Some(total as u64)));
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= total || cancel.is_cancelled() {
                            break;
                        }
                        let result = each(i);
                        *results[i]
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(result);
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        progress.report(&Step::new(phase, n as u64, Some(total as u64)));
                    }
                })
            })
            .collect();
        // A worker's panic goes on with its own message (the scope would replace it).
        for worker in workers {
            if let Err(payload) = worker.join() {
                std::panic::resume_unwind(payload);
            }
        }
    });
    if cancel.is_cancelled() {
        return Err(LayerError::Cancelled);
    }
    results
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .unwrap_or(Err(LayerError::Cancelled))
        })
        .collect()
}
