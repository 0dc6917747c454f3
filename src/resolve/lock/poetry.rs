//! `poetry.lock` (lock-version 2.1, Poetry 2): each package says its `groups` and its
//! `markers` (a string, or one per group), so the packages of the groups chosen are the
//! requests, with their markers (optional ones through `extra == "…"` markers). The
//! `pyproject.toml` beside the lock names the groups and extras there are.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::file::{at, error, parse, read_text};
use super::local::{LocalKind, LocalSource, locked_requirement};
use super::{LockFormat, LockRead, LockSelection, Locked};
use crate::resolve::requirements::RequirementError;
use crate::wheel::normalize_name;

#[derive(Deserialize)]
struct PoetryLock {
    #[serde(default, rename = "package")]
    packages: Vec<Spanned<Package>>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(rename = "lock-version")]
    lock_version: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    #[serde(default)]
    groups: Vec<String>,
    markers: Option<toml::Value>,
    #[serde(default)]
    files: Vec<PoetryFile>,
    source: Option<Source>,
}

#[derive(Deserialize)]
struct PoetryFile {
    hash: Option<String>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: String,
    url: Option<String>,
}

/// Reads a poetry.lock at `path` (its text given) with the pyproject.toml beside it.
pub fn read(
    text: &str,
    path: &Path,
    selection: &LockSelection,
) -> Result<LockRead, RequirementError> {
    let shown = path.display().to_string();
    let lock: PoetryLock = parse(text, &shown, LockFormat::Poetry)?;
    check_version(&lock, text, &shown)?;
    let (groups, extras) = pyproject_names(path, &shown)?;
    let mut notes = Vec::new();
    if selection.no_project {
        notes.push(format!(
            "{shown}: a poetry.lock does not hold the project itself, so --no-project changes nothing"
        ));
    }
    check_names(selection, &groups, &extras, &shown)?;
    let mut chosen: BTreeSet<String> = BTreeSet::from(["main".to_string()]);
    chosen.extend(selection.groups.iter().map(|g| normalize_name(g)));
    if selection.all_groups {
        chosen.extend(groups.iter().cloned());
    }
    let left: Vec<&String> = groups.iter().filter(|g| !chosen.contains(*g)).collect();
    if !left.is_empty() {
        notes.push(format!(
            "{shown}: groups {} left out (add them with --group NAME)",
            left.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let chosen_extras: Vec<String> = if selection.all_extras {
        extras.iter().cloned().collect()
    } else {
        selection.extras.iter().map(|e| normalize_name(e)).collect()
    };
    let mut requested = Vec::new();
    let mut local = Vec::new();
    for spanned in &lock.packages {
        let origin = at(&shown, text, spanned.span().start);
        let p = spanned.get_ref();
        let in_chosen = p.groups.iter().any(|g| chosen.contains(&normalize_name(g)));
        if let Some(source) = &p.source
            && let Some(kind) = local_kind(source)
        {
            if in_chosen {
                local.push(LocalSource {
                    name: p.name.clone(),
                    version: Some(p.version.clone()),
                    origin,
                    kind,
                    project: false,
                });
            }
            continue;
        }
        let hashes: Vec<String> = p.files.iter().filter_map(|f| f.hash.clone()).collect();
        if in_chosen {
            let marker = marker_for(p, &chosen, &chosen_extras);
            if let Some(marker) = marker {
                requested.push(locked_requirement(
                    &p.name,
                    &[],
                    &p.version,
                    Some(&marker).filter(|m| !m.is_empty()).map(String::as_str),
                    hashes.clone(),
                    &origin,
                    Locked::Request,
                )?);
            }
        }
        requested.push(locked_requirement(
            &p.name,
            &[],
            &p.version,
            None,
            hashes,
            &origin,
            Locked::Pin,
        )?);
    }
    Ok(LockRead {
        format: LockFormat::Poetry,
        requested,
        local,
        notes,
    })
}

/// Every group and extra asked for is one the pyproject.toml names.
fn check_names(
    selection: &LockSelection,
    groups: &BTreeSet<String>,
    extras: &BTreeSet<String>,
    shown: &str,
) -> Result<(), RequirementError> {
    for (asked, known, what) in [
        (&selection.groups, groups, "group"),
        (&selection.extras, extras, "extra"),
    ] {
        for name in asked {
            if !known.contains(&normalize_name(name)) {
                return Err(error(
                    shown,
                    format!(
                        "the project has no {what} named '{name}' (its pyproject.toml names: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.iter().cloned().collect::<Vec<_>>().join(", ")
                        }
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn check_version(lock: &PoetryLock, text: &str, shown: &str) -> Result<(), RequirementError> {
    let Some(version) = lock.metadata.as_ref().and_then(|m| m.lock_version.as_ref()) else {
        return Err(error(
            shown,
            "has no [metadata] lock-version: it is not a lock written by Poetry",
        ));
    };
    let origin = at(shown, text, version.span().start);
    match version.get_ref().as_str() {
        "2.1" => Ok(()),
        v @ ("1.0" | "1.1" | "2.0") => Err(error(
            &origin,
            format!(
                "is poetry.lock version {v} (Poetry before 2.0), which does not record each package's groups and markers; run `poetry lock` with Poetry 2 to write version 2.1, or export it with `poetry export --format requirements.txt`"
            ),
        )),
        v => Err(error(
            &origin,
            format!(
                "is poetry.lock version {}, and wheelbarrow reads version 2.1 only (a newer Poetry wrote this?). Export it with `poetry export --format requirements.txt` and give that file instead",
                crate::text::clean(v)
            ),
        )),
    }
}

/// The marker under which a package is installed for the groups and extras chosen: `None` when
/// it is not, `""` when always.
fn marker_for(p: &Package, groups: &BTreeSet<String>, extras: &[String]) -> Option<String> {
    let markers: Vec<String> = match &p.markers {
        Some(toml::Value::String(m)) => vec![m.clone()],
        Some(toml::Value::Table(per_group)) => p
            .groups
            .iter()
            .filter(|g| groups.contains(&normalize_name(g)))
            .map(|g| {
                per_group
                    .get(g)
                    .and_then(toml::Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            })
            .collect(),
        None | Some(_) => vec![String::new()],
    };
    let mut out = Vec::new();
    for m in markers {
        if m.is_empty() {
            return Some(String::new());
        }
        let Ok(tree) = m.parse::<pep508_rs::MarkerTree>() else {
            out.push(m);
            continue;
        };
        let extras: Vec<pep508_rs::ExtraName> =
            extras.iter().filter_map(|e| e.parse().ok()).collect();
        // Extras chosen are true; those not chosen stay, and are false where it is evaluated.
        let simplified = tree.simplify_extras(&extras);
        match simplified.contents() {
            None => return Some(String::new()),
            Some(contents) => out.push(contents.to_string()),
        }
    }
    match out.len() {
        0 => None,
        1 => out.pop(),
        _ => Some(
            out.iter()
                .map(|m| format!("({m})"))
                .collect::<Vec<_>>()
                .join(" or "),
        ),
    }
}

fn local_kind(source: &Source) -> Option<LocalKind> {
    let url = source.url.clone().unwrap_or_default();
    match source.kind.as_str() {
        "legacy" | "pypi" | "" => None,
        "directory" => Some(LocalKind::Directory {
            path: url,
            editable: false,
        }),
        "file" => Some(LocalKind::File { path: url }),
        "git" => Some(LocalKind::Git { url }),
        "url" => Some(LocalKind::Url { url }),
        other => Some(LocalKind::Unknown(format!("type = {other}"))),
    }
}

/// The dependency groups and extras the `pyproject.toml` beside the lock names (PEP 503
/// normalised), `main` not among them.
fn pyproject_names(
    lock: &Path,
    shown: &str,
) -> Result<(BTreeSet<String>, BTreeSet<String>), RequirementError> {
    let pyproject = lock.with_file_name("pyproject.toml");
    if !pyproject.is_file() {
        return Err(error(
            shown,
            format!(
                "needs the pyproject.toml beside it ({} is not there): the groups and extras are named there",
                pyproject.display()
            ),
        ));
    }
    let pshown = pyproject.display().to_string();
    let text = read_text(&pyproject, LockFormat::Poetry)?;
    let doc: toml::Table = parse(&text, &pshown, LockFormat::Poetry)?;
    let table = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(toml::Value::as_table)
            .map(|t| t.keys().map(|k| normalize_name(k)).collect())
            .unwrap_or_default()
    };
    let poetry = doc.get("tool").and_then(|t| t.get("poetry"));
    let mut groups: BTreeSet<String> = table(poetry.and_then(|p| p.get("group")))
        .into_iter()
        .collect();
    groups.extend(table(doc.get("dependency-groups")));
    groups.remove("main");
    let mut extras: BTreeSet<String> = table(poetry.and_then(|p| p.get("extras")))
        .into_iter()
        .collect();
    extras.extend(table(
        doc.get("project")
            .and_then(|p| p.get("optional-dependencies")),
    ));
    Ok((groups, extras))
}
