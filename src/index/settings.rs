//! Which index to talk to and how, read the way pip users already have it set up.
//!
//! Index URL, highest precedence first: the one the caller gives; `PIP_INDEX_URL`; `index-url` in pip's
//! configuration files (`PIP_CONFIG_FILE`, then the site file `$VIRTUAL_ENV/pip.conf`, the user
//! files, the global files; `[install]` over `[global]`); the public index.
//! Extra certificate authorities come from `SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE`, `PIP_CERT` and
//! pip's `cert`; find-links from `PIP_FIND_LINKS` or pip's `find-links` (see `find_links`); proxies from `HTTPS_PROXY`/`NO_PROXY` (read by the HTTP client) or pip's `proxy`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;

use super::error::IndexError;
use super::find_links::FindLinks;
use super::pip_conf::PipConfig;
use super::timeouts::DEFAULT_TIMEOUT;

/// The default index: the public index's JSON API. The only place its address appears.
pub const DEFAULT_INDEX_URL: &str = "https://pypi.org/pypi";

/// How the client talks to the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexApi {
    /// A PyPI-style JSON API (`<base>/<project>/json`), with a Simple API root beside it
    /// (`<base>/../simple/`) for the list of all project names.
    JsonApi { base: Url, simple: Url },
    /// A PEP 503/691 Simple API root (`<root>/<project>/`).
    Simple { root: Url },
}

impl IndexApi {
    /// Reads an index URL: one whose path ends in `/pypi` is a JSON API base; anything else is a
    /// Simple API root (what pip's index URL setting takes).
    pub fn from_url(text: &str) -> Result<IndexApi, IndexError> {
        let mut url = Url::parse(text.trim()).map_err(|e| {
            IndexError::Settings(format!(
                "'{text}' is not a URL ({e}); an index URL looks like https://host/simple/"
            ))
        })?;
        if url.scheme() == "file" {
            return Err(IndexError::Settings(format!(
                "'{text}' is a file:// URL; wheelbarrow reads indexes over HTTP(S), so serve that folder with a web server and give its http:// URL"
            )));
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(IndexError::Settings(format!(
                "'{text}' is not an http(s) URL; an index URL looks like https://host/simple/"
            )));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        if url.path().ends_with("/pypi/") {
            let simple = url
                .join("../simple/")
                .map_err(|e| IndexError::Settings(e.to_string()))?;
            Ok(IndexApi::JsonApi { base: url, simple })
        } else {
            Ok(IndexApi::Simple { root: url })
        }
    }

    /// The Simple API root (for the list of every project).
    pub fn simple_root(&self) -> &Url {
        match self {
            IndexApi::JsonApi { simple, .. } => simple,
            IndexApi::Simple { root } => root,
        }
    }

    /// The URL as the user would recognise it, without credentials.
    pub fn display(&self) -> String {
        let url = match self {
            IndexApi::JsonApi { base, .. } => base,
            IndexApi::Simple { root } => root,
        };
        let mut shown = url.clone();
        let _ = shown.set_password(None);
        let _ = shown.set_username("");
        shown.to_string()
    }
}

/// Everything the index client needs to know before its first request.
#[derive(Debug, Clone)]
pub struct IndexSettings {
    pub api: IndexApi,
    /// Where the index URL came from: `given` (by the caller), `PIP_INDEX_URL`, a pip.conf
    /// path, `default`.
    pub index_source: String,
    /// PEM bundles of extra certificate authorities, with the setting that named each.
    pub extra_ca_files: Vec<(PathBuf, String)>,
    /// pip's `proxy` setting; environment proxies are honoured by the HTTP client itself.
    pub proxy: Option<String>,
    pub cache_dir: PathBuf,
    /// Serve everything from the cache; never touch the network.
    pub offline: bool,
    /// Per request, connect plus answer.
    pub timeout: Duration,
    /// Attempts after the first one, for 5xx, 429 and dropped connections.
    pub retries: u32,
    /// First backoff delay; doubles each retry.
    pub backoff: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// How long a project page counts as fresh when the index sent no validators.
    pub project_freshness: Duration,
    /// How long the list of every project name counts as fresh.
    pub names_freshness: Duration,
    /// Upper bound of the downloaded-wheel store.
    pub wheel_store_max_bytes: u64,
    /// The most bytes a document from the index (a project page, METADATA, the list of every
    /// project) may carry; documents are held in memory, so this bounds the memory one costs.
    pub max_document_bytes: u64,
    /// The most bytes a downloaded file may carry (streamed to disk, not held in memory).
    pub max_download_bytes: u64,
    /// Folders and pages of wheels searched beside the index (pip's find-links).
    pub find_links: Vec<FindLinks>,
}

/// The default bound on a document: the largest real ones (the list of every project, the
/// pages of projects with thousands of releases) are a fraction of it.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 128 << 20;

/// The default bound on a download: a wheel larger than this cannot fit a layer (250 MB
/// unzipped).
pub const DEFAULT_MAX_DOWNLOAD_BYTES: u64 = 256 << 20;

/// The timeouts `WHEELBARROW_TIMEOUT` accepts, in seconds.
pub const TIMEOUT_RANGE_SECS: std::ops::RangeInclusive<f64> = 0.1..=3600.0;

impl IndexSettings {
    /// Settings for `url` with the given cache directory and defaults for everything else.
    pub fn for_index(url: &str, cache_dir: PathBuf) -> Result<IndexSettings, IndexError> {
        Ok(IndexSettings {
            api: IndexApi::from_url(url)?,
            index_source: "given".into(),
            extra_ca_files: Vec::new(),
            proxy: None,
            cache_dir,
            offline: false,
            timeout: DEFAULT_TIMEOUT,
            retries: 3,
            backoff: Duration::from_millis(250),
            concurrency: 16,
            project_freshness: Duration::from_secs(10 * 60),
            names_freshness: Duration::from_secs(24 * 60 * 60),
            wheel_store_max_bytes: 4 << 30,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
            max_download_bytes: DEFAULT_MAX_DOWNLOAD_BYTES,
            find_links: Vec::new(),
        })
    }

    /// Settings from the command line, the environment and pip's configuration files.
    pub fn from_environment(cli_index_url: Option<&str>) -> Result<IndexSettings, IndexError> {
        let env: HashMap<String, String> = std::env::vars().collect();
        let home = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
        Self::from_sources(cli_index_url, &env, home.as_deref())
    }

    /// [`IndexSettings::from_environment`] with the environment and home directory given.
    pub fn from_sources(
        cli_index_url: Option<&str>,
        env: &HashMap<String, String>,
        home: Option<&Path>,
    ) -> Result<IndexSettings, IndexError> {
        let var = |k: &str| env.get(k).filter(|v| !v.trim().is_empty()).cloned();
        let pip = PipConfig::load(env, home)?;
        refuse_extra_index(env, &pip)?;
        refuse_unusable_proxy(env)?;
        let (url, source) = if let Some(u) = cli_index_url {
            (u.to_string(), "given".to_string())
        } else if let Some(u) = var("PIP_INDEX_URL") {
            (u, "PIP_INDEX_URL".to_string())
        } else if let Some((u, path)) = pip.get("index-url") {
            (u, path.display().to_string())
        } else {
            (DEFAULT_INDEX_URL.to_string(), "default".to_string())
        };
        let cache_dir = match var("WHEELBARROW_CACHE_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => directories::ProjectDirs::from("", "", "wheelbarrow")
                .map(|d| d.cache_dir().to_path_buf())
                .ok_or_else(|| {
                    IndexError::Settings(
                        "no home directory to keep a cache in; set WHEELBARROW_CACHE_DIR".into(),
                    )
                })?,
        };
        let mut settings = IndexSettings::for_index(&url, cache_dir).map_err(|e| match e {
            IndexError::Settings(msg) if cli_index_url.is_some() => IndexError::Settings(msg),
            IndexError::Settings(msg) => IndexError::Settings(format!("{msg} (from {source})")),
            other => other,
        })?;
        settings.index_source = source;
        for name in ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "PIP_CERT"] {
            if let Some(path) = var(name) {
                settings
                    .extra_ca_files
                    .push((PathBuf::from(path), name.to_string()));
            }
        }
        if let Some((path, file)) = pip.get("cert") {
            settings
                .extra_ca_files
                .push((PathBuf::from(path), format!("cert in {}", file.display())));
        }
        // As pip: the variable replaces the file's list; relative paths are the current
        // directory's.
        let cwd = std::env::current_dir().unwrap_or_default();
        settings.find_links = if let Some(list) = var("PIP_FIND_LINKS") {
            FindLinks::parse_list(&list, "PIP_FIND_LINKS", &cwd)?
        } else if let Some((list, file)) = pip.get("find-links") {
            FindLinks::parse_list(&list, &format!("find-links in {}", file.display()), &cwd)?
        } else {
            Vec::new()
        };
        settings.proxy = var("PIP_PROXY").or_else(|| pip.get("proxy").map(|(p, _)| p));
        if let Some(secs) = var("WHEELBARROW_TIMEOUT") {
            settings.timeout = parse_timeout(&secs)?;
        }
        if let Some(mb) = var("WHEELBARROW_MAX_ANSWER_MB") {
            let bound = parse_answer_bound(&mb)?;
            settings.max_document_bytes = bound;
            settings.max_download_bytes = bound;
        }
        if let Some(mins) = var("WHEELBARROW_FRESH_MINUTES") {
            let mins: u64 = mins.parse().map_err(|_| {
                IndexError::Settings(format!(
                    "WHEELBARROW_FRESH_MINUTES={mins} is not a whole number of minutes"
                ))
            })?;
            settings.project_freshness = Duration::from_secs(mins * 60);
        }
        Ok(settings)
    }
}

/// `PIP_EXTRA_INDEX_URL` or pip's `extra-index-url`: pip searches such indexes as equals of
/// the main one, so whichever publishes a name with the higher version wins, which is how
/// dependency-confusion attacks work. wheelbarrow reads one index and says so rather than
/// quietly leaving the extra one out.
fn refuse_extra_index(env: &HashMap<String, String>, pip: &PipConfig) -> Result<(), IndexError> {
    let (url, source) = if let Some(url) = env
        .get("PIP_EXTRA_INDEX_URL")
        .filter(|v| !v.trim().is_empty())
    {
        (url.clone(), "PIP_EXTRA_INDEX_URL".to_string())
    } else if let Some((url, path)) = pip.get("extra-index-url") {
        (url, format!("extra-index-url in {}", path.display()))
    } else {
        return Ok(());
    };
    Err(IndexError::Settings(format!(
        "{source} adds {} as an extra index; wheelbarrow reads one index only. pip would search both as equals, so a project published on both under one name comes from whichever has the higher version (the dependency-confusion risk). Serve every package from one index (or a proxy that merges them deliberately), or unset it",
        url.lines().next().unwrap_or_default().trim()
    )))
}

/// A proxy variable the HTTP client would not understand (it would go straight to the index
/// instead): refused, naming the variable.
fn refuse_unusable_proxy(env: &HashMap<String, String>) -> Result<(), IndexError> {
    for name in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        let Some(value) = env.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
            continue;
        };
        let with_scheme = if value.contains("://") {
            value.to_string()
        } else {
            format!("http://{value}")
        };
        let usable = Url::parse(&with_scheme).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https" | "socks5" | "socks5h")
                && u.host_str().is_some_and(|h| !h.is_empty())
        });
        if !usable {
            return Err(IndexError::Settings(format!(
                "{name}={value:?} is not a proxy URL; give one such as http://proxy.example:3128, or unset it"
            )));
        }
    }
    Ok(())
}

/// `WHEELBARROW_TIMEOUT`: a finite number of seconds within [`TIMEOUT_RANGE_SECS`].
pub(super) fn parse_timeout(text: &str) -> Result<Duration, IndexError> {
    let range = TIMEOUT_RANGE_SECS;
    let refuse = |why: &str| {
        IndexError::Settings(format!(
            "WHEELBARROW_TIMEOUT={text} {why}; give a number of seconds from {} to {} (such as 30 or 2.5)",
            range.start(),
            range.end()
        ))
    };
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| refuse("is not a number of seconds"))?;
    if !secs.is_finite() || !range.contains(&secs) {
        return Err(refuse("is out of range"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// `WHEELBARROW_MAX_ANSWER_MB`: a whole number of mebibytes, at least 1, for documents and
/// downloads alike.
fn parse_answer_bound(text: &str) -> Result<u64, IndexError> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|mb| (1..=1 << 20).contains(mb))
        .map(|mb| mb << 20)
        .ok_or_else(|| {
            IndexError::Settings(format!(
                "WHEELBARROW_MAX_ANSWER_MB={text} is not a whole number of mebibytes from 1 to 1048576 (the defaults are {} for documents, {} for downloads)",
                DEFAULT_MAX_DOCUMENT_BYTES >> 20,
                DEFAULT_MAX_DOWNLOAD_BYTES >> 20
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn an_index_url_ending_in_pypi_is_a_json_api_with_a_simple_root_beside_it() {
        let api = IndexApi::from_url("https://example.test/pypi").unwrap();
        assert_eq!(api.simple_root().as_str(), "https://example.test/simple/");
        assert!(matches!(api, IndexApi::JsonApi { .. }));
        let api = IndexApi::from_url("https://example.test/repo/simple").unwrap();
        assert_eq!(
            api,
            IndexApi::Simple {
                root: Url::parse("https://example.test/repo/simple/").unwrap()
            }
        );
    }

    #[test]
    fn credentials_are_not_shown() {
        let api = IndexApi::from_url("https://me:secret@example.test/simple/").unwrap();
        assert_eq!(api.display(), "https://example.test/simple/");
    }

    #[test]
    fn a_bad_index_url_says_what_one_looks_like() {
        let err = IndexApi::from_url("not a url").unwrap_err().to_string();
        assert!(err.contains("https://host/simple/"), "{err}");
    }

    #[test]
    fn the_command_line_beats_the_environment_which_beats_pip_conf() {
        let dir = std::env::temp_dir().join(format!("wb-pipconf-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".config/pip")).unwrap();
        std::fs::write(
            dir.join(".config/pip/pip.conf"),
            "[global]\nindex-url = https://conf.test/simple\ncert = /etc/corp.pem\n\n[install]\nindex_url = https://install.test/simple\n",
        )
        .unwrap();
        let cache = env(&[("WHEELBARROW_CACHE_DIR", "/tmp/wb-cache")]);
        let s = IndexSettings::from_sources(None, &cache, Some(&dir)).unwrap();
        assert_eq!(s.api.display(), "https://install.test/simple/");
        assert!(s.index_source.ends_with("pip.conf"), "{}", s.index_source);
        assert_eq!(s.extra_ca_files[0].0, PathBuf::from("/etc/corp.pem"));

        let mut with_env = cache.clone();
        with_env.insert("PIP_INDEX_URL".into(), "https://env.test/simple".into());
        let s = IndexSettings::from_sources(None, &with_env, Some(&dir)).unwrap();
        assert_eq!(s.api.display(), "https://env.test/simple/");
        assert_eq!(s.index_source, "PIP_INDEX_URL");

        let s = IndexSettings::from_sources(Some("https://cli.test/simple"), &with_env, Some(&dir))
            .unwrap();
        assert_eq!(s.api.display(), "https://cli.test/simple/");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn with_nothing_set_the_default_index_is_used() {
        let s = IndexSettings::from_sources(
            None,
            &env(&[
                ("WHEELBARROW_CACHE_DIR", "/tmp/x"),
                ("PIP_CONFIG_FILE", "/dev/null"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(s.index_source, "default");
        assert!(matches!(s.api, IndexApi::JsonApi { .. }));
    }

    #[test]
    fn certificate_settings_are_collected_with_their_names() {
        let s = IndexSettings::from_sources(
            None,
            &env(&[
                ("WHEELBARROW_CACHE_DIR", "/tmp/x"),
                ("PIP_CONFIG_FILE", "/dev/null"),
                ("SSL_CERT_FILE", "/a.pem"),
                ("REQUESTS_CA_BUNDLE", "/b.pem"),
            ]),
            None,
        )
        .unwrap();
        let names: Vec<_> = s.extra_ca_files.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"]);
    }

    #[test]
    fn timeouts_that_are_not_finite_or_out_of_range_are_refused_with_the_range() {
        for bad in ["inf", "1e30", "0", "-1", "NaN", "ten"] {
            let err = parse_timeout(bad).unwrap_err().to_string();
            assert!(
                err.contains(&format!("WHEELBARROW_TIMEOUT={bad} ")),
                "{err}"
            );
            assert!(err.contains("from 0.1 to 3600"), "{err}");
        }
        assert_eq!(parse_timeout("2.5").unwrap(), Duration::from_millis(2500));
    }

    #[test]
    fn the_answer_bound_is_read_in_mebibytes() {
        assert_eq!(parse_answer_bound("3").unwrap(), 3 << 20);
        let err = parse_answer_bound("0").unwrap_err().to_string();
        assert!(err.contains("WHEELBARROW_MAX_ANSWER_MB=0 "), "{err}");
    }
}
