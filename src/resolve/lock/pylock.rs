//! `pylock.toml` (PEP 751, lock-version 1.0): every package is installed where its `marker`
//! holds; wheels carry their hashes. The groups and extras were settled when it was exported.

use serde::Deserialize;
use toml::Spanned;

use super::file::{at, error, parse};
use super::local::{LocalKind, LocalSource, locked_requirement};
use super::{LockFormat, LockRead, LockSelection, Locked};
use crate::resolve::requirements::RequirementError;

#[derive(Deserialize)]
struct Pylock {
    #[serde(rename = "lock-version")]
    lock_version: Option<Spanned<String>>,
    #[serde(default)]
    extras: Vec<String>,
    #[serde(default, rename = "dependency-groups")]
    groups: Vec<String>,
    #[serde(default)]
    packages: Vec<Spanned<Package>>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: Option<String>,
    marker: Option<String>,
    #[serde(default)]
    wheels: Vec<Artifact>,
    sdist: Option<Artifact>,
    directory: Option<Location>,
    archive: Option<Location>,
    vcs: Option<Location>,
}

#[derive(Deserialize)]
struct Artifact {
    #[serde(default)]
    hashes: toml::Table,
}

#[derive(Deserialize)]
struct Location {
    path: Option<String>,
    url: Option<String>,
    #[serde(default)]
    editable: bool,
}

/// Reads a pylock.toml's text (named `shown`).
pub fn read(
    text: &str,
    shown: &str,
    selection: &LockSelection,
) -> Result<LockRead, RequirementError> {
    let lock: Pylock = parse(text, shown, LockFormat::Pylock)?;
    let Some(version) = &lock.lock_version else {
        return Err(error(
            shown,
            "has no lock-version: it is not a PEP 751 lock file",
        ));
    };
    if version.get_ref() != "1.0" {
        return Err(error(
            &at(shown, text, version.span().start),
            format!(
                "has lock-version {}, and wheelbarrow reads PEP 751's version 1.0 only; export it again with a tool that writes 1.0",
                crate::text::clean(version.get_ref())
            ),
        ));
    }
    let asks = !selection.groups.is_empty()
        || !selection.extras.is_empty()
        || selection.all_groups
        || selection.all_extras;
    if asks && lock.extras.is_empty() && lock.groups.is_empty() {
        return Err(error(
            shown,
            "was exported for one set of groups and extras, so --group/--extra cannot choose among them: export it again with the groups and extras you want",
        ));
    }
    if asks {
        return Err(error(
            shown,
            "lists its extras and groups in markers, which wheelbarrow does not read yet: export it for the groups and extras you want",
        ));
    }
    let mut requested = Vec::new();
    let mut local = Vec::new();
    for spanned in &lock.packages {
        let origin = at(shown, text, spanned.span().start);
        let p = spanned.get_ref();
        if let Some(kind) = local_kind(p) {
            local.push(LocalSource {
                name: p.name.clone(),
                version: p.version.clone(),
                origin,
                project: matches!(&kind, LocalKind::Directory { path, .. } if path == "."),
                kind,
            });
            continue;
        }
        let Some(version) = &p.version else {
            return Err(error(
                &origin,
                format!(
                    "package {} has no version (PEP 751 asks for one for a package from an index)",
                    p.name
                ),
            ));
        };
        let hashes: Vec<String> = p
            .wheels
            .iter()
            .chain(&p.sdist)
            .filter_map(|a| a.hashes.get("sha256").and_then(toml::Value::as_str))
            .map(str::to_string)
            .collect();
        for role in [Locked::Request, Locked::Pin] {
            let marker = (role == Locked::Request)
                .then_some(p.marker.as_deref())
                .flatten();
            requested.push(locked_requirement(
                &p.name,
                &[],
                version,
                marker,
                hashes.clone(),
                &origin,
                role,
            )?);
        }
    }
    Ok(LockRead {
        format: LockFormat::Pylock,
        requested,
        local,
        notes: Vec::new(),
    })
}

fn local_kind(p: &Package) -> Option<LocalKind> {
    if let Some(d) = &p.directory {
        return Some(LocalKind::Directory {
            path: d.path.clone().unwrap_or_default(),
            editable: d.editable,
        });
    }
    if let Some(v) = &p.vcs {
        return Some(LocalKind::Git {
            url: v.url.clone().or_else(|| v.path.clone()).unwrap_or_default(),
        });
    }
    if let Some(a) = &p.archive {
        return Some(match (&a.url, &a.path) {
            (Some(url), _) => LocalKind::Url { url: url.clone() },
            (None, path) => LocalKind::File {
                path: path.clone().unwrap_or_default(),
            },
        });
    }
    None
}
