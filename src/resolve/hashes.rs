//! pip's hash-checking mode: once any requirement carries `--hash` (or `--require-hashes` is
//! given), every requirement must be pinned with `==` and carry hashes, every package of the
//! result must be among them (dependencies included), and only a file whose sha256 is listed is
//! accepted.

use std::collections::HashMap;
use std::fmt;

use pep440_rs::Operator;
use pep508_rs::VersionOrUrl;

use super::requirements::Requested;
use crate::index::Project;

/// What breaks hash-checking mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashProblem {
    /// A requirement is not pinned to one version.
    NotPinned {
        origin: String,
        requirement: String,
        /// Where the mode was turned on.
        because: String,
    },
    /// A requirement has no `--hash`.
    NoHash {
        origin: String,
        requirement: String,
        because: String,
    },
    /// No file of the pinned release has a listed hash.
    NoMatchingFile {
        origin: String,
        requirement: String,
        hashes: Vec<String>,
        /// The release's files and their sha256 as the index gives them.
        files: Vec<(String, Option<String>)>,
    },
    /// Packages the result needs that the requirements do not list with hashes: each as the
    /// line to add (`name==version --hash=sha256:…`).
    MissingForDependencies(Vec<String>),
    /// Packages the result needs that the lock file does not list (`name version (needed by
    /// …)`): the lock is out of date.
    NotInLock { lock: String, lines: Vec<String> },
}

impl fmt::Display for HashProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HashProblem::NotPinned {
                origin,
                requirement,
                because,
            } => write!(
                f,
                "{origin}: {requirement} is not pinned with ==; in hash-checking mode (turned on by {because}) every requirement must name one version, as pip requires"
            ),
            HashProblem::NoHash {
                origin,
                requirement,
                because,
            } => write!(
                f,
                "{origin}: {requirement} has no --hash; in hash-checking mode (turned on by {because}) every requirement needs the sha256 of each file you accept"
            ),
            HashProblem::NoMatchingFile {
                origin,
                requirement,
                hashes,
                files,
            } => {
                write!(
                    f,
                    "{origin}: no file of {requirement} has the sha256 listed ({}).",
                    hashes.join(", ")
                )?;
                if files.is_empty() {
                    write!(f, " The index lists no file for that version.")
                } else {
                    write!(f, " The index has:")?;
                    for (name, sha) in files {
                        write!(
                            f,
                            "\n    {name} sha256:{}",
                            sha.as_deref().unwrap_or("unknown")
                        )?;
                    }
                    Ok(())
                }
            }
            HashProblem::NotInLock { lock, lines } => {
                write!(
                    f,
                    "{lock} does not list these packages the layer needs, so it is out of date for them; lock again and give the new lock:"
                )?;
                for line in lines {
                    write!(f, "\n    {line}")?;
                }
                Ok(())
            }
            HashProblem::MissingForDependencies(lines) => {
                write!(
                    f,
                    "hash-checking mode needs every package of the layer listed with its hash, and these are missing (add the lines to your requirements):"
                )?;
                for line in lines {
                    write!(f, "\n    {line}")?;
                }
                Ok(())
            }
        }
    }
}

/// Whether hash-checking mode is on, and where it was turned on.
pub fn mode(requested: &[Requested]) -> Option<String> {
    // A lock file is the reason when there is one (the wheels given beside it carry hashes of
    // their own making).
    requested
        .iter()
        .find(|r| r.locked.is_some())
        .or_else(|| {
            requested
                .iter()
                .find(|r| !r.hashes.is_empty() || r.require_hashes)
        })
        .map(|r| {
            if r.locked.is_some() {
                format!("the lock file {}", file_of(&r.origin))
            } else if r.hashes.is_empty() {
                format!("--require-hashes in {}", file_of(&r.origin))
            } else {
                format!("the --hash at {}", r.origin)
            }
        })
}

fn file_of(origin: &str) -> &str {
    origin.rsplit_once(':').map_or(origin, |(file, _)| file)
}

/// Every requirement pinned and hashed, or the first that is not.
pub fn check_requested(requested: &[Requested], because: &str) -> Result<(), HashProblem> {
    for r in requested {
        let requirement = r.requirement.to_string();
        let pinned = match &r.requirement.version_or_url {
            Some(VersionOrUrl::VersionSpecifier(s)) => {
                s.len() == 1
                    && s.iter()
                        .all(|s| matches!(s.operator(), Operator::Equal | Operator::ExactEqual))
            }
            _ => false,
        };
        if !pinned {
            return Err(HashProblem::NotPinned {
                origin: r.origin.clone(),
                requirement,
                because: because.to_string(),
            });
        }
        if r.hashes.is_empty() {
            return Err(HashProblem::NoHash {
                origin: r.origin.clone(),
                requirement,
                because: because.to_string(),
            });
        }
    }
    Ok(())
}

/// The hashes listed for each project (PEP 503 names).
pub fn by_project(requested: &[Requested]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for r in requested {
        out.entry(r.project())
            .or_default()
            .extend(r.hashes.iter().cloned());
    }
    out
}

/// Whether a file may be used: its published sha256 is listed, or it publishes none (then the
/// download is checked against the list).
pub fn accepts(hashes: &[String], published: Option<&str>) -> bool {
    published.is_none_or(|sha| hashes.iter().any(|h| h == sha))
}

/// A requirement whose pinned release has no file with a listed hash.
pub fn check_release(r: &Requested, project: &Project) -> Result<(), HashProblem> {
    let Some(VersionOrUrl::VersionSpecifier(specifiers)) = &r.requirement.version_or_url else {
        return Ok(());
    };
    let files: Vec<(String, Option<String>)> = project
        .files
        .iter()
        .filter(|f| {
            f.version
                .as_deref()
                .and_then(|v| v.parse::<pep440_rs::Version>().ok())
                .is_some_and(|v| specifiers.contains(&v))
        })
        .map(|f| (f.filename.clone(), f.sha256.clone()))
        .collect();
    if files
        .iter()
        .any(|(_, sha)| accepts(&r.hashes, sha.as_deref()))
    {
        return Ok(());
    }
    Err(HashProblem::NoMatchingFile {
        origin: r.origin.clone(),
        requirement: r.requirement.to_string(),
        hashes: r.hashes.iter().map(|h| format!("sha256:{h}")).collect(),
        files,
    })
}

/// In hash-checking mode, the packages of a resolution the requirements do not list with hashes,
/// each as the line to add.
pub fn missing(
    resolution: &super::Resolution,
    listed: &HashMap<String, Vec<String>>,
) -> Option<HashProblem> {
    let lines: Vec<String> = resolution
        .packages
        .iter()
        .filter(|p| !listed.contains_key(&crate::wheel::normalize_name(&p.name)))
        .map(|p| match &p.sha256 {
            Some(sha) => format!("{}=={} --hash=sha256:{sha}", p.name, p.version),
            None => format!(
                "{}=={} (the index gives no sha256 for {})",
                p.name, p.version, p.filename
            ),
        })
        .collect();
    (!lines.is_empty()).then_some(HashProblem::MissingForDependencies(lines))
}
