//! Verdicts for every file of a release, as the index lists them: wheels judged by their tags
//! and `Requires-Python`, source distributions named as such, yanked files marked.

use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};
use serde::Serialize;

use super::WheelName;
use super::refusal::Refusal;
use super::verdict::{TagFits, Verdict};
use crate::lambda::Target;

/// What a listed file is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Wheel,
    Sdist,
    Other,
}

/// A file of a release as an index lists it: what its verdict needs to know. The index
/// client's `DistFile` is one; this layer does not depend on the client.
pub trait ListedFile: Clone {
    fn filename(&self) -> &str;
    fn kind(&self) -> FileKind;
    /// The version the file name carries.
    fn version(&self) -> Option<&str>;
    fn requires_python(&self) -> Option<&str>;
    /// `Some(reason)` when yanked (the reason may be empty).
    fn yanked(&self) -> Option<&str>;
}

/// A project as an index lists it: versions newest first, and every file of every release.
pub trait Listing {
    type File: ListedFile;
    fn versions(&self) -> &[String];
    fn files(&self) -> &[Self::File];
}

/// One file of a release with its verdict.
#[derive(Debug, Clone, Serialize)]
pub struct FileVerdict<F> {
    pub file: F,
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// A release's files, best first: compatible files in pip's order of preference, then the rest.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseVerdicts<F> {
    pub version: String,
    pub files: Vec<FileVerdict<F>>,
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
pub fn file_verdict(file: &impl ListedFile, target: &Target) -> Verdict {
    let refused = |cause: Refusal| Verdict::refused(vec![cause], TagFits::default());
    if file.kind() == FileKind::Sdist {
        return refused(Refusal::SourceDistribution);
    }
    let wheel = match WheelName::parse(file.filename()) {
        Ok(w) => w,
        Err(e) if file.kind() == FileKind::Wheel => {
            return refused(Refusal::BadFileName {
                problem: e.to_string(),
            });
        }
        Err(_) => return refused(Refusal::NotAWheel),
    };
    let verdict = wheel.verdict(target);
    if verdict.compatible
        && let Some(spec) = file.requires_python()
    {
        match requires_python_allows(spec, target) {
            Ok(true) => {}
            Ok(false) => {
                let cause = Refusal::RequiresPython {
                    spec: spec.to_string(),
                    runtime_minor: target.runtime.python_minor,
                };
                // Keeps the per-tag highlighting of the tag verdict.
                return Verdict::refused(vec![cause], verdict.fits);
            }
            Err(e) => tracing::debug!(
                "{}: ignoring Requires-Python {spec:?}: {e}",
                file.filename()
            ),
        }
    }
    match file.yanked() {
        Some(reason) => verdict.yanked(reason),
        None => verdict,
    }
}

fn same_version(wanted: &str) -> impl Fn(Option<&str>) -> bool {
    let parsed = Version::from_str(wanted).ok();
    let wanted = wanted.to_string();
    move |v| match (v, &parsed) {
        (Some(v), Some(w)) => Version::from_str(v).is_ok_and(|v| &v == w),
        (Some(v), None) => v == wanted,
        (None, _) => false,
    }
}

/// Verdicts for the files of `version` (compared as PEP 440 versions), best first: the files
/// that load in pip's order, then the refused ones, closest to loading first.
pub fn release_verdicts<L: Listing>(
    project: &L,
    version: &str,
    target: &Target,
) -> ReleaseVerdicts<L::File> {
    let same = same_version(version);
    let mut files: Vec<FileVerdict<L::File>> = project
        .files()
        .iter()
        .filter(|f| same(f.version()))
        .map(|f| FileVerdict {
            verdict: file_verdict(f, target),
            file: f.clone(),
        })
        .collect();
    // Best first: loadable and not yanked by rank and larger build tag, then yanked, then the rest.
    files.sort_by_key(|f| {
        let build = (f.file.kind() == FileKind::Wheel)
            .then(|| WheelName::parse(f.file.filename()).ok())
            .flatten()
            .and_then(|w| w.build);
        // Refused files closest to loading first (a glibc a little too new before macOS).
        (
            !f.verdict.compatible,
            f.file.yanked().is_some(),
            f.verdict.rank.unwrap_or(usize::MAX),
            f.verdict.distance(),
            std::cmp::Reverse(build),
            f.file.filename().to_string(),
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
pub fn newest_loadable(project: &impl Listing, target: &Target) -> Option<String> {
    let loadable = |v: &&String| {
        project.files().iter().any(|f| {
            f.version() == Some(v.as_str())
                && f.yanked().is_none()
                && file_verdict(f, target).compatible
        })
    };
    let is_pre = |v: &&String| Version::from_str(v).is_ok_and(|v| v.any_prerelease());
    project
        .versions()
        .iter()
        .filter(|v| !is_pre(v))
        .find(loadable)
        .or_else(|| project.versions().iter().find(loadable))
        .cloned()
}

/// The newest final release, the one pip would pick without a pin (pre-releases only when
/// there is nothing else).
pub fn newest_release(project: &impl Listing) -> Option<&String> {
    project
        .versions()
        .iter()
        .find(|v| Version::from_str(v).is_ok_and(|v| !v.any_prerelease()))
        .or_else(|| project.versions().first())
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
