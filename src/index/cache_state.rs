//! Whether the cache folder can be written. A folder that cannot (mounted read-only, not the
//! user's, or full) is no reason to fail: what it holds is still read, nothing more is written
//! there, and what has to be on disk for this run (downloaded wheels) goes to a temporary
//! folder of this process, removed when the client goes. The first failure is said once, as a
//! [`CacheProblem`] the front end shows (see [`take_cache_problems`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Why the cache folder is not written to this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheProblem {
    pub folder: PathBuf,
    pub kind: std::io::ErrorKind,
    /// The I/O error's words.
    pub error: String,
}

impl std::fmt::Display for CacheProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if unwritable(&std::io::Error::from(self.kind)) {
            folder_words(self.kind).to_string()
        } else {
            format!("cannot be written ({})", self.error)
        };
        write!(
            f,
            "the cache folder {} {what}: working without a cache this run (what it holds is read, nothing new is kept). Make it writable or free space there, or set WHEELBARROW_CACHE_DIR to another folder",
            self.folder.display(),
        )
    }
}

/// Problems not yet shown, from every client of this process.
static UNSAID: Mutex<Vec<CacheProblem>> = Mutex::new(Vec::new());

/// The cache problems found since the last call, each once: for a front end to show.
pub fn take_cache_problems() -> Vec<CacheProblem> {
    UNSAID
        .lock()
        .map(|mut p| std::mem::take(&mut *p))
        .unwrap_or_default()
}

/// Whether an I/O error says the folder cannot be written (rather than something else wrong).
pub(crate) fn unwritable(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::{PermissionDenied, QuotaExceeded, ReadOnlyFilesystem, StorageFull};
    matches!(
        error.kind(),
        ReadOnlyFilesystem | PermissionDenied | StorageFull | QuotaExceeded
    )
}

/// What a write error says about the folder it happened in ("has no space left").
pub(crate) fn folder_words(kind: std::io::ErrorKind) -> &'static str {
    match kind {
        std::io::ErrorKind::StorageFull => "has no space left",
        std::io::ErrorKind::QuotaExceeded => "is over its disk quota",
        std::io::ErrorKind::ReadOnlyFilesystem => "is on a read-only file system",
        std::io::ErrorKind::PermissionDenied => "is not writable by this user",
        _ => "could not be written",
    }
}

/// The cache folder's state, shared by the parts of one client that write there.
#[derive(Debug, Clone)]
pub(crate) struct CacheState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    folder: PathBuf,
    problem: OnceLock<CacheProblem>,
    /// This run's folder for downloads while the cache cannot be written.
    private: Mutex<Option<PathBuf>>,
}

impl CacheState {
    /// The state of `folder`, probed: a folder that cannot be created, or a file that cannot
    /// be created in it, marks it unwritable at once.
    pub(crate) fn probe(folder: &Path) -> CacheState {
        let state = CacheState(Arc::new(Inner {
            folder: folder.to_path_buf(),
            problem: OnceLock::new(),
            private: Mutex::new(None),
        }));
        let probe = super::cache::temp_path(&folder.join("probe"));
        let written = std::fs::create_dir_all(folder)
            .and_then(|()| super::cache::create_private(&probe).map(drop));
        let _ = std::fs::remove_file(&probe);
        if let Err(e) = written {
            state.failed(&e);
        }
        state
    }

    pub(crate) fn degraded(&self) -> bool {
        self.0.problem.get().is_some()
    }

    /// Records that writing the cache failed with `error`: from now on nothing is written there.
    /// Returns whether the error was of that kind (else it is the caller's to report).
    pub(crate) fn failed(&self, error: &std::io::Error) -> bool {
        if !unwritable(error) {
            return false;
        }
        let problem = CacheProblem {
            folder: self.0.folder.clone(),
            kind: error.kind(),
            error: error.to_string(),
        };
        if self.0.problem.set(problem.clone()).is_ok() {
            tracing::warn!("{problem}");
            if let Ok(mut unsaid) = UNSAID.lock() {
                unsaid.push(problem);
            }
        }
        true
    }

    /// This run's own folder for downloads (made on first use, readable by its owner only).
    pub(crate) fn private_dir(&self) -> std::io::Result<PathBuf> {
        let mut private = self
            .0
            .private
            .lock()
            .map_err(|_| std::io::Error::other("the temporary folder's lock was poisoned"))?;
        if let Some(dir) = private.as_ref() {
            return Ok(dir.clone());
        }
        let dir = std::env::temp_dir().join(format!(
            "wheelbarrow-{}-{}",
            std::process::id(),
            super::cache::sha256_hex(self.0.folder.to_string_lossy().as_bytes())
                .get(..8)
                .unwrap_or_default()
        ));
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir)?;
        *private = Some(dir.clone());
        Ok(dir)
    }

    /// The private folder, if one was made.
    pub(crate) fn private_dir_made(&self) -> Option<PathBuf> {
        self.0.private.lock().ok().and_then(|p| p.clone())
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(dir) = self.private.get_mut().ok().and_then(Option::take) {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_errors_that_say_the_folder_cannot_be_written_degrade_the_cache() {
        let dir = std::env::temp_dir().join(format!("wb-cache-state-{}", std::process::id()));
        let state = CacheState::probe(&dir);
        assert!(!state.degraded());
        assert!(!state.failed(&std::io::Error::other("something else")));
        assert!(!state.degraded());
        assert!(state.failed(&std::io::Error::from(std::io::ErrorKind::StorageFull)));
        assert!(state.degraded());
        let private = state.private_dir().unwrap();
        assert!(private.is_dir());
        drop(state);
        assert!(!private.exists(), "the run's folder goes with the client");
        let said = take_cache_problems();
        let ours: Vec<_> = said.iter().filter(|p| p.folder == dir).collect();
        assert_eq!(ours.len(), 1, "said once");
        assert!(
            ours[0].to_string().contains("has no space left"),
            "{}",
            ours[0]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
