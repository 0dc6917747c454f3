//! When there is no solution: what to do, in plain words, before PubGrub's derivation.
//!
//! For every project that ran out of versions, the explanation says whether no release matches
//! at all, whether the matching releases have only source distributions, or why their wheels do
//! not load (the closest wheel's verdict), then names the newest release that does load and the
//! runtimes on which the requested one would.

use std::collections::BTreeSet;

use pep440_rs::Version;
use pubgrub::{DefaultStringReporter, DerivationTree, External, Reporter};

use super::provider::{Pkg, ProjectInfo, Provider, Range};
use crate::index::FileKind;
use crate::lambda::{RuntimeTable, Target};
use crate::wheel::file_verdict;

/// The explanation lines, and PubGrub's full derivation.
pub fn explain(
    mut tree: DerivationTree<Pkg, Range, String>,
    provider: &Provider,
) -> (Vec<String>, String) {
    let mut lines = BTreeSet::new();
    collect(&tree, provider, &mut lines);
    tree.collapse_no_versions();
    (
        lines.into_iter().collect(),
        DefaultStringReporter::report(&tree),
    )
}

fn collect(
    tree: &DerivationTree<Pkg, Range, String>,
    provider: &Provider,
    out: &mut BTreeSet<String>,
) {
    match tree {
        DerivationTree::External(External::NoVersions(pkg, range)) => {
            if let Some(name) = pkg.project_name()
                && let Some(info) = provider.projects.borrow().get(name)
            {
                out.insert(no_versions(name, range, info, provider));
            }
        }
        DerivationTree::External(External::Custom(pkg, range, why)) => {
            out.insert(format!("{pkg} {range} {why}"));
        }
        DerivationTree::External(External::FromDependencyOf(parent, _, dep, range)) => {
            if range == &Range::empty()
                && let Some(name) = dep.project_name()
            {
                let spec = spec_for(provider, dep).unwrap_or_else(|| name.to_string());
                let who = if *parent == Pkg::Root {
                    "You asked for".to_string()
                } else {
                    format!("{parent} requires")
                };
                out.insert(format!(
                    "{who} {spec}, and no release of {name} matches that (the newest is {}).",
                    newest_of(provider, name)
                ));
            }
        }
        DerivationTree::External(External::NotRoot(..)) => {}
        DerivationTree::Derived(d) => {
            collect(&d.cause1, provider, out);
            collect(&d.cause2, provider, out);
        }
    }
}

fn newest_of(provider: &Provider, name: &str) -> String {
    provider
        .projects
        .borrow()
        .get(name)
        .and_then(|i| i.versions.last().map(ToString::to_string))
        .unwrap_or_else(|| "unknown".into())
}

/// The requirement text someone wrote for `pkg` (`numpy>=2.3`), the root's first.
fn spec_for(provider: &Provider, pkg: &Pkg) -> Option<String> {
    let edges = provider.edges.borrow();
    let mut found: Vec<(bool, String)> = edges
        .iter()
        .flat_map(|((parent, _), es)| es.iter().map(move |e| (parent, e)))
        .filter(|(_, e)| &e.child == pkg)
        .map(|(parent, e)| (*parent != Pkg::Root, e.spec.clone()))
        .collect();
    found.sort();
    found.into_iter().next().map(|(_, s)| s)
}

fn no_versions(name: &str, range: &Range, info: &ProjectInfo, provider: &Provider) -> String {
    let target = &provider.target;
    let display = &info.project.name;
    let spec = spec_for(provider, &Pkg::Project(name.to_string()))
        .unwrap_or_else(|| format!("{display} {range}"));
    let in_range: Vec<&Version> = info
        .versions
        .iter()
        .filter(|v| range.contains(*v))
        .collect();
    let newest_loadable = info.versions.iter().rev().find(|v| {
        !v.any_prerelease() && info.best.contains_key(*v) && !info.yanked_only.contains(*v)
    });
    let loads_note = match newest_loadable {
        Some(v) if !range.contains(v) => format!(" {display} {v} is the newest that loads there"),
        Some(_) => String::new(),
        None => format!(" No release of {display} has a wheel that loads there"),
    };
    let Some(newest) = in_range
        .iter()
        .rev()
        .find(|v| !v.any_prerelease())
        .or_else(|| in_range.last())
    else {
        let newest = info
            .versions
            .last()
            .map_or_else(|| "none".to_string(), ToString::to_string);
        return format!("No release of {display} matches {spec} (the newest is {newest}).");
    };
    let files: Vec<_> = info
        .project
        .files
        .iter()
        .filter(|f| {
            f.version
                .as_deref()
                .is_some_and(|v| v.parse::<Version>().ok().as_ref() == Some(*newest))
        })
        .collect();
    let then = |note: &str| {
        if note.is_empty() {
            String::new()
        } else {
            format!("{note}.")
        }
    };
    if !files.is_empty() && files.iter().all(|f| f.kind != FileKind::Wheel) {
        return format!(
            "{display} {newest} has only a source distribution, and wheelbarrow never builds one (the build would target this machine, not Lambda).{}",
            then(&loads_note)
        );
    }
    if info.best.contains_key(*newest) && info.yanked_only.contains(*newest) {
        return format!(
            "{display} {newest} loads on {target} only through yanked files; pin it with =={newest} to use it anyway.{}",
            then(&loads_note)
        );
    }
    // The closest wheel among every release asked for: wrong OS is furthest, then the wrong
    // architecture, then the wrong Python, then a glibc that is too new; newer releases first.
    let closest = info
        .project
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Wheel)
        .filter_map(|f| {
            let v = f.version.as_deref()?.parse::<Version>().ok()?;
            range.contains(&v).then_some((f, v))
        })
        .map(|(f, v)| (f, file_verdict(f, target), v))
        .min_by_key(|(_, verdict, v)| (distance(&verdict.reason), std::cmp::Reverse(v.clone())))
        .map(|(f, verdict, _)| (f, verdict));
    let why = closest.map_or_else(String::new, |(f, v)| {
        format!(" The closest, {}, is refused: {}.", f.filename, v.reason)
    });
    let elsewhere = other_runtimes(&provider.table, info, newest, target);
    let choose = if elsewhere.is_empty() {
        String::new()
    } else if loads_note.is_empty() {
        format!(" Or choose {}.", elsewhere.join(" or "))
    } else {
        format!(", or choose {}", elsewhere.join(" or "))
    };
    let advice = if loads_note.is_empty() {
        choose
    } else {
        format!("{loads_note}{choose}.")
    };
    format!(
        "{spec} has no wheel for {} on {}.{why}{advice}",
        target.runtime.name, target.arch
    )
}

/// How far a refused wheel is from loading, from its reason.
fn distance(reason: &str) -> u32 {
    let mut d = 0;
    for (words, weight) in [
        (
            &[
                "Windows build",
                "macOS build",
                "musllinux",
                "not a portable tag",
                "Lambda needs a manylinux",
                "PyPy",
                "another Python",
            ][..],
            16,
        ),
        (&["built for "][..], 8),
        (
            &[
                "extension; this runtime",
                "build for CPython",
                "free-threaded",
                "this runtime is",
                "Python 2",
            ][..],
            4,
        ),
        (&["needs glibc", "Requires-Python"][..], 1),
    ] {
        if words.iter().any(|w| reason.contains(w)) {
            d += weight;
        }
    }
    d
}

/// Runtimes (same architecture) on which `version` of the project has a wheel that loads.
fn other_runtimes(
    table: &RuntimeTable,
    info: &ProjectInfo,
    version: &Version,
    target: &Target,
) -> Vec<String> {
    table
        .runtimes
        .iter()
        .filter(|r| r.name != target.runtime.name)
        .filter_map(|r| {
            table
                .target(Some(&r.name), Some(target.arch.lambda_name()))
                .ok()
        })
        .filter(|t| {
            info.project.files.iter().any(|f| {
                f.version
                    .as_deref()
                    .and_then(|v| v.parse::<Version>().ok())
                    .as_ref()
                    == Some(version)
                    && f.yanked.is_none()
                    && file_verdict(f, t).compatible
            })
        })
        .map(|t| t.runtime.name)
        .take(2)
        .collect()
}
