//! What a plan warns about, as data with its plain words.

use std::fmt;

use serde::{Serialize, Serializer};

/// Something about a planned layer worth a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanWarning {
    /// Two packages put different files at the same path; the later one's copy is kept.
    SamePath {
        path: String,
        first: String,
        kept: String,
    },
    /// One zip for several runtimes: a script in `bin/` starts one Python, so it is written
    /// for the newest runtime that brings it and does not run on the others.
    ScriptForOne {
        path: String,
        kept_for: String,
        not_for: String,
    },
    /// One zip for several runtimes: each reads only its own `site-packages`, so a wheel chosen
    /// for several is stored once a tree.
    StoredTwice {
        runtimes: Vec<String>,
        packages: Vec<String>,
        /// Unzipped bytes the extra copies take.
        extra_bytes: u64,
    },
    /// A binary of your own (an addition) that will not load on the target: the same checks
    /// as the wheels' native files (architecture, glibc, macOS or Windows binaries).
    AddedDoesNotLoad {
        path: String,
        target: String,
        problems: Vec<String>,
    },
}

impl fmt::Display for PlanWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanWarning::SamePath { path, first, kept } => write!(
                f,
                "{path} is in both {first} and {kept}; the copy from {kept} is kept"
            ),
            PlanWarning::ScriptForOne {
                path,
                kept_for,
                not_for,
            } => write!(
                f,
                "{path} is written for {kept_for} (a script starts one Python); on {not_for} it will not run"
            ),
            PlanWarning::AddedDoesNotLoad {
                path,
                target,
                problems,
            } => write!(
                f,
                "{path} (yours) will not load on {target}: {}",
                problems.join("; ")
            ),
            PlanWarning::StoredTwice {
                runtimes,
                packages,
                extra_bytes,
            } => write!(
                f,
                "{} read only their own site-packages, so nothing is shared between them: {} {} stored once for each, {} more unzipped than one copy",
                runtimes.join(" and "),
                packages.join(", "),
                if packages.len() == 1 { "is" } else { "are" },
                crate::units::human_bytes(*extra_bytes)
            ),
        }
    }
}

impl Serialize for PlanWarning {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
