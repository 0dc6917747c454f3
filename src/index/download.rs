//! A download streamed into a temporary file, hashed as it arrives. The file goes in the
//! wheel store; when the cache folder cannot take it (read-only, full), the download starts
//! again in this run's temporary folder, and the cache is not written again this run. A
//! failure or cancellation leaves nothing behind.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

use super::IndexClient;
use super::cache::{create_private, hex};
use super::digests::Hashers;
use super::error::IndexError;
use super::project::DistFile;

impl IndexClient {
    /// Streams `file` into a temporary file (in the store, or in this run's folder when the
    /// store cannot be written) and returns it with its sha256, which the caller checks.
    pub(super) async fn download_to_temp(
        &self,
        file: &DistFile,
        progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<(PathBuf, String), IndexError> {
        let mut temp = self.store.temp_for(file)?;
        let mut result = self.download_to(file, &temp, progress, cancel).await;
        if let Err(IndexError::Unwritable { error, .. }) = &result
            && self.store.failed(&temp, error)
        {
            let _ = std::fs::remove_file(&temp);
            temp = self.store.temp_for(file)?;
            result = self.download_to(file, &temp, progress, cancel).await;
        }
        match result {
            Ok(sha) => Ok((temp, sha)),
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                Err(e)
            }
        }
    }

    /// Streams `file` into `temp` and returns its sha256. A write that fails is said with the
    /// folder it failed in ([`IndexError::Unwritable`] when that folder cannot take it).
    async fn download_to(
        &self,
        file: &DistFile,
        temp: &Path,
        progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<String, IndexError> {
        let folder = temp.parent().unwrap_or(temp);
        let write_failed = |e: std::io::Error| {
            if super::cache_state::unwritable(&e) {
                self.store.unwritable(folder, file, e)
            } else {
                IndexError::io(temp, e)
            }
        };
        let mut others = Hashers::for_file(file)?;
        let mut out = create_private(temp).map_err(write_failed)?;
        let mut hasher = Sha256::new();
        let mut write_error = None;
        let fetch = self.fetcher.stream(
            &file.url,
            |chunk| {
                if cancel.is_cancelled() {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::Interrupted,
                        "cancelled",
                    ));
                }
                hasher.update(chunk);
                others.update(chunk);
                out.write_all(chunk).inspect_err(|e| {
                    write_error = Some(std::io::Error::new(e.kind(), e.to_string()));
                })
            },
            progress,
        );
        let fetched = tokio::select! {
            result = fetch => result,
            () = cancel.cancelled() => return Err(IndexError::Cancelled),
        };
        // A local file is read in this task: the sink stops it between chunks.
        if cancel.is_cancelled() {
            return Err(IndexError::Cancelled);
        }
        if let Some(e) = write_error {
            return Err(write_failed(e));
        }
        fetched?;
        out.sync_data().map_err(write_failed)?;
        others.verify(file)?;
        Ok(hex(&hasher.finalize()))
    }
}
