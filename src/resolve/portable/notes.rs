//! What resolving for several targets changed: portable wheels taken instead of pip's
//! choice, packages only some targets need (markers evaluated per target), and versions other
//! than the resolution's own target alone gets.

use std::collections::{BTreeSet, HashMap};

use pep440_rs::Version;
use pep508_rs::{ExtraName, MarkerEnvironment, Requirement};

use super::super::provider::{Pkg, Provider, SolverVersion};
use super::{OtherVersion, PartialNeed, Portable, PortableChoice, files_of, targets_text};
use crate::lambda::Target;
use crate::wheel::{file_verdict, normalize_name, requires_python_allows};

/// Notes in `resolution` (made for several targets) the packages whose version differs from
/// `alone`, the resolution for its own target alone.
pub(in crate::resolve) fn compare(
    resolution: &mut crate::resolve::Resolution,
    alone: &crate::resolve::Resolution,
) {
    let Some(portable) = &mut resolution.portable else {
        return;
    };
    let serves_all = |p: &crate::resolve::ResolvedPackage| {
        portable.targets.iter().all(|t| {
            file_verdict(&p.file, t).compatible
                && p.requires_python
                    .as_deref()
                    .is_none_or(|spec| requires_python_allows(spec, t) != Ok(false))
        })
    };
    // What the target alone takes that the portable resolution could not (the same version
    // with a portable file is not in the way).
    let kept = |a: &crate::resolve::ResolvedPackage| {
        resolution
            .packages
            .iter()
            .any(|p| normalize_name(&p.name) == normalize_name(&a.name) && p.version == a.version)
    };
    let not_everywhere: Vec<&crate::resolve::ResolvedPackage> = alone
        .included()
        .filter(|p| !serves_all(p) && !kept(p))
        .collect();
    for p in &resolution.packages {
        let Some(other) = alone
            .packages
            .iter()
            .find(|a| normalize_name(&a.name) == normalize_name(&p.name))
        else {
            continue;
        };
        if other.version != p.version {
            portable.older.push(OtherVersion {
                project: p.name.clone(),
                version: p.version.clone(),
                alone: other.version.clone(),
                alone_on: alone.target.to_string(),
                itself: not_everywhere.iter().any(|a| std::ptr::eq(*a, other)),
                not_everywhere: not_everywhere
                    .iter()
                    .filter(|a| !std::ptr::eq(**a, other))
                    .map(|a| format!("{} {}", a.name, a.version))
                    .collect(),
            });
        }
    }
}

/// What resolving for several targets changed in `resolution`: the portable wheels taken
/// instead of pip's choice, and the packages only some targets need. `None` for one target.
pub(in crate::resolve) fn notes(
    provider: &Provider,
    solution: &pubgrub::SelectedDependencies<Pkg, SolverVersion>,
    resolution: &crate::resolve::Resolution,
) -> Option<Portable> {
    if provider.also.is_empty() {
        return None;
    }
    let targets = provider.all_targets();
    let projects = provider.projects.borrow();
    let mut instead = Vec::new();
    for p in resolution.packages.iter().filter(|p| !p.pinned_file) {
        let key = normalize_name(&p.name);
        let (Some(info), Ok(version)) = (projects.get(&key), p.version.parse::<Version>()) else {
            continue;
        };
        let preferred = files_of(info, &version)
            .filter_map(|f| {
                let verdict = file_verdict(f, &provider.target);
                let rank = verdict.rank.filter(|_| verdict.compatible)?;
                let build = std::cmp::Reverse(f.wheel().and_then(|w| w.build));
                Some(((rank, build), f, verdict))
            })
            .min_by(|a, b| a.0.cmp(&b.0));
        if let Some((_, file, verdict)) = preferred
            && file.filename != p.filename
        {
            instead.push(PortableChoice {
                project: p.name.clone(),
                version: p.version.clone(),
                taken: p.filename.clone(),
                taken_tag: file_verdict(&p.file, &provider.target)
                    .best_tag
                    .unwrap_or_default(),
                preferred: file.filename.clone(),
                preferred_tag: verdict.best_tag.unwrap_or_default(),
                preferred_on: provider.target.to_string(),
            });
        }
    }
    drop(projects);
    Some(Portable {
        partial: partial_needs(provider, solution, resolution, &targets),
        targets,
        instead,
        older: Vec::new(),
    })
}

/// The chosen packages that some targets' markers do not reach.
fn partial_needs(
    provider: &Provider,
    solution: &pubgrub::SelectedDependencies<Pkg, SolverVersion>,
    resolution: &crate::resolve::Resolution,
    targets: &[Target],
) -> Vec<PartialNeed> {
    let chosen: HashMap<String, Version> = solution
        .iter()
        .filter_map(|(pkg, v)| match pkg {
            Pkg::Project(n) => Some((n.clone(), v.version.clone())),
            _ => None,
        })
        .collect();
    let envs: Vec<MarkerEnvironment> = std::iter::once(&provider.env)
        .chain(&provider.also_env)
        .cloned()
        .collect();
    let mut needed: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by: HashMap<String, String> = HashMap::new();
    for (i, env) in envs.iter().enumerate() {
        for name in reached(provider, &chosen, env, &mut by) {
            needed.entry(name).or_default().push(i);
        }
    }
    resolution
        .packages
        .iter()
        .filter_map(|p| {
            let key = normalize_name(&p.name);
            let on = needed.get(&key)?;
            if on.len() == targets.len() {
                return None;
            }
            let needed_on: Vec<Target> = on.iter().map(|i| targets[*i].clone()).collect();
            Some(PartialNeed {
                project: p.name.clone(),
                version: p.version.clone(),
                needed_on_text: targets_text(&needed_on),
                needed_on,
                by: by.get(&key).cloned().unwrap_or_default(),
            })
        })
        .collect()
}

/// The chosen projects the requirements reach on one target (`env`), following only the
/// requirements whose markers hold there, with the extras asked of each. `by` gets, for each
/// project first reached, who asked for it and how (the requirement with its marker).
fn reached(
    provider: &Provider,
    chosen: &HashMap<String, Version>,
    env: &MarkerEnvironment,
    by: &mut HashMap<String, String>,
) -> Vec<String> {
    let mut extras_of: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut queue: Vec<(String, Vec<String>)> = Vec::new();
    let mut follow = |req: &Requirement, written: &str, parent: &str, queue: &mut Vec<_>| {
        let name = normalize_name(req.name.as_ref());
        by.entry(name.clone())
            .or_insert_with(|| format!("{parent} {}", written.trim()));
        queue.push((name, req.extras.iter().map(ToString::to_string).collect()));
    };
    for req in provider.root.iter().filter(|r| r.marker.evaluate(env, &[])) {
        follow(req, &req.to_string(), "you asked for", &mut queue);
    }
    let metadata = provider.used_metadata.borrow();
    while let Some((name, extras)) = queue.pop() {
        let known = extras_of.contains_key(&name);
        let set = extras_of.entry(name.clone()).or_default();
        let before = set.len();
        set.extend(extras);
        if known && set.len() == before {
            continue;
        }
        let Some(version) = chosen.get(&name) else {
            continue;
        };
        let Some(meta) = metadata.get(&(name.clone(), version.clone())) else {
            continue;
        };
        let asked: Vec<ExtraName> = set.iter().filter_map(|e| e.parse().ok()).collect();
        let parent = format!("{} {version} asks for", meta.name);
        for line in &meta.requires_dist {
            let Ok(req) = crate::resolve::parse_pep508(line) else {
                continue;
            };
            let same = normalize_name(req.name.as_ref()) == name;
            if req.marker.evaluate(env, &asked) && (!same || !req.extras.is_empty()) {
                follow(&req, line, &parent, &mut queue);
            }
        }
    }
    extras_of
        .into_keys()
        .filter(|n| chosen.contains_key(n))
        .collect()
}
