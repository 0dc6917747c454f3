//! A runtime past its deprecation date: said once when resolving or building for it, with the
//! dates from the runtime table, and the supported runtimes to move to.

use std::fmt;

use serde::Serialize;

use super::{Lifecycle, Runtime, RuntimeTable, Target};

/// The target's runtime is deprecated on the day asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deprecated {
    pub runtime: String,
    /// Where it stands: "deprecated since 2025-12-15", "deprecated; updates blocked since …".
    pub standing: String,
    /// The table's dates (ISO), where AWS has published them.
    pub deprecation: Option<String>,
    pub block_create: Option<String>,
    pub block_update: Option<String>,
    /// The table's note on the dates, if any.
    pub note: Option<String>,
    /// Runtimes still supported on the same architecture, newest first.
    pub supported: Vec<String>,
}

/// Whether `runtime` is supported on `today` (an ISO date).
pub fn is_supported(runtime: &Runtime, today: &str) -> bool {
    matches!(runtime.lifecycle(today), Lifecycle::Supported { .. })
}

/// The notice for `target` on `today`, or `None` while its runtime is supported.
pub fn deprecation(table: &RuntimeTable, target: &Target, today: &str) -> Option<Deprecated> {
    let runtime = &target.runtime;
    let standing = runtime.lifecycle(today);
    if matches!(standing, Lifecycle::Supported { .. }) {
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
    })
}

impl fmt::Display for Deprecated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.deprecation {
            Some(since) => write!(f, "{} is deprecated since {since}", self.runtime)?,
            None => write!(f, "{} is {}", self.runtime, self.standing)?,
        }
        let mut dates = Vec::new();
        if let Some(d) = &self.block_create {
            dates.push(format!("new functions blocked from {d}"));
        }
        if let Some(d) = &self.block_update {
            dates.push(format!("updates from {d}"));
        }
        if !dates.is_empty() {
            write!(f, ": {}", dates.join(", "))?;
        }
        if let Some(note) = &self.note {
            write!(f, "; {note}")?;
        }
        match self.supported.as_slice() {
            [] => f.write_str(". No Python runtime is supported on this architecture today."),
            names => write!(
                f,
                ". Supported runtimes: {} (the runtime table's dates).",
                names.join(", ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supported_runtime_has_no_notice_and_a_deprecated_one_gives_its_dates_and_successors() {
        let table = RuntimeTable::builtin();
        let target = table.target(Some("python3.11"), Some("arm64")).unwrap();
        assert_eq!(deprecation(&table, &target, "2026-01-01"), None);
        let notice = deprecation(&table, &target, "2026-07-15").unwrap();
        assert_eq!(notice.supported[0], "python3.14");
        assert!(!notice.supported.contains(&"python3.10".to_string()));
        assert_eq!(
            notice.to_string(),
            "python3.11 is deprecated since 2026-06-30: new functions blocked from 2026-07-31, updates from 2026-08-31. Supported runtimes: python3.14, python3.13, python3.12 (the runtime table's dates)."
        );
        let nine = table.target(Some("python3.9"), None).unwrap();
        let text = deprecation(&table, &nine, "2026-01-01")
            .unwrap()
            .to_string();
        assert!(
            text.starts_with("python3.9 is deprecated since 2025-12-15; AWS revised"),
            "{text}"
        );
    }
}
