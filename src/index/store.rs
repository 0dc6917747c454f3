//! Downloaded wheels, kept by sha256 under the cache directory, bounded in size.
//!
//! A stored wheel is checked against its sha256 every time it is read; one that no longer
//! matches is deleted and fetched again. When the store grows past its bound, the wheels used
//! least recently go first. When the cache folder cannot be written (see `cache_state`), the
//! store is read as it is and new wheels are kept in this run's temporary folder.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::cache::{hex, sha256_hex};
use super::cache_state::CacheState;
use super::error::IndexError;
use super::project::DistFile;

/// `dir/KEY/FILENAME`: KEY the sha256, or `url-` and the sha256 of the URL when the index gave
/// none.
fn key_path(dir: &Path, file: &DistFile) -> PathBuf {
    let key = match &file.sha256 {
        Some(sha) => sha.clone(),
        None => format!(
            "url-{}",
            sha256_hex(super::http::redact(&file.url).as_bytes())
        ),
    };
    dir.join(key).join(&file.filename)
}

#[derive(Debug, Clone)]
pub struct WheelStore {
    dir: PathBuf,
    max_bytes: u64,
    state: CacheState,
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
    pub(crate) fn new(cache_dir: &Path, max_bytes: u64, state: CacheState) -> WheelStore {
        WheelStore {
            dir: cache_dir.join("wheels-v1"),
            max_bytes,
            state,
        }
    }

    /// Where `file` lives in the store: by its sha256, or by its URL when the index gave none.
    pub fn path_for(&self, file: &DistFile) -> PathBuf {
        key_path(&self.dir, file)
    }

    /// Where `file` lives in this run's temporary folder, when the store cannot be written.
    fn private_path(&self, file: &DistFile) -> std::io::Result<PathBuf> {
        Ok(key_path(&self.state.private_dir()?, file))
    }

    /// The stored wheel, if present and still matching its sha256.
    pub fn get(&self, file: &DistFile) -> Result<Option<PathBuf>, IndexError> {
        let mut path = self.path_for(file);
        if !path.exists() {
            match self.state.private_dir_made().map(|d| key_path(&d, file)) {
                Some(private) if private.exists() => path = private,
                _ => return Ok(None),
            }
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

    /// Moves a verified temporary file (from [`WheelStore::temp_for`]) into the store, or into
    /// this run's folder when it was made there, and trims the store to its bound.
    pub fn adopt(&self, file: &DistFile, temp: &Path) -> Result<PathBuf, IndexError> {
        let in_store = self.in_store(temp);
        let path = if in_store {
            self.path_for(file)
        } else {
            self.private_path(file)
                .map_err(|e| self.unwritable(&std::env::temp_dir(), file, e))?
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
        }
        std::fs::rename(temp, &path).map_err(|e| IndexError::io(&path, e))?;
        if in_store {
            self.evict(&path);
        }
        Ok(path)
    }

    /// Stores verified bytes (a wheel that arrived whole): in the store, or in this run's folder
    /// when the store cannot be written.
    pub fn put(&self, file: &DistFile, bytes: &[u8]) -> Result<PathBuf, IndexError> {
        if !self.state.degraded() {
            let path = self.path_for(file);
            match super::cache::write_private(&path, bytes) {
                Ok(()) => {
                    self.evict(&path);
                    return Ok(path);
                }
                Err(e) if self.state.failed(&e) => {}
                Err(e) => return Err(IndexError::io(&path, e)),
            }
        }
        let path = self
            .private_path(file)
            .map_err(|e| self.unwritable(&std::env::temp_dir(), file, e))?;
        super::cache::write_private(&path, bytes).map_err(|e| {
            let folder = self.state.private_dir_made().unwrap_or_default();
            self.unwritable(&folder, file, e)
        })?;
        Ok(path)
    }

    /// A temporary path for a download in progress: in the store, or in this run's folder when
    /// the store cannot be written. What a killed run leaves of one is removed by the next run
    /// (see `stale`).
    pub fn temp_for(&self, file: &DistFile) -> Result<PathBuf, IndexError> {
        if !self.state.degraded() {
            match std::fs::create_dir_all(&self.dir) {
                Ok(()) => return Ok(super::cache::temp_path(&self.dir.join(&file.filename))),
                Err(e) if self.state.failed(&e) => {}
                Err(e) => return Err(IndexError::io(&self.dir, e)),
            }
        }
        let dir = self
            .state
            .private_dir()
            .map_err(|e| self.unwritable(&std::env::temp_dir(), file, e))?;
        Ok(super::cache::temp_path(&dir.join(&file.filename)))
    }

    pub(crate) fn cache_state(&self) -> &CacheState {
        &self.state
    }

    /// Whether `path` is in the store (not in this run's folder).
    pub(crate) fn in_store(&self, path: &Path) -> bool {
        path.starts_with(&self.dir)
    }

    /// Records that writing `path` failed with `error`; true when that means the cache folder
    /// cannot be written (then the caller may try again in this run's folder).
    pub(crate) fn failed(&self, path: &Path, error: &std::io::Error) -> bool {
        self.in_store(path) && self.state.failed(error)
    }

    /// The error for a write of `file` in `folder` that failed.
    pub(crate) fn unwritable(
        &self,
        folder: &Path,
        file: &DistFile,
        error: std::io::Error,
    ) -> IndexError {
        let role = if folder.starts_with(&self.dir) {
            "the cache folder"
        } else {
            "this run's temporary folder, used because the cache folder cannot be written"
        };
        IndexError::Unwritable {
            folder: folder.to_path_buf(),
            role,
            file: file.filename.clone(),
            error,
        }
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
