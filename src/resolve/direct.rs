//! Direct references: a requirement that names one wheel instead of a version, as pip takes
//! them: a bare URL (`https://host/x-1.0-py3-none-any.whl`), `name @ URL`, a local path
//! (`./dist/x.whl`, `/abs/x.whl`) or a `file://` URL, each with an optional `#sha256=HEX`
//! fragment and a `; marker` after whitespace.
//!
//! A relative path is read from the current directory, in a requirements file too: that is
//! what pip does (checked with pip 23.2: `./dist/x.whl` in `sub/requirements.txt` is looked for
//! in `./dist/`, not `sub/dist/`). Only `-r` includes and `-f` find-links are relative to the
//! file.
//!
//! The requirement becomes `name==version` from the wheel's file name, pinned to that file
//! (like a build picked in the package pane), so the resolver checks it for the target like
//! any file and reads its dependencies from its own METADATA.

use std::fmt::Write as _;
use std::path::Path;

use url::Url;

use super::pep508::parse_pep508;
use super::requirements::{Requested, RequirementError};
use crate::wheel::{WheelName, normalize_name};

/// The wheel a direct reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectWheel {
    /// `http(s)://` or `file://` (a path made absolute), without the fragment.
    pub url: Url,
    pub filename: String,
    /// From a `#sha256=` fragment, lowercase hex.
    pub sha256: Option<String>,
    /// From a `#md5=`, `#sha1=`, `#sha224=`, `#sha384=` or `#sha512=` fragment: (algorithm,
    /// lowercase hex), checked on download as pip checks it.
    pub other_hashes: Vec<(String, String)>,
}

const SDIST_ENDINGS: [&str; 5] = [".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz"];

/// `Some` when `text` is a direct reference (`Some(Err)` when it is one that cannot be used),
/// `None` when it is an ordinary requirement. Relative paths are read from `cwd`.
pub(super) fn parse_direct(
    text: &str,
    origin: &str,
    cwd: &Path,
) -> Option<Result<Requested, RequirementError>> {
    let text = text.trim();
    // pip: after a URL or path, a marker follows "; " (a bare ';' may be part of a URL).
    let (head, marker) = match text.find("; ").or_else(|| text.find(" ;")) {
        Some(at) => (
            text[..at].trim(),
            Some(text[at..].trim_start_matches([' ', ';'])),
        ),
        None => (text, None),
    };
    let (name, location) = match head.split_once('@') {
        Some((left, right)) if is_name_with_extras(left.trim()) => {
            (Some(left.trim()), right.trim())
        }
        _ if looks_direct(head) => (None, head),
        _ => return None,
    };
    Some(direct(name, location, marker, origin, cwd))
}

fn direct(
    name: Option<&str>,
    location: &str,
    marker: Option<&str>,
    origin: &str,
    cwd: &Path,
) -> Result<Requested, RequirementError> {
    let fail = |problem: String| RequirementError {
        origin: origin.to_string(),
        problem,
        hint: None,
    };
    let mut url = to_url(location, cwd).map_err(&fail)?;
    let (sha256, other_hashes) = read_fragment(&url, location, name).map_err(&fail)?;
    url.set_fragment(None);
    let filename = percent_decode(
        url.path_segments()
            .and_then(|mut s| s.next_back())
            .unwrap_or_default(),
    );
    let lower = filename.to_ascii_lowercase();
    if let Some(ending) = SDIST_ENDINGS.iter().find(|e| lower.ends_with(*e)) {
        return Err(fail(format!(
            "'{location}' is a source distribution ({ending}); wheelbarrow installs wheels only and never builds one: build a wheel (pip wheel) and name that, or name a released version"
        )));
    }
    let wheel = WheelName::parse(&filename).map_err(|e| {
        fail(format!(
            "'{location}' does not name a wheel file: {}",
            e.problem
        ))
    })?;
    if let Some(name) = name {
        let project = name.split('[').next().unwrap_or(name).trim();
        if normalize_name(project) != wheel.normalized {
            return Err(fail(format!(
                "'{project} @ …' names {project}, but {filename} is a wheel of {}; the file name's project must be the requirement's (pip refuses this too)",
                wheel.project
            )));
        }
    }
    if url.scheme() == "file"
        && let Ok(path) = url.to_file_path()
        && !path.is_file()
    {
        if path.exists() {
            return Err(fail(format!(
                "'{location}' is not a regular file ({} is a folder, a named pipe or a device); name a wheel file",
                path.display()
            )));
        }
        return Err(fail(format!(
            "'{location}' is not there ({} is not a file); a relative path is read from the current directory, as pip reads it",
            path.display()
        )));
    }
    let named = name.map_or_else(|| wheel.project.clone(), str::to_string);
    let marker = marker.map(|m| format!(" ; {m}")).unwrap_or_default();
    let text = format!("{named}=={}{marker}", wheel.version);
    let requirement = parse_pep508(&text).map_err(|e| {
        fail(format!(
            "'{location}' gives no usable requirement ({text}): {e}"
        ))
    })?;
    Ok(Requested {
        requirement,
        origin: origin.to_string(),
        file: Some(filename.clone()),
        hashes: Vec::new(),
        require_hashes: false,
        pre: false,
        direct: Some(DirectWheel {
            url,
            filename,
            sha256,
            other_hashes,
        }),
        find_links: Vec::new(),
        locked: None,
    })
}

/// The location as an absolute URL: http(s) and file URLs as given, a path joined to `cwd`.
fn to_url(location: &str, cwd: &Path) -> Result<Url, String> {
    if location.contains("://") {
        let url = Url::parse(location).map_err(|e| format!("'{location}' is not a URL ({e})"))?;
        return match url.scheme() {
            "http" | "https" => Ok(url),
            "file" if url.to_file_path().is_ok() => Ok(url),
            "file" => Err(format!(
                "'{location}' is a file:// URL without a local path (file:///abs/path/x.whl)"
            )),
            scheme if scheme.contains('+') => Err(format!(
                "'{location}' is a version-control URL; pip would build it from source, which wheelbarrow never does: build a wheel and name its file or URL"
            )),
            scheme => Err(format!(
                "'{location}' is a {scheme}:// URL; give an http(s) URL, a file:// URL or a path"
            )),
        };
    }
    let path = cwd.join(location);
    Url::from_file_path(&path).map_err(|()| format!("'{location}' is not a usable path"))
}

/// A fragment's sha256, and its digests in other algorithms as (algorithm, hex).
type Digests = (Option<String>, Vec<(String, String)>);

/// The digests a URL's fragment gives: `#sha256=` apart, and the other algorithms pip checks
/// (`md5`, `sha1`, `sha224`, `sha384`, `sha512`); other fragments are refused rather than
/// passed over.
fn read_fragment(url: &Url, location: &str, name: Option<&str>) -> Result<Digests, String> {
    let Some(fragment) = url.fragment().filter(|f| !f.is_empty()) else {
        return Ok((None, Vec::new()));
    };
    let mut sha256 = None;
    let mut others = Vec::new();
    for part in fragment.split('&') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let key = key.to_ascii_lowercase();
        let hex_digits = match key.as_str() {
            "md5" => 32,
            "sha1" => 40,
            "sha224" => 56,
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            "egg" if name.is_none_or(|n| normalize_name(n) == normalize_name(value)) => continue,
            _ => {
                return Err(format!(
                    "the fragment '#{part}' in '{location}' is not one wheelbarrow reads (it reads #sha256=HEX, and #md5=, #sha1=, #sha224=, #sha384=, #sha512=)"
                ));
            }
        };
        if value.len() != hex_digits || !value.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!(
                "'#{key}={value}' in '{location}' is not a {key} digest ({hex_digits} hex digits)"
            ));
        }
        let value = value.to_ascii_lowercase();
        if key == "sha256" {
            sha256 = Some(value);
        } else {
            others.push((key, value));
        }
    }
    Ok((sha256, others))
}

/// `name` or `name[extra,…]`: the left side of `name @ URL`.
fn is_name_with_extras(text: &str) -> bool {
    let (name, extras) = match text.split_once('[') {
        Some((name, rest)) => (name.trim(), Some(rest)),
        None => (text, None),
    };
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && extras.is_none_or(|e| e.trim_end().ends_with(']'))
}

#[allow(clippy::case_sensitive_file_extension_comparisons)] // compared lowercased
/// A bare URL or path rather than a name: `://`, a path's first character, a slash, or an
/// archive's ending.
fn looks_direct(head: &str) -> bool {
    let lower = head.to_ascii_lowercase();
    lower.contains("://")
        || lower.starts_with(['.', '/', '~', '\\'])
        || lower.contains('/')
        || lower.contains('\\')
        || lower.ends_with(".whl")
        || SDIST_ENDINGS.iter().any(|e| lower.ends_with(e))
}

/// `%2B` -> `+`, for a file name read from a URL path (invalid escapes are kept as written).
fn percent_decode(segment: &str) -> String {
    String::from_utf8_lossy(&crate::index::percent_decode(segment)).into_owned()
}

impl Requested {
    /// The requirement as a requirements file would hold it: `name[extras] @ URL ; marker` for
    /// a direct reference (a local path as its absolute `file://` URL), the PEP 508 text
    /// otherwise.
    pub fn written(&self) -> String {
        self.write_with(|url| url.as_str().to_string())
    }

    /// [`Requested::written`] without the credentials of a direct URL (`user:token@`), as the
    /// lock file writes it: for text that goes to disk or to a screen.
    pub fn written_redacted(&self) -> String {
        self.write_with(crate::index::redact_url)
    }

    fn write_with(&self, url: impl Fn(&url::Url) -> String) -> String {
        let Some(direct) = &self.direct else {
            return self.requirement.to_string();
        };
        let mut out = self.requirement.name.to_string();
        if !self.requirement.extras.is_empty() {
            let extras: Vec<String> = self
                .requirement
                .extras
                .iter()
                .map(ToString::to_string)
                .collect();
            let _ = write!(out, "[{}]", extras.join(","));
        }
        out.push_str(" @ ");
        out.push_str(&url(&direct.url));
        if let Some(sha) = &direct.sha256 {
            out.push_str("#sha256=");
            out.push_str(sha);
        } else if let Some((algorithm, digest)) = direct.other_hashes.first() {
            let _ = write!(out, "#{algorithm}={digest}");
        }
        if let Some(marker) = self.requirement.marker.contents() {
            let _ = write!(out, " ; {marker}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn parse(text: &str, cwd: &Path) -> Option<Result<Requested, RequirementError>> {
        parse_direct(text, "r.txt:1", cwd)
    }

    #[test]
    fn ordinary_requirements_are_not_direct_references() {
        for text in [
            "requests",
            "requests[socks]>=2.31 ; python_version >= \"3.9\"",
            "numpy==2.0",
        ] {
            assert!(parse(text, Path::new("/")).is_none(), "{text}");
        }
    }

    #[test]
    fn urls_with_names_extras_fragments_and_markers_are_read() {
        let cases = [
            (
                "https://h.test/f/numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.whl",
                "numpy==1.26.4",
                None,
            ),
            (
                &format!(
                    "Pkg_A[x] @ https://h.test/pkg_a-1.0%2Bcpu-py3-none-any.whl#sha256={SHA} ; python_version >= \"3.9\""
                ) as &str,
                "pkg-a[x]==1.0+cpu ; python_full_version >= '3.9'",
                Some(SHA),
            ),
        ];
        for (text, requirement, sha) in cases {
            let r = parse(text, Path::new("/")).unwrap().unwrap();
            assert_eq!(r.requirement.to_string(), requirement, "{text}");
            let direct = r.direct.as_ref().unwrap();
            assert_eq!(direct.sha256.as_deref(), sha);
            assert_eq!(direct.url.fragment(), None);
            assert_eq!(r.file.as_deref(), Some(direct.filename.as_str()));
        }
        let r = parse(cases[1].0, Path::new("/")).unwrap().unwrap();
        assert_eq!(r.direct.unwrap().filename, "pkg_a-1.0+cpu-py3-none-any.whl");
    }

    #[test]
    fn a_relative_path_is_read_from_the_current_directory_and_written_as_a_file_url() {
        let dir = std::env::temp_dir().join(format!("wb-direct-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        std::fs::write(dir.join("dist/app-2.0-py3-none-any.whl"), b"zip").unwrap();
        let r = parse("./dist/app-2.0-py3-none-any.whl", &dir)
            .unwrap()
            .unwrap();
        let url = r.direct.as_ref().unwrap().url.clone();
        assert_eq!(url.scheme(), "file");
        assert_eq!(
            url.to_file_path().unwrap(),
            dir.join("./dist/app-2.0-py3-none-any.whl")
        );
        assert_eq!(r.written(), format!("app @ {url}"));
        let err = parse("./nope/app-2.0-py3-none-any.whl", &dir)
            .unwrap()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("not there") && err.contains("current directory"),
            "{err}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn what_cannot_be_used_is_refused_in_words() {
        for (text, expected) in [
            (
                "other @ https://h.test/app-1.0-py3-none-any.whl",
                "is a wheel of app",
            ),
            ("https://h.test/app-1.0.tar.gz", "source distribution"),
            ("git+https://h.test/app.git", "version-control URL"),
            (
                "https://h.test/app-1.0-py3-none-any.whl#md5=ab",
                "is not a md5 digest (32 hex digits)",
            ),
            (
                "https://h.test/app-1.0-py3-none-any.whl#blake2b=ab",
                "not one wheelbarrow reads",
            ),
            (
                "https://h.test/app-1.0-py3-none-any.whl#sha256=xyz",
                "not a sha256",
            ),
            (
                "https://h.test/app-1.0-py3-none-any.whl#subdirectory=x",
                "not one wheelbarrow reads",
            ),
            ("https://h.test/app.whl", "does not name a wheel file"),
            ("ftp://h.test/app-1.0-py3-none-any.whl", "ftp:// URL"),
        ] {
            let err = parse(text, Path::new("/")).unwrap().unwrap_err();
            assert_eq!(err.origin, "r.txt:1");
            assert!(err.problem.contains(expected), "{text}: {err}");
        }
    }
}
