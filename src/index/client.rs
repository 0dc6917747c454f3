//! The index client: project pages, a wheel's METADATA and file list, and downloads.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use url::Url;

use super::cache::{CacheMeta, HttpCache, now_secs, sha256_hex};
use super::cache_state::CacheState;
use super::digests::Hashers;
use super::error::IndexError;
use super::http::{Fetcher, redact};
use super::local::is_local;
use super::metadata::CoreMetadata;
use super::project::{CacheUse, DistFile, MetadataFile, Project, Served};
use super::remote_wheel::{metadata_entry, metadata_from_whole, not_a_wheel};
use super::settings::{IndexApi, IndexSettings};
use super::store::WheelStore;
use super::zipdir::{self, ZipEntry};
use super::{json_api, simple};
use crate::wheel::{FactsCell, normalize_name};
use crate::work::{Phase, Progress, Step};

/// A wheel's file list, and what it cost to learn it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WheelContents {
    pub entries: Vec<ZipEntry>,
    /// Size of the whole wheel file.
    pub wheel_size: u64,
    /// Bytes transferred over the network for this answer (0 when cached).
    pub transferred: u64,
    pub via: ContentsVia,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentsVia {
    /// HTTP range requests for the central directory.
    RangeRequests,
    /// The index ignores ranges: the whole wheel was downloaded (and stored).
    FullDownload,
    /// A wheel already in the store.
    Store,
    /// A listing cached earlier.
    Cache,
}

/// Talks to one package index. Cheap to clone; clones share the connection pool and limits.
#[derive(Debug, Clone)]
pub struct IndexClient {
    pub(super) fetcher: Fetcher,
    settings: Arc<IndexSettings>,
    pub(super) store: WheelStore,
    cache: HttpCache,
    /// Project pages as parsed, while fresh, for a client made by [`IndexClient::sharing_pages`]
    /// (see `memo`).
    pub(super) memo: Option<super::memo::ProjectMemo>,
}

impl IndexClient {
    pub fn new(settings: IndexSettings) -> Result<IndexClient, IndexError> {
        let settings = Arc::new(settings);
        super::scrub::scrub_once(&settings.cache_dir);
        super::stale::sweep_cache_once(&settings.cache_dir);
        let state = CacheState::probe(&settings.cache_dir);
        Ok(IndexClient {
            fetcher: Fetcher::new(settings.clone(), state.clone())?,
            store: WheelStore::new(
                &settings.cache_dir,
                settings.wheel_store_max_bytes,
                state.clone(),
            ),
            cache: HttpCache::new(&settings.cache_dir, state),
            memo: None,
            settings,
        })
    }

    pub fn settings(&self) -> &IndexSettings {
        &self.settings
    }

    /// For a write in the cache folder that failed with `error`: true when that means the
    /// folder cannot be written (read-only, full, not the user's), which is recorded and said
    /// once, and the write may be left out; false for any other error, which is the caller's.
    pub fn cache_write_failed(&self, error: &std::io::Error) -> bool {
        self.store.cache_state().failed(error)
    }

    pub(crate) fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    /// The same client, keeping the project pages it parses while they are fresh, for work that
    /// reads the same pages many times at once (one set resolved on many targets). Pages are
    /// kept by this client and its clones only, for as long as they live.
    #[must_use]
    pub fn sharing_pages(&self) -> IndexClient {
        IndexClient {
            memo: Some(super::memo::ProjectMemo::default()),
            ..self.clone()
        }
    }

    /// The same client with other settings, sharing the connection pool, limits and caches.
    pub(super) fn with_settings(&self, settings: IndexSettings) -> IndexClient {
        IndexClient {
            fetcher: self.fetcher.clone(),
            settings: Arc::new(settings),
            store: self.store.clone(),
            cache: self.cache.clone(),
            memo: self.memo.clone(),
        }
    }

    /// Every release and file of a project: the index's page, with the wheels of the
    /// find-links locations merged in (see `find_links`).
    pub async fn project(&self, name: &str) -> Result<Project, IndexError> {
        let from_index = self.index_project(name).await;
        if self.settings.find_links.is_empty() {
            return from_index;
        }
        let extra = self.find_links_files(&normalize_name(name)).await?;
        super::find_links::merge(from_index, extra)
    }

    /// The index's own page of a project (parsed once while fresh by a client that shares
    /// pages).
    async fn index_project(&self, name: &str) -> Result<Project, IndexError> {
        let Some(memo) = &self.memo else {
            return self.read_index_project(name).await;
        };
        let key = self.memo_key(name);
        if let Some(page) = memo.get(&key) {
            return Ok(page);
        }
        let page = Arc::new(self.read_index_project(name).await?);
        memo.put(&key, &page, self.settings.project_freshness);
        Ok(Arc::unwrap_or_clone(page))
    }

    pub(super) async fn read_index_project(&self, name: &str) -> Result<Project, IndexError> {
        let normalized = normalize_name(name);
        if normalized.is_empty()
            || !normalized
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(IndexError::UnknownProject {
                name: name.to_string(),
                index: self.settings.api.display(),
            });
        }
        let unknown = || IndexError::UnknownProject {
            name: name.to_string(),
            index: self.settings.api.display(),
        };
        let fresh = Some(self.settings.project_freshness);
        match &self.settings.api {
            IndexApi::JsonApi { base, .. } => {
                let url = join(base, &format!("{normalized}/json"))?;
                let (page, cache) = self
                    .fetcher
                    .get_cached(&url, "application/json", fresh, |body, _| {
                        json_api::parse(&url, body)
                            .map_err(|detail| json_api_malformed(&url, body, detail))
                    })
                    .await?
                    .ok_or_else(unknown)?;
                Ok(Project {
                    name: page.name,
                    summary: page.summary,
                    versions: page.versions,
                    files: page.files,
                    requires_dist: page.requires_dist,
                    served: Served {
                        api: "JSON API",
                        cache,
                    },
                    facts: FactsCell::default(),
                })
            }
            IndexApi::Simple { root } => {
                let url = join(root, &format!("{normalized}/"))?;
                let read = |body: &[u8], content_type: Option<&str>| {
                    let is_json = content_type.is_some_and(|t| t.contains("json"))
                        || body.trim_ascii_start().starts_with(b"{");
                    if is_json {
                        let page =
                            simple::parse_json(&normalized, &url, body).map_err(|e| match e {
                                simple::JsonPageError::Malformed(d) => {
                                    malformed(&url, "a PEP 691 project page", d)
                                }
                                simple::JsonPageError::ApiVersion(version) => {
                                    IndexError::ApiVersion {
                                        url: redact(&url),
                                        version: crate::text::clean(&version)
                                            .chars()
                                            .take(40)
                                            .collect(),
                                    }
                                }
                            })?;
                        Ok((page, "Simple API, JSON"))
                    } else {
                        let page = simple::parse_html(&normalized, &url, body)
                            .map_err(|d| malformed(&url, "a PEP 503 project page", d))?;
                        Ok((page, "Simple API, HTML"))
                    }
                };
                let ((page, api), cache) = self
                    .fetcher
                    .get_cached(&url, simple::ACCEPT, fresh, read)
                    .await?
                    .ok_or_else(unknown)?;
                Ok(Project {
                    name: page.name.unwrap_or(normalized),
                    summary: None,
                    versions: page.versions,
                    files: page.files,
                    requires_dist: None,
                    served: Served { api, cache },
                    facts: FactsCell::default(),
                })
            }
        }
    }

    /// A wheel's core metadata: from the index's `.metadata` file when it has one, otherwise
    /// from the wheel itself by range requests, otherwise from one full download.
    pub async fn metadata(&self, file: &DistFile) -> Result<CoreMetadata, IndexError> {
        let parse = |text: &[u8], source: &Url| {
            CoreMetadata::parse(&String::from_utf8_lossy(text)).ok_or_else(|| {
                malformed(source, "core metadata", "no Name and Version fields".into())
            })
        };
        if let Some(path) = self.stored(file)? {
            let bytes = std::fs::read(&path).map_err(|e| IndexError::io(&path, e))?;
            let text = metadata_from_whole(&bytes, file)?;
            return parse(&text, &file.url);
        }
        // Read from the wheel itself earlier (the index had no .metadata file for it).
        let key = format!("{}#wheelbarrow-metadata", redact(&file.url));
        let local = is_local(&file.url);
        if !local && let Some((text, _)) = self.cache.get(&key) {
            return parse(&text, &file.url);
        }
        // Read once when several tasks ask for it at once; the others find it cached.
        let _flight = self.fetcher.flights.hold(&key).await;
        if !local && let Some((text, _)) = self.cache.get(&key) {
            return parse(&text, &file.url);
        }
        if file.metadata != MetadataFile::Absent {
            let url = file.metadata_url();
            let check = |body: &[u8], _: Option<&str>| {
                if let MetadataFile::Announced {
                    sha256,
                    other_hashes,
                } = &file.metadata
                {
                    // The metadata file's digests are checked as a wheel's are.
                    let mut as_file =
                        DistFile::new("", format!("{}.metadata", file.filename), url.clone());
                    as_file.sha256.clone_from(sha256);
                    as_file.other_hashes.clone_from(other_hashes);
                    let mut others = Hashers::for_file(&as_file)?;
                    others.update(body);
                    others.verify(&as_file)?;
                    check_sha(&as_file, &sha256_hex(body))?;
                }
                let metadata = parse(body, &url)?;
                super::metadata::describes(file, &metadata, &url)?;
                Ok(metadata)
            };
            if let Some((metadata, _)) = self.fetcher.get_cached(&url, "*/*", None, check).await? {
                return Ok(metadata);
            }
        }
        let (contents, whole) = self.fetch_listing(file).await?;
        let text = match whole {
            Some(bytes) => metadata_from_whole(&bytes, file)?,
            None => {
                let entry = metadata_entry(&contents.entries, file)?;
                self.fetch_member(file, entry).await?.0
            }
        };
        if !local {
            self.remember(&key, &text);
        }
        parse(&text, &file.url)
    }

    /// The files inside a wheel with their sizes, read without downloading the whole wheel
    /// where the index allows range requests.
    pub async fn contents(&self, file: &DistFile) -> Result<WheelContents, IndexError> {
        let key = format!("{}#wheelbarrow-contents", redact(&file.url));
        let local = is_local(&file.url);
        if !local
            && let Some((json, _)) = self.cache.get(&key)
            && let Ok(mut contents) = serde_json::from_slice::<WheelContents>(&json)
        {
            contents.transferred = 0;
            contents.via = ContentsVia::Cache;
            return Ok(contents);
        }
        let contents = if let Some(path) = self.stored(file)? {
            let bytes = std::fs::read(&path).map_err(|e| IndexError::io(&path, e))?;
            WheelContents {
                entries: zipdir::list_whole(&bytes).map_err(|d| not_a_wheel(file, d))?,
                wheel_size: bytes.len() as u64,
                transferred: 0,
                via: ContentsVia::Store,
            }
        } else {
            self.fetch_listing(file).await?.0
        };
        if !local && let Ok(json) = serde_json::to_vec(&contents) {
            self.remember(&key, &json);
        }
        Ok(contents)
    }

    /// Downloads a wheel into the store (or finds it there), checking its sha256; returns its
    /// path. Progress: `Downloading`, bytes of this file. A failure or cancellation leaves
    /// nothing behind.
    pub async fn download(
        &self,
        file: &DistFile,
        progress: &Progress,
        cancel: &CancellationToken,
    ) -> Result<PathBuf, IndexError> {
        if let Some(path) = self.stored(file)? {
            // Stored under its URL when the index gave no sha256: its other digests say
            // whether it is still the file the index describes.
            match Hashers::for_file(file)?.verify_path(file, &path) {
                Ok(()) => return Ok(path),
                Err(e) => {
                    tracing::warn!("{}: {e}; fetching it again", path.display());
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        let report = |received: u64, total: Option<u64>| {
            progress.report(
                &Step::new(Phase::Downloading, received, total.or(file.size)).about(&file.filename),
            );
        };
        let (temp, actual) = self.download_to_temp(file, &report, cancel).await?;
        match check_sha(file, &actual) {
            Ok(()) => self.store.adopt(file, &temp),
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                Err(e)
            }
        }
    }

    /// The stored copy of `file`, unless it is a local file whose sha256 is not known: that one
    /// may have been rebuilt at the same path since, so it is read afresh.
    fn stored(&self, file: &DistFile) -> Result<Option<PathBuf>, IndexError> {
        if file.sha256.is_none() && is_local(&file.url) {
            return Ok(None);
        }
        self.store.get(file)
    }

    fn remember(&self, key: &str, bytes: &[u8]) {
        let meta = CacheMeta {
            url: key.to_string(),
            etag: None,
            last_modified: None,
            content_type: None,
            fetched_at: now_secs(),
        };
        if let Err(e) = self.cache.put(bytes, &meta) {
            tracing::warn!("could not cache {key}: {e}");
        }
    }
}

/// Where an answer came from, for messages such as "(cached 5 minutes ago, offline)".
pub fn describe_cache_use(cache: CacheUse) -> Option<String> {
    let age = |secs: u64| crate::units::human_age(std::time::Duration::from_secs(secs));
    match cache {
        CacheUse::Network | CacheUse::Revalidated => None,
        CacheUse::Fresh(s) => Some(format!("from the cache, fetched {} ago", age(s))),
        CacheUse::Offline(s) => Some(format!("offline: from the cache, fetched {} ago", age(s))),
    }
}

pub(super) fn check_sha(file: &DistFile, actual: &str) -> Result<(), IndexError> {
    match &file.sha256 {
        Some(expected) if expected != actual => Err(IndexError::HashMismatch {
            filename: file.filename.clone(),
            url: redact(&file.url),
            algorithm: "sha256".into(),
            expected: expected.clone(),
            actual: actual.to_string(),
        }),
        _ => Ok(()),
    }
}

fn join(base: &Url, path: &str) -> Result<Url, IndexError> {
    base.join(path).map_err(|e| {
        IndexError::Settings(format!("cannot build a URL from {base} and {path}: {e}"))
    })
}

/// A JSON API document that does not parse; named as such when it is an HTML page.
fn json_api_malformed(url: &Url, body: &[u8], detail: String) -> IndexError {
    let start = String::from_utf8_lossy(&body[..body.len().min(200)]).to_ascii_lowercase();
    if start.contains("<html") || start.contains("<!doctype") {
        return IndexError::HtmlNotJson {
            url: redact(url),
            detail,
        };
    }
    malformed(url, "a JSON API project document", detail)
}

/// A malformed answer.
fn malformed(url: &Url, expected: &'static str, detail: String) -> IndexError {
    IndexError::Malformed {
        url: redact(url),
        expected,
        detail,
    }
}
