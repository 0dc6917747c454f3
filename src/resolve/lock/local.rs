//! What a lock takes from your own files or a repository, and the requirement a locked package
//! becomes.

use std::fmt;

use super::file::error;
use super::{LockRead, LockSelection, Locked};
use crate::resolve::requirements::{Requested, RequirementError, parse_requirement};
use crate::wheel::normalize_name;

/// A package of the lock that is not taken from an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalSource {
    pub name: String,
    pub version: Option<String>,
    /// `uv.lock:12`.
    pub origin: String,
    pub kind: LocalKind,
    /// The lock's own project or a member of its workspace (`--no-project` leaves it out).
    pub project: bool,
}

/// Where a local package comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalKind {
    /// A folder with a `pyproject.toml` (editable or not).
    Directory {
        path: String,
        editable: bool,
    },
    /// A wheel or sdist file on disk.
    File {
        path: String,
    },
    Git {
        url: String,
    },
    /// An archive at a URL.
    Url {
        url: String,
    },
    /// A project with nothing to install (uv's `virtual`).
    Virtual,
    /// A source this reader does not know (its keys).
    Unknown(String),
}

impl fmt::Display for LocalSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        match &self.kind {
            LocalKind::Directory { path, editable } => {
                let path = if path == "." { "./" } else { path };
                let whose = if self.project {
                    "your own project"
                } else {
                    "a project of yours"
                };
                let editable = if *editable { ", editable" } else { "" };
                write!(
                    f,
                    "{}: the lock's `{name}` is {whose} at {path}{editable}: build its wheel and pass it (e.g. ./dist/{}-{}-py3-none-any.whl)",
                    self.origin,
                    name.replace('-', "_"),
                    self.version.as_deref().unwrap_or("VERSION"),
                )?;
                if self.project {
                    write!(f, ", or leave it out with --no-project")
                } else {
                    Ok(())
                }
            }
            LocalKind::File { path } => write!(
                f,
                "{}: the lock's `{name}` is the file {path}: pass the wheel itself beside the lock",
                self.origin
            ),
            LocalKind::Git { url } => write!(
                f,
                "{}: the lock's `{name}` comes from the git repository {url}: build its wheel and pass it (wheelbarrow installs released wheels only)",
                self.origin
            ),
            LocalKind::Url { url } => write!(
                f,
                "{}: the lock's `{name}` comes from {url}: pass the wheel's URL or file beside the lock",
                self.origin
            ),
            LocalKind::Virtual => write!(
                f,
                "{}: the lock's `{name}` is a virtual project (nothing to install)",
                self.origin
            ),
            LocalKind::Unknown(keys) => write!(
                f,
                "{}: the lock's `{name}` comes from a source wheelbarrow does not know ({keys}): pass its wheel beside the lock",
                self.origin
            ),
        }
    }
}

/// `name[extras]==version ; marker`, pinned to the lock's sha256 digests (`sha256:HEX` or
/// bare hex).
pub fn locked_requirement(
    name: &str,
    extras: &[String],
    version: &str,
    marker: Option<&str>,
    hashes: Vec<String>,
    origin: &str,
    role: Locked,
) -> Result<Requested, RequirementError> {
    let extras = if extras.is_empty() {
        String::new()
    } else {
        format!("[{}]", extras.join(","))
    };
    let marker = marker
        .filter(|m| !m.trim().is_empty())
        .map(|m| format!(" ; {m}"))
        .unwrap_or_default();
    let text = format!("{name}{extras}=={version}{marker}");
    let mut requested = parse_requirement(&text, origin).map_err(|e| {
        error(
            origin,
            format!(
                "the locked package {name} {version} does not read as a requirement: {}",
                e.problem
            ),
        )
    })?;
    requested.hashes = hashes
        .into_iter()
        .filter_map(|h| {
            let hex = h.strip_prefix("sha256:").unwrap_or(&h);
            (!h.contains(':') || h.starts_with("sha256:")).then(|| hex.to_ascii_lowercase())
        })
        .collect();
    requested.locked = Some(role);
    Ok(requested)
}

/// What becomes of one local package of a lock.
pub enum Settled {
    /// A wheel given beside the lock takes its place, or it has nothing to install.
    Given,
    /// Left out as asked (`no_project`), said in the note.
    LeftOut(String),
    /// It cannot go in as it stands.
    Unmet,
}

/// One local package: given as a wheel beside the lock (its file's sha256 is then its hash, as
/// the user vouches for it), left out with `no_project` when it is the project's own, or unmet.
pub fn settle_one(source: &LocalSource, selection: &LockSelection, given: &[Requested]) -> Settled {
    let key = normalize_name(&source.name);
    if matches!(source.kind, LocalKind::Virtual)
        || given
            .iter()
            .any(|g| g.direct.is_some() && g.project() == key)
    {
        return Settled::Given;
    }
    if source.project && selection.no_project {
        return Settled::LeftOut(format!(
            "{}: your project `{}` is left out (--no-project); its dependencies are in",
            source.origin, source.name
        ));
    }
    Settled::Unmet
}

/// Settles the local packages (see [`settle_one`]): any unmet is an error naming each.
pub fn settle(
    read: LockRead,
    selection: &LockSelection,
    given: &[Requested],
) -> Result<(Vec<Requested>, Vec<String>), RequirementError> {
    let LockRead {
        requested,
        local,
        mut notes,
        ..
    } = read;
    let mut unmet = Vec::new();
    for source in local {
        match settle_one(&source, selection, given) {
            Settled::Given => {}
            Settled::LeftOut(note) => notes.push(note),
            Settled::Unmet => unmet.push(source),
        }
    }
    if let Some(first) = unmet.first() {
        let mut problem = String::from("cannot go into a layer as the lock has it:");
        for s in &unmet {
            problem.push_str("\n    ");
            problem.push_str(&s.to_string());
        }
        let file = first
            .origin
            .rsplit_once(':')
            .map_or(first.origin.as_str(), |(f, _)| f);
        return Err(error(file, problem));
    }
    Ok((requested, notes))
}

/// The sha256 of a wheel given by path beside a lock, as its hash (the user vouches for it).
pub fn vouch_for_given(given: &mut [Requested]) {
    for g in given {
        let Some(direct) = &g.direct else { continue };
        if !g.hashes.is_empty() {
            continue;
        }
        if let Some(sha) = &direct.sha256 {
            g.hashes.push(sha.clone());
            continue;
        }
        if direct.url.scheme() == "file"
            && let Ok(path) = direct.url.to_file_path()
            && let Some(sha) = file_sha256(&path)
        {
            g.hashes.push(sha);
        }
    }
}

fn file_sha256(path: &std::path::Path) -> Option<String> {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    let mut file = std::fs::File::open(path).ok()?;
    std::io::copy(&mut file, &mut hasher).ok()?;
    Some(crate::index::hex(&hasher.finalize()))
}
