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
}

impl fmt::Display for PlanWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanWarning::SamePath { path, first, kept } => write!(
                f,
                "{path} is in both {first} and {kept}; the copy from {kept} is kept"
            ),
        }
    }
}

impl Serialize for PlanWarning {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
