//! What the index says about a project: its releases and files, whatever API it came from.

use serde::Serialize;
use url::Url;

use crate::wheel::{FactsCell, ListedFile, Listing, ListingFacts, WheelName, normalize_name};

/// A project page: every file of every release.
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    /// The name as the index spells it (`PyYAML`).
    pub name: String,
    pub summary: Option<String>,
    /// Release versions, newest first in PEP 440 order (versions that do not parse come last).
    pub versions: Vec<String>,
    pub files: Vec<DistFile>,
    /// `Requires-Dist` of the release the document describes (JSON API only).
    pub requires_dist: Option<Vec<String>>,
    /// How this answer was obtained.
    pub served: Served,
    /// Its files' versions and tags, parsed once for every target that judges them (see
    /// [`Project::facts`]); empty in a copy.
    #[serde(skip)]
    pub facts: FactsCell,
}

/// One downloadable file of a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistFile {
    pub filename: String,
    #[serde(serialize_with = "serialize_url")]
    pub url: Url,
    pub version: Option<String>,
    pub kind: FileKind,
    pub size: Option<u64>,
    pub sha256: Option<String>,
    /// The index's digests in other algorithms (`md5`, `sha512`, ...; lower case, hex), each
    /// checked on download; see `digests`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_hashes: Vec<(String, String)>,
    pub requires_python: Option<String>,
    /// `Some(reason)` when yanked (the reason may be empty).
    pub yanked: Option<String>,
    pub upload_time: Option<String>,
    pub metadata: MetadataFile,
    /// Where it was found: the index's page (the default), a find-links location, or a
    /// requirement that names it directly.
    #[serde(skip_serializing_if = "FileSource::is_index")]
    pub source: FileSource,
}

/// Where a file came from, beside the index's own project page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "location")]
pub enum FileSource {
    /// The index's project page.
    #[default]
    Index,
    /// A find-links folder or page, as the user wrote it (a path, or a URL without
    /// credentials).
    FindLinks(String),
    /// A requirement named this file by URL or path (`name @ URL`, `./dist/x.whl`).
    Direct,
}

impl FileSource {
    pub fn is_index(&self) -> bool {
        *self == FileSource::Index
    }

    /// Where the file came from in words, for a file not from the index page.
    pub fn describe(&self) -> Option<String> {
        match self {
            FileSource::Index => None,
            FileSource::FindLinks(location) => Some(format!("find-links {location}")),
            FileSource::Direct => Some("named directly".to_string()),
        }
    }
}

fn serialize_url<S: serde::Serializer>(url: &Url, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(url.as_str())
}

pub use crate::wheel::FileKind;

impl ListedFile for DistFile {
    fn filename(&self) -> &str {
        &self.filename
    }
    fn kind(&self) -> FileKind {
        self.kind
    }
    fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
    fn requires_python(&self) -> Option<&str> {
        self.requires_python.as_deref()
    }
    fn yanked(&self) -> Option<&str> {
        self.yanked.as_deref()
    }
}

impl Project {
    /// Its files' versions, tags, build tags and `Requires-Python` parsed, once for this page
    /// however many resolutions share it (a matrix's twelve).
    pub fn facts(&self) -> std::sync::Arc<ListingFacts> {
        self.facts.get(self)
    }
}

impl Listing for Project {
    type File = DistFile;
    fn versions(&self) -> &[String] {
        &self.versions
    }
    fn files(&self) -> &[DistFile] {
        &self.files
    }
}

/// Whether the index serves the file's METADATA on its own (PEP 658/714).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetadataFile {
    /// Announced, with its digests when given: sha256, and any in other algorithms
    /// (algorithm, hex), checked as a file's are (see `digests`).
    Announced {
        sha256: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        other_hashes: Vec<(String, String)>,
    },
    /// The index says there is none.
    Absent,
    /// The API does not say (the JSON API): worth one try.
    Unknown,
}

/// Where an answer came from, so that the user can be told when it is not live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Served {
    pub api: &'static str,
    pub cache: CacheUse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "age_secs")]
pub enum CacheUse {
    /// Fetched from the network just now.
    Network,
    /// The index confirmed the cached copy (304 Not Modified).
    Revalidated,
    /// Served from the cache without asking, within its freshness window.
    Fresh(u64),
    /// Served from the cache because the settings say to work offline.
    Offline(u64),
}

impl DistFile {
    /// A file record from its name and URL; the version and kind are read from the name.
    pub fn new(project: &str, filename: String, url: Url) -> DistFile {
        let (kind, version) = classify(project, &filename);
        DistFile {
            filename,
            url,
            version,
            kind,
            size: None,
            sha256: None,
            other_hashes: Vec::new(),
            requires_python: None,
            yanked: None,
            upload_time: None,
            metadata: MetadataFile::Unknown,
            source: FileSource::Index,
        }
    }

    /// The parsed wheel name, for wheels.
    pub fn wheel(&self) -> Option<WheelName> {
        (self.kind == FileKind::Wheel)
            .then(|| WheelName::parse(&self.filename).ok())
            .flatten()
    }

    /// Where the index serves this file's METADATA by itself (PEP 658).
    pub fn metadata_url(&self) -> Url {
        let mut url = self.url.clone();
        url.set_fragment(None);
        let path = format!("{}.metadata", url.path());
        url.set_path(&path);
        url
    }
}

const SDIST_EXTENSIONS: [&str; 6] = [".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz", ".tar"];

/// Wheel, sdist or other, and the version the file name carries.
fn classify(project: &str, filename: &str) -> (FileKind, Option<String>) {
    if std::path::Path::new(filename)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("whl"))
    {
        return match WheelName::parse(filename) {
            Ok(w) => (FileKind::Wheel, Some(w.version)),
            Err(_) => (FileKind::Other, None),
        };
    }
    let Some(stem) = SDIST_EXTENSIONS
        .iter()
        .find_map(|ext| filename.strip_suffix(ext))
    else {
        return (FileKind::Other, None);
    };
    // `{name}-{version}`, where old sdists may keep dashes in the name: split where the part
    // before the dash is the project's name.
    let wanted = normalize_name(project);
    let version = stem
        .match_indices('-')
        .find(|(i, _)| normalize_name(&stem[..*i]) == wanted)
        .or_else(|| stem.rmatch_indices('-').next())
        .map(|(i, _)| stem[i + 1..].to_string());
    (FileKind::Sdist, version)
}

/// Sorts versions newest first in PEP 440 order; ones that do not parse go last.
pub fn sort_versions_newest_first(versions: &mut Vec<String>) {
    versions.sort();
    versions.dedup();
    versions.sort_by_cached_key(|v| std::cmp::Reverse(v.parse::<pep440_rs::Version>().ok()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdist_versions_are_read_even_when_the_name_has_dashes() {
        assert_eq!(
            classify("zope.interface", "zope.interface-5.4.0.tar.gz"),
            (FileKind::Sdist, Some("5.4.0".into()))
        );
        assert_eq!(
            classify("python-dateutil", "python-dateutil-2.9.0.post0.tar.gz"),
            (FileKind::Sdist, Some("2.9.0.post0".into()))
        );
        assert_eq!(
            classify("six", "six-1.16.0-py2.py3-none-any.whl"),
            (FileKind::Wheel, Some("1.16.0".into()))
        );
        assert_eq!(classify("x", "x-1.0.win32.exe"), (FileKind::Other, None));
    }

    #[test]
    fn versions_sort_newest_first_as_pep_440_says() {
        let mut v: Vec<String> = ["1.10", "1.9", "2.0rc1", "2.0", "1.9", "junk"]
            .iter()
            .map(ToString::to_string)
            .collect();
        sort_versions_newest_first(&mut v);
        assert_eq!(v, ["2.0", "2.0rc1", "1.10", "1.9", "junk"]);
    }

    #[test]
    fn the_metadata_url_appends_to_the_path_and_drops_the_fragment() {
        let f = DistFile::new(
            "x",
            "x-1.0-py3-none-any.whl".into(),
            Url::parse("https://h.test/f/x-1.0-py3-none-any.whl#sha256=ab").unwrap(),
        );
        assert_eq!(
            f.metadata_url().as_str(),
            "https://h.test/f/x-1.0-py3-none-any.whl.metadata"
        );
    }
}
