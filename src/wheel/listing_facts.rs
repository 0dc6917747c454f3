//! A listing's files read once: each file's version, wheel tags, build tag and
//! `Requires-Python` parsed a single time, so that judging the files on many targets (a matrix
//! resolves one set on twelve, each resolution reading the same shared page) parses nothing
//! again. A file's verdict depends on its tags, its `Requires-Python` and the target only, so
//! on one target each distinct set of tags and each distinct `Requires-Python` is judged once
//! ([`Judge`]), however many releases share them: the answer is the one [`file_verdict`] gives.
//!
//! [`file_verdict`]: super::file_verdict

use std::cell::OnceCell;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use pep440_rs::{Version, VersionSpecifiers};

use super::release::{FileKind, ListedFile, Listing};
use super::{BuildTag, Fit, WheelName};
use crate::lambda::Target;

/// What every target's judgement of a listing needs, read from it once.
#[derive(Debug)]
pub struct ListingFacts {
    /// The listing's releases that parse as versions, ascending, without repeats.
    pub versions: Vec<Version>,
    /// The distinct versions the files carry, ascending.
    pub file_versions: Vec<Version>,
    /// Per file, in the listing's order.
    files: Vec<FileFacts>,
    /// One parsed name per distinct set of (python, abi, platform) tags.
    tag_sets: Vec<WheelName>,
    /// Each distinct `Requires-Python`, parsed; `None` when it does not parse (ignored, as pip
    /// does).
    requires_python: Vec<Option<VersionSpecifiers>>,
}

#[derive(Debug)]
struct FileFacts {
    /// Index in `file_versions`, when the file's version parses.
    version: Option<usize>,
    /// Index in `tag_sets`, for a file whose name parses as a wheel's (not a source
    /// distribution).
    tags: Option<usize>,
    /// The build tag, for a file listed as a wheel.
    build: Option<BuildTag>,
    /// Index in `requires_python`.
    requires_python: Option<usize>,
}

/// How a file loads on a target, when it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loads {
    /// Position in pip's order of preference on the target (0 = first choice).
    pub rank: usize,
    /// A pure-Python wheel (`py3-none-any` and the like).
    pub pure: bool,
}

impl ListingFacts {
    /// Reads every file of `listing` once.
    pub fn of<L: Listing>(listing: &L) -> ListingFacts {
        let mut versions: Vec<Version> = listing
            .versions()
            .iter()
            .filter_map(|v| Version::from_str(v).ok())
            .collect();
        versions.sort();
        versions.dedup();
        // Files of one release share their version string, and releases their tag sets and
        // Requires-Python: each distinct one is parsed once.
        let mut version_at: HashMap<&str, Option<Version>> = HashMap::new();
        let mut tags_at: HashMap<[&str; 3], usize> = HashMap::new();
        let mut python_at: HashMap<&str, usize> = HashMap::new();
        let mut tag_sets = Vec::new();
        let mut requires_python = Vec::new();
        // Each file's version, and its facts but for the place of that version.
        let mut parsed: Vec<(Option<Version>, FileFacts)> =
            Vec::with_capacity(listing.files().len());
        for file in listing.files() {
            let version = file.version().and_then(|v| {
                version_at
                    .entry(v)
                    .or_insert_with(|| Version::from_str(v).ok())
                    .clone()
            });
            // A name is parsed whole only for the first wheel of each tag set; the others are
            // checked as parsing would, without copying their fields.
            let parts = (file.kind() != FileKind::Sdist)
                .then(|| WheelName::parts(file.filename()).ok())
                .flatten();
            let (tags, build) = match parts {
                Some(parts) => {
                    let at = match tags_at.get(&parts.tags) {
                        Some(&at) => Some(at),
                        None => WheelName::parse(file.filename()).ok().map(|wheel| {
                            tag_sets.push(wheel);
                            tags_at.insert(parts.tags, tag_sets.len() - 1);
                            tag_sets.len() - 1
                        }),
                    };
                    let build = parts.build.filter(|_| file.kind() == FileKind::Wheel);
                    (at, build)
                }
                None => (None, None),
            };
            let python = file.requires_python().map(|spec| {
                *python_at.entry(spec).or_insert_with(|| {
                    requires_python.push(match VersionSpecifiers::from_str(spec) {
                        Ok(s) => Some(s),
                        Err(e) => {
                            tracing::debug!(
                                "{}: ignoring Requires-Python {spec:?}: {e}",
                                file.filename()
                            );
                            None
                        }
                    });
                    requires_python.len() - 1
                })
            });
            parsed.push((
                version,
                FileFacts {
                    version: None,
                    tags,
                    build,
                    requires_python: python,
                },
            ));
        }
        let mut file_versions: Vec<Version> = parsed.iter().filter_map(|p| p.0.clone()).collect();
        file_versions.sort();
        file_versions.dedup();
        let files = parsed
            .into_iter()
            .map(|(version, facts)| FileFacts {
                version: version.and_then(|v| file_versions.binary_search(&v).ok()),
                ..facts
            })
            .collect();
        ListingFacts {
            versions,
            file_versions,
            files,
            tag_sets,
            requires_python,
        }
    }

    /// How many files were read.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The index in [`ListingFacts::file_versions`] of the `i`th file's version.
    pub fn version_of(&self, i: usize) -> Option<usize> {
        self.files.get(i)?.version
    }

    /// The `i`th file's build tag (wheels only).
    pub fn build_of(&self, i: usize) -> Option<&BuildTag> {
        self.files.get(i)?.build.as_ref()
    }

    /// A judge of these files on `target`.
    pub fn judge<'a>(&'a self, target: &'a Target) -> Judge<'a> {
        Judge {
            facts: self,
            target,
            tags: vec![OnceCell::new(); self.tag_sets.len()],
            python: vec![OnceCell::new(); self.requires_python.len()],
        }
    }
}

/// Judges the files of one listing on one target, each distinct tag set and `Requires-Python`
/// once.
pub struct Judge<'a> {
    facts: &'a ListingFacts,
    target: &'a Target,
    /// Per tag set, once judged: how it loads, or `None`.
    tags: Vec<OnceCell<Option<Loads>>>,
    /// Per `Requires-Python`, once judged: whether it admits the target's Python.
    python: Vec<OnceCell<bool>>,
}

impl Judge<'_> {
    /// How the `i`th file loads on the target, or `None` when it does not: what
    /// [`super::file_verdict`] says of it (`compatible`, `rank`, a pure-Python fit). A yanked
    /// file still loads here; the caller decides about yanking.
    pub fn loads(&self, i: usize) -> Option<Loads> {
        let file = self.facts.files.get(i)?;
        let at = file.tags?;
        let loads = *self.tags[at].get_or_init(|| {
            let verdict = self.facts.tag_sets[at].verdict(self.target);
            verdict
                .rank
                .filter(|_| verdict.compatible)
                .map(|rank| Loads {
                    rank,
                    pure: matches!(verdict.fit, Some(Fit::PurePython { .. })),
                })
        });
        let loads = loads?;
        if let Some(p) = file.requires_python {
            let allowed = *self.python[p].get_or_init(|| {
                self.facts.requires_python[p].as_ref().is_none_or(|spec| {
                    let python = Version::new([3, u64::from(self.target.runtime.python_minor), 0]);
                    spec.contains(&python)
                })
            });
            if !allowed {
                return None;
            }
        }
        Some(loads)
    }
}

/// A listing's facts, read on first use and kept with it. A copy of the listing starts
/// without them: the copy's files may then be changed.
#[derive(Debug, Default)]
pub struct FactsCell(OnceLock<Arc<ListingFacts>>);

impl Clone for FactsCell {
    fn clone(&self) -> Self {
        FactsCell::default()
    }
}

impl FactsCell {
    /// The facts of `listing`, the one this cell belongs to: read once, then shared. Should its
    /// files have changed in number since, they are read again (and not kept).
    pub fn get<L: Listing>(&self, listing: &L) -> Arc<ListingFacts> {
        let facts = self
            .0
            .get_or_init(|| Arc::new(ListingFacts::of(listing)))
            .clone();
        if facts.len() == listing.files().len() {
            facts
        } else {
            Arc::new(ListingFacts::of(listing))
        }
    }
}

#[cfg(test)]
#[path = "listing_facts_tests.rs"]
mod tests;
