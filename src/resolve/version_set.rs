//! The versions and version sets the solver works with.
//!
//! PubGrub rules a version out as `VersionSet::singleton(v)`. With plain ranges that is the
//! point `[v, v]`, and the points ruled out one by one never join: when each of 10,000 releases
//! fails the same way, every merged incompatibility and every derived term holds thousands of
//! separate points, and the solver's time and memory grow with the square of the count (10,000
//! releases took 58 s and 4.8 GB). Here a solver version carries the next release of its
//! project, and its singleton is the half-open interval up to that release: it holds no other
//! release, and neighbours ruled out together join into one interval, so the same work is one
//! interval growing (the way PubGrub's version-set ranges are meant to be used).

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Bound;

use pep440_rs::Version;
use pubgrub::{Ranges, VersionSet};

/// A release as the solver sees it: its version, and the next release of the same project
/// (`None` for the newest). Compared, ordered and hashed by the version alone.
#[derive(Debug, Clone)]
pub struct SolverVersion {
    pub version: Version,
    next: Option<Version>,
}

impl SolverVersion {
    /// `version` of a project whose releases are `sorted` (ascending).
    pub fn among(version: Version, sorted: &[Version]) -> SolverVersion {
        let after = sorted.partition_point(|v| v <= &version);
        SolverVersion {
            next: sorted.get(after).cloned(),
            version,
        }
    }

    /// A version with no known neighbour (the root's).
    pub fn alone(version: Version) -> SolverVersion {
        SolverVersion {
            version,
            next: None,
        }
    }
}

impl PartialEq for SolverVersion {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

impl Eq for SolverVersion {}

impl PartialOrd for SolverVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SolverVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.version.cmp(&other.version)
    }
}

impl Hash for SolverVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.version.hash(state);
    }
}

impl Borrow<Version> for SolverVersion {
    fn borrow(&self) -> &Version {
        &self.version
    }
}

impl fmt::Display for SolverVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.version, f)
    }
}

/// A set of versions: intervals of PEP 440 versions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Range(Ranges<Version>);

impl Range {
    pub fn empty() -> Range {
        Range(Ranges::empty())
    }

    pub fn full() -> Range {
        Range(Ranges::full())
    }

    /// `[low, high)`.
    pub fn between(low: Version, high: Version) -> Range {
        Range(Ranges::between(low, high))
    }

    /// `[low, ∞)`.
    pub fn higher_than(low: Version) -> Range {
        Range(Ranges::higher_than(low))
    }

    /// One release of a project: the interval up to its next release.
    pub fn release(v: &SolverVersion) -> Range {
        match &v.next {
            Some(next) => Range::between(v.version.clone(), next.clone()),
            None => Range::higher_than(v.version.clone()),
        }
    }

    pub fn contains(&self, v: &Version) -> bool {
        self.0.contains(v)
    }

    pub fn union(&self, other: &Range) -> Range {
        Range(self.0.union(&other.0))
    }

    pub fn intersection(&self, other: &Range) -> Range {
        Range(self.0.intersection(&other.0))
    }

    pub fn bounding_range(&self) -> Option<(Bound<&Version>, Bound<&Version>)> {
        self.0.bounding_range()
    }

    /// The versions of `sorted` (ascending) in the set, newest first, found interval by
    /// interval (a set ruled out release by release is a few intervals, not a scan of every
    /// release it left out).
    pub fn newest_first<'a>(&'a self, sorted: &'a [Version]) -> impl Iterator<Item = &'a Version> {
        let segments: Vec<(&Bound<Version>, &Bound<Version>)> = self.0.iter().collect();
        segments.into_iter().rev().flat_map(move |(low, high)| {
            let (from, to) = span(sorted, low, high);
            sorted[from..to].iter().rev()
        })
    }

    /// How many versions of `sorted` (ascending) are in the set.
    pub fn count_in(&self, sorted: &[Version]) -> usize {
        self.0
            .iter()
            .map(|(low, high)| {
                let (from, to) = span(sorted, low, high);
                to - from
            })
            .sum()
    }
}

/// The indices `[from, to)` of the versions of `sorted` between `low` and `high`.
fn span(sorted: &[Version], low: &Bound<Version>, high: &Bound<Version>) -> (usize, usize) {
    let from = match low {
        Bound::Included(v) => sorted.partition_point(|x| x < v),
        Bound::Excluded(v) => sorted.partition_point(|x| x <= v),
        Bound::Unbounded => 0,
    };
    let to = match high {
        Bound::Included(v) => sorted.partition_point(|x| x <= v),
        Bound::Excluded(v) => sorted.partition_point(|x| x < v),
        Bound::Unbounded => sorted.len(),
    };
    (from, to.max(from))
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl VersionSet for Range {
    type V = SolverVersion;

    fn empty() -> Self {
        Range::empty()
    }

    fn singleton(v: SolverVersion) -> Self {
        Range::release(&v)
    }

    fn complement(&self) -> Self {
        Range(self.0.complement())
    }

    fn intersection(&self, other: &Self) -> Self {
        Range::intersection(self, other)
    }

    fn contains(&self, v: &SolverVersion) -> bool {
        self.0.contains(&v.version)
    }

    fn full() -> Self {
        Range::full()
    }

    fn union(&self, other: &Self) -> Self {
        Range::union(self, other)
    }

    fn is_disjoint(&self, other: &Self) -> bool {
        self.0.is_disjoint(&other.0)
    }

    fn subset_of(&self, other: &Self) -> bool {
        self.0.subset_of(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn releases_ruled_out_one_by_one_join_into_one_interval() {
        let sorted: Vec<Version> = (0..1000).map(|i| v(&format!("1.{i}"))).collect();
        let mut out = Range::empty();
        for release in sorted.iter().rev() {
            let one = Range::release(&SolverVersion::among(release.clone(), &sorted));
            assert_eq!(one.count_in(&sorted), 1, "{one}");
            out = VersionSet::union(&out, &one);
        }
        assert_eq!(out, Range::higher_than(v("1.0")));
        assert_eq!(out.0.iter().count(), 1);
    }

    #[test]
    fn newest_first_walks_the_intervals_from_the_top() {
        let sorted: Vec<Version> = ["1.0", "1.1", "2.0", "2.1", "3.0"].map(v).to_vec();
        let range = Range::between(v("1.1"), v("2.1")).union(&Range::higher_than(v("3.0")));
        let seen: Vec<String> = range
            .newest_first(&sorted)
            .map(ToString::to_string)
            .collect();
        assert_eq!(seen, ["3.0", "2.0", "1.1"]);
        assert_eq!(range.count_in(&sorted), 3);
    }
}
