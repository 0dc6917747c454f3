//! The index client against a loopback index serving wheels built here: every API variant,
//! wheel contents without downloads, the cache, and the failures a real network produces.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use support::{IndexOptions, SimpleFormat, TestIndex, UrlStyle, Wheel, WheelBuilder, sdist_bytes};
use tokio_util::sync::CancellationToken;
use wheelbarrow::index::{
    CacheUse, ContentsVia, DistFile, IndexClient, IndexError, IndexSettings, MetadataFile,
};
use wheelbarrow::work::Progress;
use wheelbarrow::{Hint, Hints};

struct Setup {
    index: TestIndex,
    cache: PathBuf,
    wheel: Wheel,
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.cache);
    }
}

fn temp_cache(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "wb-index-test-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A wheel big enough that its central directory is a small part of it.
fn demo_wheel() -> Wheel {
    let mut b = WheelBuilder::new("demo-pkg", "1.2.0")
        .tag("cp312-cp312-manylinux_2_17_x86_64")
        .summary("A demo package")
        .requires_python(">=3.9")
        .requires_dist("six>=1.16")
        .requires_dist("orjson; extra == \"fast\"");
    // Incompressible content (xorshift), so the wheel is large against its directory.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..40 {
        let body: Vec<u8> = (0..8192)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect();
        b = b.file(&format!("demo_pkg/part{i}.bin"), &body);
    }
    b.build()
}

fn setup(options: IndexOptions) -> Setup {
    let index = TestIndex::start(options);
    let wheel = demo_wheel();
    index.add_wheel(&wheel);
    index.add_wheel(&WheelBuilder::new("demo-pkg", "1.1.0").build());
    let (name, bytes) = sdist_bytes("demo-pkg", "1.2.0");
    index.add_file(
        "demo-pkg",
        "1.2.0",
        support::FileOptions::default(),
        &name,
        bytes,
    );
    Setup {
        index,
        cache: temp_cache("c"),
        wheel,
    }
}

fn settings(url: &str, cache: &std::path::Path) -> IndexSettings {
    let mut s = IndexSettings::for_index(url, cache.to_path_buf()).unwrap();
    s.retries = 2;
    s.backoff = Duration::from_millis(10);
    s.timeout = Duration::from_secs(5);
    s
}

fn client(url: &str, cache: &std::path::Path) -> IndexClient {
    IndexClient::new(settings(url, cache)).unwrap()
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn wheel_file<'a>(files: &'a [DistFile], wheel: &Wheel) -> &'a DistFile {
    files
        .iter()
        .find(|f| f.filename == wheel.filename)
        .expect("the wheel is listed")
}

fn range_requests(index: &TestIndex) -> usize {
    index
        .requests()
        .iter()
        .filter(|r| r.range.is_some())
        .count()
}

#[test]
fn the_json_api_lists_files_with_hashes_sizes_and_requires_python() {
    let s = setup(IndexOptions::default());
    let c = client(&s.index.json_api(), &s.cache);
    let project = rt().block_on(c.project("Demo_Pkg")).unwrap();
    assert_eq!(project.name, "demo-pkg");
    assert_eq!(project.summary.as_deref(), Some("A demo package"));
    assert_eq!(project.versions, ["1.2.0", "1.1.0"]);
    assert_eq!(project.served.api, "JSON API");
    let f = wheel_file(&project.files, &s.wheel);
    assert_eq!(f.sha256.as_deref(), Some(s.wheel.sha256.as_str()));
    assert_eq!(f.size, Some(s.wheel.bytes.len() as u64));
    assert_eq!(f.requires_python.as_deref(), Some(">=3.9"));
    assert_eq!(f.version.as_deref(), Some("1.2.0"));
    assert!(f.url.as_str().starts_with(&s.index.url()));
    assert!(
        project
            .files
            .iter()
            .any(|f| f.filename.ends_with(".tar.gz"))
    );
}

#[test]
fn relative_file_urls_resolve_against_the_document_in_both_apis() {
    for url_style in [UrlStyle::Relative, UrlStyle::Absolute] {
        let s = setup(IndexOptions {
            url_style,
            ..IndexOptions::default()
        });
        for base in [s.index.json_api(), s.index.simple()] {
            let c = client(&base, &s.cache);
            let project = rt().block_on(c.project("demo-pkg")).unwrap();
            let f = wheel_file(&project.files, &s.wheel);
            assert_eq!(
                f.url.as_str(),
                s.index.file_url(&s.wheel.filename),
                "{base}"
            );
            let path = rt()
                .block_on(c.download(f, &Progress::none(), &CancellationToken::new()))
                .unwrap();
            assert_eq!(std::fs::read(path).unwrap(), s.wheel.bytes);
        }
    }
}

#[test]
fn pep_691_json_pages_give_metadata_files_that_are_used_instead_of_the_wheel() {
    let s = setup(IndexOptions::default());
    let c = client(&s.index.simple(), &s.cache);
    let project = rt().block_on(c.project("demo-pkg")).unwrap();
    assert_eq!(project.served.api, "Simple API, JSON");
    let f = wheel_file(&project.files, &s.wheel);
    assert!(matches!(
        f.metadata,
        MetadataFile::Announced {
            sha256: Some(_),
            ..
        }
    ));
    s.index.clear_log();
    let meta = rt().block_on(c.metadata(f)).unwrap();
    assert_eq!(
        meta.requires_dist,
        ["six>=1.16", "orjson; extra == \"fast\""]
    );
    assert_eq!(meta.requires_python.as_deref(), Some(">=3.9"));
    let log = s.index.requests();
    assert_eq!(log.len(), 1, "{log:?}");
    assert!(log[0].path.ends_with(".whl.metadata"));
}

#[test]
fn html_only_indexes_work_from_the_simple_root_alone() {
    let s = setup(IndexOptions {
        simple: SimpleFormat::HtmlOnly,
        metadata_files: false,
        ..IndexOptions::default()
    });
    let c = client(&s.index.simple(), &s.cache);
    let project = rt().block_on(c.project("demo-pkg")).unwrap();
    assert_eq!(project.served.api, "Simple API, HTML");
    assert_eq!(project.versions, ["1.2.0", "1.1.0"]);
    let f = wheel_file(&project.files, &s.wheel);
    assert_eq!(f.sha256.as_deref(), Some(s.wheel.sha256.as_str()));
    assert_eq!(f.requires_python.as_deref(), Some(">=3.9"));
    assert_eq!(f.metadata, MetadataFile::Absent);
    // No metadata file announced: read from the wheel by range requests.
    let meta = rt().block_on(c.metadata(f)).unwrap();
    assert_eq!(meta.version, "1.2.0");
    assert!(
        s.index
            .requests()
            .iter()
            .all(|r| !r.path.ends_with(".metadata"))
    );
    assert!(range_requests(&s.index) >= 2);
    // Read again: from the cache, not even a try for a .metadata file.
    let before = s.index.requests().len();
    rt().block_on(c.metadata(f)).unwrap();
    assert_eq!(s.index.requests().len(), before);
    assert!(
        s.index
            .requests()
            .iter()
            .all(|r| r.path.starts_with("/simple/") || r.range.is_some())
    );
}

#[test]
fn contents_by_range_requests_match_the_whole_wheel_and_cost_a_fraction_of_it() {
    let s = setup(IndexOptions {
        metadata_files: false,
        ..IndexOptions::default()
    });
    let c = client(&s.index.simple(), &s.cache);
    let project = rt().block_on(c.project("demo-pkg")).unwrap();
    let f = wheel_file(&project.files, &s.wheel).clone();
    let contents = rt().block_on(c.contents(&f)).unwrap();
    assert_eq!(contents.via, ContentsVia::RangeRequests);
    assert_eq!(contents.wheel_size, s.wheel.bytes.len() as u64);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(s.wheel.bytes.clone())).unwrap();
    assert_eq!(contents.entries.len(), zip.len());
    for e in &contents.entries {
        assert_eq!(zip.by_name(&e.name).unwrap().size(), e.size, "{}", e.name);
    }
    let served: usize = s
        .index
        .requests()
        .iter()
        .filter(|r| r.range.is_some())
        .map(|r| r.body_bytes)
        .sum();
    assert_eq!(served as u64, contents.transferred);
    assert!(
        contents.transferred * 4 < contents.wheel_size,
        "{} of {}",
        contents.transferred,
        contents.wheel_size
    );
    // Asked again: from the cache, no request.
    s.index.clear_log();
    let again = rt().block_on(c.contents(&f)).unwrap();
    assert_eq!(again.via, ContentsVia::Cache);
    assert_eq!(again.entries, contents.entries);
    assert!(s.index.requests().is_empty());
}

#[test]
fn without_range_support_the_wheel_is_downloaded_once_and_kept() {
    let s = setup(IndexOptions {
        range_requests: false,
        metadata_files: false,
        ..IndexOptions::default()
    });
    let c = client(&s.index.simple(), &s.cache);
    let project = rt().block_on(c.project("demo-pkg")).unwrap();
    let f = wheel_file(&project.files, &s.wheel).clone();
    let meta = rt().block_on(c.metadata(&f)).unwrap();
    assert_eq!(meta.name, "demo-pkg");
    s.index.clear_log();
    let contents = rt().block_on(c.contents(&f)).unwrap();
    assert_eq!(contents.via, ContentsVia::Store);
    let path = rt()
        .block_on(c.download(&f, &Progress::none(), &CancellationToken::new()))
        .unwrap();
    assert_eq!(std::fs::read(path).unwrap(), s.wheel.bytes);
    assert!(s.index.requests().is_empty(), "{:?}", s.index.requests());
}

#[test]
fn a_server_error_is_retried_and_then_succeeds() {
    let s = setup(IndexOptions::default());
    s.index.fail_next("/pypi/", 2, 500, None);
    let c = client(&s.index.json_api(), &s.cache);
    let project = rt().block_on(c.project("demo-pkg")).unwrap();
    assert_eq!(project.versions.len(), 2);
    let statuses: Vec<u16> = s.index.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [500, 500, 200]);
}

#[test]
fn rate_limits_and_dropped_connections_are_retried() {
    let s = setup(IndexOptions::default());
    s.index.fail_next("/simple/", 1, 429, Some(0));
    s.index.drop_next("/simple/", 1);
    let c = client(&s.index.simple(), &s.cache);
    rt().block_on(c.project("demo-pkg")).unwrap();
    let statuses: Vec<u16> = s.index.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses.last(), Some(&200), "{statuses:?}");
    assert!(
        statuses.contains(&429) && statuses.contains(&0),
        "{statuses:?}"
    );
}

#[test]
fn a_server_that_keeps_failing_is_one_clear_error() {
    let s = setup(IndexOptions::default());
    s.index.fail_next("/pypi/", 10, 503, None);
    let c = client(&s.index.json_api(), &s.cache);
    let err = rt().block_on(c.project("demo-pkg")).unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(
            err,
            IndexError::Status {
                status: 503,
                attempts: 3,
                ..
            }
        ),
        "{text}"
    );
    assert!(
        text.contains("/pypi/demo-pkg/json") && text.contains("try again later"),
        "{text}"
    );
}

#[test]
fn a_server_too_slow_to_answer_times_out_with_the_url_named() {
    let s = setup(IndexOptions::default());
    s.index.delay("/pypi/", Duration::from_secs(30));
    let mut settings = settings(&s.index.json_api(), &s.cache);
    settings.timeout = Duration::from_millis(300);
    settings.retries = 1;
    let c = IndexClient::new(settings).unwrap();
    let err = rt().block_on(c.project("demo-pkg")).unwrap_err();
    assert!(
        matches!(err, IndexError::Timeout { attempts: 2, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("/pypi/demo-pkg/json"), "{err}");
}

#[test]
fn malformed_json_names_the_url_and_what_was_expected() {
    let s = setup(IndexOptions::default());
    s.index.malformed("/pypi/");
    let c = client(&s.index.json_api(), &s.cache);
    let err = rt()
        .block_on(c.project("demo-pkg"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("/pypi/demo-pkg/json"), "{err}");
    assert!(err.contains("not a JSON API project document"), "{err}");
}

#[test]
fn a_wrong_sha256_is_refused_and_nothing_is_kept() {
    let s = setup(IndexOptions::default());
    s.index.wrong_sha256(&s.wheel.filename);
    let c = client(&s.index.json_api(), &s.cache);
    let project = rt().block_on(c.project("demo-pkg")).unwrap();
    let f = wheel_file(&project.files, &s.wheel);
    let err = rt()
        .block_on(c.download(f, &Progress::none(), &CancellationToken::new()))
        .unwrap_err();
    assert!(matches!(err, IndexError::HashMismatch { .. }), "{err}");
    assert!(err.to_string().contains(&s.wheel.filename));
    let stored: Vec<_> = walk(&s.cache.join("wheels-v1"));
    assert!(stored.is_empty(), "left behind: {stored:?}");
}

#[test]
fn a_cancelled_download_leaves_nothing_behind() {
    let s = setup(IndexOptions::default());
    s.index.delay("/files/", Duration::from_secs(30));
    let c = client(&s.index.json_api(), &s.cache);
    let project = rt().block_on(c.project("demo-pkg")).unwrap();
    let f = wheel_file(&project.files, &s.wheel).clone();
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let err = rt()
        .block_on(async {
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                trigger.cancel();
            });
            c.download(&f, &Progress::none(), &cancel).await
        })
        .unwrap_err();
    assert!(matches!(err, IndexError::Cancelled), "{err}");
    assert!(walk(&s.cache.join("wheels-v1")).is_empty());
}

#[test]
fn an_unknown_project_is_named_in_the_error() {
    let s = setup(IndexOptions::default());
    for base in [s.index.json_api(), s.index.simple()] {
        let c = client(&base, &s.cache);
        let err = rt().block_on(c.project("no-such-thing")).unwrap_err();
        assert!(matches!(err, IndexError::UnknownProject { .. }), "{err}");
        assert!(err.to_string().contains("'no-such-thing'"), "{err}");
    }
}

#[test]
fn pages_are_served_fresh_from_the_cache_then_revalidated() {
    let s = setup(IndexOptions::default());
    let mut settings = settings(&s.index.json_api(), &s.cache);
    let c = IndexClient::new(settings.clone()).unwrap();
    let first = rt().block_on(c.project("demo-pkg")).unwrap();
    assert_eq!(first.served.cache, CacheUse::Network);
    let second = rt().block_on(c.project("demo-pkg")).unwrap();
    assert!(matches!(second.served.cache, CacheUse::Fresh(_)));
    assert_eq!(s.index.requests().len(), 1);
    // Past the freshness window: a conditional request, answered 304.
    settings.project_freshness = Duration::ZERO;
    let c = IndexClient::new(settings).unwrap();
    let third = rt().block_on(c.project("demo-pkg")).unwrap();
    assert_eq!(third.served.cache, CacheUse::Revalidated);
    let last = s.index.requests().pop().unwrap();
    assert!(last.if_none_match.is_some());
    assert_eq!(last.status, 304);
}

#[test]
fn without_validators_the_freshness_window_decides() {
    let s = setup(IndexOptions {
        validators: false,
        ..IndexOptions::default()
    });
    let mut settings = settings(&s.index.json_api(), &s.cache);
    settings.project_freshness = Duration::ZERO;
    let c = IndexClient::new(settings).unwrap();
    rt().block_on(c.project("demo-pkg")).unwrap();
    let again = rt().block_on(c.project("demo-pkg")).unwrap();
    assert_eq!(again.served.cache, CacheUse::Network);
    let log = s.index.requests();
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|r| r.if_none_match.is_none() && r.status == 200)
    );
}

#[test]
fn offline_serves_the_cache_and_says_how_old_it_is() {
    let s = setup(IndexOptions::default());
    let c = client(&s.index.json_api(), &s.cache);
    let project = rt().block_on(c.project("demo-pkg")).unwrap();
    let f = wheel_file(&project.files, &s.wheel).clone();
    rt().block_on(c.contents(&f)).unwrap();
    s.index.clear_log();
    let mut offline = settings(&s.index.json_api(), &s.cache);
    offline.offline = true;
    let c = IndexClient::new(offline).unwrap();
    let cached = rt().block_on(c.project("demo-pkg")).unwrap();
    assert!(matches!(cached.served.cache, CacheUse::Offline(_)));
    assert!(rt().block_on(c.contents(&f)).is_ok());
    let err = rt().block_on(c.project("other")).unwrap_err();
    assert!(matches!(err, IndexError::NotCached { .. }), "{err}");
    // The engine says the fact; the front end renders the hint with its own flag or key.
    assert!(err.to_string().contains("is not in the cache"), "{err}");
    assert_eq!(err.hints(), [Hint::GoOnline]);
    assert!(s.index.requests().is_empty());
}

#[test]
fn a_tls_failure_names_the_certificate_settings_to_try() {
    let s = setup(IndexOptions::default());
    // The loopback index speaks plain HTTP; asking for HTTPS fails in the TLS handshake.
    let https = s.index.simple().replace("http://", "https://");
    let c = client(&https, &s.cache);
    let err = rt().block_on(c.project("demo-pkg")).unwrap_err();
    assert!(matches!(err, IndexError::Tls { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("SSL_CERT_FILE") && text.contains("REQUESTS_CA_BUNDLE"),
        "{text}"
    );
    assert!(text.contains("127.0.0.1"), "{text}");
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.path().is_dir() {
                out.extend(walk(&e.path()));
            } else {
                out.push(e.path());
            }
        }
    }
    out
}
