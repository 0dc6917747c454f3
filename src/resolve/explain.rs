//! When there is no solution: what to do, in plain words, before PubGrub's derivation.
//!
//! For every project that ran out of versions, the explanation says whether no release matches
//! at all, whether the matching releases have only source distributions, or why their wheels do
//! not load (the closest wheel's verdict), then names the newest release that does load and the
//! runtimes on which the requested one would.

use std::collections::BTreeMap;

use pep440_rs::Version;
use pubgrub::{DefaultStringReporter, DerivationTree, External, Reporter};

use super::NoSolution;
use super::advice::{Advice, Elsewhere, NewestLoadable};
use super::conflict::conflict;
use super::provider::{Pkg, ProjectInfo, Provider, Range, Unusable};
use crate::index::{DistFile, FileKind};
use crate::lambda::{RuntimeTable, Target};
use crate::wheel::{Verdict, file_verdict};

/// Lines of PubGrub's derivation kept for a detail view, at most.
const DERIVATION_LINES: usize = 60;

/// Why nothing resolved: the clashing facts, the advice for projects without a loading file
/// (one item a problem, in the order of their words, each once), and PubGrub's derivation
/// (bounded).
pub fn explain(mut tree: DerivationTree<Pkg, Range, Unusable>, provider: &Provider) -> NoSolution {
    let mut items = BTreeMap::new();
    collect(&tree, provider, &mut |advice: Advice| {
        items.entry(advice.to_string()).or_insert(advice);
    });
    let conflict = conflict(&tree, provider, &mut |name, range| {
        let info = provider.projects.borrow().get(name).cloned()?;
        Some(no_versions(name, range, &info, provider))
    });
    tree.collapse_no_versions();
    let mut explanation: Vec<String> = conflict.clashes.iter().map(ToString::to_string).collect();
    explanation.extend(conflict.notes.iter().cloned());
    NoSolution {
        target: provider.target.to_string(),
        conflict,
        explanation,
        advice: items.into_values().collect(),
        derivation: bounded(&DefaultStringReporter::report(&tree)),
    }
}

/// The derivation in words a person can read, and not endless: solver terms replaced, at most
/// [`DERIVATION_LINES`] lines.
fn bounded(derivation: &str) -> String {
    let text = derivation
        .replace("your requirements 0", "your requirements")
        .replace(" is forbidden", " cannot be chosen")
        .replace('∅', "no version");
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= DERIVATION_LINES {
        return text;
    }
    format!(
        "{}\n… {} more lines",
        lines[..DERIVATION_LINES].join("\n"),
        lines.len() - DERIVATION_LINES
    )
}

fn collect(
    tree: &DerivationTree<Pkg, Range, Unusable>,
    provider: &Provider,
    out: &mut dyn FnMut(Advice),
) {
    match tree {
        DerivationTree::External(External::NoVersions(pkg, range)) => {
            if let Some(name) = pkg.project_name()
                && let Some(info) = provider.projects.borrow().get(name)
            {
                out(no_versions(name, range, info, provider));
            }
        }
        DerivationTree::External(External::Custom(pkg, range, why)) => {
            out(Advice::Unavailable {
                package: pkg.to_string(),
                range: shown_range(provider, pkg, range),
                why: why.to_string(),
            });
        }
        DerivationTree::External(External::FromDependencyOf(parent, _, dep, range)) => {
            if range == &Range::empty()
                && let Some(name) = dep.project_name()
            {
                out(Advice::EmptyRange {
                    required_by: (*parent != Pkg::Root).then(|| parent.to_string()),
                    spec: spec_for(provider, dep).unwrap_or_else(|| name.to_string()),
                    project: name.to_string(),
                    newest: newest_of(provider, name),
                });
            }
        }
        DerivationTree::External(External::NotRoot(..)) => {}
        DerivationTree::Derived(d) => {
            collect(&d.cause1, provider, out);
            collect(&d.cause2, provider, out);
        }
    }
}

/// A range as the user reads it: the one release it holds when it holds one (the solver's
/// "this release" is the interval up to the next one), else its bounds.
fn shown_range(provider: &Provider, pkg: &Pkg, range: &Range) -> String {
    let projects = provider.projects.borrow();
    let Some(info) = pkg.project_name().and_then(|n| projects.get(n)) else {
        return range.to_string();
    };
    let mut inside = range.newest_first(&info.versions);
    match (inside.next(), inside.next()) {
        (Some(one), None) => one.to_string(),
        _ => range.to_string(),
    }
}

fn newest_of(provider: &Provider, name: &str) -> Option<String> {
    provider
        .projects
        .borrow()
        .get(name)
        .and_then(|i| i.versions.last().map(ToString::to_string))
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

fn no_versions(name: &str, range: &Range, info: &ProjectInfo, provider: &Provider) -> Advice {
    let target = &provider.target;
    let display = &info.project.name;
    let spec = spec_for(provider, &Pkg::Project(name.to_string()))
        .unwrap_or_else(|| format!("{display} {range}"));
    let in_range: Vec<&Version> = info.versions.iter().filter(|v| range.contains(v)).collect();
    let newest_loadable = info.versions.iter().rev().find(|v| {
        !v.any_prerelease() && info.best.contains_key(*v) && !info.yanked_only.contains(*v)
    });
    let newest_loadable = match newest_loadable {
        Some(v) if !range.contains(v) => NewestLoadable::Outside(v.to_string()),
        Some(_) => NewestLoadable::InRange,
        None => NewestLoadable::None,
    };
    let Some(newest) = in_range
        .iter()
        .rev()
        .find(|v| !v.any_prerelease())
        .or_else(|| in_range.last())
    else {
        return Advice::NoMatchingRelease {
            project: display.clone(),
            spec,
            newest: info.versions.last().map(ToString::to_string),
        };
    };
    let mut elsewhere = Elsewhere {
        project: display.clone(),
        newest_loadable,
        runtimes: Vec::new(),
        deprecated: Vec::new(),
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
    if !files.is_empty() && files.iter().all(|f| f.kind != FileKind::Wheel) {
        return Advice::SourceOnly {
            project: display.clone(),
            version: newest.to_string(),
            elsewhere,
        };
    }
    if info.best.contains_key(*newest) && info.yanked_only.contains(*newest) {
        return Advice::YankedOnly {
            project: display.clone(),
            version: newest.to_string(),
            target: target.to_string(),
            elsewhere,
        };
    }
    let candidates = info.project.files.iter().filter_map(|f| {
        let v = f.version.as_deref()?.parse::<Version>().ok()?;
        range.contains(&v).then_some((f, v))
    });
    (elsewhere.runtimes, elsewhere.deprecated) =
        other_runtimes(&provider.table, info, newest, target);
    Advice::NoWheel {
        spec,
        runtime: target.runtime.name.clone(),
        arch: target.arch.to_string(),
        closest: closest(candidates, target).map(|(f, v)| (f.filename.clone(), Box::new(v))),
        elsewhere,
    }
}

/// The wheel closest to loading among `candidates` (files with their versions): the one whose
/// refusals are nearest by [`crate::wheel::Distance`] (a wrong OS is furthest, then the wrong
/// architecture, then the wrong Python, then a glibc that is too new); newer releases first.
pub(super) fn closest<'a>(
    candidates: impl IntoIterator<Item = (&'a DistFile, Version)>,
    target: &Target,
) -> Option<(&'a DistFile, Verdict)> {
    candidates
        .into_iter()
        .filter(|(f, _)| f.kind == FileKind::Wheel)
        .map(|(f, v)| (f, file_verdict(f, target), v))
        .min_by_key(|(_, verdict, v)| (verdict.distance(), std::cmp::Reverse(v.clone())))
        .map(|(f, verdict, _)| (f, verdict))
}

/// Runtimes (same architecture) on which `version` of the project has a wheel that loads.
/// The runtimes (same architecture) on which `version` loads, at most two, supported ones
/// first; and the standing of each deprecated one among them.
fn other_runtimes(
    table: &RuntimeTable,
    info: &ProjectInfo,
    version: &Version,
    target: &Target,
) -> (Vec<String>, Vec<(String, String)>) {
    let loads = table
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
        .map(|t| t.runtime)
        .collect::<Vec<_>>();
    // Supported runtimes first, the newest first; deprecated ones only after them.
    let today = crate::lambda::today();
    let mut loads = loads;
    loads.sort_by_key(|r| {
        (
            !crate::lambda::is_supported(r, &today),
            std::cmp::Reverse(r.python_minor),
        )
    });
    loads.truncate(2);
    let deprecated = loads
        .iter()
        .filter(|r| !crate::lambda::is_supported(r, &today))
        .map(|r| (r.name.clone(), r.lifecycle(&today).short()))
        .collect();
    (loads.into_iter().map(|r| r.name).collect(), deprecated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wheel::reworded;

    fn file(name: &str) -> (DistFile, Version) {
        let url = url::Url::parse(&format!("http://h.test/{name}")).unwrap();
        let f = DistFile::new("x", name.to_string(), url);
        let v = f.version.as_deref().unwrap().parse().unwrap();
        (f, v)
    }

    /// Refused wheels of every distance, furthest first, so that a choice by position or by
    /// words would show.
    const REFUSED: [&str; 7] = [
        "x-2.0-cp312-cp312-win_amd64.whl",
        "x-2.0-cp312-cp312-musllinux_1_2_x86_64.whl",
        "x-2.0-cp312-cp312-manylinux_2_17_aarch64.whl",
        "x-2.0-cp313-cp313-manylinux_2_17_x86_64.whl",
        "x-2.0-cp312-cp312d-manylinux_2_17_x86_64.whl",
        "x-1.0-cp312-cp312-manylinux_2_39_x86_64.whl",
        "x-2.0-cp312-cp312-manylinux_2_39_x86_64.whl",
    ];

    fn pick(names: &[&str], target: &Target) -> (String, String) {
        let files: Vec<_> = names.iter().map(|n| file(n)).collect();
        let (f, verdict) = closest(files.iter().map(|(f, v)| (f, v.clone())), target).unwrap();
        (f.filename.clone(), verdict.reason)
    }

    #[test]
    fn the_closest_refused_wheel_is_the_same_whatever_the_causes_are_called() {
        let target = RuntimeTable::builtin()
            .target(Some("python3.12"), Some("x86_64"))
            .unwrap();
        let (plain, plain_reason) = pick(&REFUSED, &target);
        let (other, other_reason) = reworded::with(|| pick(&REFUSED, &target));
        // A glibc that is too new is closest; the newer release wins the tie.
        assert_eq!(plain, "x-2.0-cp312-cp312-manylinux_2_39_x86_64.whl");
        assert_eq!(other, plain);
        assert_ne!(other_reason, plain_reason);
        // Without it, the wrong Python comes next, then the wrong architecture, then the OS.
        for (drop, next) in [
            (5, "x-2.0-cp313-cp313-manylinux_2_17_x86_64.whl"),
            (3, "x-2.0-cp312-cp312-manylinux_2_17_aarch64.whl"),
            (2, "x-2.0-cp312-cp312-win_amd64.whl"),
        ] {
            let fewer = &REFUSED[..drop];
            let (plain, _) = pick(fewer, &target);
            let (other, _) = reworded::with(|| pick(fewer, &target));
            assert_eq!((plain.as_str(), other.as_str()), (next, next), "{fewer:?}");
        }
    }
}
