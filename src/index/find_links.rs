//! pip's find-links: a folder of wheels, or an HTML page of links to them, searched beside the
//! index. Its wheels for a project are merged into that project's page here, in the index
//! client, so that everything reading a project (the resolver, `wheels`, the TUI's package
//! pane) sees them and they compete with the index's files on version and tag, as in pip.
//!
//! Locations come from `--find-links`/`-f` (repeatable), `PIP_FIND_LINKS` and pip.conf's
//! `find-links` (each a whitespace-separated list, as pip splits them; the variable wins over
//! the file, and the command line adds to either, as pip does), and `-f` lines in requirements
//! files (relative to the file when the path exists there, as pip does). Only wheels are taken
//! from a location: wheelbarrow never builds a source distribution.

use std::path::Path;

use url::Url;

use super::client::IndexClient;
use super::error::IndexError;
use super::http::redact;
use super::local;
use super::project::{
    CacheUse, DistFile, FileKind, FileSource, MetadataFile, Project, Served,
    sort_versions_newest_first,
};
use super::simple;

/// The most entries read from one find-links folder.
const MAX_FOLDER_ENTRIES: usize = 100_000;

/// One find-links location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindLinks {
    /// `file://` for a folder or a page on disk, `http(s)://` for a page.
    pub url: Url,
    /// As shown, and as written into a lock file: the absolute path, or the URL without
    /// credentials.
    pub shown: String,
    /// Where it was set: `--find-links`, `PIP_FIND_LINKS`, `find-links in /etc/pip.conf`,
    /// `requirements.txt:3`.
    pub source: String,
}

impl FindLinks {
    /// One location as pip reads it: an `http(s)://` or `file://` URL, or a path relative to
    /// `base`. A local path must exist: pip skips a missing one with a warning, which is how a
    /// misspelt folder goes unnoticed, so here it is refused. The error is the problem alone;
    /// the caller says where the setting was.
    pub fn parse(text: &str, source: &str, base: &Path) -> Result<FindLinks, String> {
        let text = text.trim();
        let found = |url: Url, shown: String| FindLinks {
            url,
            shown,
            source: source.to_string(),
        };
        if !text.contains("://") {
            return Self::local(&base.join(text)).map(|(url, shown)| found(url, shown));
        }
        let url =
            Url::parse(text).map_err(|e| format!("find-links '{text}' is not a URL ({e})"))?;
        match url.scheme() {
            "http" | "https" => Ok(found(url.clone(), redact(&url))),
            "file" => {
                let path = url.to_file_path().map_err(|()| {
                    format!("find-links '{text}' is a file:// URL without a local path")
                })?;
                Self::local(&path).map(|(url, shown)| found(url, shown))
            }
            other => Err(format!(
                "find-links '{text}' is a {other}:// URL; give a folder, or an http(s) page of links"
            )),
        }
    }

    fn local(path: &Path) -> Result<(Url, String), String> {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        if !path.exists() {
            return Err(format!(
                "find-links names {}, which does not exist; pip would skip it with a warning, wheelbarrow stops so that a misspelt folder is not missed: fix the path, or remove the setting",
                path.display()
            ));
        }
        let url = if path.is_dir() {
            Url::from_directory_path(&path)
        } else {
            Url::from_file_path(&path)
        }
        .map_err(|()| format!("find-links {} cannot be made a file:// URL", path.display()))?;
        Ok((url, path.display().to_string()))
    }

    /// Every location of a whitespace-separated list (`PIP_FIND_LINKS`, pip.conf's value), as
    /// settings: an error names `source`.
    pub fn parse_list(text: &str, source: &str, base: &Path) -> Result<Vec<FindLinks>, IndexError> {
        text.split_whitespace()
            .map(|item| {
                FindLinks::parse(item, source, base)
                    .map_err(|problem| IndexError::Settings(format!("{source}: {problem}")))
            })
            .collect()
    }
}

impl IndexClient {
    /// The same client with more find-links locations (those it has already are not added
    /// twice); the connection pool, limits and caches are shared.
    #[must_use]
    pub fn with_find_links(&self, more: &[FindLinks]) -> IndexClient {
        let new: Vec<&FindLinks> = more
            .iter()
            .filter(|m| !self.settings().find_links.iter().any(|f| f.url == m.url))
            .collect();
        if new.is_empty() {
            return self.clone();
        }
        let mut settings = self.settings().clone();
        settings.find_links.extend(new.into_iter().cloned());
        self.with_settings(settings)
    }

    /// The wheels of `project` (a PEP 503 name) in every find-links location, in the order the
    /// locations were given.
    pub(super) async fn find_links_files(
        &self,
        project: &str,
    ) -> Result<Vec<DistFile>, IndexError> {
        let mut out = Vec::new();
        for location in &self.settings().find_links {
            let files = match local::path_of(&location.url) {
                Some(dir) if dir.is_dir() => folder_files(project, &dir, location)?,
                _ => self.page_files(project, location).await?,
            };
            out.extend(files.into_iter().map(|mut f| {
                f.source = FileSource::FindLinks(location.shown.clone());
                f
            }));
        }
        Ok(out)
    }

    async fn page_files(
        &self,
        project: &str,
        location: &FindLinks,
    ) -> Result<Vec<DistFile>, IndexError> {
        let url = &location.url;
        let fresh = Some(self.settings().project_freshness);
        let parse = |body: &[u8], _: Option<&str>| {
            simple::parse_html(project, url, body).map_err(|detail| IndexError::Malformed {
                url: redact(url),
                expected: "an HTML page of links (find-links)",
                detail,
            })
        };
        let page = self
            .fetcher()
            .get_cached(url, "text/html", fresh, parse)
            .await?
            .ok_or_else(|| {
                IndexError::Settings(format!(
                    "{}: the find-links page {} does not exist (404)",
                    location.source, location.shown
                ))
            })?
            .0;
        Ok(page
            .files
            .into_iter()
            .filter(|f| belongs_to(project, f))
            .collect())
    }
}

fn folder_files(
    project: &str,
    dir: &Path,
    location: &FindLinks,
) -> Result<Vec<DistFile>, IndexError> {
    let entries = std::fs::read_dir(dir).map_err(|e| IndexError::io(dir, e))?;
    let mut files = Vec::new();
    for (n, entry) in entries.enumerate() {
        if n >= MAX_FOLDER_ENTRIES {
            return Err(IndexError::Settings(format!(
                "{}: the find-links folder {} has more than {MAX_FOLDER_ENTRIES} entries; give a folder of wheels",
                location.source, location.shown
            )));
        }
        let entry = entry.map_err(|e| IndexError::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let Ok(url) = Url::from_file_path(&path) else {
            continue;
        };
        let mut file = DistFile::new(project, name, url);
        if !belongs_to(project, &file) || !path.is_file() {
            continue;
        }
        file.size = entry.metadata().ok().map(|m| m.len());
        file.metadata = MetadataFile::Absent;
        files.push(file);
    }
    files.sort_by(|a, b| a.filename.cmp(&b.filename));
    Ok(files)
}

/// A wheel of `project` (PEP 503 name) by its file name.
fn belongs_to(project: &str, file: &DistFile) -> bool {
    file.kind == FileKind::Wheel && file.wheel().is_some_and(|w| w.normalized == project)
}

/// The index's answer for a project with the find-links wheels merged in: their files first
/// (pip lists find-links candidates before the index's, so on a tie they win), their versions
/// among the releases. A project the index does not know is found on find-links alone.
pub(super) fn merge(
    from_index: Result<Project, IndexError>,
    extra: Vec<DistFile>,
) -> Result<Project, IndexError> {
    if extra.is_empty() {
        return from_index;
    }
    let mut project = match from_index {
        Ok(project) => project,
        Err(IndexError::UnknownProject { .. }) => Project {
            name: extra[0]
                .wheel()
                .map_or_else(String::new, |w| w.project.replace('_', "-")),
            summary: None,
            versions: Vec::new(),
            files: Vec::new(),
            requires_dist: None,
            served: Served {
                api: "find-links",
                cache: CacheUse::Network,
            },
            facts: crate::wheel::FactsCell::default(),
        },
        Err(e) => return Err(e),
    };
    let mut files = extra;
    files.append(&mut project.files);
    project
        .versions
        .extend(files.iter().filter_map(|f| f.version.clone()));
    sort_versions_newest_first(&mut project.versions);
    project.files = files;
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_read_as_pip_reads_them() {
        let dir = std::env::temp_dir().join(format!("wb-findlinks-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("wheels")).unwrap();
        let list = FindLinks::parse_list(
            " wheels\n https://u:p@h.test/links/  ",
            "PIP_FIND_LINKS",
            &dir,
        )
        .unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].url.scheme(), "file");
        assert!(list[0].url.path().ends_with("/wheels/"), "{}", list[0].url);
        assert_eq!(list[1].shown, "https://h.test/links/");
        let err = FindLinks::parse_list("missing", "--find-links", &dir)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("--find-links") && err.contains("does not exist"),
            "{err}"
        );
        let err = FindLinks::parse("ftp://h.test/x", "PIP_FIND_LINKS", &dir).unwrap_err();
        assert!(err.contains("ftp://"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn pip_find_links_replaces_pip_confs_list_as_in_pip() {
        use std::collections::HashMap;
        let dir = std::env::temp_dir().join(format!("wb-findlinks-conf-{}", std::process::id()));
        for sub in ["a", "b", "c"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let conf = dir.join("pip.conf");
        let (a, b) = (dir.join("a"), dir.join("b"));
        std::fs::write(
            &conf,
            format!(
                "[global]\nfind-links =\n    {}\n    {}\n",
                a.display(),
                b.display()
            ),
        )
        .unwrap();
        let mut env: HashMap<String, String> = [
            ("WHEELBARROW_CACHE_DIR", "/tmp/wb-x"),
            ("PIP_CONFIG_FILE", conf.to_str().unwrap()),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
        let s = super::super::IndexSettings::from_sources(None, &env, None).unwrap();
        let shown: Vec<_> = s.find_links.iter().map(|f| f.shown.clone()).collect();
        assert_eq!(shown, [a.display().to_string(), b.display().to_string()]);
        assert!(
            s.find_links[0].source.starts_with("find-links in "),
            "{}",
            s.find_links[0].source
        );
        env.insert("PIP_FIND_LINKS".into(), dir.join("c").display().to_string());
        let s = super::super::IndexSettings::from_sources(None, &env, None).unwrap();
        assert_eq!(s.find_links.len(), 1);
        assert_eq!(s.find_links[0].source, "PIP_FIND_LINKS");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
