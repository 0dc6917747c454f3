//! The known tier of a search: the user's picks and the most-downloaded projects, ranked above
//! every other match. The most downloaded whose names hold the query come from the substring
//! hits (or, when most names hold it, from the ranked names in order); picks and the
//! [`super::super::known::POPULAR`] most downloaded are graded one by one for letters in order
//! and typos.

use super::super::known::Known;
use super::super::names::NameList;
use super::rows::Rows;
use super::{MatchKind, Matcher};
use crate::text::osa_distance;

/// Grades of a known project's match, best first. A prefix and a name containing the query are
/// one grade: among known projects the one more people download comes first (`pandas`:
/// pandas-stubs, pandas-gbq, geopandas, then pandasql).
const PART: u8 = 0;
const FUZZY: u8 = 2;
const TYPO: u8 = 3;

/// The rank of a project outside the popularity list: after every listed one.
pub(super) const UNRANKED: u32 = u32::MAX;

/// A known project graded for a query: by its place among the known ones, or by its index in
/// the name list (a substring hit with a download rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Known(usize),
    Listed(u32),
}

impl Matcher {
    /// Pushes the known projects that match (but not those a typo away, which are returned),
    /// and counts the known projects that match but are not on the list (when it is empty).
    ///
    /// The most downloaded whose names hold the query are the substring `hits` that have a
    /// rank (no second scan); picks, and the [`POPULAR`](super::super::known::POPULAR) most downloaded for
    /// letters in order or a typo, are graded one by one. Names, look-ups and positions only
    /// for the few that make the page.
    pub(super) fn push_known(
        &self,
        key: &[u8],
        hits: &[u32],
        rows: &mut Rows,
    ) -> (Vec<String>, usize) {
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
            let entry = |i: u32| (PART, picks + u64::from(self.rank(i)), Who::Listed(i));
            if hits.len() <= self.ranked.len() {
                graded.extend(
                    hits.iter()
                        .filter(|&&i| self.rank(i) != UNRANKED && list.key(i as usize) != key)
                        .map(|&i| entry(i)),
                );
            } else {
                // Most names hold the query (`a`, `py`): walk the ranked names, most downloaded
                // first, until a page is found.
                let finder = memchr::memmem::Finder::new(key);
                graded.extend(
                    self.ranked
                        .iter()
                        .filter(|&&i| {
                            let k = list.key(i as usize);
                            k != key && finder.find(k).is_some()
                        })
                        .take(rows.limit)
                        .map(|&i| entry(i)),
                );
            }
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
}

/// The download rank of every name of `list`, by index (`UNRANKED` when not listed), and the
/// indices of the ranked names, most downloaded first.
pub(super) fn ranks_of(list: &NameList, known: &Known) -> (Vec<u32>, Vec<u32>) {
    let mut ranks = vec![UNRANKED; list.len()];
    let mut ranked = Vec::with_capacity(known.ranks.len());
    for (key, &rank) in &known.ranks {
        if let Some(i) = list.find(key) {
            ranks[i] = rank;
            ranked.push((rank, u32::try_from(i).unwrap_or(u32::MAX)));
        }
    }
    ranked.sort_unstable();
    (ranks, ranked.into_iter().map(|(_, i)| i).collect())
}
