//! The on-disk HTTP cache: a body and a small JSON record of validators per URL.
//!
//! Entries are written to a temporary file and renamed into place, so a crash or Ctrl-C never
//! leaves half an entry under its name. They are not synced to disk one by one (a sync per
//! METADATA file was most of the time of a resolution that reads thousands): the record holds
//! the body's length and sha256, checked on every read, so a body the system lost in a power
//! cut (empty, cut short, zeros) reads as a miss and is fetched again, as does a record that
//! does not parse.

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

/// The record as written beside a body: its validators, and the body's length and sha256
/// (records written before these were kept do not parse, and read as a miss).
#[derive(Serialize, Deserialize)]
struct Record {
    #[serde(flatten)]
    meta: CacheMeta,
    body_len: u64,
    body_sha256: String,
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

    /// The cached body and its record, if both are there, readable and the body is the one
    /// the record describes (its length and sha256).
    pub fn get(&self, url: &str) -> Option<(Vec<u8>, CacheMeta)> {
        let (body_path, meta_path) = self.paths(url);
        let record = Self::record(url, &meta_path)?;
        let body = std::fs::read(body_path).ok()?;
        if body.len() as u64 != record.body_len || sha256_hex(&body) != record.body_sha256 {
            tracing::info!(
                "the cached body of {url} is not the one its record describes: fetched again"
            );
            return None;
        }
        Some((body, record.meta))
    }

    fn record(url: &str, meta_path: &Path) -> Option<Record> {
        let record: Record = serde_json::from_slice(&std::fs::read(meta_path).ok()?).ok()?;
        (record.meta.url == url).then_some(record)
    }

    /// Stores a body and its record (body first, so a record never points at a missing body).
    /// A cache folder that cannot be written is not an error: the entry is not kept.
    pub fn put(&self, body: &[u8], meta: &CacheMeta) -> std::io::Result<()> {
        let (body_path, meta_path) = self.paths(&meta.url);
        self.write(&body_path, body)?;
        let record = Record {
            meta: meta.clone(),
            body_len: body.len() as u64,
            body_sha256: sha256_hex(body),
        };
        self.write(&meta_path, &serde_json::to_vec(&record)?)
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        if self.state.degraded() {
            return Ok(());
        }
        // Unsynced: what is read back is checked against the record (see the module's doc).
        match write_via_temp(path, bytes, true, false) {
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

    /// Records that the index confirmed the cached body just now (an entry whose record is
    /// gone or damaged since is left as it is: it reads as a miss).
    pub fn touch(&self, meta: &CacheMeta) -> std::io::Result<()> {
        let (_, meta_path) = self.paths(&meta.url);
        let Some(mut record) = Self::record(&meta.url, &meta_path) else {
            return Ok(());
        };
        record.meta = meta.clone();
        record.meta.fetched_at = now_secs();
        self.write(&meta_path, &serde_json::to_vec(&record)?)
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, bytes, false, true)
}

/// [`write_atomically`] for the cache: the file is readable by its owner only (0600 on Unix),
/// as pip keeps its cache, since what an index answers may be private to the user.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, bytes, true, true)
}

/// Creates (or truncates) a file readable and writable by its owner only (0600 on Unix).
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::File::options();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Writes through a temporary file renamed into place; `sync`: its data reaches the disk before
/// the rename (else only a reader that checks what it reads may skip it).
fn write_via_temp(path: &Path, bytes: &[u8], private: bool, sync: bool) -> std::io::Result<()> {
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
        if sync {
            f.sync_data()?;
        }
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
    fn a_body_cut_short_zeroed_or_replaced_and_a_record_without_its_hash_read_as_misses() {
        let dir = std::env::temp_dir().join(format!("wb-cache-torn-{}", std::process::id()));
        let cache = HttpCache::new(&dir, CacheState::probe(&dir));
        let url = "http://h.test/m.metadata";
        let meta = CacheMeta {
            url: url.into(),
            etag: None,
            last_modified: None,
            content_type: None,
            fetched_at: now_secs(),
        };
        let body = b"Metadata-Version: 2.1\nName: a\nVersion: 1.0\nRequires-Dist: b>=2\n";
        let (body_path, meta_path) = cache.paths(url);
        let zeros = vec![0; body.len()];
        let damaged: [&[u8]; 4] = [
            b"",
            &body[..body.len() - 12],
            &zeros,
            b"Metadata-Version: 2.1\nName: a\nVersion: 1.0\nRequires-Dist: c>=2\n",
        ];
        for bytes in damaged {
            cache.put(body, &meta).unwrap();
            assert_eq!(cache.get(url).unwrap().0, body);
            std::fs::write(&body_path, bytes).unwrap();
            assert!(
                cache.get(url).is_none(),
                "{:?} read back",
                String::from_utf8_lossy(bytes)
            );
        }
        // A record as an older version wrote it (no length, no hash) is not trusted.
        cache.put(body, &meta).unwrap();
        std::fs::write(&meta_path, serde_json::to_vec(&meta).unwrap()).unwrap();
        assert!(cache.get(url).is_none());
        // A record cut short does not parse: a miss too.
        cache.put(body, &meta).unwrap();
        let record = std::fs::read(&meta_path).unwrap();
        std::fs::write(&meta_path, &record[..record.len() / 2]).unwrap();
        assert!(cache.get(url).is_none());
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
