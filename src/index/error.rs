//! What can go wrong talking to a package index, each said with what to do about it: the
//! message in neutral words, the next step a front end can offer as [`Hint`]s.

use std::path::PathBuf;

use crate::hint::{Hint, Hints};

/// An index client failure. Every message names the thing involved and suggests a next step.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(
        "no project named '{name}' on the index {index} (check the spelling, or the index URL if the project is private)"
    )]
    UnknownProject { name: String, index: String },

    #[error("{project} has no release {version} on the index (newest releases: {newest})")]
    UnknownVersion {
        project: String,
        version: String,
        newest: String,
    },

    #[error("{url} answered {status} after {attempts} attempt{}; {hint}", if *attempts == 1 { "" } else { "s" })]
    Status {
        url: String,
        status: u16,
        attempts: u32,
        hint: &'static str,
    },

    #[error(
        "could not reach {host}: {detail} (after {attempts} attempt{}). Check the network, or HTTPS_PROXY / NO_PROXY if you are behind a proxy",
        if *attempts == 1 { "" } else { "s" }
    )]
    Network {
        host: String,
        detail: String,
        attempts: u32,
    },

    #[error(
        "{url} did not answer within {seconds} s (after {attempts} attempt{}); try again, or raise the timeout with WHEELBARROW_TIMEOUT",
        if *attempts == 1 { "" } else { "s" }
    )]
    Timeout {
        url: String,
        seconds: u64,
        attempts: u32,
    },

    #[error(
        "{url} stopped sending after {received} bytes ({waited}); try again, or raise the timeout with WHEELBARROW_TIMEOUT"
    )]
    Stalled {
        url: String,
        received: u64,
        waited: String,
    },

    #[error(
        "TLS failure talking to {host}: {detail}. Behind a proxy with its own certificate authority, point SSL_CERT_FILE or REQUESTS_CA_BUNDLE (or pip's `cert` setting) at its PEM bundle"
    )]
    Tls { host: String, detail: String },

    #[error(
        "{url} answered more than {} MiB, the bound on one answer from the index; no package index page or wheel that fits a layer is this large, so the index (or a proxy) is misbehaving. Nothing was cached. If the answer is genuine, raise the bound with WHEELBARROW_MAX_ANSWER_MB",
        limit >> 20
    )]
    TooLarge { url: String, limit: u64 },

    #[error(
        "{url} answered {status} and asks to wait {wait_secs} s before trying again, longer than the timeout of {budget_secs} s; try again later, or raise the timeout with WHEELBARROW_TIMEOUT"
    )]
    WaitTooLong {
        url: String,
        status: u16,
        wait_secs: u64,
        budget_secs: u64,
    },

    #[error(
        "{url} answered a PEP 691 page of api-version {version}; wheelbarrow reads major version 1 only, and a page of another major version may say other things in the same fields, so it was not read: use an index (--index-url) that serves version 1, or a wheelbarrow that knows version {version}"
    )]
    ApiVersion { url: String, version: String },

    #[error("{url} answered something that is not {expected}: {detail}")]
    Malformed {
        url: String,
        expected: &'static str,
        detail: String,
    },

    #[error(
        "{url} answered an HTML page where a JSON API project document was expected; this index may have only the Simple API ({detail})"
    )]
    HtmlNotJson { url: String, detail: String },

    #[error(
        "{filename} from {url} does not match its {algorithm}: the index says {expected}, the file is {actual}. The download was discarded; a proxy or mirror may be serving a different file"
    )]
    HashMismatch {
        filename: String,
        url: String,
        algorithm: String,
        expected: String,
        actual: String,
    },

    #[error(
        "{filename} from {url} comes with only {} digest, which wheelbarrow cannot check (it checks {}); it was not downloaded. Ask the index's operators for a sha256 digest, or use another index",
        algorithms.join(" and "), super::digests::CHECKED.join(", ")
    )]
    UncheckableHash {
        filename: String,
        url: String,
        algorithms: Vec<String>,
    },

    #[error(
        "{url}, the index's metadata for {filename}, says {said}: the index's metadata does not describe its wheel, so it was not used. Report it to the index's operators, or use another index"
    )]
    MetadataMismatch {
        filename: String,
        url: String,
        said: String,
    },

    #[error(
        "{filename} from {url} has {actual}, which is not the one given ({}); it was not used. Check the URL's #sha256= (#md5=, ...) fragment or --hash against the file",
        expected.join(", ")
    )]
    GivenHashMismatch {
        filename: String,
        url: String,
        expected: Vec<String>,
        actual: String,
    },

    #[error("offline, and {url} is not in the cache: it has to be fetched once while online")]
    NotCached { url: String },

    /// The I/O error is part of the message (not a separate cause, which would repeat it).
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },

    /// A folder that cannot take a download: full, read-only, not the user's.
    #[error(
        "{} ({role}) {} while writing {file} ({error}): nothing half-written was left. {}",
        folder.display(),
        super::cache_state::folder_words(error.kind()),
        if role.starts_with("the cache") {
            "Free space there or make it writable, or set WHEELBARROW_CACHE_DIR to a folder on a disk with room"
        } else {
            "Free space there, or set TMPDIR to a folder on a disk with room"
        }
    )]
    Unwritable {
        folder: PathBuf,
        role: &'static str,
        file: String,
        error: std::io::Error,
    },

    #[error("index settings: {0}")]
    Settings(String),

    /// A URL that no request can be made to (`javascript:…`, `ftp://…`): said as such, never
    /// as a network or TLS failure.
    #[error(
        "{url} cannot be fetched ({detail}): wheelbarrow fetches http and https URLs only. An index or page that links to it is misconfigured or hostile; use another one"
    )]
    Unfetchable { url: String, detail: String },

    #[error("cancelled")]
    Cancelled,
}

impl IndexError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> IndexError {
        IndexError::Io {
            path: path.into(),
            error: source,
        }
    }
}

/// A short hint for an HTTP status, for [`IndexError::Status`].
pub(crate) fn status_hint(status: u16) -> &'static str {
    match status {
        401 | 403 => {
            "the index wants credentials; put them in the index URL (https://user:token@host/...) as pip accepts"
        }
        404 | 410 => "it does not exist there",
        429 => "the index is rate-limiting; wait a minute and try again",
        500..=599 => "the index is having trouble; try again later",
        _ => "unexpected for a package index",
    }
}

impl Hints for IndexError {
    fn hints(&self) -> Vec<Hint> {
        match self {
            IndexError::Network { .. } => vec![Hint::UseCache],
            IndexError::Status { status, .. } if (500..=599).contains(status) => {
                vec![Hint::UseCache]
            }
            IndexError::Timeout { .. }
            | IndexError::Stalled { .. }
            | IndexError::WaitTooLong { .. } => {
                vec![Hint::RaiseTimeout, Hint::UseCache]
            }
            IndexError::Tls { .. } => vec![Hint::SetCertificateFile],
            IndexError::NotCached { .. } => vec![Hint::GoOnline],
            IndexError::HtmlNotJson { .. } => vec![Hint::UseSimpleApiRoot],
            _ => Vec::new(),
        }
    }
}
