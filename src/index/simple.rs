//! The Simple repository API: PEP 691 JSON and PEP 503 HTML project pages, with the PEP 658/714
//! metadata attributes and the PEP 700 fields (`versions`, `size`, `upload-time`).

use std::collections::BTreeMap;

use serde::Deserialize;
use url::Url;

use super::project::{DistFile, MetadataFile, sort_versions_newest_first};

/// What to send as `Accept`: JSON preferred, HTML accepted.
pub const ACCEPT: &str = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1";

/// A parsed project page.
pub struct Page {
    pub name: Option<String>,
    pub versions: Vec<String>,
    pub files: Vec<DistFile>,
}

#[derive(Deserialize)]
struct JsonPage {
    #[serde(default)]
    name: Option<String>,
    files: Vec<JsonFile>,
    #[serde(default)]
    versions: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct JsonMeta {
    #[serde(default, rename = "api-version")]
    api_version: Option<String>,
}

/// Why a PEP 691 page was not read.
#[derive(Debug, PartialEq, Eq)]
pub enum JsonPageError {
    /// Not the JSON PEP 691 describes (the parser's words).
    Malformed(String),
    /// A major `api-version` other than 1 (PEP 691: a client must not read a major version it
    /// does not know, since its fields may mean something else).
    ApiVersion(String),
}

/// The version this reader knows: 1.x.
const API_MAJOR: &str = "1";

/// Reads only `meta.api-version` of a PEP 691 page; a major other than 1 is refused.
fn check_api_version(body: &[u8]) -> Result<(), JsonPageError> {
    #[derive(Deserialize)]
    struct OnlyMeta {
        #[serde(default)]
        meta: Option<JsonMeta>,
    }
    let page: OnlyMeta =
        serde_json::from_slice(body).map_err(|e| JsonPageError::Malformed(e.to_string()))?;
    match page.meta.and_then(|m| m.api_version) {
        Some(v) if v.trim().split('.').next() != Some(API_MAJOR) => {
            Err(JsonPageError::ApiVersion(v))
        }
        _ => Ok(()),
    }
}

#[derive(Deserialize)]
struct JsonFile {
    filename: String,
    url: String,
    #[serde(default)]
    hashes: BTreeMap<String, String>,
    #[serde(default, rename = "requires-python")]
    requires_python: Option<String>,
    #[serde(default)]
    yanked: Option<serde_json::Value>,
    #[serde(default, rename = "core-metadata")]
    core_metadata: Option<serde_json::Value>,
    #[serde(default, rename = "data-dist-info-metadata")]
    dist_info_metadata: Option<serde_json::Value>,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default, rename = "upload-time")]
    upload_time: Option<String>,
}

/// Parses a PEP 691 JSON project page fetched from `doc_url`.
pub fn parse_json(project: &str, doc_url: &Url, body: &[u8]) -> Result<Page, JsonPageError> {
    // The version first: a 2.x page need not have the fields 1.x requires.
    check_api_version(body)?;
    let page: JsonPage =
        serde_json::from_slice(body).map_err(|e| JsonPageError::Malformed(e.to_string()))?;
    let mut files = Vec::with_capacity(page.files.len());
    for f in page.files {
        let url = link(doc_url, doc_url, &f.url).map_err(JsonPageError::Malformed)?;
        let mut file = DistFile::new(project, f.filename, url);
        file.set_hashes(f.hashes.iter().map(|(a, d)| (a.as_str(), d.as_str())));
        file.requires_python = f.requires_python.filter(|s| !s.trim().is_empty());
        file.yanked = match f.yanked {
            Some(serde_json::Value::Bool(true)) => Some(String::new()),
            Some(serde_json::Value::String(reason)) => Some(reason),
            _ => None,
        };
        // PEP 714 renamed the key; prefer the new one, fall back to the old.
        file.metadata = json_metadata(f.core_metadata.or(f.dist_info_metadata));
        file.size = f.size;
        file.upload_time = f.upload_time;
        files.push(file);
    }
    Ok(Page {
        name: page.name,
        versions: versions_of(page.versions, &files),
        files,
    })
}

fn json_metadata(value: Option<serde_json::Value>) -> MetadataFile {
    match value {
        Some(serde_json::Value::Bool(true)) => announced(std::iter::empty()),
        Some(serde_json::Value::Object(hashes)) => announced(
            hashes
                .iter()
                .filter_map(|(algorithm, digest)| Some((algorithm.as_str(), digest.as_str()?))),
        ),
        _ => MetadataFile::Absent,
    }
}

/// An announced metadata file with the digests given for it (read as a file's are).
fn announced<'a>(digests: impl IntoIterator<Item = (&'a str, &'a str)>) -> MetadataFile {
    let (mut sha256, mut other_hashes) = (None, Vec::new());
    super::digests::add_digests(&mut sha256, &mut other_hashes, digests);
    MetadataFile::Announced {
        sha256,
        other_hashes,
    }
}

fn versions_of(listed: Option<Vec<String>>, files: &[DistFile]) -> Vec<String> {
    let mut versions = listed.unwrap_or_default();
    versions.extend(files.iter().filter_map(|f| f.version.clone()));
    sort_versions_newest_first(&mut versions);
    versions
}

/// Parses a PEP 503 HTML project page fetched from `doc_url`.
pub fn parse_html(project: &str, doc_url: &Url, body: &[u8]) -> Result<Page, String> {
    let text = String::from_utf8_lossy(body);
    let base = base_href(&text)
        .and_then(|b| doc_url.join(&b).ok())
        .unwrap_or_else(|| doc_url.clone());
    let mut files = Vec::new();
    for anchor in anchors(&text) {
        let Some(href) = anchor.attr("href") else {
            continue;
        };
        let url = link(doc_url, &base, &href)?;
        let filename = if anchor.text.trim().is_empty() {
            url.path_segments()
                .and_then(|mut s| s.next_back())
                .unwrap_or_default()
                .to_string()
        } else {
            anchor.text.trim().to_string()
        };
        let mut file = DistFile::new(project, filename, url.clone());
        file.set_hashes_from_fragment(url.fragment());
        file.requires_python = anchor
            .attr("data-requires-python")
            .filter(|s| !s.trim().is_empty());
        file.yanked = anchor.attr("data-yanked");
        let meta = anchor
            .attr("data-core-metadata")
            .or_else(|| anchor.attr("data-dist-info-metadata"));
        file.metadata = match meta.as_deref() {
            None | Some("false") => MetadataFile::Absent,
            // `true`, or `ALGORITHM=HEX` (PEP 658).
            Some(value) => announced(value.split_once('=')),
        };
        files.push(file);
    }
    if files.is_empty() && !text.contains("<a") && !text.contains("<A") && !text.contains("<html") {
        return Err("no links and no HTML in the answer".into());
    }
    Ok(Page {
        name: None,
        versions: versions_of(None, &files),
        files,
    })
}

/// The URL of a link `href` on a page fetched from `doc_url` (relative links resolve against
/// `base`). A page served over http(s) may link only http(s) files: a `file:` link there would
/// have this machine read its own files at an index's word (and answer whether they exist).
/// Local files are linked only from a page on disk, which the user named (a local index or
/// find-links page). Any other link refuses the whole page, so nothing of it is used.
pub fn link(doc_url: &Url, base: &Url, href: &str) -> Result<Url, String> {
    let url = base
        .join(href)
        .map_err(|e| format!("link {:?}: {e}", crate::text::clean(href)))?;
    let from_disk = doc_url.scheme() == "file";
    match url.scheme() {
        "http" | "https" => Ok(url),
        "file" if from_disk => Ok(url),
        other => {
            let allowed = if from_disk {
                "a page on disk may link only http(s) and local files"
            } else {
                "a page served over http(s) may link only http(s) files"
            };
            Err(format!(
                "it links {}, a {other}: URL, and {allowed}; nothing of the page was used and nothing was read from this machine. The index is misconfigured or hostile: use another one",
                crate::text::clean(&super::http::redact(&url)),
            ))
        }
    }
}

/// An `<a>` element: its attributes (entity-decoded, lowercase names) and its text.
pub struct Anchor {
    attrs: Vec<(String, String)>,
    pub text: String,
}

impl Anchor {
    pub fn attr(&self, name: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// Every `<a ...>text</a>` in a page, tolerant of the HTML that real indexes serve.
pub fn anchors(html: &str) -> Vec<Anchor> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = lower[pos..].find("<a") {
        let start = pos + found + 2;
        pos = start;
        if !lower[start..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>') {
            continue; // <abbr>, <area> ...
        }
        let Some(tag_end) = find_tag_end(&html[start..]) else {
            break;
        };
        let attrs = parse_attrs(&html[start..start + tag_end]);
        let text_start = start + tag_end + 1;
        let text_end = lower[text_start..]
            .find("</a")
            .map_or(html.len(), |i| text_start + i);
        out.push(Anchor {
            attrs,
            text: decode_entities(&html[text_start..text_end]),
        });
        pos = text_end;
    }
    out
}

fn base_href(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<base")? + 5;
    let end = find_tag_end(&html[start..])?;
    parse_attrs(&html[start..start + end])
        .into_iter()
        .find(|(k, _)| k == "href")
        .map(|(_, v)| v)
}

/// The offset of the `>` closing a tag, skipping quoted attribute values.
fn find_tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = remaining.trim_start();
            decode_entities(value)
        } else {
            String::new()
        };
        if !name.is_empty() {
            attrs.push((name, value));
        }
        rest = rest.trim_start_matches(['/', ' ', '\t', '\n', '\r']);
    }
    attrs
}

/// Decodes the character references that appear in index pages (`&gt;=3.8`, `&#x27;`).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_pages_give_hashes_requires_python_yanked_and_metadata() {
        let html = r#"<!DOCTYPE html><html><body>
            <a href="../../files/demo-1.0-py3-none-any.whl#sha256=ABC" data-requires-python="&gt;=3.8"
               data-dist-info-metadata="sha256=def" data-core-metadata="sha256=DEF">demo-1.0-py3-none-any.whl</a><br/>
            <A HREF='https://other.test/demo-0.9.tar.gz' data-yanked="">demo-0.9.tar.gz</A>
            <abbr>not a link</abbr>
            </body></html>"#;
        let url = Url::parse("http://127.0.0.1:1/simple/demo/").unwrap();
        let page = parse_html("demo", &url, html.as_bytes()).unwrap();
        assert_eq!(page.files.len(), 2);
        let w = &page.files[0];
        assert_eq!(
            w.url.as_str(),
            "http://127.0.0.1:1/files/demo-1.0-py3-none-any.whl#sha256=ABC"
        );
        assert_eq!(w.sha256.as_deref(), Some("abc"));
        assert_eq!(w.requires_python.as_deref(), Some(">=3.8"));
        assert_eq!(
            w.metadata,
            MetadataFile::Announced {
                sha256: Some("def".into()),
                other_hashes: Vec::new(),
            }
        );
        assert_eq!(w.yanked, None);
        let s = &page.files[1];
        assert_eq!(s.yanked.as_deref(), Some(""));
        assert_eq!(s.metadata, MetadataFile::Absent);
        assert_eq!(page.versions, ["1.0", "0.9"]);
    }

    #[test]
    fn json_pages_read_pep_691_pep_700_and_pep_714_fields() {
        let body = br#"{"meta":{"api-version":"1.1"},"name":"demo","versions":["1.0","1.1"],"files":[
            {"filename":"demo-1.0-py3-none-any.whl","url":"/files/demo-1.0-py3-none-any.whl","hashes":{"sha256":"aa"},
             "requires-python":">=3.9","yanked":"bad build","core-metadata":{"sha256":"bb"},"size":123,"upload-time":"2024-01-01T00:00:00Z"},
            {"filename":"demo-1.0.tar.gz","url":"demo-1.0.tar.gz","hashes":{},"data-dist-info-metadata":true,"yanked":false}]}"#;
        let url = Url::parse("http://127.0.0.1:1/simple/demo/").unwrap();
        let page = parse_json("demo", &url, body).unwrap();
        assert_eq!(page.versions, ["1.1", "1.0"]);
        let w = &page.files[0];
        assert_eq!(w.yanked.as_deref(), Some("bad build"));
        assert_eq!(w.size, Some(123));
        assert_eq!(
            w.url.as_str(),
            "http://127.0.0.1:1/files/demo-1.0-py3-none-any.whl"
        );
        assert_eq!(
            page.files[1].url.as_str(),
            "http://127.0.0.1:1/simple/demo/demo-1.0.tar.gz"
        );
        assert_eq!(
            page.files[1].metadata,
            MetadataFile::Announced {
                sha256: None,
                other_hashes: Vec::new(),
            }
        );
    }

    #[test]
    fn only_a_page_on_disk_may_link_local_files() {
        let remote = Url::parse("http://127.0.0.1:1/simple/demo/").unwrap();
        let html = br#"<a href="file:///etc/passwd">demo-1.0-py3-none-any.whl</a>"#;
        let err = parse_html("demo", &remote, html).err().unwrap();
        assert!(
            err.contains("it links file:///etc/passwd, a file: URL"),
            "{err}"
        );
        let json = br#"{"files":[{"filename":"demo-1.0-py3-none-any.whl","url":"file:///tmp/demo-1.0-py3-none-any.whl","hashes":{}}]}"#;
        assert!(parse_json("demo", &remote, json).is_err());
        // A <base> pointing at this machine is caught as well.
        let based = br#"<base href="file:///tmp/"><a href="demo-1.0-py3-none-any.whl">x</a>"#;
        assert!(parse_html("demo", &remote, based).is_err());
        let local = Url::parse("file:///srv/links/index.html").unwrap();
        let page = parse_html("demo", &local, html).unwrap();
        assert_eq!(page.files[0].url.as_str(), "file:///etc/passwd");
        let ftp = br#"<a href="ftp://h.test/demo-1.0-py3-none-any.whl">x</a>"#;
        let err = parse_html("demo", &local, ftp).err().unwrap();
        assert!(
            err.contains("a page on disk may link only http(s) and local files"),
            "{err}"
        );
    }

    #[test]
    fn entities_decode_and_stray_ampersands_survive() {
        assert_eq!(
            decode_entities("&gt;=3.8,&lt;4 &amp; &#x27;x&#39; a&b"),
            ">=3.8,<4 & 'x' a&b"
        );
    }
}
