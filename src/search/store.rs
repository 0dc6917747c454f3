//! The project-name list on disk: loaded in milliseconds, refreshed from the index when stale
//! (a conditional request, so an unchanged list costs one round trip), usable offline.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::names::NameList;
use crate::index::{IndexClient, IndexError, RootAnswer};

/// Where the list lives and what the index said about it last time.
#[derive(Debug, Clone)]
pub struct NameStore {
    list_path: PathBuf,
    meta_path: PathBuf,
}

/// The record kept beside the list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredMeta {
    /// The Simple API root the list came from.
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Unix seconds when the index last confirmed the list.
    pub fetched_at: u64,
    pub count: usize,
}

impl StoredMeta {
    pub fn age(&self) -> Duration {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Duration::from_secs(now.saturating_sub(self.fetched_at))
    }
}

/// A loaded list and its record.
#[derive(Debug, Clone)]
pub struct Stored {
    pub list: NameList,
    pub meta: StoredMeta,
}

impl NameStore {
    /// The store for the index `client` talks to, under its cache directory.
    pub fn for_client(client: &IndexClient) -> NameStore {
        let root = client.settings().api.simple_root().as_str();
        let key = &crate::index::sha256_hex(root.as_bytes())[..16];
        Self::at(&client.settings().cache_dir.join(format!("names-v1-{key}")))
    }

    pub fn at(base: &Path) -> NameStore {
        NameStore {
            list_path: base.with_extension("txt"),
            meta_path: base.with_extension("json"),
        }
    }

    /// Where the list file is.
    pub fn list_path(&self) -> &Path {
        &self.list_path
    }

    /// The stored list, if there is one and it is intact.
    pub fn load(&self) -> Option<Stored> {
        let meta: StoredMeta =
            serde_json::from_slice(&std::fs::read(&self.meta_path).ok()?).ok()?;
        let list = NameList::load(&self.list_path)?;
        (list.len() == meta.count).then_some(Stored { list, meta })
    }

    /// Asks the index for the list (conditionally, when one is stored) and stores the answer.
    /// Returns the current list: the stored one when the index says it has not changed.
    pub async fn refresh(
        &self,
        client: &IndexClient,
        stored: Option<Stored>,
        progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
    ) -> Result<Stored, IndexError> {
        let (etag, modified) = stored
            .as_ref()
            .map(|s| (s.meta.etag.clone(), s.meta.last_modified.clone()))
            .unwrap_or_default();
        let answer = client
            .project_names(etag.as_deref(), modified.as_deref(), progress)
            .await?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let url = client.settings().api.simple_root().to_string();
        let stored = match (answer, stored) {
            (RootAnswer::NotModified, Some(mut s)) => {
                s.meta.fetched_at = now;
                s
            }
            (RootAnswer::NotModified, None) => {
                return Err(IndexError::Malformed {
                    url,
                    expected: "a project list",
                    detail: "'not modified' to an unconditional request".into(),
                });
            }
            (
                RootAnswer::Names {
                    names,
                    etag,
                    last_modified,
                },
                _,
            ) => {
                let list = NameList::from_names(names);
                list.save(&self.list_path)
                    .map_err(|e| IndexError::io(&self.list_path, e))?;
                let meta = StoredMeta {
                    url,
                    etag,
                    last_modified,
                    fetched_at: now,
                    count: list.len(),
                };
                Stored { list, meta }
            }
        };
        let json = serde_json::to_vec(&stored.meta).unwrap_or_default();
        crate::index::write_atomically(&self.meta_path, &json)
            .map_err(|e| IndexError::io(&self.meta_path, e))?;
        Ok(stored)
    }
}
