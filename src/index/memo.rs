//! Project pages as parsed, kept in memory while they are fresh, by a client made for work that
//! reads the same pages many times at once (`IndexClient::sharing_pages`): the matrix resolves
//! one set on twelve targets, and each resolution reads the same pages. Parsing a large page
//! (thousands of files, each with its URL) costs far more than copying the parsed page, so the
//! second reader of a page gets a copy of the first one's; a resolution shares it without
//! copying (copying numpy's page twelve times was most of a warm matrix's time).
//!
//! An entry lives no longer than the on-disk copy it was read from would be served without
//! asking the index (the settings' freshness, less the copy's age), so nothing is served that
//! the disk cache would not serve; at most [`KEPT`] pages are kept. With find-links locations
//! set, they are read on every request as without the memo: a project they hold nothing of
//! gets the index's shared page, and one they add files to gets the page merged at the last
//! request while its index page and those files are the same. A shared page carries its
//! files' parsed facts (`Project::facts`), so every target judges them without parsing again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::client::IndexClient;
use super::error::IndexError;
use super::project::{CacheUse, DistFile, Project};
use crate::wheel::normalize_name;

/// The most pages kept.
const KEPT: usize = 256;

#[derive(Debug, Clone, Default)]
pub(super) struct ProjectMemo {
    pages: Arc<Pages>,
    /// One reader parses a page while the others wait for it (twelve resolutions ask for
    /// the same pages at the same moment).
    pub(super) parsing: super::flights::Flights,
    /// Pages with find-links files merged in, by the same key: the index's page they were
    /// merged from (none when the index does not know the project) and the files merged.
    merged: Arc<Mutex<HashMap<String, Merged>>>,
}

#[derive(Debug)]
struct Merged {
    index: Option<Arc<Project>>,
    extra: Vec<DistFile>,
    page: Arc<Project>,
}

/// The pages kept. When the last clone of the memo goes, the pages it alone still holds are
/// freed on a thread of their own: thousands of file records each, they take tens of
/// milliseconds to free one allocation at a time, which a command would otherwise spend after
/// its answer is known (and which a process that ends meanwhile does not spend at all).
#[derive(Debug, Default)]
struct Pages(Mutex<HashMap<String, Kept>>);

impl Drop for Pages {
    fn drop(&mut self) {
        let pages = std::mem::take(
            self.0
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        if pages.is_empty() {
            return;
        }
        // Should no thread start, the pages are freed here as they would have been.
        let _ = std::thread::Builder::new()
            .name("wheelbarrow-free-pages".into())
            .spawn(move || drop(pages));
    }
}

/// A page, until when it is served, and when it was fetched.
#[derive(Debug)]
struct Kept {
    until: Instant,
    fetched: Instant,
    page: Arc<Project>,
}

impl ProjectMemo {
    /// The page read from `url`, when kept and still fresh; marked as served fresh from the
    /// cache.
    pub(super) fn get(&self, url: &str) -> Option<Project> {
        let (page, fetched) = self.kept(url)?;
        let mut page = Arc::unwrap_or_clone(page);
        page.served.cache = CacheUse::Fresh(fetched.elapsed().as_secs());
        Some(page)
    }

    /// The page read from `url`, when kept and still fresh, shared rather than copied (its
    /// `served` is as when it was kept).
    pub(super) fn get_shared(&self, url: &str) -> Option<Arc<Project>> {
        self.kept(url).map(|(page, _)| page)
    }

    fn kept(&self, url: &str) -> Option<(Arc<Project>, Instant)> {
        let pages = lock(&self.pages.0);
        let kept = pages.get(url)?;
        (kept.until > Instant::now()).then(|| (kept.page.clone(), kept.fetched))
    }

    /// Keeps `page`, read from `url`, for as long as its on-disk copy is fresh (`freshness`
    /// after it was fetched).
    pub(super) fn put(&self, url: &str, page: &Arc<Project>, freshness: Duration) {
        let age = match page.served.cache {
            CacheUse::Network | CacheUse::Revalidated => 0,
            CacheUse::Fresh(age) => age,
            // Offline work reads the cache whatever its age; the disk serves it quickly enough.
            CacheUse::Offline(_) => return,
        };
        let Some(left) = freshness.checked_sub(Duration::from_secs(age)) else {
            return;
        };
        let now = Instant::now();
        let mut pages = lock(&self.pages.0);
        pages.retain(|_, kept| kept.until > now);
        if pages.len() >= KEPT {
            return;
        }
        let fetched = now.checked_sub(Duration::from_secs(age)).unwrap_or(now);
        pages.insert(
            url.to_string(),
            Kept {
                until: now + left,
                fetched,
                page: page.clone(),
            },
        );
    }
}

impl ProjectMemo {
    /// The page merged from `index` (the very page now served, or none) and the find-links
    /// files `extra`, when kept: only when both are as they were.
    pub(super) fn merged(
        &self,
        url: &str,
        index: Option<&Arc<Project>>,
        extra: &[DistFile],
    ) -> Option<Arc<Project>> {
        let merged = lock(&self.merged);
        let kept = merged.get(url)?;
        let same_index = match (&kept.index, index) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        (same_index && kept.extra == extra).then(|| kept.page.clone())
    }

    /// Keeps `page`, merged from `index` and `extra`, in place of any page merged before for
    /// `url` (at most [`KEPT`] pages).
    pub(super) fn keep_merged(
        &self,
        url: &str,
        index: Option<Arc<Project>>,
        extra: Vec<DistFile>,
        page: &Arc<Project>,
    ) {
        let mut merged = lock(&self.merged);
        if merged.len() >= KEPT && !merged.contains_key(url) {
            return;
        }
        merged.insert(
            url.to_string(),
            Merged {
                index,
                extra,
                page: page.clone(),
            },
        );
    }
}

impl IndexClient {
    /// [`IndexClient::project`], shared: a client that shares pages hands every reader the
    /// one page it parsed, without a copy (the resolver reads it, never changes it). The
    /// find-links locations are read on every call, as for [`IndexClient::project`]; when they
    /// hold nothing for the project the index's page is handed on as it is, and when they
    /// hold the same files as at the last call, the page merged then.
    pub async fn project_shared(&self, name: &str) -> Result<Arc<Project>, IndexError> {
        let Some(memo) = &self.memo else {
            return self.project(name).await.map(Arc::new);
        };
        let key = self.memo_key(name);
        let from_index = self.index_project_shared(memo, &key, name).await;
        if self.settings().find_links.is_empty() {
            return from_index;
        }
        let extra = self.find_links_files(&normalize_name(name)).await?;
        if extra.is_empty() {
            return from_index;
        }
        if let Some(page) = memo.merged(&key, from_index.as_ref().ok(), &extra) {
            return Ok(page);
        }
        let index_page = from_index.as_ref().ok().cloned();
        let merged = super::find_links::merge(from_index.map(Arc::unwrap_or_clone), extra.clone())?;
        let merged = Arc::new(merged);
        memo.keep_merged(&key, index_page, extra, &merged);
        Ok(merged)
    }

    /// The index's own page of a project, parsed once while fresh and shared.
    async fn index_project_shared(
        &self,
        memo: &ProjectMemo,
        key: &str,
        name: &str,
    ) -> Result<Arc<Project>, IndexError> {
        if let Some(page) = memo.get_shared(key) {
            return Ok(page);
        }
        let _parsing = memo.parsing.hold(key).await;
        if let Some(page) = memo.get_shared(key) {
            return Ok(page);
        }
        let page = Arc::new(self.read_index_project(name).await?);
        memo.put(key, &page, self.settings().project_freshness);
        Ok(page)
    }

    pub(super) fn memo_key(&self, name: &str) -> String {
        format!("{}|{}", self.settings().api.display(), normalize_name(name))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::project::{FileSource, Served};
    use url::Url;

    fn page(name: &str, files: &[&str]) -> Arc<Project> {
        Arc::new(Project {
            name: name.into(),
            summary: None,
            versions: vec!["1.0".into()],
            files: files.iter().map(|f| wheel(f)).collect(),
            requires_dist: None,
            served: Served {
                api: "JSON API",
                cache: CacheUse::Network,
            },
            facts: crate::wheel::FactsCell::default(),
        })
    }

    fn wheel(name: &str) -> DistFile {
        let url = Url::parse(&format!("http://127.0.0.1:1/files/{name}")).unwrap();
        let mut file = DistFile::new("demo", name.into(), url);
        file.source = FileSource::FindLinks("/wheels".into());
        file
    }

    #[test]
    fn a_merged_page_is_handed_out_again_only_while_its_index_page_and_files_are_the_same() {
        let memo = ProjectMemo::default();
        let index = page("demo", &["demo-1.0-py3-none-any.whl"]);
        let extra = vec![wheel("demo-1.1-py3-none-any.whl")];
        let merged = page(
            "demo",
            &["demo-1.1-py3-none-any.whl", "demo-1.0-py3-none-any.whl"],
        );
        assert!(
            memo.merged("k", Some(&index), &extra).is_none(),
            "nothing kept yet"
        );
        memo.keep_merged("k", Some(index.clone()), extra.clone(), &merged);
        let again = memo.merged("k", Some(&index), &extra).unwrap();
        assert!(Arc::ptr_eq(&again, &merged), "shared, not copied");
        // The same files under another key, another index page (even an equal one: it was
        // read again), no index page, other find-links files: merged afresh.
        assert!(memo.merged("other", Some(&index), &extra).is_none());
        let reread = page("demo", &["demo-1.0-py3-none-any.whl"]);
        assert!(memo.merged("k", Some(&reread), &extra).is_none());
        assert!(memo.merged("k", None, &extra).is_none());
        let more = vec![extra[0].clone(), wheel("demo-1.2-py3-none-any.whl")];
        assert!(memo.merged("k", Some(&index), &more).is_none());
        // A project the index does not know, found on find-links alone.
        memo.keep_merged("k", None, extra.clone(), &merged);
        assert!(memo.merged("k", None, &extra).is_some());
        assert!(memo.merged("k", Some(&index), &extra).is_none());
    }

    #[test]
    fn the_pages_a_dropped_memo_alone_held_are_freed_and_the_others_kept() {
        let memo = ProjectMemo::default();
        let alone = page("alone", &["alone-1.0-py3-none-any.whl"]);
        let held = page("held", &["held-1.0-py3-none-any.whl"]);
        memo.put("a", &alone, Duration::from_secs(60));
        memo.put("b", &held, Duration::from_secs(60));
        let gone = Arc::downgrade(&alone);
        drop(alone);
        let clone = memo.clone();
        drop(memo);
        assert!(clone.get_shared("a").is_some(), "a clone keeps the pages");
        drop(clone);
        let start = Instant::now();
        while gone.upgrade().is_some() {
            assert!(start.elapsed() < Duration::from_secs(10), "never freed");
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(held.files.len(), 1, "a page someone holds stays theirs");
    }
}
