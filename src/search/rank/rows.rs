//! The rows of a snapshot (no duplicates, up to a limit) and the string measures the ranking
//! uses.

use super::super::names::key_of;
use super::{MatchKind, SearchRow};

pub(super) fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|c| it.any(|h| h == c))
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
#[allow(clippy::many_single_char_names, clippy::needless_range_loop)] // the textbook recurrence
pub(super) fn osa_distance(a: &[u8], b: &[u8]) -> usize {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > 2 {
        return 3;
    }
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=m {
        d[0][j] = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[n][m]
}

/// Result rows without duplicates, up to a limit.
pub(super) struct Rows {
    pub(super) limit: usize,
    items: Vec<SearchRow>,
    seen: std::collections::HashSet<Vec<u8>>,
}

impl Rows {
    pub(super) fn new(limit: usize) -> Rows {
        Rows {
            limit,
            items: Vec::new(),
            seen: std::collections::HashSet::new(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.items.len()
    }

    pub(super) fn push(
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

    pub(super) fn done(self) -> Vec<SearchRow> {
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
