//! The index client against a loopback index that misbehaves on purpose: answers too large to
//! hold, malformed answers that must not stick in the cache, and rate limits asking for waits
//! longer than a request may take.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use support::{IndexOptions, TestIndex, WheelBuilder};
use wheelbarrow::index::{CacheUse, IndexClient, IndexError, IndexSettings};

struct Setup {
    index: TestIndex,
    cache: PathBuf,
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.cache);
    }
}

fn setup(tag: &str) -> Setup {
    let index = TestIndex::start(IndexOptions::default());
    index.add_wheel(&WheelBuilder::new("demo-pkg", "1.0").build());
    let cache = std::env::temp_dir().join(format!("wb-index-hostile-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    Setup { index, cache }
}

fn settings(url: &str, cache: &Path) -> IndexSettings {
    let mut s = IndexSettings::for_index(url, cache.to_path_buf()).unwrap();
    s.retries = 2;
    s.backoff = Duration::from_millis(10);
    s.timeout = Duration::from_secs(5);
    s
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Every file under `dir` (none when it does not exist).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

#[test]
fn an_answer_over_the_bound_is_refused_with_the_url_and_the_bound_and_nothing_is_cached() {
    let s = setup("big");
    s.index.pad("/simple/demo-pkg/", 3 << 20);
    let mut settings = settings(&s.index.simple(), &s.cache);
    settings.max_document_bytes = 1 << 20;
    let client = IndexClient::new(settings).unwrap();
    let err = rt().block_on(client.project("demo-pkg")).unwrap_err();
    assert!(matches!(err, IndexError::TooLarge { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("/simple/demo-pkg/ answered more than 1 MiB"),
        "{text}"
    );
    assert!(text.contains("WHEELBARROW_MAX_ANSWER_MB"), "{text}");
    // Only the marker a new cache folder gets (no older records to put right) is there.
    let cached: Vec<PathBuf> = files_under(&s.cache)
        .into_iter()
        .filter(|p| !p.ends_with("scrubbed-v1"))
        .collect();
    assert!(cached.is_empty(), "{cached:?}");
}

#[test]
fn an_answer_under_the_bound_is_read_whole() {
    let s = setup("small");
    s.index.pad("/simple/demo-pkg/", 100 << 10);
    let mut settings = settings(&s.index.simple(), &s.cache);
    settings.max_document_bytes = 1 << 20;
    let client = IndexClient::new(settings).unwrap();
    let project = rt().block_on(client.project("demo-pkg")).unwrap();
    assert_eq!(project.versions, ["1.0"]);
}

#[test]
fn a_download_over_the_bound_is_refused_and_leaves_nothing_in_the_store() {
    let s = setup("download");
    let big = WheelBuilder::new("big", "1.0")
        .file("big/blob.bin", &vec![7u8; 64 << 10])
        .build();
    s.index.add_wheel(&big);
    let mut settings = settings(&s.index.simple(), &s.cache);
    settings.max_download_bytes = 1 << 20;
    let client = IndexClient::new(settings).unwrap();
    let rt = rt();
    let project = rt.block_on(client.project("big")).unwrap();
    s.index.pad("/files/", 2 << 20);
    let file = project.files.iter().find(|f| f.filename == big.filename);
    let err = rt
        .block_on(client.download(
            file.unwrap(),
            &wheelbarrow::work::Progress::none(),
            &tokio_util::sync::CancellationToken::new(),
        ))
        .unwrap_err();
    assert!(matches!(err, IndexError::TooLarge { .. }), "{err:?}");
    let left: Vec<_> = files_under(&s.cache)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "whl" || e == "tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_malformed_answer_is_not_cached_so_the_index_is_asked_again_once_it_recovers() {
    let s = setup("malformed");
    s.index.malformed("/simple/demo-pkg/");
    let client = IndexClient::new(settings(&s.index.simple(), &s.cache)).unwrap();
    let rt = rt();
    let err = rt.block_on(client.project("demo-pkg")).unwrap_err();
    assert!(matches!(err, IndexError::Malformed { .. }), "{err:?}");
    s.index.clear_faults();
    s.index.clear_log();
    let project = rt.block_on(client.project("demo-pkg")).unwrap();
    assert_eq!(project.served.cache, CacheUse::Network);
    assert_eq!(s.index.requests().len(), 1, "{:?}", s.index.requests());
    // The good answer is cached and now served fresh.
    let again = rt.block_on(client.project("demo-pkg")).unwrap();
    assert!(
        matches!(again.served.cache, CacheUse::Fresh(_)),
        "{:?}",
        again.served
    );
}

#[test]
fn a_damaged_cached_page_is_dropped_and_fetched_again() {
    let s = setup("damaged");
    let client = IndexClient::new(settings(&s.index.simple(), &s.cache)).unwrap();
    let rt = rt();
    rt.block_on(client.project("demo-pkg")).unwrap();
    for body in files_under(&s.cache)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "body"))
    {
        std::fs::write(body, b"{\"garbage\": [").unwrap();
    }
    s.index.clear_log();
    let project = rt.block_on(client.project("demo-pkg")).unwrap();
    assert_eq!(project.served.cache, CacheUse::Network);
    assert_eq!(s.index.requests().len(), 1);
}

#[test]
fn a_rate_limit_asking_for_more_than_the_timeout_fails_at_once_in_words() {
    let s = setup("429-long");
    s.index.fail_next("/simple/demo-pkg/", 1, 429, Some(3600));
    let client = IndexClient::new(settings(&s.index.simple(), &s.cache)).unwrap();
    let started = Instant::now();
    let err = rt().block_on(client.project("demo-pkg")).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3), "it waited");
    let text = err.to_string();
    assert!(
        text.contains("answered 429 and asks to wait 3600 s before trying again, longer than the timeout of 5 s"),
        "{text}"
    );
    assert!(text.contains("/simple/demo-pkg/"), "{text}");
}

#[test]
fn a_rate_limit_asking_for_a_short_wait_is_waited_out() {
    let s = setup("429-short");
    s.index.fail_next("/simple/demo-pkg/", 1, 429, Some(1));
    let client = IndexClient::new(settings(&s.index.simple(), &s.cache)).unwrap();
    let started = Instant::now();
    let project = rt().block_on(client.project("demo-pkg")).unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(project.versions, ["1.0"]);
}

#[test]
fn a_single_attempt_is_said_in_the_singular() {
    let s = setup("one-attempt");
    s.index.drop_next("/simple/demo-pkg/", 1);
    let mut settings = settings(&s.index.simple(), &s.cache);
    settings.retries = 0;
    let client = IndexClient::new(settings).unwrap();
    let text = rt()
        .block_on(client.project("demo-pkg"))
        .unwrap_err()
        .to_string();
    assert!(text.contains("(after 1 attempt)"), "{text}");
}
