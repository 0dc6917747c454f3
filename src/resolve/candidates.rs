//! What the solver may choose from: each project's versions with the file that would be
//! installed for each (the user's pinned file first, hash-checking honoured), and why a version
//! may be ruled out whatever its dependencies.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use pep440_rs::Version;

use crate::index::{DistFile, Project};
use crate::lambda::Target;
use crate::wheel::file_verdict;

/// A project as the resolver sees it.
#[derive(Debug)]
pub struct ProjectInfo {
    /// The page, shared with the other resolutions of a matrix.
    pub project: Arc<Project>,
    /// Every version that parses, ascending.
    pub versions: Vec<Version>,
    /// Version -> index in `project.files` of the file pip would install on the target.
    pub best: HashMap<Version, usize>,
    /// Versions whose only loading files are yanked.
    pub yanked_only: HashSet<Version>,
}

impl ProjectInfo {
    /// `target`, and the other targets `also` the same file must load on (a portable layer;
    /// among the files that load on all of them, a pure-Python wheel, then pip's preference
    /// on `target`).
    /// `pinned`: the one file the user chose; for its version, that file is the one used.
    /// `hashes`: in hash-checking mode, only files with one of these sha256 digests are used.
    pub fn new(
        project: impl Into<Arc<Project>>,
        (target, also): (&Target, &[Target]),
        pinned: Option<&str>,
        hashes: Option<&[String]>,
    ) -> ProjectInfo {
        let project = project.into();
        let mut versions: Vec<Version> = project
            .versions
            .iter()
            .filter_map(|v| Version::from_str(v).ok())
            .collect();
        versions.sort();
        versions.dedup();
        // Best file per version: not yanked first, the user's file, then (several targets) a
        // pure-Python wheel, then pip's tag preference.
        let mut best: HashMap<Version, (Preference, usize)> = HashMap::new();
        for (i, file) in project.files.iter().enumerate() {
            let Some(version) = file
                .version
                .as_deref()
                .and_then(|v| Version::from_str(v).ok())
            else {
                continue;
            };
            if hashes.is_some_and(|h| !super::hashes::accepts(h, file.sha256.as_deref())) {
                continue;
            }
            let verdict = file_verdict(file, target);
            let Some(rank) = verdict.rank.filter(|_| verdict.compatible) else {
                continue;
            };
            if !also.iter().all(|t| file_verdict(file, t).compatible) {
                continue;
            }
            let chosen = pinned == Some(file.filename.as_str());
            let key = Preference {
                yanked: file.yanked.is_some() && !chosen,
                not_chosen: !chosen,
                // A wheel that loads anywhere serves every target asked for: taken over a
                // compiled build only when several are (one target keeps pip's order).
                compiled: !also.is_empty()
                    && !matches!(verdict.fit, Some(crate::wheel::Fit::PurePython { .. })),
                rank,
                // Then, as pip: the larger build tag (a rebuild), then the first listed
                // (find-links files come before the index's).
                build: std::cmp::Reverse(file.wheel().and_then(|w| w.build)),
            };
            let key = (key, i);
            match best.entry(version) {
                std::collections::hash_map::Entry::Occupied(mut b) if key < *b.get() => {
                    b.insert(key);
                }
                std::collections::hash_map::Entry::Occupied(_) => {}
                std::collections::hash_map::Entry::Vacant(b) => {
                    b.insert(key);
                }
            }
        }
        let yanked_only = best
            .iter()
            .filter(|(_, (key, _))| key.yanked)
            .map(|(v, _)| v.clone())
            .collect();
        ProjectInfo {
            project,
            versions,
            best: best.into_iter().map(|(v, (_, i))| (v, i)).collect(),
            yanked_only,
        }
    }

    pub fn best_file(&self, version: &Version) -> Option<&DistFile> {
        self.best.get(version).map(|&i| &self.project.files[i])
    }
}

/// How much a file of a version is wanted, most wanted smallest: compared field by field.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Preference {
    yanked: bool,
    /// Not the file the user chose.
    not_chosen: bool,
    /// Not a pure-Python wheel, when several targets are asked for (false for one).
    compiled: bool,
    /// Position in pip's order on the resolution's own target.
    rank: usize,
    build: std::cmp::Reverse<Option<crate::wheel::BuildTag>>,
}

/// Why the solver may not use a version, whatever its dependencies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unusable {
    /// Its METADATA's Requires-Python excludes the runtime's Python.
    RequiresPython {
        spec: String,
        runtime: String,
        minor: u32,
    },
    /// A Requires-Dist line does not parse (pip skips such a release too).
    BadMetadata { line: String },
    /// It depends on a project from a URL.
    UrlDependency { project: String, url: String },
    /// The extra asked for is not one it provides (pip only warns; a layer without the extra's
    /// dependencies would fail at import).
    UnknownExtra { extra: String, known: Vec<String> },
}

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unusable::RequiresPython {
                spec,
                runtime,
                minor,
            } => write!(f, "needs Python {spec}; {runtime} is 3.{minor}"),
            Unusable::BadMetadata { line } => {
                write!(f, "has a Requires-Dist that does not parse: {line}")
            }
            Unusable::UrlDependency { project, url } => write!(
                f,
                "depends on {project} from a URL ({url}), which wheelbarrow does not install"
            ),
            Unusable::UnknownExtra { extra, known } => {
                write!(f, "does not provide the extra '{extra}' (")?;
                if known.is_empty() {
                    f.write_str("it declares none")?;
                } else {
                    write!(f, "it has {}", known.join(", "))?;
                }
                f.write_str("); check its spelling, or leave it out")
            }
        }
    }
}
