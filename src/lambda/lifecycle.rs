//! Where a runtime stands on a given day, in AWS's phases: supported; deprecated (no more
//! patches, functions can still be created and updated); creation blocked; updates blocked
//! (functions still run). The days come from the runtime table; the clock is passed in.

use std::fmt;

use super::Runtime;

/// Where a runtime stands in its life cycle on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lifecycle {
    /// AWS patches it; `deprecation` is the announced end of that, if any.
    Supported { deprecation: Option<String> },
    /// No more security patches since `since`; functions can still be created and updated
    /// until the blocking dates (when announced).
    Deprecated {
        since: String,
        block_create: Option<String>,
        block_update: Option<String>,
    },
    /// New functions cannot use it since `since`; existing ones can still be updated until
    /// `block_update`.
    CreateBlocked {
        since: String,
        block_update: Option<String>,
    },
    /// Functions can be neither created nor updated with it since `since` (they still run).
    UpdateBlocked { since: String },
}

impl Lifecycle {
    /// Whether AWS still supports the runtime on that day.
    pub fn is_supported(&self) -> bool {
        matches!(self, Lifecycle::Supported { .. })
    }

    /// The phase in a few words, for a row of a list ("deprecated since 2026-10-31"); the
    /// `Display` form has every date still ahead.
    pub fn short(&self) -> String {
        match self {
            Lifecycle::Supported {
                deprecation: Some(d),
            } => format!("supported until {d}"),
            Lifecycle::Supported { deprecation: None } => "supported".into(),
            Lifecycle::Deprecated { since, .. } => format!("deprecated since {since}"),
            Lifecycle::CreateBlocked { since, .. } => {
                format!("deprecated, no new functions since {since}")
            }
            Lifecycle::UpdateBlocked { since } => format!("deprecated, no updates since {since}"),
        }
    }
}

impl fmt::Display for Lifecycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lifecycle::Supported {
                deprecation: Some(d),
            } => write!(f, "supported until {d}"),
            Lifecycle::Supported { deprecation: None } => f.write_str("supported"),
            Lifecycle::Deprecated {
                since,
                block_create,
                block_update,
            } => {
                write!(f, "deprecated since {since} (no security patches)")?;
                match (block_create, block_update) {
                    (Some(c), Some(u)) => {
                        write!(f, "; new functions blocked from {c}, updates from {u}")
                    }
                    (Some(c), None) => write!(f, "; new functions blocked from {c}"),
                    (None, Some(u)) => write!(f, "; updates blocked from {u}"),
                    (None, None) => f.write_str("; no blocking dates announced"),
                }
            }
            Lifecycle::CreateBlocked {
                since,
                block_update,
            } => {
                write!(f, "deprecated; new functions blocked since {since}")?;
                match block_update {
                    Some(u) => write!(f, ", updates of existing ones from {u}"),
                    None => f.write_str(", existing ones can still be updated"),
                }
            }
            Lifecycle::UpdateBlocked { since } => write!(
                f,
                "deprecated; new functions and updates blocked since {since} (existing functions still run)"
            ),
        }
    }
}

impl Runtime {
    /// The life-cycle stage on `today` (an ISO date; ISO dates compare as strings).
    pub fn lifecycle(&self, today: &str) -> Lifecycle {
        let passed = |d: &Option<String>| d.as_deref().filter(|d| *d <= today).map(String::from);
        if let Some(since) = passed(&self.block_update) {
            Lifecycle::UpdateBlocked { since }
        } else if let Some(since) = passed(&self.block_create) {
            Lifecycle::CreateBlocked {
                since,
                block_update: self.block_update.clone(),
            }
        } else if let Some(since) = passed(&self.deprecation) {
            Lifecycle::Deprecated {
                since,
                block_create: self.block_create.clone(),
                block_update: self.block_update.clone(),
            }
        } else {
            Lifecycle::Supported {
                deprecation: self.deprecation.clone(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lambda::RuntimeTable;

    /// python3.10 (deprecated 2026-10-31, creation blocked 2027-02-01, updates 2027-03-03), on
    /// a day of each phase; the clock is the argument, never the machine's.
    #[test]
    fn each_phase_is_said_with_the_dates_still_ahead() {
        let table = RuntimeTable::builtin();
        let r = table.runtime("python3.10").unwrap();
        let said = |day: &str| r.lifecycle(day).to_string();
        assert_eq!(said("2026-06-01"), "supported until 2026-10-31");
        assert!(r.lifecycle("2026-10-30").is_supported());
        assert_eq!(
            said("2026-10-31"),
            "deprecated since 2026-10-31 (no security patches); new functions blocked from 2027-02-01, updates from 2027-03-03"
        );
        assert_eq!(
            said("2027-02-01"),
            "deprecated; new functions blocked since 2027-02-01, updates of existing ones from 2027-03-03"
        );
        assert_eq!(
            said("2027-03-03"),
            "deprecated; new functions and updates blocked since 2027-03-03 (existing functions still run)"
        );
    }

    #[test]
    fn a_deprecated_runtime_without_blocking_dates_says_none_are_announced() {
        let mut table = RuntimeTable::builtin();
        let r = table
            .runtimes
            .iter_mut()
            .find(|r| r.name == "python3.14")
            .unwrap();
        r.block_create = None;
        r.block_update = None;
        assert_eq!(
            r.lifecycle("2029-07-01").to_string(),
            "deprecated since 2029-06-30 (no security patches); no blocking dates announced"
        );
    }
}
