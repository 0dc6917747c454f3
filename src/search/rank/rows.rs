//! The rows of a snapshot (no duplicates, up to a limit) and the string measures the ranking
//! uses.

use super::super::names::key_of;
use super::{MatchKind, SearchRow};

pub(super) fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|c| it.any(|h| h == c))
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
    fn subsequences_are_letters_in_order() {
        assert!(is_subsequence(b"pydntic", b"pydantic"));
        assert!(!is_subsequence(b"pydnatic", b"pydantic"));
    }
}
