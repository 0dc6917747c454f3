//! Verdicts for every file of a release, as the index lists them: wheels judged by their tags
//! and `Requires-Python`, source distributions named as such, yanked files marked.

use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};
use serde::Serialize;

use super::WheelName;
use super::verdict::Verdict;
use crate::index::{DistFile, FileKind, Project};
use crate::lambda::Target;

/// One file of a release with its verdict.
#[derive(Debug, Clone, Serialize)]
pub struct FileVerdict {
    pub file: DistFile,
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// A release's files, best first: compatible files in pip's order of preference, then the rest.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseVerdicts {
    pub version: String,
    pub files: Vec<FileVerdict>,
    /// Index into `files` of the file pip would install, if any loads.
    pub best: Option<usize>,
}

/// Whether `requires_python` admits the target's Python. Like pip's `--python-version 3.X`,
/// the runtime's version is taken as 3.X.0. A specifier that does not parse is ignored, as pip
/// does, and said so.
pub fn requires_python_allows(spec: &str, target: &Target) -> Result<bool, String> {
    let specifiers = VersionSpecifiers::from_str(spec).map_err(|e| e.to_string())?;
    let python = Version::new([3, u64::from(target.runtime.python_minor), 0]);
    Ok(specifiers.contains(&python))
}

/// The verdict for one file of a release on `target`.
pub fn file_verdict(file: &DistFile, target: &Target) -> Verdict {
    let refused = |reason: String| Verdict {
        compatible: false,
        reason,
        best_tag: None,
        rank: None,
        fits: super::TagFits::default(),
    };
    if file.kind == FileKind::Sdist {
        return refused(
            "source distribution: wheelbarrow never builds these, because a build here would target this machine, not Lambda"
                .into(),
        );
    }
    let wheel = match WheelName::parse(&file.filename) {
        Ok(w) => w,
        Err(e) if file.kind == FileKind::Wheel => return refused(e.to_string()),
        Err(_) => return refused("not a wheel (an old installer or egg format)".into()),
    };
    let mut verdict = wheel.verdict(target);
    if verdict.compatible
        && let Some(spec) = &file.requires_python
    {
        match requires_python_allows(spec, target) {
            Ok(true) => {}
            Ok(false) => {
                verdict = Verdict {
                    reason: format!(
                        "needs Python {spec} (Requires-Python); this runtime is 3.{}",
                        target.runtime.python_minor
                    ),
                    ..refused(String::new())
                };
                return with_fits(verdict, &wheel, target);
            }
            Err(e) => tracing::debug!("{}: ignoring Requires-Python {spec:?}: {e}", file.filename),
        }
    }
    if let Some(reason) = &file.yanked {
        verdict.reason = if reason.is_empty() {
            format!("yanked by its maintainers; {}", verdict.reason)
        } else {
            format!("yanked by its maintainers ({reason}); {}", verdict.reason)
        };
    }
    verdict
}

/// Keeps the per-tag highlighting of the tag verdict when another rule refuses the file.
fn with_fits(mut verdict: Verdict, wheel: &WheelName, target: &Target) -> Verdict {
    verdict.fits = wheel.verdict(target).fits;
    verdict
}

/// Verdicts for the files of `version` (compared as PEP 440 versions), best first.
pub fn release_verdicts(project: &Project, version: &str, target: &Target) -> ReleaseVerdicts {
    let wanted = Version::from_str(version).ok();
    let same = |v: &Option<String>| match (v, &wanted) {
        (Some(v), Some(w)) => Version::from_str(v).is_ok_and(|v| &v == w),
        (Some(v), None) => v == version,
        (None, _) => false,
    };
    let mut files: Vec<FileVerdict> = project
        .files
        .iter()
        .filter(|f| same(&f.version))
        .map(|f| FileVerdict {
            verdict: file_verdict(f, target),
            file: f.clone(),
        })
        .collect();
    // Best first: loadable and not yanked by rank and larger build tag, then yanked, then the rest.
    files.sort_by_key(|f| {
        let build = f.file.wheel().and_then(|w| w.build);
        (
            !f.verdict.compatible,
            f.file.yanked.is_some(),
            f.verdict.rank.unwrap_or(usize::MAX),
            std::cmp::Reverse(build),
            f.file.filename.clone(),
        )
    });
    let best = files.first().filter(|f| f.verdict.compatible).map(|_| 0);
    ReleaseVerdicts {
        version: version.to_string(),
        files,
        best,
    }
}

/// The newest release (not a pre-release unless it is all there is) with a file that loads.
pub fn newest_loadable(project: &Project, target: &Target) -> Option<String> {
    let loadable = |v: &&String| {
        project.files.iter().any(|f| {
            f.version.as_ref() == Some(*v)
                && f.yanked.is_none()
                && file_verdict(f, target).compatible
        })
    };
    let is_pre = |v: &&String| Version::from_str(v).is_ok_and(|v| v.any_prerelease());
    project
        .versions
        .iter()
        .filter(|v| !is_pre(v))
        .find(loadable)
        .or_else(|| project.versions.iter().find(loadable))
        .cloned()
}

/// The newest final release, the one pip would pick without a pin (pre-releases only when
/// there is nothing else).
pub fn newest_release(project: &Project) -> Option<&String> {
    project
        .versions
        .iter()
        .find(|v| Version::from_str(v).is_ok_and(|v| !v.any_prerelease()))
        .or_else(|| project.versions.first())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::RuntimeTable;

    #[test]
    fn requires_python_is_checked_against_the_runtime_version() {
        let table = RuntimeTable::builtin();
        let t311 = table.target(Some("3.11"), None).unwrap();
        assert!(requires_python_allows(">=3.9", &t311).unwrap());
        assert!(!requires_python_allows(">=3.12", &t311).unwrap());
        assert!(requires_python_allows(">=3.11,<4", &t311).unwrap());
        assert!(requires_python_allows("~=3.11.0", &t311).unwrap());
        assert!(requires_python_allows("nonsense", &t311).is_err());
    }
}
