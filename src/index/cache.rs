//! The on-disk HTTP cache: a body and a small JSON record of validators per URL.
//!
//! Entries are written to a temporary file and renamed into place, so a crash or Ctrl-C never
//! leaves half an entry; a damaged entry reads as a miss.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::cache_state::CacheState;
use sha2::{Digest, Sha256};

/// What is kept beside a cached body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacheMeta {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    /// Unix seconds of the last time the index confirmed this body.
    pub fetched_at: u64,
}

impl CacheMeta {
    pub fn age_secs(&self) -> u64 {
        now_secs().saturating_sub(self.fetched_at)
    }

    pub fn has_validators(&self) -> bool {
        self.etag.is_some() || self.last_modified.is_some()
    }
}

#[derive(Debug, Clone)]
pub struct HttpCache {
    dir: PathBuf,
    /// Whether the cache folder can be written; when it cannot, entries are read, not written.
    state: CacheState,
}

pub use crate::units::now_secs;

/// Lowercase hex sha256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl HttpCache {
    pub(crate) fn new(dir: &Path, state: CacheState) -> HttpCache {
        HttpCache {
            dir: dir.join("http-v1"),
            state,
        }
    }

    fn paths(&self, url: &str) -> (PathBuf, PathBuf) {
        let key = sha256_hex(url.as_bytes());
        let dir = self.dir.join(&key[..2]);
        (
            dir.join(format!("{key}.body")),
            dir.join(format!("{key}.json")),
        )
    }

    /// The cached body and its record, if both are there and readable.
    pub fn get(&self, url: &str) -> Option<(Vec<u8>, CacheMeta)> {
        let (body_path, meta_path) = self.paths(url);
        let meta: CacheMeta = serde_json::from_slice(&std::fs::read(meta_path).ok()?).ok()?;
        if meta.url != url {
            return None;
        }
        let body = std::fs::read(body_path).ok()?;
        Some((body, meta))
    }

    /// Stores a body and its record (body first, so a record never points at a missing body).
    /// A cache folder that cannot be written is not an error: the entry is not kept.
    pub fn put(&self, body: &[u8], meta: &CacheMeta) -> std::io::Result<()> {
        let (body_path, meta_path) = self.paths(&meta.url);
        self.write(&body_path, body)?;
        self.write(&meta_path, &serde_json::to_vec(meta)?)
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        if self.state.degraded() {
            return Ok(());
        }
        match write_private(path, bytes) {
            Err(e) if self.state.failed(&e) => Ok(()),
            other => other,
        }
    }

    /// Drops an entry (record first, so a body never outlives the record pointing at it).
    pub fn forget(&self, url: &str) {
        let (body_path, meta_path) = self.paths(url);
        let _ = std::fs::remove_file(meta_path);
        let _ = std::fs::remove_file(body_path);
    }

    /// Records that the index confirmed the cached body just now.
    pub fn touch(&self, meta: &CacheMeta) -> std::io::Result<()> {
        let (_, meta_path) = self.paths(&meta.url);
        let mut meta = meta.clone();
        meta.fetched_at = now_secs();
        self.write(&meta_path, &serde_json::to_vec(&meta)?)
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, bytes, false)
}

/// [`write_atomically`] for the cache: the file is readable by its owner only (0600 on Unix),
/// as pip keeps its cache, since what an index answers may be private to the user.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, bytes, true)
}

/// Creates (or truncates) a file readable and writable by its owner only (0600 on Unix).
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::File::options();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

fn write_via_temp(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = temp_path(path);
    let result = (|| {
        let mut f = if private {
            create_private(&tmp)?
        } else {
            std::fs::File::create(&tmp)?
        };
        f.write_all(bytes)?;
        f.sync_data()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A unique temporary name beside `path` (same directory, so the rename is atomic).
pub fn temp_path(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_round_trips_and_a_different_url_misses() {
        let dir = std::env::temp_dir().join(format!("wb-cache-test-{}", std::process::id()));
        let cache = HttpCache::new(&dir, CacheState::probe(&dir));
        let meta = CacheMeta {
            url: "http://h.test/a".into(),
            etag: Some("\"x\"".into()),
            last_modified: None,
            content_type: Some("application/json".into()),
            fetched_at: 5,
        };
        cache.put(b"body", &meta).unwrap();
        let (body, got) = cache.get("http://h.test/a").unwrap();
        assert_eq!(body, b"body");
        assert_eq!(got.etag.as_deref(), Some("\"x\""));
        assert!(got.age_secs() > 1000);
        cache.touch(&got).unwrap();
        assert!(cache.get("http://h.test/a").unwrap().1.age_secs() < 5);
        assert!(cache.get("http://h.test/b").is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
