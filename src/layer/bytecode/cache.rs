//! The compiled output of one wheel for one interpreter, kept as a small zip in the cache
//! folder (`bytecode-v1/`): its members are the `.pyc` files at their layer paths, deflated
//! once, then copied into every layer as they are; one last member lists the files that did
//! not compile. The key covers everything the output depends on, so an entry is never stale.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Skipped;
use crate::index::{ZipEntry, zipdir};

/// The member of a cached archive that lists the skipped sources (never a `.pyc` path).
pub(super) const SKIPPED_MEMBER: &str = "wheelbarrow-skipped.json";

/// A compiled archive: its bytes, its members (the `.pyc` files) and the skipped sources.
pub(super) struct Archive {
    pub(super) bytes: Vec<u8>,
    pub(super) pycs: Vec<ZipEntry>,
    pub(super) skipped: Vec<Skipped>,
}

/// The cache key: a sha256 over every input of the compiled output.
pub(super) fn key(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    crate::index::hex(&hash.finalize())
}

pub(super) fn path_for(cache_dir: &Path, key: &str) -> PathBuf {
    cache_dir
        .join("bytecode-v1")
        .join(&key[..2])
        .join(format!("{key}.zip"))
}

/// Reads an archive made earlier: `None` when there is none, or when it does not hold exactly
/// what is expected (then it is compiled again).
pub(super) fn load(path: &Path, expected: &BTreeSet<String>) -> Option<Archive> {
    let bytes = std::fs::read(path).ok()?;
    read(bytes, expected)
}

/// An archive's parts, checked: every member an expected `.pyc` path, the skipped list last.
pub(super) fn read(bytes: Vec<u8>, expected: &BTreeSet<String>) -> Option<Archive> {
    let entries = zipdir::list_whole(&bytes).ok()?;
    let mut pycs = Vec::new();
    let mut skipped = None;
    for e in entries {
        if e.name == SKIPPED_MEMBER {
            let text = zipdir::read_member(&bytes, &e).ok()?;
            skipped = Some(serde_json::from_slice::<Vec<Skipped>>(&text).ok()?);
        } else if expected.contains(&e.name) {
            pycs.push(e);
        } else {
            return None;
        }
    }
    Some(Archive {
        bytes,
        pycs,
        skipped: skipped?,
    })
}
