//! What the solver may choose from: each project's versions with the file that would be
//! installed for each (the user's pinned file first, hash-checking honoured), and why a version
//! may be ruled out whatever its dependencies.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use pep440_rs::Version;

use crate::index::{DistFile, Project};
use crate::lambda::Target;

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
        // The page's files were parsed once for every target that shares it: each distinct
        // tag set and Requires-Python is judged here once for this target.
        let facts = project.facts();
        let judge = facts.judge(target);
        let on_also: Vec<_> = also.iter().map(|t| facts.judge(t)).collect();
        // Best file per version (by its place in `facts.file_versions`): not yanked first, the
        // user's file, then (several targets) a pure-Python wheel, then pip's tag preference.
        let mut best: Vec<Option<(Preference, usize)>> = vec![None; facts.file_versions.len()];
        for (i, file) in project.files.iter().enumerate() {
            let Some(version) = facts.version_of(i) else {
                continue;
            };
            if hashes.is_some_and(|h| !super::hashes::accepts(h, file.sha256.as_deref())) {
                continue;
            }
            let Some(loads) = judge.loads(i) else {
                continue;
            };
            if !on_also.iter().all(|j| j.loads(i).is_some()) {
                continue;
            }
            let chosen = pinned == Some(file.filename.as_str());
            let key = Preference {
                yanked: file.yanked.is_some() && !chosen,
                not_chosen: !chosen,
                // A wheel that loads anywhere serves every target asked for: taken over a
                // compiled build only when several are (one target keeps pip's order).
                compiled: !also.is_empty() && !loads.pure,
                rank: loads.rank,
                // Then, as pip: the larger build tag (a rebuild), then the first listed
                // (find-links files come before the index's).
                build: std::cmp::Reverse(facts.build_of(i).cloned()),
            };
            let key = (key, i);
            if best[version].as_ref().is_none_or(|b| key < *b) {
                best[version] = Some(key);
            }
        }
        let mut yanked_only = HashSet::new();
        let mut by_version = HashMap::new();
        for (version, chosen) in facts.file_versions.iter().zip(best) {
            let Some((key, i)) = chosen else { continue };
            if key.yanked {
                yanked_only.insert(version.clone());
            }
            by_version.insert(version.clone(), i);
        }
        ProjectInfo {
            versions: facts.versions.clone(),
            project,
            best: by_version,
            yanked_only,
        }
    }

    pub fn best_file(&self, version: &Version) -> Option<&DistFile> {
        self.best.get(version).map(|&i| &self.project.files[i])
    }
}

/// How much a file of a version is wanted, most wanted smallest: compared field by field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
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
