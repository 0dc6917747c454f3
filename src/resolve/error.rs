//! Why a resolution failed, each way in words and as data.

use super::advice::Advice;
use super::conflict::Conflict;
use super::hashes::HashProblem;
use super::requirements::RequirementError;
use crate::index::IndexError;
use crate::lambda::Target;

/// Why a resolution failed.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("{0}")]
    NoSolution(Box<NoSolution>),
    /// Several targets asked for one set of wheels, and some project has none that loads on
    /// all of them.
    #[error("{0}")]
    NotPortable(Box<super::portable::NotPortable>),
    #[error("{0}")]
    PinnedFileRefused(Box<PinnedRefusal>),
    #[error("{0}")]
    Hashes(HashProblem),
    /// A lock file's version of a project has no wheel that loads on the target.
    #[error("{0}")]
    LockedRefused(Box<LockedRefusal>),
    #[error("{project} has no file named {filename} on the index")]
    PinnedFileMissing { project: String, filename: String },
    /// A wheel named by URL or path that cannot be used (its hash, its METADATA).
    #[error("{origin}: {problem}")]
    Direct { origin: String, problem: String },
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Requirement(#[from] RequirementError),
    #[error("no requirements given")]
    Nothing,
    #[error("cancelled")]
    Cancelled,
    /// A bug: a worker panicked. Never shown as a cancellation.
    #[error("internal error while resolving: {0}")]
    Internal(String),
}

/// Nothing fits: the facts that clash, in words and as data.
#[derive(Debug, Clone)]
pub struct NoSolution {
    /// `python3.12 on x86_64`.
    pub target: String,
    /// The facts that clash, as data.
    pub conflict: Conflict,
    /// The same, one line a fact (and the quiet notes), in words.
    pub explanation: Vec<String>,
    /// What to do for the projects that have no loading file, as data with hints.
    pub advice: Vec<Advice>,
    /// PubGrub's step-by-step derivation, bounded (for a detail view).
    pub derivation: String,
}

impl std::fmt::Display for NoSolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no set of versions fits {}, because:\n{}",
            self.target,
            self.conflict.to_string().trim_end()
        )
    }
}

/// A file the user chose that does not load on the target.
#[derive(Debug, Clone)]
pub struct PinnedRefusal {
    pub project: String,
    pub filename: String,
    pub target: Target,
    pub verdict: crate::wheel::Verdict,
    /// The newest version of the project with a file that loads there (not looked for when
    /// the file was named by URL or path).
    pub loads: Option<String>,
    /// The URL (or `file://` path) the file was named by, when it was.
    pub direct: Option<String>,
}

impl std::fmt::Display for PinnedRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(url) = &self.direct {
            return write!(
                f,
                "{} ({url}) does not load on {}: {}. It was named by URL or path, so no other build of {} is tried: name a wheel that loads there, or a version and let wheelbarrow choose the build.",
                self.filename, self.target, self.verdict.reason, self.project
            );
        }
        write!(
            f,
            "{} does not load on {}: {}.",
            self.filename, self.target, self.verdict.reason
        )?;
        match &self.loads {
            Some(v) => write!(f, " {} {v} has a file that loads there.", self.project),
            None => write!(
                f,
                " No release of {} has a file that loads there.",
                self.project
            ),
        }
    }
}

/// A locked version with no wheel that loads on the target: the file closest to loading and the
/// version nearest the locked one that does load.
#[derive(Debug, Clone)]
pub struct LockedRefusal {
    pub project: String,
    /// The locked version (several when the lock forks by marker, joined with " / ").
    pub version: String,
    /// Where the lock has it: `uv.lock:12`.
    pub origin: String,
    pub target: Target,
    /// The locked release's wheel closest to loading, with its verdict; `None` when the lock
    /// gives no wheel of it at all (a source distribution only).
    pub closest: Option<(String, Box<crate::wheel::Verdict>)>,
    /// The version nearest the locked one with a wheel that loads on the target.
    pub nearest: Option<String>,
    /// The sha256 of that version's files as the index lists them (to take it instead while
    /// the lock's hash-checking stays on).
    pub nearest_hashes: Vec<String>,
}

impl std::fmt::Display for LockedRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let relock = std::path::Path::new(
            self.origin
                .rsplit_once(':')
                .map_or(self.origin.as_str(), |(file, _)| file),
        );
        let relock = super::lock::LockFormat::of(relock).map_or("your lock tool", |f| f.relock());
        write!(
            f,
            "{}: {} {} is locked, and no wheel of it loads on {}",
            self.origin, self.project, self.version, self.target
        )?;
        match &self.closest {
            Some((filename, verdict)) => write!(
                f,
                ": the closest, {filename}, is refused: {}.",
                verdict.reason
            )?,
            None => write!(
                f,
                ": the lock has only its source distribution, and a layer needs wheels (Lambda cannot build one, and wheelbarrow never builds for this machine)."
            )?,
        }
        match &self.nearest {
            Some(v) => write!(
                f,
                " {} {v} is the nearest version that loads there: pin {}=={v} in your project and lock again ({relock}), or choose another runtime.",
                self.project, self.project
            ),
            None => write!(
                f,
                " No version of {} has a wheel that loads there: choose another runtime, or another project.",
                self.project
            ),
        }
    }
}
