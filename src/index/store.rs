//! Downloaded wheels, kept by sha256 under the cache directory, bounded in size.
//!
//! A stored wheel is checked against its sha256 every time it is read; one that no longer
//! matches is deleted and fetched again. When the store grows past its bound, the wheels used
//! least recently go first.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::cache::{hex, sha256_hex};
use super::error::IndexError;
use super::project::DistFile;

#[derive(Debug, Clone)]
pub struct WheelStore {
    dir: PathBuf,
    max_bytes: u64,
}

/// The sha256 of a file on disk.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

impl WheelStore {
    pub fn new(cache_dir: &Path, max_bytes: u64) -> WheelStore {
        WheelStore {
            dir: cache_dir.join("wheels-v1"),
            max_bytes,
        }
    }

    /// Where `file` lives in the store: by its sha256, or by its URL when the index gave none.
    pub fn path_for(&self, file: &DistFile) -> PathBuf {
        let key = match &file.sha256 {
            Some(sha) => sha.clone(),
            None => format!(
                "url-{}",
                sha256_hex(super::http::redact(&file.url).as_bytes())
            ),
        };
        self.dir.join(key).join(&file.filename)
    }

    /// The stored wheel, if present and still matching its sha256.
    pub fn get(&self, file: &DistFile) -> Result<Option<PathBuf>, IndexError> {
        let path = self.path_for(file);
        if !path.exists() {
            return Ok(None);
        }
        if let Some(expected) = &file.sha256 {
            let actual = file_sha256(&path).map_err(|e| IndexError::io(&path, e))?;
            if &actual != expected {
                tracing::warn!(
                    "{} no longer matches its sha256; fetching it again",
                    path.display()
                );
                let _ = std::fs::remove_file(&path);
                return Ok(None);
            }
        }
        // Mark it as recently used for eviction.
        if let Ok(f) = std::fs::File::options().append(true).open(&path) {
            let _ = f.set_modified(std::time::SystemTime::now());
        }
        Ok(Some(path))
    }

    /// Moves a verified temporary file into the store and trims the store to its bound.
    pub fn adopt(&self, file: &DistFile, temp: &Path) -> Result<PathBuf, IndexError> {
        let path = self.path_for(file);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
        }
        std::fs::rename(temp, &path).map_err(|e| IndexError::io(&path, e))?;
        self.evict(&path);
        Ok(path)
    }

    /// Stores verified bytes (a wheel that arrived whole).
    pub fn put(&self, file: &DistFile, bytes: &[u8]) -> Result<PathBuf, IndexError> {
        let path = self.path_for(file);
        super::cache::write_private(&path, bytes).map_err(|e| IndexError::io(&path, e))?;
        self.evict(&path);
        Ok(path)
    }

    /// A temporary path inside the store for a download in progress (what a killed run leaves
    /// of one is removed by the next run: see `stale`).
    pub fn temp_for(&self, file: &DistFile) -> Result<PathBuf, IndexError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| IndexError::io(&self.dir, e))?;
        Ok(super::cache::temp_path(&self.dir.join(&file.filename)))
    }

    /// Removes the least recently used wheels until the store fits its bound, never `keep`.
    fn evict(&self, keep: &Path) {
        let Ok(dirs) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut wheels: Vec<(std::time::SystemTime, u64, PathBuf)> = dirs
            .flatten()
            .filter(|d| d.path().is_dir())
            .flat_map(|d| std::fs::read_dir(d.path()).into_iter().flatten().flatten())
            .filter_map(|f| {
                let meta = f.metadata().ok()?;
                Some((meta.modified().ok()?, meta.len(), f.path()))
            })
            .collect();
        let mut total: u64 = wheels.iter().map(|w| w.1).sum();
        wheels.sort();
        for (_, len, path) in wheels {
            if total <= self.max_bytes {
                break;
            }
            if path != keep && std::fs::remove_file(&path).is_ok() {
                total -= len;
                if let Some(parent) = path.parent() {
                    let _ = std::fs::remove_dir(parent);
                }
            }
        }
    }
}
