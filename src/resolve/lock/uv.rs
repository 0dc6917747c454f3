//! `uv.lock` (version 1): the project's packages (`source = { editable|virtual = "." }`) ask for
//! their `dependencies`, plus the `[package.optional-dependencies]` and
//! `[package.dev-dependencies]` (groups) chosen; every registry package is a pin.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use serde::Deserialize;
use toml::Spanned;

use super::file::{at, error, parse};
use super::local::{LocalKind, LocalSource};
use super::{LockFormat, LockRead, LockSelection, Locked};
use crate::resolve::requirements::{Requested, RequirementError};
use crate::wheel::normalize_name;

/// The `version` this reader knows.
const KNOWN_VERSION: i64 = 1;

#[derive(Deserialize)]
struct UvLock {
    version: Option<Spanned<toml::Value>>,
    #[serde(default)]
    manifest: Manifest,
    #[serde(default, rename = "package")]
    packages: Vec<Spanned<Package>>,
}

/// The lock's packages (their lines kept apart) and its workspace members.
struct Lock {
    members: Vec<String>,
    packages: Vec<Package>,
}

#[derive(Deserialize, Default)]
struct Manifest {
    #[serde(default)]
    members: Vec<String>,
}

#[derive(Deserialize)]
pub(super) struct Package {
    name: String,
    version: Option<String>,
    source: Option<toml::Table>,
    #[serde(default)]
    dependencies: Vec<Dep>,
    #[serde(default, rename = "optional-dependencies")]
    optional: BTreeMap<String, Vec<Dep>>,
    #[serde(default, rename = "dev-dependencies")]
    groups: BTreeMap<String, Vec<Dep>>,
    sdist: Option<Artifact>,
    #[serde(default)]
    wheels: Vec<Artifact>,
}

#[derive(Deserialize, Clone)]
struct Dep {
    name: String,
    version: Option<String>,
    marker: Option<String>,
    #[serde(default)]
    extra: Vec<String>,
}

#[derive(Deserialize)]
struct Artifact {
    hash: Option<String>,
}

/// Reads a uv.lock's text (named `shown`) for `selection`.
pub fn read(
    text: &str,
    shown: &str,
    selection: &LockSelection,
) -> Result<LockRead, RequirementError> {
    let lock: UvLock = parse(text, shown, LockFormat::Uv)?;
    check_version(&lock, text, shown)?;
    let (starts, packages): (Vec<usize>, Vec<Package>) = lock
        .packages
        .into_iter()
        .map(|p| (p.span().start, p.into_inner()))
        .unzip();
    let lock = Lock {
        members: lock.manifest.members,
        packages,
    };
    let origin = |i: usize| at(shown, text, starts[i]);
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in lock.packages.iter().enumerate() {
        by_name.entry(normalize_name(&p.name)).or_default().push(i);
    }
    let find = |dep: &Dep| -> Option<usize> {
        let list = by_name.get(&normalize_name(&dep.name))?;
        list.iter()
            .copied()
            .find(|&i| dep.version.is_none() || lock.packages[i].version == dep.version)
    };
    let roots = project_packages(&lock);
    if roots.is_empty() {
        return Err(error(
            shown,
            "names no project: no package has source = { editable = \".\" } or { virtual = \".\" }, and [manifest] lists no members",
        ));
    }
    let mut notes = Vec::new();
    let edges = root_edges(&lock, &roots, selection, shown, &mut notes)?;
    let mut requested = Vec::new();
    let mut local = Vec::new();
    // The project's own packages: local by nature (a virtual one has nothing to install).
    for &r in &roots {
        let p = &lock.packages[r];
        if let Some(kind) = local_kind(p.source.as_ref())
            && !matches!(kind, LocalKind::Virtual)
        {
            local.push(LocalSource {
                name: p.name.clone(),
                version: p.version.clone(),
                origin: origin(r),
                kind,
                project: true,
            });
        }
    }
    for dep in &edges {
        let Some(i) = find(dep) else {
            return Err(error(
                shown,
                format!(
                    "the project depends on {}, which the lock does not list; run `uv lock` again",
                    dep.name
                ),
            ));
        };
        let p = &lock.packages[i];
        if local_kind(p.source.as_ref()).is_some() {
            continue;
        }
        requested.push(requirement(p, Some(dep), &origin(i), Locked::Request)?);
    }
    // Every registry package pins its version; local ones reached from the chosen roots are named.
    let reached = reach(&lock, &edges, &find);
    for (i, p) in lock.packages.iter().enumerate() {
        match local_kind(p.source.as_ref()) {
            None => requested.push(requirement(p, None, &origin(i), Locked::Pin)?),
            Some(kind) => {
                if reached.contains(&i) && !roots.contains(&i) {
                    local.push(LocalSource {
                        name: p.name.clone(),
                        version: p.version.clone(),
                        origin: origin(i),
                        project: lock
                            .members
                            .iter()
                            .any(|m| normalize_name(m) == normalize_name(&p.name)),
                        kind,
                    });
                }
            }
        }
    }
    Ok(LockRead {
        format: LockFormat::Uv,
        requested,
        local,
        notes,
    })
}

/// The dependencies of the project's packages: their own, and those of the extras and groups
/// the selection names.
fn root_edges(
    lock: &Lock,
    roots: &[usize],
    selection: &LockSelection,
    shown: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<Dep>, RequirementError> {
    let mut edges: Vec<Dep> = Vec::new();
    for &r in roots {
        let p = &lock.packages[r];
        edges.extend(p.dependencies.iter().cloned());
        edges.extend(chosen(
            &p.optional,
            &selection.extras,
            selection.all_extras,
            "extra",
            &p.name,
            shown,
            notes,
        )?);
        edges.extend(chosen(
            &p.groups,
            &selection.groups,
            selection.all_groups,
            "group",
            &p.name,
            shown,
            notes,
        )?);
    }
    Ok(edges)
}

fn check_version(lock: &UvLock, text: &str, shown: &str) -> Result<(), RequirementError> {
    let Some(version) = &lock.version else {
        return Err(error(
            &format!("{shown}:1"),
            "has no `version`: it is not a lock written by uv",
        ));
    };
    if version.get_ref().as_integer() == Some(KNOWN_VERSION) {
        return Ok(());
    }
    Err(error(
        &at(shown, text, version.span().start),
        format!(
            "is uv.lock version {}, and wheelbarrow reads version {KNOWN_VERSION} only (a newer uv wrote this?). Export it with `uv export --format requirements.txt -o requirements.txt` and give that file instead",
            version.get_ref()
        ),
    ))
}

/// The packages of the project itself: source `.` (editable or virtual), else the workspace's
/// members.
fn project_packages(lock: &Lock) -> Vec<usize> {
    let at_root: Vec<usize> = lock
        .packages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.source.as_ref().is_some_and(|s| {
                ["editable", "virtual"]
                    .iter()
                    .any(|k| s.get(*k).and_then(toml::Value::as_str) == Some("."))
            })
        })
        .map(|(i, _)| i)
        .collect();
    if !at_root.is_empty() {
        return at_root;
    }
    let members: HashSet<String> = lock.members.iter().map(|m| normalize_name(m)).collect();
    lock.packages
        .iter()
        .enumerate()
        .filter(|(_, p)| members.contains(&normalize_name(&p.name)))
        .map(|(i, _)| i)
        .collect()
}

/// The lists of `table` the selection names (all with `all`); an unknown name is an error that
/// lists the known ones; the ones left out are noted.
fn chosen(
    table: &BTreeMap<String, Vec<Dep>>,
    names: &[String],
    all: bool,
    what: &str,
    project: &str,
    shown: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<Dep>, RequirementError> {
    let key = |n: &str| normalize_name(n);
    for name in names {
        if !table.keys().any(|k| key(k) == key(name)) {
            let known: Vec<&str> = table.keys().map(String::as_str).collect();
            return Err(error(
                shown,
                format!(
                    "{project} has no {what} named '{name}' ({})",
                    if known.is_empty() {
                        format!("it has no {what}s")
                    } else {
                        format!("its {what}s: {}", known.join(", "))
                    }
                ),
            ));
        }
    }
    let mut out = Vec::new();
    let mut left = Vec::new();
    for (k, deps) in table {
        if all || names.iter().any(|n| key(n) == key(k)) {
            out.extend(deps.iter().cloned());
        } else {
            left.push(k.as_str());
        }
    }
    if !left.is_empty() {
        notes.push(format!(
            "{shown}: {project}'s {what}s {} left out (add them with --{what} NAME)",
            left.join(", ")
        ));
    }
    Ok(out)
}

/// The packages reached from `edges` over the lock's dependencies (markers not evaluated).
fn reach(lock: &Lock, edges: &[Dep], find: &dyn Fn(&Dep) -> Option<usize>) -> HashSet<usize> {
    let mut seen: HashSet<(usize, Vec<String>)> = HashSet::new();
    let mut queue: VecDeque<(usize, Vec<String>)> = edges
        .iter()
        .filter_map(|d| find(d).map(|i| (i, d.extra.clone())))
        .collect();
    while let Some((i, extras)) = queue.pop_front() {
        if !seen.insert((i, extras.clone())) {
            continue;
        }
        let p = &lock.packages[i];
        let more = p
            .dependencies
            .iter()
            .chain(extras.iter().filter_map(|e| p.optional.get(e)).flatten());
        for d in more {
            if let Some(j) = find(d) {
                queue.push_back((j, d.extra.clone()));
            }
        }
    }
    seen.into_iter().map(|(i, _)| i).collect()
}

/// Where a package comes from when not from a registry.
fn local_kind(source: Option<&toml::Table>) -> Option<LocalKind> {
    let source = source?;
    let get = |k: &str| {
        source
            .get(k)
            .and_then(toml::Value::as_str)
            .map(str::to_string)
    };
    if source.contains_key("registry") {
        return None;
    }
    Some(if let Some(path) = get("virtual") {
        let _ = path;
        LocalKind::Virtual
    } else if let Some(path) = get("editable") {
        LocalKind::Directory {
            path,
            editable: true,
        }
    } else if let Some(path) = get("directory") {
        LocalKind::Directory {
            path,
            editable: false,
        }
    } else if let Some(path) = get("path") {
        LocalKind::File { path }
    } else if let Some(url) = get("git") {
        LocalKind::Git { url }
    } else if let Some(url) = get("url") {
        LocalKind::Url { url }
    } else {
        LocalKind::Unknown(source.keys().cloned().collect::<Vec<_>>().join(", "))
    })
}

/// `name[extras]==version ; marker` with the package's hashes.
fn requirement(
    p: &Package,
    dep: Option<&Dep>,
    origin: &str,
    role: Locked,
) -> Result<Requested, RequirementError> {
    let Some(version) = &p.version else {
        return Err(error(origin, format!("package {} has no version", p.name)));
    };
    let hashes = p
        .wheels
        .iter()
        .chain(&p.sdist)
        .filter_map(|a| a.hash.as_deref())
        .map(str::to_string)
        .collect();
    let extras = dep.map(|d| d.extra.as_slice()).unwrap_or_default();
    let marker = dep.and_then(|d| d.marker.as_deref());
    super::local::locked_requirement(&p.name, extras, version, marker, hashes, origin, role)
}
