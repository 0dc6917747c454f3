//! Matching a query against every project name, and ranking what people mean first.
//!
//! Order: the exact name; a project named by an import name (`yaml` → PyYAML); the user's past
//! picks and the most-downloaded projects (prefix, then substring, then fuzzy or one typo away;
//! picks first, then by downloads); other names starting with the query; other names containing
//! it; then names holding its letters in order (fuzzy). Within each kind a project with more
//! downloads comes first (one outside the popularity list counts as least downloaded); ties go
//! to shorter names.
//!
//! Speed: a substring query is one SIMD scan of the key buffer (memchr's `memmem`); only the
//! best few hundred hits by a cheap key (where the match sits, how long the name is) get a
//! fuzzy score and match positions. The fuzzy pass over every name runs only when the
//! substring hits cannot fill the page. When the query grows by typing, the previous hits are
//! narrowed instead of scanning again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use serde::Serialize;

use crate::text::osa_distance;

use super::known::Known;
use super::names::{NameList, key_of};

/// How a row matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Exact,
    Import,
    Known,
    Prefix,
    Substring,
    Fuzzy,
}

/// One result row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchRow {
    /// The project name as the index spells it.
    pub name: String,
    pub kind: MatchKind,
    /// Byte positions in `name` that matched the query, for highlighting.
    pub positions: Vec<usize>,
    /// The import name the query matched, for rows of kind `Import` (`yaml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import: Option<String>,
    /// The project's download rank (1 = most downloaded over 30 days), when it is in the
    /// popularity list; a cue for choosing between similar names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
}

/// What one query produced: the count and the top rows, never the whole list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub query: String,
    pub generation: u64,
    /// Names that match at all.
    pub total: usize,
    pub rows: Vec<SearchRow>,
    #[serde(skip)]
    pub elapsed: Duration,
}

/// Hits kept from the previous query, for narrowing.
struct Previous {
    key: Vec<u8>,
    substring: Vec<u32>,
    fuzzy: Option<Vec<u32>>,
}

/// Grades of a known project's match, best first. A prefix and a name containing the query are
/// one grade: among known projects the one more people download comes first (`pandas`:
/// pandas-stubs, pandas-gbq, geopandas, then pandasql).
const PART: u8 = 0;
const FUZZY: u8 = 2;
const TYPO: u8 = 3;

/// How many substring hits get a fuzzy score for the final order.
const SCORED: usize = 256;

/// Matches queries against one name list. Not shared: each worker owns one.
pub struct Matcher {
    list: Arc<NameList>,
    known: Arc<Known>,
    /// The download rank of each name of `list` by its index; `UNRANKED` for the rest.
    ranks: Vec<u32>,
    skim: SkimMatcherV2,
    previous: Option<Previous>,
}

/// The rank of a project outside the popularity list: after every listed one.
const UNRANKED: u32 = u32::MAX;

/// A known project graded for a query: by its place among the known ones, or by its index in
/// the name list (a substring hit with a download rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Known(usize),
    Listed(u32),
}

impl Matcher {
    pub fn new(list: Arc<NameList>, known: Arc<Known>) -> Matcher {
        let ranks = ranks_of(&list, &known);
        Matcher {
            list,
            known,
            ranks,
            skim: SkimMatcherV2::default(),
            previous: None,
        }
    }

    pub fn set_list(&mut self, list: Arc<NameList>) {
        self.ranks = ranks_of(&list, &self.known);
        self.list = list;
        self.previous = None;
    }

    fn rank(&self, i: u32) -> u32 {
        self.ranks.get(i as usize).copied().unwrap_or(UNRANKED)
    }

    /// The snapshot for `query`: its match count and its best `limit` rows.
    pub fn search(&mut self, query: &str, generation: u64, limit: usize) -> Snapshot {
        let started = Instant::now();
        let key = key_of(query);
        let mut rows = Rows::new(limit);
        let total = if key.is_empty() {
            // The picks and the most downloaded, those this index has (all before the list is
            // loaded).
            for (name, k) in &self.known.projects {
                if rows.len() >= rows.limit {
                    break;
                }
                let shown = if self.list.is_empty() {
                    Some(name.clone())
                } else {
                    self.list.find(k).map(|i| self.list.name(i).to_string())
                };
                if let Some(shown) = shown {
                    rows.push(shown, MatchKind::Known, Vec::new(), None);
                }
            }
            self.previous = None;
            self.list.len()
        } else {
            self.ranked(query, &key, &mut rows)
        };
        let mut rows = rows.done();
        for row in &mut rows {
            row.rank = self.known.rank(&key_of(&row.name));
        }
        Snapshot {
            query: query.to_string(),
            generation,
            total,
            rows,
            elapsed: started.elapsed(),
        }
    }

    fn ranked(&mut self, query: &str, key: &[u8], rows: &mut Rows) -> usize {
        let list = self.list.clone();
        // 1. The exact name.
        if let Some(i) = list.find(key) {
            let positions = (0..key.len()).collect();
            rows.push(list.name(i).to_string(), MatchKind::Exact, positions, None);
        }
        // 2. An import name.
        let import = self.known.imports.get(&query.trim().to_ascii_lowercase());
        if let Some((import, project)) = import {
            let name = list
                .find(&key_of(project))
                .map_or_else(|| project.clone(), |i| list.name(i).to_string());
            rows.push(name, MatchKind::Import, Vec::new(), Some(import.clone()));
        }
        // 3. Past picks and the most downloaded; a typo away waits until after the prefixes.
        let finder = memchr::memmem::Finder::new(key);
        let substring = self.substring_hits(&finder);
        let (typos, extra) = self.push_known(key, &substring, rows);
        // 4-5. Prefix and substring hits, narrowed from the previous query when it grew.
        self.push_substring(&finder, &substring, typos, rows);
        // 6. Letters in order, when the page is not full yet.
        let fuzzy = if rows.len() < rows.limit && key.len() >= 2 {
            Some(self.fuzzy_hits(key))
        } else {
            self.previous_fuzzy_for(key)
        };
        let total = substring.len().max(fuzzy.as_ref().map_or(0, Vec::len));
        if let Some(fuzzy) = &fuzzy {
            self.push_fuzzy(key, fuzzy, rows);
        }
        self.previous = Some(Previous {
            key: key.to_vec(),
            substring,
            fuzzy,
        });
        total.max(rows.len()) + extra
    }

    /// Pushes the known projects that match (but not those a typo away, which are returned),
    /// and counts the known projects that match but are not on the list (when it is empty).
    ///
    /// The most downloaded whose names hold the query are the substring `hits` that have a
    /// rank (no second scan); picks, and the [`super::known::POPULAR`] most downloaded for
    /// letters in order or a typo, are graded one by one. Names, look-ups and positions only
    /// for the few that make the page.
    fn push_known(&self, key: &[u8], hits: &[u32], rows: &mut Rows) -> (Vec<String>, usize) {
        let list = &self.list;
        let known = &self.known;
        // (grade, order: picks by place, then the most downloaded by rank, who)
        let mut graded: Vec<(u8, u64, Who)> = Vec::new();
        let graded_one_by_one = if list.is_empty() {
            0..known.projects.len() // no list yet: every known project is graded here
        } else {
            0..known.fuzzy_end
        };
        for place in graded_one_by_one {
            let k = &known.projects[place].1;
            let is_pick = place < known.picks;
            let Some(grade) = self.grade_known(key, k, place < known.fuzzy_end) else {
                continue;
            };
            // With a list, the most downloaded holding the query come from the hits below.
            if grade == PART && !is_pick && !list.is_empty() {
                continue;
            }
            graded.push((grade, place as u64, Who::Known(place)));
        }
        if !list.is_empty() {
            let picks = known.picks as u64;
            graded.extend(hits.iter().filter_map(|&i| {
                let rank = self.rank(i);
                (rank != UNRANKED && list.key(i as usize) != key)
                    .then(|| (PART, picks + u64::from(rank), Who::Listed(i)))
            }));
        }
        let extra = if list.is_empty() { graded.len() } else { 0 };
        if graded.len() > rows.limit {
            graded.select_nth_unstable_by_key(rows.limit, |(g, order, _)| (*g, *order));
            graded.truncate(rows.limit);
        }
        graded.sort_unstable_by_key(|(g, order, _)| (*g, *order));
        let mut typos = Vec::new();
        for (grade, _, who) in graded {
            if rows.len() + typos.len() >= rows.limit {
                break;
            }
            let (shown, k) = match who {
                Who::Listed(i) => (list.name(i as usize).to_string(), list.key(i as usize)),
                Who::Known(place) => {
                    let (name, k) = &known.projects[place];
                    if list.is_empty() {
                        (name.clone(), k.as_slice())
                    } else {
                        match list.find(k) {
                            Some(i) => (list.name(i).to_string(), k.as_slice()),
                            None => continue, // not on this index
                        }
                    }
                }
            };
            if grade == TYPO {
                typos.push(shown);
            } else {
                let positions = self.positions_known(key, k, grade);
                rows.push(shown, MatchKind::Known, positions, None);
            }
        }
        (typos, extra)
    }

    /// Pushes prefix hits (most downloaded, then shorter first), then `typos`, then substring
    /// hits (most downloaded, then best fuzzy score first). Only the best few hundred hits by a
    /// cheap key are scored.
    fn push_substring(
        &self,
        finder: &memchr::memmem::Finder<'_>,
        hits: &[u32],
        typos: Vec<String>,
        rows: &mut Rows,
    ) {
        let list = &self.list;
        let key = finder.needle();
        let wanted = SCORED.max(rows.limit);
        // Prefix hits sort before every other hit; when there are enough of them to fill what
        // is scored (short queries: "r" has tens of thousands), the rest cannot make the page,
        // so only the prefix range (contiguous in the sorted list) is looked at.
        let prefix = list.prefix_range(key);
        let mut cheap: Vec<(bool, u32, usize, usize, u32)> = if prefix.len() > wanted {
            prefix
                .map(|i| {
                    let index = u32::try_from(i).unwrap_or(u32::MAX);
                    (false, self.rank(index), list.key(i).len(), 0, index)
                })
                .collect()
        } else {
            hits.iter()
                .map(|&i| {
                    let k = list.key(i as usize);
                    let pos = finder.find(k).unwrap_or(0);
                    (pos != 0, self.rank(i), k.len(), pos, i)
                })
                .collect()
        };
        if cheap.len() > wanted {
            cheap.select_nth_unstable(wanted);
            cheap.truncate(wanted);
        }
        let mut scored: Vec<(bool, u32, i64, usize, u32, usize)> = cheap
            .into_iter()
            .map(|(not_prefix, rank, len, pos, i)| {
                let score = if not_prefix {
                    self.score(list.key(i as usize), key).map_or(0, |(s, _)| s)
                } else {
                    0
                };
                (not_prefix, rank, -score, len, i, pos)
            })
            .collect();
        scored.sort_unstable();
        let mut typos = Some(typos);
        for (not_prefix, _, _, _, i, pos) in scored {
            if not_prefix && let Some(typos) = typos.take() {
                for name in typos {
                    rows.push(name, MatchKind::Known, Vec::new(), None);
                }
            }
            let kind = if not_prefix {
                MatchKind::Substring
            } else {
                MatchKind::Prefix
            };
            let positions = (pos..pos + key.len()).collect();
            rows.push(list.name(i as usize).to_string(), kind, positions, None);
        }
        for name in typos.into_iter().flatten() {
            rows.push(name, MatchKind::Known, Vec::new(), None);
        }
    }

    /// Fills the page with names holding the letters in order, best fuzzy score first.
    fn push_fuzzy(&self, key: &[u8], hits: &[u32], rows: &mut Rows) {
        if rows.len() >= rows.limit {
            return;
        }
        let list = &self.list;
        let mut best: Vec<(i64, usize, u32, Vec<usize>)> = hits
            .iter()
            .take(20_000)
            .filter_map(|&i| {
                let k = list.key(i as usize);
                self.score(k, key).map(|(s, p)| (-s, k.len(), i, p))
            })
            .collect();
        best.sort_unstable();
        for (_, _, i, positions) in best.into_iter().take(rows.limit) {
            rows.push(
                list.name(i as usize).to_string(),
                MatchKind::Fuzzy,
                positions,
                None,
            );
        }
    }

    /// How a known project matches, if it does: its name holds the query, or (only when
    /// `fuzzy`) its letters in order, or it is one or two typos away.
    fn grade_known(&self, q: &[u8], k: &[u8], fuzzy: bool) -> Option<u8> {
        if k == q {
            return None; // already the exact row
        }
        if memchr::memmem::find(k, q).is_some() {
            return Some(PART);
        }
        if q.len() < 3 || !fuzzy {
            return None;
        }
        if let Some((_, positions)) = self.score(k, q) {
            // Require most of the name's start to be covered, or short queries match too much.
            if positions.first().is_some_and(|&p| p == 0) {
                return Some(FUZZY);
            }
        }
        let budget = if q.len() >= 7 { 2 } else { 1 };
        let close = osa_distance(q, k) <= budget
            || (q.len() >= 4 && k.len() > q.len() && osa_distance(q, &k[..q.len()]) <= 1);
        close.then_some(TYPO)
    }

    /// The characters of a known project's name that matched, by its grade.
    fn positions_known(&self, q: &[u8], k: &[u8], grade: u8) -> Vec<usize> {
        match grade {
            PART => {
                memchr::memmem::find(k, q).map_or_else(Vec::new, |p| (p..p + q.len()).collect())
            }
            FUZZY => self.score(k, q).map(|(_, p)| p).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    fn score(&self, key: &[u8], query: &[u8]) -> Option<(i64, Vec<usize>)> {
        let key = std::str::from_utf8(key).ok()?;
        let query = std::str::from_utf8(query).ok()?;
        self.skim.fuzzy_indices(key, query)
    }

    /// Indices of names whose key contains the needle, ascending.
    fn substring_hits(&self, finder: &memchr::memmem::Finder<'_>) -> Vec<u32> {
        let list = &self.list;
        let key = finder.needle();
        if let Some(prev) = self.previous.as_ref().filter(|p| key.starts_with(&p.key)) {
            return prev
                .substring
                .iter()
                .copied()
                .filter(|&i| finder.find(list.key(i as usize)).is_some())
                .collect();
        }
        if list.is_empty() {
            return Vec::new();
        }
        let buffer = list.key_buffer();
        let mut hits: Vec<u32> = Vec::new();
        if let [byte] = key {
            // One letter is in most names, often several times: after a hit, go on from the
            // next name instead of visiting every occurrence.
            let (mut pos, mut i) = (0, 0);
            while let Some(found) = memchr::memchr(*byte, &buffer[pos.min(buffer.len())..]) {
                let offset = pos + found;
                while offset >= list.start(i + 1) {
                    i += 1;
                }
                hits.push(u32::try_from(i).unwrap_or(u32::MAX));
                pos = list.start(i + 1);
            }
            return hits;
        }
        // Offsets come in order, so the name holding each one is found by walking forward.
        let mut i = 0;
        let mut next_start = list.start(1);
        for offset in finder.find_iter(buffer) {
            if offset < next_start && !hits.is_empty() && hits[hits.len() - 1] as usize == i {
                continue; // another hit in a name already counted
            }
            while offset >= next_start {
                i += 1;
                next_start = list.start(i + 1);
            }
            hits.push(u32::try_from(i).unwrap_or(u32::MAX));
        }
        hits
    }

    fn previous_fuzzy_for(&self, key: &[u8]) -> Option<Vec<u32>> {
        let prev = self.previous.as_ref().filter(|p| key.starts_with(&p.key))?;
        let list = &self.list;
        prev.fuzzy.as_ref().map(|hits| {
            hits.iter()
                .copied()
                .filter(|&i| is_subsequence(key, list.key(i as usize)))
                .collect()
        })
    }

    /// Indices of names holding the query's letters in order, ascending.
    fn fuzzy_hits(&self, key: &[u8]) -> Vec<u32> {
        if let Some(narrowed) = self.previous_fuzzy_for(key) {
            return narrowed;
        }
        let list = &self.list;
        let buffer = list.key_buffer();
        let mut hits = Vec::new();
        let mut i = 0;
        let mut name = 0u32;
        while i < buffer.len() {
            let mut j = 0;
            while i < buffer.len() && buffer[i] != b'\n' {
                if buffer[i] == key[j] {
                    j += 1;
                    if j == key.len() {
                        hits.push(name);
                        break;
                    }
                }
                i += 1;
            }
            // Skip to the next name.
            i = memchr::memchr(b'\n', &buffer[i.min(buffer.len())..])
                .map_or(buffer.len(), |n| i + n)
                + 1;
            name += 1;
        }
        hits
    }
}

/// The download rank of every name of `list`, by index (`UNRANKED` when not listed).
fn ranks_of(list: &NameList, known: &Known) -> Vec<u32> {
    let mut ranks = vec![UNRANKED; list.len()];
    for (key, &rank) in &known.ranks {
        if let Some(i) = list.find(key) {
            ranks[i] = rank;
        }
    }
    ranks
}

fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|c| it.any(|h| h == c))
}

/// Result rows without duplicates, up to a limit.
struct Rows {
    limit: usize,
    items: Vec<SearchRow>,
    seen: std::collections::HashSet<Vec<u8>>,
}

impl Rows {
    fn new(limit: usize) -> Rows {
        Rows {
            limit,
            items: Vec::new(),
            seen: std::collections::HashSet::new(),
        }
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    fn push(
        &mut self,
        name: String,
        kind: MatchKind,
        positions: Vec<usize>,
        import: Option<String>,
    ) {
        if self.items.len() >= self.limit || !self.seen.insert(key_of(&name)) {
            return;
        }
        self.items.push(SearchRow {
            name,
            kind,
            positions,
            import,
            rank: None,
        });
    }

    fn done(self) -> Vec<SearchRow> {
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osa_counts_transpositions_as_one_edit() {
        assert_eq!(osa_distance(b"reqeusts", b"requests"), 1);
        assert_eq!(osa_distance(b"pandsa", b"pandas"), 1);
        assert_eq!(osa_distance(b"numpy", b"numpy"), 0);
        assert!(osa_distance(b"flask", b"django") > 2);
    }

    #[test]
    fn subsequences_are_letters_in_order() {
        assert!(is_subsequence(b"pydntic", b"pydantic"));
        assert!(!is_subsequence(b"pydnatic", b"pydantic"));
    }
}
