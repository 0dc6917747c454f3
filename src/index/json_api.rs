//! The PyPI JSON API: `/<project>/json` and `/<project>/<version>/json` under its base.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use url::Url;

use super::project::{DistFile, sort_versions_newest_first};

/// Strings the document holds without escapes are borrowed from it rather than copied
/// (thousands of files, each with a URL and digests, in a large project's document).
#[derive(Deserialize)]
struct Document<'a> {
    info: Info,
    #[serde(default, borrow)]
    releases: Option<BTreeMap<String, Vec<File<'a>>>>,
    #[serde(default, borrow)]
    urls: Vec<File<'a>>,
}

#[derive(Deserialize)]
struct Info {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    requires_dist: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct File<'a> {
    filename: String,
    #[serde(borrow)]
    url: Cow<'a, str>,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default, borrow)]
    digests: BTreeMap<Cow<'a, str>, Cow<'a, str>>,
    #[serde(default)]
    requires_python: Option<String>,
    #[serde(default)]
    yanked: bool,
    #[serde(default, borrow)]
    yanked_reason: Option<Cow<'a, str>>,
    #[serde(default)]
    upload_time_iso_8601: Option<String>,
}

/// A parsed JSON API document: everything but how it was served.
pub struct Page {
    pub name: String,
    pub summary: Option<String>,
    pub versions: Vec<String>,
    pub files: Vec<DistFile>,
    pub requires_dist: Option<Vec<String>>,
}

/// Parses a JSON API document fetched from `doc_url`; relative file URLs resolve against it.
pub fn parse(doc_url: &Url, body: &[u8]) -> Result<Page, String> {
    let doc: Document = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    let mut versions = Vec::new();
    let convert = |version: Option<&str>, f: File| -> Result<DistFile, String> {
        let url = super::simple::link(doc_url, doc_url, &f.url)?;
        let mut file = DistFile::new(&doc.info.name, f.filename, url);
        if let Some(v) = version {
            file.version = Some(v.to_string());
        }
        file.size = f.size;
        file.set_hashes(f.digests.iter().map(|(a, d)| (a.as_ref(), d.as_ref())));
        file.requires_python = f.requires_python.filter(|s| !s.trim().is_empty());
        file.yanked = f
            .yanked
            .then(|| f.yanked_reason.map(Cow::into_owned).unwrap_or_default());
        file.upload_time = f.upload_time_iso_8601;
        Ok(file)
    };
    let releases = doc.releases;
    match releases {
        Some(releases) => {
            for (version, release_files) in releases {
                for f in release_files {
                    files.push(convert(Some(&version), f)?);
                }
                versions.push(version);
            }
        }
        None => {
            // A version document: `urls` holds that release's files.
            for f in doc.urls {
                files.push(convert(doc.info.version.as_deref(), f)?);
            }
            versions.extend(doc.info.version.clone());
        }
    }
    sort_versions_newest_first(&mut versions);
    Ok(Page {
        name: doc.info.name,
        summary: doc.info.summary.filter(|s| !s.trim().is_empty()),
        versions,
        files,
        requires_dist: doc.info.requires_dist,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_file_urls_resolve_against_the_document() {
        let body = br#"{"info":{"name":"Demo","version":"1.0","summary":"a demo","requires_dist":["six"]},
            "releases":{"1.0":[{"filename":"demo-1.0-py3-none-any.whl","url":"../../files/demo-1.0-py3-none-any.whl",
              "size":10,"digests":{"sha256":"AB"},"requires_python":">=3.8","yanked":true,"yanked_reason":"broken",
              "upload_time_iso_8601":"2024-01-01T00:00:00Z"}],"0.9":[]},"urls":[]}"#;
        let url = Url::parse("http://127.0.0.1:1/pypi/demo/json").unwrap();
        let page = parse(&url, body).unwrap();
        assert_eq!(page.versions, ["1.0", "0.9"]);
        let f = &page.files[0];
        assert_eq!(
            f.url.as_str(),
            "http://127.0.0.1:1/files/demo-1.0-py3-none-any.whl"
        );
        assert_eq!(f.sha256.as_deref(), Some("ab"));
        assert_eq!(f.yanked.as_deref(), Some("broken"));
        assert_eq!(f.version.as_deref(), Some("1.0"));
        assert_eq!(page.requires_dist, Some(vec!["six".to_string()]));
    }

    #[test]
    fn a_version_document_lists_its_files_under_urls() {
        let body = br#"{"info":{"name":"demo","version":"2.0"},"urls":[{"filename":"demo-2.0.tar.gz","url":"https://h.test/demo-2.0.tar.gz","digests":{}}]}"#;
        let page = parse(
            &Url::parse("https://h.test/pypi/demo/2.0/json").unwrap(),
            body,
        )
        .unwrap();
        assert_eq!(page.versions, ["2.0"]);
        assert_eq!(page.files[0].version.as_deref(), Some("2.0"));
    }

    #[test]
    fn escaped_strings_read_as_plain_ones() {
        let body = br#"{"info":{"name":"demo"},"releases":{"1.0":[{"filename":"demo-1.0.tar.gz",
            "url":"https:\/\/h.test\/demo-1.0.tar.gz","digests":{"sha\u0032\u0035\u0036":"A\u0042"},
            "yanked":true,"yanked_reason":"caf\u00e9"}]}}"#;
        let page = parse(&Url::parse("https://h.test/pypi/demo/json").unwrap(), body).unwrap();
        let f = &page.files[0];
        assert_eq!(f.url.as_str(), "https://h.test/demo-1.0.tar.gz");
        assert_eq!(f.sha256.as_deref(), Some("ab"));
        assert_eq!(f.yanked.as_deref(), Some("café"));
    }

    #[test]
    fn malformed_json_is_an_error_with_the_position() {
        let err = parse(&Url::parse("https://h.test/").unwrap(), b"{\"info\": ")
            .err()
            .unwrap();
        assert!(err.contains("line 1"), "{err}");
    }
}
