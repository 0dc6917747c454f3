//! A layer with several `python/lib/python3.X/site-packages` trees, as `build --runtime
//! python3.11,python3.12` writes it: each tree is read only by its own runtime, so each is
//! judged for that runtime (on the inspected architecture), never for another one.

use std::collections::BTreeMap;
use std::path::Path;

use crate::index::ZipEntry;
use crate::lambda::{RuntimeTable, Target};

/// The site-packages trees judged each for its own runtime (empty for a layer of one tree).
#[derive(Debug, Default)]
pub(super) struct Trees {
    per_tree: Vec<(String, Target)>,
}

/// `python/lib/python3.X/site-packages/` → X.
pub(super) fn tree_minor(name: &str) -> Option<u32> {
    let rest = name.strip_prefix("python/lib/python3.")?;
    let (minor, inside) = rest.split_once('/')?;
    inside.starts_with("site-packages/").then_some(())?;
    minor.parse().ok()
}

/// The CPython minor version most extension modules are built for (`x.cpython-311-….so` → 11).
pub(super) fn extension_minor(entries: &[ZipEntry]) -> Option<u32> {
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    for e in entries {
        let name = e.name.rsplit('/').next().unwrap_or_default();
        let Some((_, rest)) = name.split_once(".cpython-3") else {
            continue;
        };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if Path::new(name).extension().is_some_and(|e| e == "so")
            && let Ok(minor) = digits.parse::<u32>()
        {
            *counts.entry(minor).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(m, _)| m)
}

impl Trees {
    /// The trees of `files` that a runtime of the table reads, when there are two or more and
    /// `target` is one of them (or was inferred); otherwise none: a layer of one tree, or a
    /// target none of the trees is for, is judged for the target alone.
    pub(super) fn of(
        files: &[&ZipEntry],
        target: &Target,
        given: bool,
        table: &RuntimeTable,
    ) -> Trees {
        let mut minors: Vec<u32> = files.iter().filter_map(|f| tree_minor(&f.name)).collect();
        minors.sort_unstable();
        minors.dedup();
        let arch = target.arch.to_string();
        let per_tree: Vec<(String, Target)> = minors
            .into_iter()
            .filter_map(|m| {
                let t = table
                    .target(Some(&format!("python3.{m}")), Some(&arch))
                    .ok()?;
                Some((format!("python/lib/python3.{m}/site-packages/"), t))
            })
            .collect();
        let mine = per_tree
            .iter()
            .any(|(_, t)| t.runtime.python_minor == target.runtime.python_minor);
        if per_tree.len() < 2 || (given && !mine) {
            return Trees::default();
        }
        Trees { per_tree }
    }

    /// The target a member is judged for: its tree's runtime, else `default`.
    pub(super) fn target_for<'a>(&'a self, name: &str, default: &'a Target) -> &'a Target {
        self.per_tree
            .iter()
            .find(|(prefix, _)| name.starts_with(prefix.as_str()))
            .map_or(default, |(_, t)| t)
    }

    /// Whether `minor`'s tree is judged for its own runtime.
    pub(super) fn judges(&self, minor: u32) -> bool {
        self.per_tree
            .iter()
            .any(|(_, t)| t.runtime.python_minor == minor)
    }

    /// Each judged tree's folder (with a trailing `/`) and target, oldest first.
    pub(super) fn iter(&self) -> impl Iterator<Item = &(String, Target)> {
        self.per_tree.iter()
    }

    /// The runtimes the layer was judged for: each tree's, or `target`'s alone.
    pub(super) fn runtimes(&self, target: &Target) -> Vec<String> {
        if self.per_tree.is_empty() {
            vec![target.runtime.name.clone()]
        } else {
            self.per_tree
                .iter()
                .map(|(_, t)| t.runtime.name.clone())
                .collect()
        }
    }
}
