//! A runtime past its deprecation date: said once when resolving or building for it, with the
//! dates from the runtime table, and the supported runtimes to move to.

use std::fmt;

use serde::Serialize;

use super::{Runtime, RuntimeTable, Target};

/// The target's runtime is deprecated on the day asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deprecated {
    pub runtime: String,
    /// Where it stands: "deprecated since 2025-12-15 (no security patches); new functions
    /// blocked from …", "deprecated; new functions and updates blocked since …".
    pub standing: String,
    /// The table's dates (ISO), where AWS has published them.
    pub deprecation: Option<String>,
    pub block_create: Option<String>,
    pub block_update: Option<String>,
    /// The table's note on the dates, if any.
    pub note: Option<String>,
    /// Runtimes still supported on the same architecture, newest first.
    pub supported: Vec<String>,
    /// The day the table's dates were checked ("as of 2026-12-04", with the user's file).
    pub as_of: String,
    /// When the dates are older than 180 days: that AWS may have moved them, and where to put
    /// newer ones.
    pub stale: Option<String>,
}

/// Whether `runtime` is supported on `today` (an ISO date).
pub fn is_supported(runtime: &Runtime, today: &str) -> bool {
    runtime.lifecycle(today).is_supported()
}

/// The notice for `target` on `today`, or `None` while its runtime is supported.
pub fn deprecation(table: &RuntimeTable, target: &Target, today: &str) -> Option<Deprecated> {
    let runtime = &target.runtime;
    let standing = runtime.lifecycle(today);
    if standing.is_supported() {
        return None;
    }
    let supported = table
        .runtimes
        .iter()
        .rev()
        .filter(|r| r.architectures.contains(&target.arch) && is_supported(r, today))
        .map(|r| r.name.clone())
        .collect();
    Some(Deprecated {
        runtime: runtime.name.clone(),
        standing: standing.to_string(),
        deprecation: runtime.deprecation.clone(),
        block_create: runtime.block_create.clone(),
        block_update: runtime.block_update.clone(),
        note: runtime.note.clone(),
        supported,
        as_of: table.as_of_words(),
        stale: table.staleness(today).map(|s| s.to_string()),
    })
}

impl fmt::Display for Deprecated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is {} (AWS's dates {})",
            self.runtime, self.standing, self.as_of
        )?;
        if let Some(note) = &self.note {
            write!(f, "; {note}")?;
        }
        match self.supported.as_slice() {
            [] => f.write_str(". No Python runtime is supported on this architecture today.")?,
            names => write!(f, ". Supported runtimes: {}.", names.join(", "))?,
        }
        if let Some(stale) = &self.stale {
            write!(f, " Note: {stale}.")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supported_runtime_has_no_notice_and_a_deprecated_one_gives_its_phase_and_successors() {
        let table = RuntimeTable::builtin();
        let target = table.target(Some("python3.10"), Some("arm64")).unwrap();
        assert_eq!(deprecation(&table, &target, "2026-10-30"), None);
        let notice = deprecation(&table, &target, "2026-12-04").unwrap();
        assert_eq!(notice.supported[0], "python3.14");
        assert!(notice.supported.contains(&"python3.11".to_string()));
        assert_eq!(
            notice.to_string(),
            format!(
                "python3.10 is deprecated since 2026-10-31 (no security patches); new functions blocked from 2027-02-01, updates from 2027-03-03 (AWS's dates as of {}). Supported runtimes: python3.14, python3.13, python3.12, python3.11.",
                table.as_of
            )
        );
        let nine = table.target(Some("python3.9"), None).unwrap();
        let text = deprecation(&table, &nine, "2027-03-03")
            .unwrap()
            .to_string();
        assert!(
            text.starts_with(
                "python3.9 is deprecated; new functions and updates blocked since 2027-03-03"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_notice_on_a_day_long_after_the_table_says_the_dates_may_have_moved() {
        let table = RuntimeTable::builtin();
        let target = table.target(Some("python3.9"), None).unwrap();
        let later = deprecation(&table, &target, "2029-01-01").unwrap();
        let text = later.to_string();
        assert!(text.contains("AWS may have moved them since"), "{text}");
        assert!(
            deprecation(&table, &target, &table.as_of)
                .unwrap()
                .stale
                .is_none()
        );
    }
}
