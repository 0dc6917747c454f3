//! Why no one set of wheels serves every target: the projects none of whose wheels (of the
//! version the solver needed) loads on all of them, how far their wheels reach, and how the
//! targets could be split instead.

use std::fmt;

use pep440_rs::Version;
use pubgrub::{DerivationTree, External};

use super::super::provider::{Pkg, ProjectInfo, Provider, Range, Unusable};
use super::{files_of, targets_text};
use crate::index::DistFile;
use crate::lambda::Target;
use crate::text::clean;
use crate::wheel::file_verdict;

/// No one set of wheels serves every target: the projects that narrow the set.
#[derive(Debug, Clone)]
pub struct NotPortable {
    /// The targets asked for, the resolution's own first.
    pub targets: Vec<Target>,
    pub narrows: Vec<Narrows>,
}

/// A project none of whose wheels (of the version the solver needed) loads on every target.
#[derive(Debug, Clone)]
pub struct Narrows {
    pub project: String,
    pub version: String,
    /// The wheel that loads on the most targets, and those targets.
    pub widest: String,
    pub widest_serves: Vec<Target>,
    /// Targets on which no wheel of this version loads at all.
    pub nowhere: Vec<Target>,
    /// Each runtime asked for has one wheel of it that loads on all the architectures asked:
    /// a site-packages tree per runtime gets past this project.
    pub per_runtime: bool,
    /// Each architecture asked for has one wheel of it that loads on all the runtimes asked:
    /// a layer per architecture gets past this project.
    pub per_arch: bool,
}

/// How the targets could be split so that each part has one wheel of every narrowing project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// One layer per architecture (in the same layout).
    PerArch,
    /// One site-packages tree per runtime (all the architectures in one zip).
    PerRuntime,
    /// One site-packages tree per runtime, one zip per architecture.
    PerRuntimeAndArch,
}

impl NotPortable {
    /// The split that gets past every narrowing project, when one does (each target has a
    /// wheel of each).
    pub fn split(&self) -> Option<Split> {
        if !self.narrows.iter().all(|n| n.nowhere.is_empty()) {
            return None;
        }
        Some(if self.narrows.iter().all(|n| n.per_arch) {
            Split::PerArch
        } else if self.narrows.iter().all(|n| n.per_runtime) {
            Split::PerRuntime
        } else {
            Split::PerRuntimeAndArch
        })
    }
}

impl fmt::Display for NotPortable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all = targets_text(&self.targets);
        write!(f, "no one set of wheels loads on all of {all}:")?;
        for n in &self.narrows {
            write!(
                f,
                "\n  {} {} narrows the set: none of its wheels loads on all of them; the one that reaches furthest, {}, loads on {} only",
                clean(&n.project),
                clean(&n.version),
                clean(&n.widest),
                targets_text(&n.widest_serves)
            )?;
            if !n.nowhere.is_empty() {
                write!(f, "; no wheel of it loads on {}", targets_text(&n.nowhere))?;
            }
        }
        f.write_str(match self.split() {
            Some(Split::PerArch) => {
                "\nIts wheels are built for one architecture each: one layer per architecture serves every runtime asked for."
            }
            Some(Split::PerRuntime) => {
                "\nThe site-packages layout gives each runtime its own tree with its own wheels, which serves every one of them."
            }
            Some(Split::PerRuntimeAndArch) => {
                "\nThe site-packages layout gives each runtime its own tree with its own wheels; these are built for one architecture each, so that takes one zip per architecture."
            }
            None => "\nLeave out the targets it has no wheel for, or choose another version or project.",
        })
    }
}

/// When the solver failed for several targets because some project has no wheel that loads on
/// all of them: those projects. `None` for one target, or another failure.
pub(in crate::resolve) fn narrowing(
    tree: &DerivationTree<Pkg, Range, Unusable>,
    provider: &Provider,
) -> Option<NotPortable> {
    if provider.also.is_empty() {
        return None;
    }
    let targets = provider.all_targets();
    // Each project once, over every range the solver found empty for it (in the order met),
    // so that the newest version it needed is the one named.
    let mut ranges: Vec<(String, Range)> = Vec::new();
    let mut visit = |pkg: &Pkg, range: &Range| {
        let Some(name) = pkg.project_name() else {
            return;
        };
        match ranges.iter_mut().find(|(n, _)| n == name) {
            Some((_, all)) => *all = all.union(range),
            None => ranges.push((name.to_string(), range.clone())),
        }
    };
    walk(tree, &mut visit);
    let projects = provider.projects.borrow();
    let narrows: Vec<Narrows> = ranges
        .iter()
        .filter_map(|(name, range)| narrows_of(projects.get(name)?, range, &targets))
        .collect();
    (!narrows.is_empty()).then_some(NotPortable { targets, narrows })
}

fn walk(tree: &DerivationTree<Pkg, Range, Unusable>, visit: &mut dyn FnMut(&Pkg, &Range)) {
    match tree {
        DerivationTree::External(External::NoVersions(pkg, range)) => visit(pkg, range),
        DerivationTree::External(_) => {}
        DerivationTree::Derived(d) => {
            walk(&d.cause1, visit);
            walk(&d.cause2, visit);
        }
    }
}

/// The newest version in `range` (final releases first) whose wheels load on some targets but
/// none on all, with how far they reach.
fn narrows_of(info: &ProjectInfo, range: &Range, targets: &[Target]) -> Option<Narrows> {
    let mut in_range: Vec<&Version> = info
        .versions
        .iter()
        .rev()
        .filter(|v| range.contains(v))
        .collect();
    in_range.sort_by_key(|v| v.any_prerelease());
    for version in in_range {
        let wheels: Vec<(&DistFile, Vec<bool>)> = files_of(info, version)
            .map(|f| (f, targets.iter().map(|t| loads(f, t)).collect()))
            .collect();
        let reach = |l: &Vec<bool>| l.iter().filter(|x| **x).count();
        // The first listed among the widest, the resolution's own target's first.
        let Some((widest, serves)) = wheels.iter().rev().max_by_key(|(_, l)| (reach(l), l[0]))
        else {
            continue;
        };
        if reach(serves) == 0 || reach(serves) == targets.len() {
            continue;
        }
        let pick = |keep: &dyn Fn(usize) -> bool| -> Vec<Target> {
            (0..targets.len())
                .filter(|i| keep(*i))
                .map(|i| targets[i].clone())
                .collect()
        };
        let one_wheel_for = |same: &dyn Fn(&Target, &Target) -> bool| {
            targets.iter().all(|t| {
                wheels.iter().any(|(_, l)| {
                    targets
                        .iter()
                        .zip(l)
                        .filter(|(o, _)| same(o, t))
                        .all(|(_, ok)| *ok)
                })
            })
        };
        let per_runtime = one_wheel_for(&|a, b| a.runtime.name == b.runtime.name);
        let per_arch = one_wheel_for(&|a, b| a.arch == b.arch);
        return Some(Narrows {
            project: info.project.name.clone(),
            version: version.to_string(),
            widest: widest.filename.clone(),
            widest_serves: pick(&|i| serves[i]),
            nowhere: pick(&|i| !wheels.iter().any(|(_, l)| l[i])),
            per_runtime,
            per_arch,
        });
    }
    None
}

fn loads(file: &DistFile, target: &Target) -> bool {
    file_verdict(file, target).compatible
}
