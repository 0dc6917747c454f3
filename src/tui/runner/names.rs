//! The project-name list behind the search: loaded from the store at start, handed to the
//! search worker at once, then refreshed from the index when stale.

use std::sync::Arc;

use wheelbarrow::search::SearchWorker;
use wheelbarrow::search::store::NameStore;
use wheelbarrow::work::Progress;

use super::super::failure::Failure;
use super::super::msg::Msg;
use super::{Job, Runner, Slot, blocking};

impl Runner {
    /// Loads the stored name list (handing it to the search worker at once), then refreshes
    /// it from the index when stale, with progress. A panic (in the loader too) says so.
    pub fn load_names(&mut self) {
        let (client, worker) = (self.client.clone(), self.search.clone());
        let tx = self.jobs.sender().clone();
        self.jobs.spawn(
            Job::new(Slot::Names, "loading the project list"),
            move |cancel| async move {
                let store = NameStore::for_client(&client);
                let loader = store.clone();
                let stored = blocking(move || loader.load()).await;
                let stale = NameStore::is_stale(&client, stored.as_ref());
                let had = stored.as_ref().map(|s| s.list.len());
                let stored = match stored {
                    Some(s) => {
                        let count = s.list.len();
                        worker.set_list(Arc::new(s.list.clone()));
                        if !stale {
                            return Msg::NamesReady { count, note: None };
                        }
                        let _ = tx.send(Msg::NamesReady { count, note: None });
                        Some(s)
                    }
                    None if client.settings().offline => {
                        return Msg::NamesFailed(Failure::said(
                            "offline, and the project list is not cached yet",
                        ));
                    }
                    None => None,
                };
                let progress_tx = tx.clone();
                let progress = Progress::new(move |step| {
                    let _ = progress_tx.send(Msg::NamesProgress {
                        got: step.done,
                        total: step.total,
                    });
                });
                let refreshed = store.refresh(&client, stored, &progress, &cancel).await;
                refreshed_answer(refreshed, had, &worker)
            },
            Msg::NamesFailed,
        );
    }
}

/// What the refresh ended with: the new list (handed to the search worker), the cached one
/// with why it was not refreshed, or why there is none.
fn refreshed_answer<E: std::fmt::Display>(
    refreshed: Result<wheelbarrow::search::store::Stored, E>,
    had: Option<usize>,
    worker: &SearchWorker,
) -> Msg {
    match (refreshed, had) {
        (Ok(s), _) => {
            let count = s.list.len();
            worker.set_list(Arc::new(s.list));
            Msg::NamesReady { count, note: None }
        }
        (Err(e), Some(count)) => Msg::NamesReady {
            count,
            note: Some(format!(
                "could not refresh the project list ({e}); using the cached one"
            )),
        },
        (Err(e), None) => Msg::NamesFailed(Failure::said(format!(
            "could not download the project list ({e})"
        ))),
    }
}
