//! The matcher on its own thread: queries go in (the latest wins), snapshots come out.
//!
//! The caller never waits: [`SearchWorker::query`] only sends. The worker drains everything
//! queued before it starts, so a burst of keystrokes costs one search, for the last of them.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use super::known::Known;
use super::names::NameList;
use super::rank::{Matcher, Snapshot};

enum Request {
    Query { text: String, generation: u64 },
    SetList(Arc<NameList>),
}

/// A running search worker. Dropping it stops the thread.
pub struct SearchWorker {
    tx: Option<Sender<Request>>,
    thread: Option<JoinHandle<()>>,
}

impl SearchWorker {
    /// Starts the worker; `on_result` receives each snapshot (from the worker's thread).
    ///
    /// # Panics
    /// If the operating system cannot start a thread.
    pub fn spawn(
        list: Arc<NameList>,
        known: Arc<Known>,
        limit: usize,
        on_result: impl Fn(Snapshot) + Send + 'static,
    ) -> SearchWorker {
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("wheelbarrow-search".into())
            .spawn(move || run(&rx, Matcher::new(list, known), limit, &on_result))
            .expect("the search thread starts");
        SearchWorker {
            tx: Some(tx),
            thread: Some(thread),
        }
    }

    /// Asks for a search; an older query still queued is dropped.
    pub fn query(&self, text: &str, generation: u64) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Request::Query {
                text: text.to_string(),
                generation,
            });
        }
    }

    /// Swaps in a refreshed name list (the next query uses it).
    pub fn set_list(&self, list: Arc<NameList>) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Request::SetList(list));
        }
    }
}

impl Drop for SearchWorker {
    fn drop(&mut self) {
        drop(self.tx.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(rx: &Receiver<Request>, mut matcher: Matcher, limit: usize, on_result: &dyn Fn(Snapshot)) {
    while let Ok(first) = rx.recv() {
        let mut latest = None;
        for request in std::iter::once(first).chain(rx.try_iter()) {
            match request {
                Request::SetList(list) => matcher.set_list(list),
                Request::Query { text, generation } => latest = Some((text, generation)),
            }
        }
        if let Some((text, generation)) = latest {
            on_result(matcher.search(&text, generation, limit));
        }
    }
}
