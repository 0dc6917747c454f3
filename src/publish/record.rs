//! What was published, kept beside the zip as `NAME.published.json` (next to the lock file
//! `NAME.requirements.txt` and the script `NAME.publish.sh`), so scripts and the next run can
//! read the ARN without asking AWS.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::PublishError;

/// How the zip reached Lambda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Upload {
    /// Sent with the PublishLayerVersion request.
    Direct,
    /// Put in S3 first, then published from there.
    S3 { bucket: String, key: String },
    /// Nothing was sent: the newest version already had these bytes.
    None,
}

/// A layer version, published now or found unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub layer_name: String,
    pub layer_version_arn: String,
    pub version: i64,
    /// Whether this run made the version (false: it was there already, unchanged).
    pub new_version: bool,
    /// Why, in words (the [`Decision`]).
    pub reason: String,
    pub region: String,
    pub account: String,
    /// Base64 sha256 of the zip, as Lambda reports it.
    pub code_sha256: String,
    pub compatible_runtimes: Vec<String>,
    pub compatible_architectures: Vec<String>,
    pub upload: Upload,
    /// The zip published.
    pub zip: PathBuf,
}

/// Where the record of a publish of `zip` goes: `out.zip` → `out.published.json`.
pub fn record_path(zip: &Path) -> PathBuf {
    crate::layer::beside(zip, "published.json")
}

/// Writes the record beside the zip (a temporary file, then renamed) and returns its path.
pub(crate) fn write_record(published: &Published) -> Result<PathBuf, PublishError> {
    let path = record_path(&published.zip);
    let text = serde_json::to_string_pretty(published)
        .map_err(|e| PublishError::Internal(format!("the record does not serialise: {e}")))?;
    crate::index::write_atomically(&path, format!("{text}\n").as_bytes())
        .map_err(|e| PublishError::io(&path, e))?;
    Ok(path)
}

/// Reads a record written by [`write_record`] (at most 64 KB; anything else is refused).
pub fn read_record(path: &Path) -> Result<Published, PublishError> {
    let meta = std::fs::metadata(path).map_err(|e| PublishError::io(path, e))?;
    if meta.len() > 64 * 1024 {
        return Err(PublishError::File {
            path: path.to_path_buf(),
            problem: "is too large to be a publish record".into(),
        });
    }
    let text = std::fs::read_to_string(path).map_err(|e| PublishError::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| PublishError::File {
        path: path.to_path_buf(),
        problem: format!("is not a publish record: {e}"),
    })
}
