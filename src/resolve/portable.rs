//! One resolution for several targets: a `python/` layer that every runtime asked for reads.
//!
//! Every Python runtime reads a layer's `python/` folder, so one set of wheels serves several
//! runtimes and both architectures when each wheel loads on all of them. Given the other
//! targets ([`super::ResolveOptions::also_for`]), the resolver
//!
//! - takes a file only when it loads on every target (tags, glibc, architecture, the index's
//!   `Requires-Python`), and a release only when its METADATA's `Requires-Python` admits every
//!   target's Python; among such files, pip's preference on the resolution's own target;
//! - follows a requirement when its marker holds on any target (the union of what each needs),
//!   and says which packages only some targets need ([`PartialNeed`]);
//! - says where a portable wheel was taken instead of the build pip prefers on the
//!   resolution's own target ([`PortableChoice`]);
//! - when no file of a project loads on all the targets, says which project narrows the set
//!   and how far its wheels reach ([`NotPortable`]).
//!
//! With one target nothing here applies: pip's preference (a compiled build) stands.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use pep440_rs::Version;
use pep508_rs::{ExtraName, MarkerEnvironment, Requirement};
use pubgrub::{DerivationTree, External};
use serde::Serialize;

use super::provider::{Pkg, ProjectInfo, Provider, Range, Unusable};
use crate::index::{DistFile, FileKind};
use crate::lambda::Target;
use crate::text::clean;
use crate::wheel::{file_verdict, normalize_name, requires_python_allows};

/// What resolving for several targets at once changed, beside the resolution.
#[derive(Debug, Clone, Serialize)]
pub struct Portable {
    /// Every target the resolution was made for, its own first.
    pub targets: Vec<Target>,
    /// Projects whose portable wheel was taken instead of pip's choice for one target.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub instead: Vec<PortableChoice>,
    /// Packages only some of the targets need (by their markers), in the layer for all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub partial: Vec<PartialNeed>,
}

/// A wheel taken because it loads on every target, where pip on the resolution's own target
/// would take another build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortableChoice {
    pub project: String,
    pub version: String,
    /// The file taken, and its tag that fits (`py3-none-any`).
    pub taken: String,
    pub taken_tag: String,
    /// The file pip prefers on `preferred_on` alone, and its tag (`cp312-cp312-manylinux…`).
    pub preferred: String,
    pub preferred_tag: String,
    /// `python3.12 on x86_64`.
    pub preferred_on: String,
}

impl fmt::Display for PortableChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: its {} wheel instead of the {} build pip prefers on {} ({})",
            clean(&self.project),
            clean(&self.version),
            clean(&self.taken_tag),
            clean(&self.preferred_tag),
            self.preferred_on,
            clean(&self.preferred)
        )
    }
}

/// A package the markers ask for on some targets only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartialNeed {
    pub project: String,
    pub version: String,
    /// The targets that need it.
    pub needed_on: Vec<Target>,
    /// In words: those targets (`python3.10`, or `python3.10 on arm64`).
    pub needed_on_text: String,
    /// Who asks for it there, with the marker as written: `anyio 4.4.0 asks for exceptiongroup;
    /// python_version < "3.11"`.
    pub by: String,
}

impl fmt::Display for PartialNeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} is needed on {} only: {}. It is in the layer for every target, unused on the others",
            clean(&self.project),
            clean(&self.version),
            self.needed_on_text,
            clean(&self.by)
        )
    }
}

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

/// The marker environments of `targets`.
pub(super) fn environments(targets: &[Target]) -> Vec<MarkerEnvironment> {
    targets.iter().map(super::target_environment).collect()
}

/// Whether `req` applies on the target (`env`) or on any of the others.
pub(super) fn holds_on_any(
    req: &Requirement,
    env: &MarkerEnvironment,
    also: &[MarkerEnvironment],
    extras: &[ExtraName],
) -> bool {
    req.marker.evaluate(env, extras) || also.iter().any(|e| req.marker.evaluate(e, extras))
}

impl Provider {
    /// Whether a requirement applies on any of the targets (one target: on it).
    pub(super) fn holds(&self, req: &Requirement, extras: &[ExtraName]) -> bool {
        holds_on_any(req, &self.env, &self.also_env, extras)
    }

    /// The first target whose Python `Requires-Python` excludes, if any.
    pub(super) fn refused_by(&self, spec: &str) -> Option<&Target> {
        std::iter::once(&self.target)
            .chain(&self.also)
            .find(|t| requires_python_allows(spec, t) == Ok(false))
    }

    fn all_targets(&self) -> Vec<Target> {
        std::iter::once(&self.target)
            .chain(&self.also)
            .cloned()
            .collect()
    }
}

/// `python3.10, python3.11 on x86_64 and arm64` when every runtime named has the same
/// architectures, else each runtime with its own (`python3.10 on x86_64, python3.12 on x86_64
/// and arm64`); oldest runtime first.
pub fn targets_text(of: &[Target]) -> String {
    let mut runtimes: Vec<(u32, &str, Vec<&'static str>)> = Vec::new();
    for t in of {
        match runtimes
            .iter_mut()
            .find(|(_, name, _)| *name == t.runtime.name)
        {
            Some((_, _, archs)) if !archs.contains(&t.arch.lambda_name()) => {
                archs.push(t.arch.lambda_name());
            }
            Some(_) => {}
            None => runtimes.push((
                t.runtime.python_minor,
                &t.runtime.name,
                vec![t.arch.lambda_name()],
            )),
        }
    }
    runtimes.sort_by_key(|(minor, ..)| *minor);
    for (_, _, archs) in &mut runtimes {
        archs.sort_by_key(|a| *a != "x86_64");
    }
    let same = runtimes.windows(2).all(|w| w[0].2 == w[1].2);
    if same && let Some((_, _, archs)) = runtimes.first() {
        let names: Vec<&str> = runtimes.iter().map(|(_, n, _)| *n).collect();
        return format!("{} on {}", names.join(", "), archs.join(" and "));
    }
    runtimes
        .iter()
        .map(|(_, name, archs)| format!("{name} on {}", archs.join(" and ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// When the solver failed for several targets because some project has no wheel that loads on
/// all of them: those projects. `None` for one target, or another failure.
pub(super) fn narrowing(
    tree: &DerivationTree<Pkg, Range, Unusable>,
    provider: &Provider,
) -> Option<NotPortable> {
    if provider.also.is_empty() {
        return None;
    }
    let targets = provider.all_targets();
    let mut narrows: Vec<Narrows> = Vec::new();
    let mut visit = |pkg: &Pkg, range: &Range| {
        let Some(name) = pkg.project_name() else {
            return;
        };
        let Some(info) = provider.projects.borrow().get(name).cloned() else {
            return;
        };
        if narrows.iter().any(|n| n.project == info.project.name) {
            return;
        }
        if let Some(n) = narrows_of(&info, range, &targets) {
            narrows.push(n);
        }
    };
    walk(tree, &mut visit);
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
        .filter(|v| range.contains(*v))
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

/// The wheels of `version` that are not yanked.
fn files_of<'a>(info: &'a ProjectInfo, version: &'a Version) -> impl Iterator<Item = &'a DistFile> {
    info.project.files.iter().filter(move |f| {
        f.kind == FileKind::Wheel
            && f.yanked.is_none()
            && f.version
                .as_deref()
                .and_then(|v| v.parse::<Version>().ok())
                .as_ref()
                == Some(version)
    })
}

fn loads(file: &DistFile, target: &Target) -> bool {
    file_verdict(file, target).compatible
}

/// What resolving for several targets changed in `resolution`: the portable wheels taken
/// instead of pip's choice, and the packages only some targets need. `None` for one target.
pub(super) fn notes(
    provider: &Provider,
    solution: &pubgrub::SelectedDependencies<Pkg, Version>,
    resolution: &super::Resolution,
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
    })
}

/// The chosen packages that some targets' markers do not reach.
fn partial_needs(
    provider: &Provider,
    solution: &pubgrub::SelectedDependencies<Pkg, Version>,
    resolution: &super::Resolution,
    targets: &[Target],
) -> Vec<PartialNeed> {
    let chosen: HashMap<String, Version> = solution
        .iter()
        .filter_map(|(pkg, v)| match pkg {
            Pkg::Project(n) => Some((n.clone(), v.clone())),
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
            let Ok(req) = super::pep508::parse_pep508(line) else {
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
