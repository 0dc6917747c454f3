//! The project-name list on disk: loaded in milliseconds, refreshed from the index when stale
//! (a conditional request, so an unchanged list costs one round trip), usable offline.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::names::{NameList, key_of};
use super::rank::{MatchKind, SearchRow, Snapshot};
use crate::index::{IndexClient, IndexError, RootAnswer};
use crate::work::Progress;

/// The list as [`NameStore::open`] found it, and what the user should know about it.
#[derive(Debug)]
pub struct Opened {
    /// The list to search, when there is one.
    pub stored: Option<Stored>,
    pub notice: Option<ListNotice>,
}

/// Something worth saying about the list: each front end words it its own way.
#[derive(Debug)]
pub enum ListNotice {
    /// Offline and nothing stored: only a project whose page is cached can be found, by its
    /// exact name.
    OfflineNotCached,
    /// Offline, the exact name was looked up, and its project page is not cached either.
    ExactNotCached(String),
    /// The refresh failed; the stored list (this old) is used.
    RefreshFailed { error: IndexError, age: Duration },
    /// The first download failed: only an exact name can be found.
    DownloadFailed(IndexError),
}

impl std::fmt::Display for ListNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ListNotice::OfflineNotCached => f.write_str(
                "offline, and the project list is not cached yet: only a project whose page is cached can be found, by its exact name",
            ),
            ListNotice::ExactNotCached(name) => write!(
                f,
                "{name}: its project page is not cached either, so it cannot be looked up offline"
            ),
            ListNotice::RefreshFailed { error, age } => write!(
                f,
                "could not refresh the project list ({error}); using the one stored {} min ago",
                age.as_secs() / 60
            ),
            ListNotice::DownloadFailed(error) => write!(
                f,
                "could not download the project list ({error}); only an exact name can be found"
            ),
        }
    }
}

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
        // Keyed and recorded by the root without its credentials: they never reach the disk.
        let root = crate::index::redact_url(client.settings().api.simple_root());
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

    /// Whether a stored list (or none) should be asked for again: missing, or older than the
    /// index settings' freshness window, and the client may use the network.
    pub fn is_stale(client: &IndexClient, stored: Option<&Stored>) -> bool {
        let settings = client.settings();
        !settings.offline && stored.is_none_or(|s| s.meta.age() > settings.names_freshness)
    }

    /// The list to search: the stored one, refreshed first when stale (progress: `NameList`
    /// bytes). A failed refresh falls back to the stored list, and says so.
    pub async fn open(
        &self,
        client: &IndexClient,
        progress: &Progress,
        cancel: &CancellationToken,
    ) -> Opened {
        let stored = self.load();
        if !Self::is_stale(client, stored.as_ref()) {
            let notice = (stored.is_none() && client.settings().offline)
                .then_some(ListNotice::OfflineNotCached);
            return Opened { stored, notice };
        }
        let fallback = stored.clone();
        match (
            self.refresh(client, stored, progress, cancel).await,
            fallback,
        ) {
            (Ok(s), _) => Opened {
                stored: Some(s),
                notice: None,
            },
            (Err(error), Some(old)) => Opened {
                notice: Some(ListNotice::RefreshFailed {
                    error,
                    age: old.meta.age(),
                }),
                stored: Some(old),
            },
            (Err(error), None) => Opened {
                stored: None,
                notice: Some(ListNotice::DownloadFailed(error)),
            },
        }
    }

    /// Asks the index for the list (conditionally, when one is stored) and stores the answer.
    /// Returns the current list: the stored one when the index says it has not changed.
    pub async fn refresh(
        &self,
        client: &IndexClient,
        stored: Option<Stored>,
        progress: &Progress,
        cancel: &CancellationToken,
    ) -> Result<Stored, IndexError> {
        let (etag, modified) = stored
            .as_ref()
            .map(|s| (s.meta.etag.clone(), s.meta.last_modified.clone()))
            .unwrap_or_default();
        let answer = client
            .project_names(etag.as_deref(), modified.as_deref(), progress, cancel)
            .await?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let url = crate::index::redact_url(client.settings().api.simple_root());
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
                // A cache folder that cannot be written keeps nothing: the list is used as is.
                if let Err(e) = list.save(&self.list_path)
                    && !client.cache_write_failed(&e)
                {
                    return Err(IndexError::io(&self.list_path, e));
                }
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
        if let Err(e) = crate::index::write_private(&self.meta_path, &json)
            && !client.cache_write_failed(&e)
        {
            return Err(IndexError::io(&self.meta_path, e));
        }
        Ok(stored)
    }
}

/// Without a list (or with an old one), a full project name still finds its project: when the
/// snapshot has no exact match and the list does not know the query, the index is asked for
/// that project, and a hit goes first. Returns whether one was added.
pub async fn exact_fallback(
    client: &IndexClient,
    list: &NameList,
    snapshot: &mut Snapshot,
) -> bool {
    exact_lookup(client, list, snapshot).await == ExactLookup::Added
}

/// What [`exact_lookup`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExactLookup {
    /// The project was found and put first.
    Added,
    /// Nothing to look up: the query is empty, or the list or the snapshot has it already.
    NotNeeded,
    /// The index has no such project.
    Unknown,
    /// Offline, and the project's page is not in the cache.
    NotCached,
    /// The lookup failed (the index could not be asked).
    Failed,
}

/// [`exact_fallback`], saying what happened, so a front end can tell "no such project" from
/// "cannot know offline".
pub async fn exact_lookup(
    client: &IndexClient,
    list: &NameList,
    snapshot: &mut Snapshot,
) -> ExactLookup {
    let query = snapshot.query.trim();
    if query.is_empty()
        || snapshot.rows.iter().any(|r| r.kind == MatchKind::Exact)
        || list.find(&key_of(query)).is_some()
    {
        return ExactLookup::NotNeeded;
    }
    match client.project(query).await {
        Ok(project) => {
            snapshot.rows.insert(
                0,
                SearchRow {
                    name: project.name,
                    kind: MatchKind::Exact,
                    positions: (0..query.len()).collect(),
                    import: None,
                    rank: None,
                },
            );
            snapshot.total += 1;
            ExactLookup::Added
        }
        Err(IndexError::UnknownProject { .. }) => ExactLookup::Unknown,
        Err(IndexError::NotCached { .. }) => ExactLookup::NotCached,
        Err(e) => {
            tracing::debug!("exact lookup of {query}: {e}");
            ExactLookup::Failed
        }
    }
}
