//! A package index on 127.0.0.1 for integration tests: the JSON API, the simple API (PEP 503
//! HTML and PEP 691 JSON), file downloads with ranges and validators, and failure injection.
//!
//! One listener thread and one thread per connection; connections are kept alive until the
//! client closes them (or asks for `Connection: close`). Dropping the [`TestIndex`] stops and
//! joins every thread. The server never panics on odd input: a request it cannot parse gets a
//! 400 and the connection is closed.
//!
//! Layout: this module holds the public types and [`TestIndex`]'s registration methods;
//! `http` reads requests and runs each connection, `response` writes answers, `faults` keeps
//! the failure-injection rules, `routes_json` and `routes_simple` build the index documents,
//! `files` serves downloads and applies validators and ranges, `versions` orders releases and
//! `util` has the URL, date and escaping helpers.

mod faults;
mod files;
mod http;
mod response;
mod routes_json;
mod routes_simple;
mod util;
mod versions;

use std::collections::{BTreeMap, BTreeSet};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use super::wheel::{Wheel, normalize, sha256_hex};
use faults::Fault;
use http::accept_loop;
use util::encode_segment;

/// Whether file URLs in index documents are absolute or relative to the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlStyle {
    /// `http://127.0.0.1:PORT/files/<filename>`.
    Absolute,
    /// `../../files/<filename>` (or `../../../files/<filename>` in per-version JSON documents).
    Relative,
}

/// How `/simple/` answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimpleFormat {
    /// PEP 691: JSON when the `Accept` header names the JSON type with a quality at least that
    /// of HTML; HTML otherwise (also for a missing `Accept` or a bare `*/*`).
    Json,
    /// PEP 691, preferring HTML: JSON only when the client rates it strictly above HTML.
    Html,
    /// A PEP 503-only server: `text/html` whatever is asked for.
    HtmlOnly,
}

/// What the index supports. The default supports everything.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    pub url_style: UrlStyle,
    pub simple: SimpleFormat,
    /// Serve `/files/<wheel>.metadata` (PEP 658) and advertise it.
    pub metadata_files: bool,
    /// Honour `Range` on `/files/`.
    pub range_requests: bool,
    /// Send `ETag` and `Last-Modified`, and answer 304 to matching conditional requests.
    pub validators: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            url_style: UrlStyle::Absolute,
            simple: SimpleFormat::Json,
            metadata_files: true,
            range_requests: true,
            validators: true,
        }
    }
}

/// What the index knows about one file besides its bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileOptions {
    /// The core metadata (`METADATA` text). Served as `<filename>.metadata` and used for the
    /// JSON API's `info` when present.
    pub metadata: Option<String>,
    /// The file's `Requires-Python`, as advertised by the index.
    pub requires_python: Option<String>,
    /// `Some(reason)` marks the file yanked (an empty reason means yanked without one).
    pub yanked: Option<String>,
}

impl FileOptions {
    /// The options [`TestIndex::add_wheel`] uses: the wheel's METADATA and its
    /// `Requires-Python`.
    pub fn for_wheel(wheel: &Wheel) -> Self {
        FileOptions {
            requires_python: metadata_field(&wheel.metadata, "Requires-Python"),
            metadata: Some(wheel.metadata.clone()),
            yanked: None,
        }
    }
}

/// One request the index saw, in arrival order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestLog {
    pub method: String,
    /// The request target as sent, query included.
    pub path: String,
    pub range: Option<String>,
    pub accept: Option<String>,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    /// The `Authorization` header as sent (credentials in a URL arrive here).
    pub authorization: Option<String>,
    /// The status answered; 0 when the connection was dropped without an answer.
    pub status: u16,
    /// Body bytes sent (0 for HEAD and 304).
    pub body_bytes: usize,
}

/// A running loopback index. Stops on drop.
pub struct TestIndex {
    addr: SocketAddr,
    shared: Arc<Shared>,
    listener: Option<JoinHandle<()>>,
}

struct Shared {
    options: IndexOptions,
    base: String,
    shutdown: AtomicBool,
    state: Mutex<State>,
    connections: Mutex<Vec<JoinHandle<()>>>,
}

#[derive(Default)]
struct State {
    projects: BTreeMap<String, Project>,
    serial: u64,
    faults: Vec<Fault>,
    delays: Vec<(String, Duration)>,
    malformed: Vec<String>,
    padding: Vec<(String, usize)>,
    download_delay: Option<Duration>,
    arrivals: Vec<String>,
    wrong_sha: BTreeSet<String>,
    log: Vec<RequestLog>,
    /// Files served under `/files/` that no project page lists (a wheel linked from elsewhere).
    loose: BTreeMap<String, Arc<Vec<u8>>>,
    /// Any other document, by its path (`/links/`): an HTML page of links, say.
    pages: BTreeMap<String, String>,
    /// What project pages say as PEP 691 `meta.api-version` (1.1 when `None`).
    api_version: Option<String>,
}

struct Project {
    name: String,
    summary: Option<String>,
    serial: u64,
    files: Vec<StoredFile>,
}

struct StoredFile {
    version: String,
    filename: String,
    bytes: Arc<Vec<u8>>,
    sha256: String,
    options: FileOptions,
    serial: u64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl TestIndex {
    /// Binds 127.0.0.1 on a free port and starts serving.
    ///
    /// # Panics
    ///
    /// If the port cannot be bound or the listener thread cannot start.
    pub fn start(options: IndexOptions) -> TestIndex {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
        let addr = listener.local_addr().expect("listener address");
        let shared = Arc::new(Shared {
            options,
            base: format!("http://{addr}"),
            shutdown: AtomicBool::new(false),
            state: Mutex::new(State::default()),
            connections: Mutex::new(Vec::new()),
        });
        let for_thread = Arc::clone(&shared);
        let handle = thread::Builder::new()
            .name("test-index-listener".to_owned())
            .spawn(move || accept_loop(&listener, &for_thread))
            .expect("starting the index listener");
        TestIndex {
            addr,
            shared,
            listener: Some(handle),
        }
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn url(&self) -> String {
        self.shared.base.clone()
    }

    /// `{url}/pypi`: append `/<project>/json`.
    pub fn json_api(&self) -> String {
        format!("{}/pypi", self.shared.base)
    }

    /// `{url}/simple/`.
    pub fn simple(&self) -> String {
        format!("{}/simple/", self.shared.base)
    }

    /// `{url}/files/<filename>`, the absolute download URL of a file.
    pub fn file_url(&self, filename: &str) -> String {
        format!("{}/files/{}", self.shared.base, encode_segment(filename))
    }

    /// Registers a wheel as a file of release `wheel.version` of project `wheel.name`.
    pub fn add_wheel(&self, wheel: &Wheel) -> &Self {
        self.add_file(
            &wheel.name,
            &wheel.version,
            FileOptions::for_wheel(wheel),
            &wheel.filename,
            wheel.bytes.clone(),
        )
    }

    /// Registers any file (an sdist, a yanked wheel, ...). A file with the same name as an
    /// earlier one replaces it. The project's display name is the one it was first added with.
    pub fn add_file(
        &self,
        project: &str,
        version: &str,
        file: FileOptions,
        filename: &str,
        bytes: Vec<u8>,
    ) -> &Self {
        let mut state = lock(&self.shared.state);
        state.serial += 1;
        let serial = state.serial;
        for p in state.projects.values_mut() {
            p.files.retain(|f| f.filename != filename);
        }
        let entry = state
            .projects
            .entry(normalize(project))
            .or_insert_with(|| Project {
                name: project.to_owned(),
                summary: None,
                serial,
                files: Vec::new(),
            });
        entry.serial = serial;
        entry.files.push(StoredFile {
            version: version.to_owned(),
            filename: filename.to_owned(),
            sha256: sha256_hex(&bytes),
            bytes: Arc::new(bytes),
            options: file,
            serial,
        });
        drop(state);
        self
    }

    /// Serves `wheel` at [`TestIndex::file_url`] without listing it on any project page, as a
    /// wheel linked from somewhere else would be.
    pub fn add_loose_wheel(&self, wheel: &Wheel) -> &Self {
        lock(&self.shared.state)
            .loose
            .insert(wheel.filename.clone(), Arc::new(wheel.bytes.clone()));
        self
    }

    /// Serves `html` as `text/html` at `path` (such as `/links/`); returns its absolute URL.
    pub fn add_page(&self, path: &str, html: &str) -> String {
        lock(&self.shared.state)
            .pages
            .insert(path.to_owned(), html.to_owned());
        format!("{}{path}", self.shared.base)
    }

    /// Makes JSON project pages say `version` as their PEP 691 `meta.api-version`.
    pub fn set_api_version(&self, version: &str) {
        lock(&self.shared.state).api_version = Some(version.to_owned());
    }

    /// Marks a registered file yanked (an empty reason: yanked without a reason).
    ///
    /// # Panics
    ///
    /// If no such file was registered.
    pub fn yank(&self, filename: &str, reason: &str) {
        self.with_file(filename, |f| f.options.yanked = Some(reason.to_owned()));
    }

    /// Overrides the summary of every version of a project.
    ///
    /// # Panics
    ///
    /// If the project has no files yet.
    pub fn set_summary(&self, project: &str, summary: &str) {
        let mut state = lock(&self.shared.state);
        state.serial += 1;
        let serial = state.serial;
        let p = state
            .projects
            .get_mut(&normalize(project))
            .unwrap_or_else(|| panic!("set_summary: no project {project:?} registered"));
        p.summary = Some(summary.to_owned());
        p.serial = serial;
    }

    /// Every request so far, in order. A request is logged before its answer is written, so
    /// once a client has a response its request is here.
    pub fn requests(&self) -> Vec<RequestLog> {
        lock(&self.shared.state).log.clone()
    }

    pub fn clear_log(&self) {
        lock(&self.shared.state).log.clear();
    }
    fn with_file(&self, filename: &str, change: impl FnOnce(&mut StoredFile)) {
        let mut state = lock(&self.shared.state);
        state.serial += 1;
        let serial = state.serial;
        let project = state
            .projects
            .values_mut()
            .find(|p| p.files.iter().any(|f| f.filename == filename))
            .unwrap_or_else(|| panic!("no file {filename:?} registered"));
        project.serial = serial;
        if let Some(f) = project.files.iter_mut().find(|f| f.filename == filename) {
            change(f);
        }
    }
}

impl Drop for TestIndex {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, AtomicOrdering::SeqCst);
        // Wake the blocking accept; if that fails, leave the listener thread be.
        let woke = TcpStream::connect_timeout(&self.addr, Duration::from_secs(2)).is_ok();
        if let Some(handle) = self.listener.take()
            && woke
        {
            let _ = handle.join();
        }
        let handles = std::mem::take(&mut *lock(&self.shared.connections));
        for handle in handles {
            let _ = handle.join();
        }
    }
}

/// The first value of a core-metadata header field.
pub fn metadata_field(metadata: &str, field: &str) -> Option<String> {
    metadata_fields(metadata, field).into_iter().next()
}

/// Every value of a core-metadata header field (headers end at the first blank line).
pub fn metadata_fields(metadata: &str, field: &str) -> Vec<String> {
    metadata
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_once(':'))
        .filter(|(name, _)| name.trim().eq_ignore_ascii_case(field))
        .map(|(_, value)| value.trim().to_owned())
        .collect()
}
