//! Ordering a project's releases the way an index does, without a full PEP 440 parser.

use std::cmp::Ordering;

use super::{Project, StoredFile};

/// The project's files, release by release in the order of `versions`, each release's files in
/// the order they were added (one sort: a project of 10,000 releases is served quickly).
pub(super) fn files_in_version_order<'p>(
    p: &'p Project,
    versions: &[String],
) -> Vec<&'p StoredFile> {
    let rank: std::collections::HashMap<&str, usize> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| (v.as_str(), i))
        .collect();
    let mut files: Vec<&StoredFile> = p
        .files
        .iter()
        .filter(|f| rank.contains_key(f.version.as_str()))
        .collect();
    files.sort_by_key(|f| rank[f.version.as_str()]);
    files
}

pub(super) fn sorted_versions(p: &Project) -> Vec<String> {
    let mut versions: Vec<String> = p.files.iter().map(|f| f.version.clone()).collect();
    versions.sort_by(|a, b| compare_versions(a, b));
    versions.dedup();
    versions
}

/// The newest version with a file that is not yanked, preferring final releases (as PyPI's
/// `info.version` does); the newest version of all when every file is yanked.
pub(super) fn latest_version(p: &Project, sorted: &[String]) -> Option<String> {
    let live = |v: &&String| {
        p.files
            .iter()
            .any(|f| &f.version == *v && f.options.yanked.is_none())
    };
    sorted
        .iter()
        .rev()
        .find(|v| live(v) && !is_prerelease(v))
        .or_else(|| sorted.iter().rev().find(live))
        .or_else(|| sorted.last())
        .cloned()
}

/// One piece of a version, ranked so that `1.0.dev0 < 1.0a1 < 1.0rc1 < 1.0 < 1.0.post1 < 1.0.1`.
fn version_key(version: &str) -> Vec<(u8, u64, String)> {
    let public = version
        .split('+')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut parts = Vec::new();
    let mut chars = public.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut digits = String::new();
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                digits.push(d);
            }
            parts.push((6, digits.parse().unwrap_or(u64::MAX), String::new()));
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(w) = chars.next_if(|c| c.is_alphabetic()) {
                word.push(w);
            }
            let class = match word.as_str() {
                "dev" => 0,
                "a" | "alpha" => 1,
                "b" | "beta" => 2,
                "post" | "r" | "rev" => 5,
                _ => 3,
            };
            parts.push((class, 0, word));
        } else {
            chars.next();
        }
    }
    parts
}

fn compare_versions(a: &str, b: &str) -> Ordering {
    let (ka, kb) = (version_key(a), version_key(b));
    let end = (4, 0, String::new());
    (0..ka.len().max(kb.len()))
        .map(|i| ka.get(i).unwrap_or(&end).cmp(kb.get(i).unwrap_or(&end)))
        .find(|o| o.is_ne())
        .unwrap_or_else(|| a.cmp(b))
}

fn is_prerelease(version: &str) -> bool {
    version_key(version).iter().any(|(class, _, _)| *class < 4)
}
