//! Every project name on the index, held compactly for fast scans.
//!
//! Names sit in one buffer joined by `\n`, sorted by their search key; a second buffer of the
//! same length holds the search keys (lowercase, with `_` and `.` as `-`, byte for byte), so a
//! hit found at any offset of the key buffer maps straight back to its name. About 930,000
//! names take some 30 MB.

use std::ops::Range;
use std::path::Path;

const MAGIC: &str = "wheelbarrow-names v1";

/// The project-name list.
#[derive(Debug, Clone)]
pub struct NameList {
    display: String,
    keys: Vec<u8>,
    /// Start offset of each name; one more entry than names (the end sentinel).
    starts: Vec<u32>,
}

/// The search key of one byte: lowercase, and every PEP 503 separator as `-`.
pub fn key_byte(b: u8) -> u8 {
    match b {
        b'_' | b'.' => b'-',
        b => b.to_ascii_lowercase(),
    }
}

/// The search key of a string, byte for byte.
pub fn key_of(s: &str) -> Vec<u8> {
    s.trim().bytes().map(key_byte).collect()
}

impl Default for NameList {
    fn default() -> NameList {
        NameList::from_sorted_text(String::new())
    }
}

impl NameList {
    /// Builds the list from names in any order; names equal after normalisation appear once.
    pub fn from_names<I: IntoIterator<Item = String>>(names: I) -> NameList {
        let mut names: Vec<String> = names
            .into_iter()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty() && !n.contains('\n'))
            .collect();
        names.sort_by_cached_key(|n| key_of(n));
        names.dedup_by(|a, b| key_of(a) == key_of(b));
        Self::from_sorted_text(names.join("\n"))
    }

    fn from_sorted_text(display: String) -> NameList {
        let keys: Vec<u8> = display.bytes().map(key_byte).collect();
        let mut starts = Vec::with_capacity(display.len() / 12);
        if !display.is_empty() {
            starts.push(0);
            for i in memchr::memchr_iter(b'\n', keys.as_slice()) {
                starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        starts.push(u32::try_from(display.len() + 1).unwrap_or(u32::MAX));
        NameList {
            display,
            keys,
            starts,
        }
    }

    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn span(&self, i: usize) -> Range<usize> {
        self.starts[i] as usize..self.starts[i + 1] as usize - 1
    }

    /// The name as the index spells it.
    pub fn name(&self, i: usize) -> &str {
        &self.display[self.span(i)]
    }

    /// The search key of name `i`.
    pub fn key(&self, i: usize) -> &[u8] {
        &self.keys[self.span(i)]
    }

    /// The whole key buffer (names separated by `\n`), for scans.
    pub fn key_buffer(&self) -> &[u8] {
        &self.keys
    }

    /// The name whose span holds byte `offset` of the key buffer.
    pub fn index_at(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Where name `i` starts in the key buffer.
    pub fn start(&self, i: usize) -> usize {
        self.starts[i] as usize
    }

    /// The names whose key starts with `prefix` (a key): a contiguous range, since keys sort.
    pub fn prefix_range(&self, prefix: &[u8]) -> Range<usize> {
        let n = self.len();
        let lo = partition(n, |i| self.key(i) < prefix);
        let hi = partition(n, |i| {
            let k = self.key(i);
            k < prefix || k.starts_with(prefix)
        });
        lo..hi.max(lo)
    }

    /// The name whose key is exactly `key`.
    pub fn find(&self, key: &[u8]) -> Option<usize> {
        let i = partition(self.len(), |i| self.key(i) < key);
        (i < self.len() && self.key(i) == key).then_some(i)
    }

    /// Bytes held, for the memory figure.
    pub fn heap_bytes(&self) -> usize {
        self.display.capacity() + self.keys.capacity() + self.starts.capacity() * 4
    }

    /// Writes the list to `path` atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let mut bytes = Vec::with_capacity(self.display.len() + 64);
        bytes.extend_from_slice(format!("{MAGIC} {}\n", self.len()).as_bytes());
        bytes.extend_from_slice(self.display.as_bytes());
        crate::index::write_private(path, &bytes)
    }

    /// Reads a list written by [`NameList::save`]; `None` if missing or damaged.
    pub fn load(path: &Path) -> Option<NameList> {
        let text = std::fs::read_to_string(path).ok()?;
        let (header, body) = text.split_once('\n').unwrap_or((&text, ""));
        let count: usize = header.strip_prefix(MAGIC)?.trim().parse().ok()?;
        let list = Self::from_sorted_text(body.to_string());
        (list.len() == count).then_some(list)
    }
}

/// The first index in `0..n` for which `before` is false (`before` must be monotone).
fn partition(n: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> NameList {
        NameList::from_names(
            [
                "requests",
                "PyYAML",
                "req2",
                "pydantic_core",
                "pydantic",
                "Requests",
                "zope.interface",
            ]
            .iter()
            .map(ToString::to_string),
        )
    }

    #[test]
    fn names_are_sorted_deduplicated_and_found_by_key() {
        let l = list();
        assert_eq!(l.len(), 6);
        assert_eq!(l.name(l.find(b"pyyaml").unwrap()), "PyYAML");
        assert_eq!(l.name(l.find(b"pydantic-core").unwrap()), "pydantic_core");
        assert!(l.find(b"pydantic-cor").is_none());
        let r = l.prefix_range(b"req");
        let names: Vec<_> = r.map(|i| l.name(i)).collect();
        assert_eq!(names, ["req2", "requests"]);
        assert!(l.prefix_range(b"zzz").is_empty());
    }

    #[test]
    fn a_key_offset_maps_back_to_its_name() {
        let l = list();
        let buf = l.key_buffer();
        let at = memchr::memmem::find(buf, b"interface").unwrap();
        assert_eq!(l.name(l.index_at(at)), "zope.interface");
        assert_eq!(l.index_at(0), 0);
    }

    #[test]
    fn the_list_round_trips_through_a_file() {
        let path = std::env::temp_dir().join(format!("wb-names-{}", std::process::id()));
        let l = list();
        l.save(&path).unwrap();
        let back = NameList::load(&path).unwrap();
        assert_eq!(back.len(), l.len());
        assert_eq!(back.name(3), l.name(3));
        std::fs::write(&path, "garbage").unwrap();
        assert!(NameList::load(&path).is_none());
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn an_empty_list_is_empty() {
        let l = NameList::from_names(Vec::new());
        assert!(l.is_empty());
        assert!(l.find(b"x").is_none());
        assert!(l.prefix_range(b"x").is_empty());
    }
}
