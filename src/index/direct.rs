//! A wheel a requirement names by URL or path (`name @ https://…/x.whl`, `./dist/x.whl`)
//! rather than one found on the index's page. pip downloads such a file to read it, and so does
//! this: through the same bounded, streamed download as the index's files (a local one read
//! from disk), its sha256 computed whatever the requirement says, and checked against the
//! digests the requirement gives. The verified bytes go into the wheel store under that
//! sha256, so reading its METADATA and file list and building the layer all use the very file
//! that was checked.

use tokio_util::sync::CancellationToken;

use super::client::IndexClient;
use super::error::IndexError;
use super::http::redact;
use super::project::DistFile;
use crate::work::{Phase, Progress, Step};

impl IndexClient {
    /// Fetches `file` (whose `sha256` is not known yet) into the store and returns it with its
    /// size and sha256 filled in. With `given` digests (from a `#sha256=` fragment or `--hash`),
    /// a file with none of them is refused ([`IndexError::GivenHashMismatch`]) and nothing of it
    /// is kept; a stored copy with one of them is used without fetching again.
    pub async fn direct_wheel(
        &self,
        file: &DistFile,
        given: &[String],
        progress: &Progress,
        cancel: &CancellationToken,
    ) -> Result<DistFile, IndexError> {
        for sha in given {
            let mut known = file.clone();
            known.sha256 = Some(sha.clone());
            if let Some(path) = self.store.get(&known)? {
                known.size = std::fs::metadata(&path).ok().map(|m| m.len());
                return Ok(known);
            }
        }
        let mut fetched = file.clone();
        fetched.sha256 = None;
        let report = |received: u64, total: Option<u64>| {
            progress.report(&Step::new(Phase::Downloading, received, total).about(&file.filename));
        };
        let (temp, actual) = match self.download_to_temp(&fetched, &report, cancel).await {
            Ok(done) => done,
            Err(e) => {
                // Digests of a direct reference are the requirement's, not an index's.
                return Err(match e {
                    IndexError::HashMismatch {
                        filename,
                        url,
                        algorithm,
                        expected,
                        actual,
                    } => IndexError::GivenHashMismatch {
                        filename,
                        url,
                        expected: vec![format!("{algorithm}:{expected}")],
                        actual: format!("{algorithm}:{actual}"),
                    },
                    e => e,
                });
            }
        };
        if !given.is_empty() && !given.contains(&actual) {
            let _ = std::fs::remove_file(&temp);
            return Err(IndexError::GivenHashMismatch {
                filename: file.filename.clone(),
                url: redact(&file.url),
                expected: given.iter().map(|h| format!("sha256:{h}")).collect(),
                actual: format!("sha256:{actual}"),
            });
        }
        fetched.size = std::fs::metadata(&temp).ok().map(|m| m.len());
        fetched.sha256 = Some(actual);
        self.store.adopt(&fetched, &temp)?;
        Ok(fetched)
    }
}
