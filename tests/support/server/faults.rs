//! Failure injection: injected statuses and dropped connections, delays, malformed or padded
//! bodies and wrong advertised hashes, and the bookkeeping that consumes them.

use std::sync::atomic::Ordering as AtomicOrdering;
use std::thread;
use std::time::{Duration, Instant};

use super::super::wheel::sha256_hex;
use super::response::Response;
use super::{Shared, State, StoredFile, TestIndex, lock};

pub(super) struct Fault {
    prefix: String,
    remaining: usize,
    action: FaultAction,
}

#[derive(Clone, Copy)]
pub(super) enum FaultAction {
    Status(u16, Option<u64>),
    Drop,
}

/// The longest a [`TestIndex::delay`] may hold a request.
const MAX_DELAY: Duration = Duration::from_secs(120);

impl TestIndex {
    /// The next `count` requests whose path starts with `path_prefix` get `status` (with
    /// `Retry-After: <secs>` when given) instead of their answer.
    pub fn fail_next(
        &self,
        path_prefix: &str,
        count: usize,
        status: u16,
        retry_after_secs: Option<u64>,
    ) {
        self.add_fault(
            path_prefix,
            count,
            FaultAction::Status(status, retry_after_secs),
        );
    }

    /// The next `count` requests whose path starts with `path_prefix` are read, logged with
    /// status 0, and their connection closed without an answer.
    pub fn drop_next(&self, path_prefix: &str, count: usize) {
        self.add_fault(path_prefix, count, FaultAction::Drop);
    }

    /// Every later request whose path starts with `path_prefix` waits `d` (at most two minutes)
    /// before being handled. The wait ends early, without an answer, when the index is dropped.
    /// A zero duration removes the delay for that prefix.
    pub fn delay(&self, path_prefix: &str, d: Duration) {
        let mut state = lock(&self.shared.state);
        state.delays.retain(|(p, _)| p != path_prefix);
        if !d.is_zero() {
            state
                .delays
                .push((path_prefix.to_owned(), d.min(MAX_DELAY)));
        }
    }

    /// Every later successful answer to a path starting with `path_prefix` has its body
    /// truncated to half and followed by garbage, keeping its status and content type.
    pub fn malformed(&self, path_prefix: &str) {
        lock(&self.shared.state)
            .malformed
            .push(path_prefix.to_owned());
    }

    /// Every later whole-file download (a GET of a `/files/…whl` without `Range`) waits `d` (at
    /// most two minutes), ending early without an answer when the index is dropped. Range
    /// requests and `.metadata` files are answered at once.
    pub fn delay_downloads(&self, d: Duration) {
        lock(&self.shared.state).download_delay = Some(d.min(MAX_DELAY));
    }

    /// Every request path that has reached the index so far, logged on arrival (before any
    /// delay), in order.
    pub fn arrivals(&self) -> Vec<String> {
        lock(&self.shared.state).arrivals.clone()
    }

    /// Every later successful answer to a path starting with `path_prefix` is followed by
    /// `extra` bytes of spaces (still valid JSON or HTML, only much larger).
    pub fn pad(&self, path_prefix: &str, extra: usize) {
        lock(&self.shared.state)
            .padding
            .push((path_prefix.to_owned(), extra));
    }

    /// Advertise a wrong sha256 for this file everywhere (JSON API digests, simple JSON hashes,
    /// the HTML `#sha256=` fragment). May be called before the file is added.
    pub fn wrong_sha256(&self, filename: &str) {
        let mut state = lock(&self.shared.state);
        state.serial += 1;
        let serial = state.serial;
        state.wrong_sha.insert(filename.to_owned());
        for p in state.projects.values_mut() {
            if p.files.iter().any(|f| f.filename == filename) {
                p.serial = serial;
            }
        }
    }

    /// Removes every pending fault, delay and malformed rule.
    pub fn clear_faults(&self) {
        let mut state = lock(&self.shared.state);
        state.faults.clear();
        state.delays.clear();
        state.malformed.clear();
        state.padding.clear();
        state.download_delay = None;
    }

    fn add_fault(&self, prefix: &str, count: usize, action: FaultAction) {
        if count > 0 {
            lock(&self.shared.state).faults.push(Fault {
                prefix: prefix.to_owned(),
                remaining: count,
                action,
            });
        }
    }
}

/// Waits out the delay registered for `path`, if any; false when the index shut down meanwhile.
pub(super) fn wait_out_delay(shared: &Shared, path: &str, whole_download: bool) -> bool {
    let mut state = lock(&shared.state);
    state.arrivals.push(path.to_owned());
    let delay = state
        .delays
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix.as_str()))
        .map(|(_, d)| *d)
        .or(state.download_delay.filter(|_| whole_download));
    drop(state);
    if let Some(d) = delay
        && !sleep_unless_shutdown(d, shared)
    {
        return false;
    }
    true
}

fn sleep_unless_shutdown(d: Duration, shared: &Shared) -> bool {
    let until = Instant::now() + d.min(MAX_DELAY);
    loop {
        if shared.shutdown.load(AtomicOrdering::SeqCst) {
            return false;
        }
        let now = Instant::now();
        if now >= until {
            return true;
        }
        thread::sleep((until - now).min(Duration::from_millis(10)));
    }
}

pub(super) fn take_fault(shared: &Shared, path: &str) -> Option<FaultAction> {
    let mut state = lock(&shared.state);
    let index = state
        .faults
        .iter()
        .position(|f| f.remaining > 0 && path.starts_with(f.prefix.as_str()))?;
    let fault = &mut state.faults[index];
    fault.remaining -= 1;
    let action = fault.action;
    if fault.remaining == 0 {
        state.faults.remove(index);
    }
    Some(action)
}

/// Truncates a 200 body to half and appends garbage when `path` is under a malformed rule.
pub(super) fn corrupt_if_malformed(shared: &Shared, path: &str, r: &mut Response) {
    let malformed = lock(&shared.state)
        .malformed
        .iter()
        .any(|prefix| path.starts_with(prefix.as_str()));
    if malformed && r.status == 200 {
        r.body.truncate(r.body.len() / 2);
        r.body.extend_from_slice(b"\x00\xff<<garbage \"{[");
    }
    let padding = lock(&shared.state)
        .padding
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix.as_str()))
        .map(|(_, extra)| *extra);
    if let Some(extra) = padding
        && r.status == 200
    {
        r.body.resize(r.body.len() + extra, b' ');
    }
}

pub(super) fn advertised_sha(state: &State, f: &StoredFile) -> String {
    if state.wrong_sha.contains(&f.filename) {
        let mut salted = f.bytes.as_ref().clone();
        salted.extend_from_slice(b"wrong");
        sha256_hex(&salted)
    } else {
        f.sha256.clone()
    }
}
