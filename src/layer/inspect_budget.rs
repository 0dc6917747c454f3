//! One budget for everything inspecting a zip inflates, across the whole zip. Each member is
//! inflated at most once to its own declared size, but a zip can declare hundreds of members of
//! 250 MB each that all point at one small deflate stream (a "zip bomb" of overlapping
//! entries): checked one at a time, each fits, and together they cost minutes of CPU. So every
//! read is charged, before it is inflated, against one budget: what a layer may hold unzipped
//! (Lambda's limit), plus a margin for the headers read twice. When a member would go over, it
//! and every member after it are left unread, and the inspection says so
//! ([`InspectProblem::InflateBudget`]).
//!
//! Reads also hear the cancellation token (Ctrl-C, SIGTERM, the TUI's interrupt key) between
//! members, and report how much was inflated as [`Phase::Inspecting`] steps.

use std::cell::{Cell, RefCell};
use std::path::Path;

use tokio_util::sync::CancellationToken;

use super::LayerError;
use super::inspect_problem::InspectProblem;
use crate::index::{ZipEntry, zipdir};
use crate::work::{Phase, Progress, Step};

/// Inflated beyond Lambda's unzipped limit: the first bytes of members read twice (a `.pyc`'s
/// header, a script's `#!` line, a binary's ELF header), never whole members.
pub const INSPECT_MARGIN: u64 = 16 << 20;

/// How often progress is reported: after this many bytes inflated, or this many reads.
const REPORT_BYTES: u64 = 1 << 20;
const REPORT_READS: u64 = 256;

/// Why a member's bytes were not given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unread {
    /// The member is damaged (does not inflate, fails its CRC, points past the end).
    Broken(String),
    /// The budget is spent, or the inspection was cancelled: nothing more is inflated.
    Stopped,
}

/// The zip's bytes, and what reading its members may still cost.
pub(super) struct Inflater<'a> {
    bytes: &'a [u8],
    limit: u64,
    budget: u64,
    spent: Cell<u64>,
    reads: Cell<u64>,
    reported: Cell<(u64, u64)>,
    /// The member whose read would have gone over the budget, and what it claimed.
    over: RefCell<Option<(String, u64)>>,
    progress: &'a Progress,
    cancel: &'a CancellationToken,
}

impl<'a> Inflater<'a> {
    /// A budget of `limit` (Lambda's unzipped limit) plus [`INSPECT_MARGIN`].
    pub(super) fn new(
        bytes: &'a [u8],
        limit: u64,
        progress: &'a Progress,
        cancel: &'a CancellationToken,
    ) -> Inflater<'a> {
        Inflater {
            bytes,
            limit,
            budget: limit.saturating_add(INSPECT_MARGIN),
            spent: Cell::new(0),
            reads: Cell::new(0),
            reported: Cell::new((0, 0)),
            over: RefCell::new(None),
            progress,
            cancel,
        }
    }

    pub(super) fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Whether the inspection was cancelled.
    pub(super) fn cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// A member's whole contents, checked against its size and CRC-32.
    pub(super) fn member(&self, entry: &ZipEntry) -> Result<Vec<u8>, Unread> {
        let before = self.charge(entry, entry.size)?;
        // Each megabyte inflated is reported, and the token asked.
        let stop = |inflated: u64| {
            self.inflated(before + inflated, &entry.name);
            self.cancelled()
        };
        let read = zipdir::read_member_until(self.bytes, entry, &stop);
        self.inflated(before + entry.size, &entry.name);
        read.map_err(|e| {
            if self.cancelled() {
                Unread::Stopped
            } else {
                Unread::Broken(e)
            }
        })
    }

    /// A member's first `n` bytes (fewer when it is shorter).
    pub(super) fn prefix(&self, entry: &ZipEntry, n: usize) -> Result<Vec<u8>, Unread> {
        let cost = entry.size.min(n as u64);
        let before = self.charge(entry, cost)?;
        self.inflated(before + cost, &entry.name);
        zipdir::read_prefix(self.bytes, entry, n).map_err(Unread::Broken)
    }

    /// Takes `cost` from the budget (what was spent before it, the answer), or refuses that
    /// member and every read after it.
    fn charge(&self, entry: &ZipEntry, cost: u64) -> Result<u64, Unread> {
        if self.cancelled() || self.over.borrow().is_some() {
            return Err(Unread::Stopped);
        }
        let spent = self.spent.get();
        if spent.saturating_add(cost) > self.budget {
            *self.over.borrow_mut() = Some((entry.name.clone(), entry.size));
            return Err(Unread::Stopped);
        }
        self.spent.set(spent + cost);
        self.reads.set(self.reads.get() + 1);
        Ok(spent)
    }

    /// Reports `inflated` bytes so far, at most every megabyte or every few hundred reads.
    fn inflated(&self, inflated: u64, name: &str) {
        let (bytes, reads) = self.reported.get();
        if inflated.saturating_sub(bytes) >= REPORT_BYTES
            || self.reads.get() - reads >= REPORT_READS
        {
            self.reported.set((inflated, self.reads.get()));
            self.progress
                .report(&Step::new(Phase::Inspecting, inflated, None).about(name));
        }
    }

    /// What the inspection left unread for the budget, when it did.
    pub(super) fn problem(&self) -> Option<InspectProblem> {
        let (path, size) = self.over.borrow().clone()?;
        Some(InspectProblem::InflateBudget {
            path,
            size,
            spent: self.spent.get(),
            budget: self.budget,
            limit: self.limit,
        })
    }
}

/// The bytes of the layer zip at `path`: a regular file of at most what a layer holds
/// unzipped plus the budget's margin (a zip of stored members is about that large; a larger
/// file cannot be a layer Lambda takes).
pub(super) fn read_layer_zip(
    path: &Path,
    limits: &crate::lambda::Limits,
) -> Result<Vec<u8>, LayerError> {
    use crate::local_file::{LocalFileError, read_regular};
    let limit = limits.unzipped_bytes.saturating_add(INSPECT_MARGIN);
    read_regular(path, limit, "a layer zip").map_err(|e| match e {
        LocalFileError::Io { path, error } => LayerError::io(path, error),
        refused => LayerError::NotALayer(refused.to_string()),
    })
}

/// Entries whose stored bytes overlap another entry's: the first pair, and how many entries
/// overlap one before them. No zip tool writes this; it is how a small zip unzips huge.
pub(super) fn overlapping(bytes: &[u8], entries: &[ZipEntry]) -> Option<InspectProblem> {
    let mut spans: Vec<(u64, u64, &str)> = entries
        .iter()
        .filter_map(|e| {
            let header = bytes.get(usize::try_from(e.offset).ok()?..)?;
            let len = zipdir::local_header_len(header).ok()?;
            let end = e.offset.checked_add(len)?.checked_add(e.compressed_size)?;
            Some((e.offset, end, e.name.as_str()))
        })
        .collect();
    spans.sort_unstable();
    let mut reach: Option<(u64, &str)> = None;
    let mut first = None;
    let mut count = 0;
    for (start, end, name) in spans {
        if let Some((far, owner)) = reach
            && start < far
        {
            count += 1;
            first.get_or_insert((owner.to_string(), name.to_string()));
        }
        if reach.is_none_or(|(far, _)| end > far) {
            reach = Some((end, name));
        }
    }
    let (first, second) = first?;
    Some(InspectProblem::Overlapping {
        first,
        second,
        entries: count,
    })
}
