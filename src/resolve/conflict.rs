//! When nothing fits: which constraints clash, said in a few true lines.
//!
//! PubGrub's derivation tree proves the conflict; its leaves are plain facts ("requests 2.31.0
//! depends on urllib3>=1.21.1,<3", "you asked for urllib3<1", "no file of numpy>=2.3 loads
//! here"). This module gathers the leaves, groups them by who imposes what on whom, and shows
//! each group once, its versions collapsed against the versions that exist ("boto3 0.0.1 to
//! 1.19.12, 412 versions"), a pin as a pin. Every line is a fact from the tree, so together
//! they are the reason; PubGrub's own step-by-step text stays available, bounded.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Bound;

use pep440_rs::Version;
use pubgrub::{DerivationTree, External};

use super::advice::Advice;
use super::provider::{Pkg, Provider, Range, Unusable};

/// The lines of an explanation, at most this many (the rest are counted).
pub const MAX_LINES: usize = 12;

/// Which versions of a package a line is about, against the versions that exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Versions {
    /// Exactly one version.
    One(String),
    /// Every version the project has.
    All { count: usize },
    /// Some of its versions, from `first` to `last`.
    Span {
        first: String,
        last: String,
        count: usize,
    },
}

impl Versions {
    fn of(versions: &[Version], range: &Range) -> Option<Versions> {
        let inside: Vec<&Version> = versions.iter().filter(|v| range.contains(v)).collect();
        match inside.as_slice() {
            [] => None,
            [one] => Some(Versions::One(one.to_string())),
            many if many.len() == versions.len() => Some(Versions::All { count: many.len() }),
            many => Some(Versions::Span {
                first: many[0].to_string(),
                last: many[many.len() - 1].to_string(),
                count: many.len(),
            }),
        }
    }

    fn is_one(&self) -> bool {
        matches!(self, Versions::One(_))
    }
}

/// One fact of a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash {
    /// The user asked for this.
    Asked { spec: String },
    /// The user (or one package) asks for several ranges of one project that no release meets
    /// at once.
    Disjoint {
        /// The package versions that ask and the verb that fits them ("needs", "each need");
        /// none: the user.
        who: Option<(String, &'static str)>,
        project: String,
        specs: Vec<String>,
    },
    /// No release of the project matches a requirement at all.
    NoRelease {
        /// As in [`Clash::Disjoint`].
        who: Option<(String, &'static str)>,
        spec: String,
        project: String,
        newest: Option<String>,
    },
    /// These versions of a package need the dependency within `spec`.
    Needs {
        package: String,
        versions: Versions,
        spec: String,
        /// The versions need different ranges; `spec` is the span of them all.
        varies: bool,
    },
    /// These versions were ruled out for a reason of their own (Requires-Python, ...).
    Unavailable {
        package: String,
        versions: Versions,
        why: String,
    },
    /// No file of these versions loads on the target.
    NoneLoads(Advice),
    /// Releases skipped as pip skips them (metadata that does not parse), when that is all
    /// there is to say.
    Skipped(String),
}

impl fmt::Display for Clash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // "requests 2.31.0 needs", "all 3000 versions of wide each need", "you asked for".
        let who = |w: &Option<(String, &'static str)>| match w {
            Some((subject, verb)) => format!("{subject} {verb}"),
            None => "you asked for".into(),
        };
        match self {
            Clash::Asked { spec } => write!(f, "you asked for {spec}"),
            Clash::Disjoint {
                who: w,
                project,
                specs,
            } => write!(
                f,
                "{} {}, and no version of {project} is all of them",
                who(w),
                specs.join(" and ")
            ),
            Clash::NoRelease {
                who: w,
                spec,
                project,
                newest,
            } => {
                write!(
                    f,
                    "{} {spec}, and no release of {project} matches it",
                    who(w)
                )?;
                match newest {
                    Some(n) => write!(f, " (the newest is {n})"),
                    None => write!(f, " (the index lists no release of it)"),
                }
            }
            Clash::Needs {
                package,
                versions,
                spec,
                varies,
            } => {
                let (subject, verb) = subject(package, versions);
                if *varies {
                    write!(f, "{subject} {verb} {spec} (the range differs by version)")
                } else {
                    write!(f, "{subject} {verb} {spec}")
                }
            }
            Clash::Unavailable {
                package,
                versions,
                why,
            } => {
                let (subject, _) = subject(package, versions);
                write!(f, "{subject}: {why}")
            }
            Clash::NoneLoads(advice) => write!(f, "{advice}"),
            Clash::Skipped(note) => f.write_str(note),
        }
    }
}

/// "requests 2.31.0" + "needs", or "boto3 0.0.1 to 1.19.12 (412 versions)" + "each need".
fn subject(package: &str, versions: &Versions) -> (String, &'static str) {
    match versions {
        Versions::One(v) => (format!("{package} {v}"), "needs"),
        Versions::All { count } => (format!("all {count} versions of {package}"), "each need"),
        Versions::Span { first, last, count } => (
            format!("{package} {first} to {last} ({count} versions)"),
            "each need",
        ),
    }
}

/// An explanation: the facts that clash, and what was left aside on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conflict {
    pub clashes: Vec<Clash>,
    /// Facts counted but not shown (beyond [`MAX_LINES`]).
    pub more: usize,
    /// Quiet notes: releases skipped as pip skips them (metadata that does not parse, ...).
    pub notes: Vec<String>,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for clash in &self.clashes {
            writeln!(f, "  - {clash}")?;
        }
        if self.more > 0 {
            writeln!(f, "  … and {} more facts in the full derivation", self.more)?;
        }
        for note in &self.notes {
            writeln!(f, "  ({note})")?;
        }
        Ok(())
    }
}

/// What one parent asks of one dependency, gathered over the versions in the tree.
#[derive(Default)]
struct Demand {
    parent_versions: Option<Range>,
    dep_range: Option<Range>,
}

/// The conflict in the tree, in words.
pub fn conflict(
    tree: &DerivationTree<Pkg, Range, Unusable>,
    provider: &Provider,
    no_versions: &mut dyn FnMut(&str, &Range) -> Option<Advice>,
) -> Conflict {
    let mut leaves = Leaves::default();
    leaves.collect(tree);
    let mut out = Conflict::default();
    root_lines(&leaves, provider, no_versions, &mut out);
    demand_lines(&leaves, provider, &mut out);
    unusable_lines(&leaves, provider, &mut out);
    // Versions without a loading file: the cause when nothing else rules the project out.
    let explained: BTreeSet<&str> = leaves
        .demands
        .keys()
        .filter_map(|(parent, _)| parent.project_name())
        .collect();
    let unusable: BTreeSet<&str> = leaves
        .custom
        .keys()
        .filter_map(|(pkg, _)| pkg.project_name())
        .collect();
    for (pkg, range) in &leaves.no_versions {
        let Some(name) = pkg
            .project_name()
            .filter(|n| !explained.contains(n) && !unusable.contains(n))
        else {
            continue;
        };
        // A range with no release in it is only the gap between versions ruled out otherwise.
        let holds_a_release = provider
            .projects
            .borrow()
            .get(name)
            .is_some_and(|info| info.versions.iter().any(|v| range.contains(v)));
        if !holds_a_release {
            continue;
        }
        if let Some(advice) = no_versions(name, range) {
            out.clashes.push(Clash::NoneLoads(advice));
        }
    }
    // Skipped releases are a quiet note beside a real clash, and the reason when there is none.
    if out.clashes.iter().all(|c| matches!(c, Clash::Asked { .. })) {
        for note in std::mem::take(&mut out.notes) {
            out.clashes.push(Clash::Skipped(note));
        }
    }
    dedup(&mut out.clashes);
    let mut seen = BTreeSet::new();
    out.notes.retain(|n| seen.insert(n.clone()));
    if out.clashes.len() > MAX_LINES {
        out.more = out.clashes.len() - MAX_LINES;
        out.clashes.truncate(MAX_LINES);
    }
    out
}

/// The user's own requirements, as written; and a request nothing loads for, which is a
/// reason on its own whatever else clashes.
fn root_lines(
    leaves: &Leaves,
    provider: &Provider,
    no_versions: &mut dyn FnMut(&str, &Range) -> Option<Advice>,
    out: &mut Conflict,
) {
    let root_specs = specs_of(provider, &Pkg::Root);
    let mut unloadable = Vec::new();
    for (dep, range) in &leaves.root {
        let project = dep.project_name().unwrap_or_default().to_string();
        let specs = root_specs.get(dep).cloned().unwrap_or_default();
        out.clashes
            .push(empty_or_asked(None, &project, specs, range, provider));
        let loads = provider.projects.borrow().get(&project).is_none_or(|info| {
            info.versions
                .iter()
                .any(|v| range.contains(v) && info.best.contains_key(v))
        });
        if !loads && range != &Range::empty() {
            unloadable.push((project, range.clone()));
        }
    }
    for (project, range) in unloadable {
        if let Some(advice) = no_versions(&project, &range) {
            out.clashes.push(Clash::NoneLoads(advice));
        }
    }
}

/// What packages need of their dependencies, one line for each pair.
fn demand_lines(leaves: &Leaves, provider: &Provider, out: &mut Conflict) {
    for ((parent, dep), demand) in &leaves.demands {
        // An extra's tie to its own project says nothing the reader needs.
        if parent.project_name() == dep.project_name() {
            continue;
        }
        let Some(info) = parent
            .project_name()
            .and_then(|n| provider.projects.borrow().get(n).cloned())
        else {
            continue;
        };
        let parent_range = demand.parent_versions.clone().unwrap_or_else(Range::empty);
        let Some(versions) = Versions::of(&info.versions, &parent_range) else {
            continue;
        };
        let dep_name = dep.project_name().unwrap_or_default().to_string();
        let dep_range = demand.dep_range.clone().unwrap_or_else(Range::full);
        let specs = written_specs(provider, parent, &parent_range, dep);
        if dep_range == Range::empty() {
            let who = Some(subject(&parent.to_string(), &versions));
            out.clashes
                .push(empty_or_asked(who, &dep_name, specs, &dep_range, provider));
            continue;
        }
        let (spec, varies) = match specs.as_slice() {
            [one] => (one.clone(), false),
            _ => (format!("{dep} {}", bounds(&dep_range)), !versions.is_one()),
        };
        out.clashes.push(Clash::Needs {
            package: parent.to_string(),
            versions,
            spec,
            varies,
        });
    }
}

/// Versions the solver may not use: broken metadata is a quiet note (pip skips those too),
/// anything else a line.
fn unusable_lines(leaves: &Leaves, provider: &Provider, out: &mut Conflict) {
    for ((pkg, why), range) in &leaves.custom {
        let Some(info) = pkg
            .project_name()
            .and_then(|n| provider.projects.borrow().get(n).cloned())
        else {
            continue;
        };
        let Some(versions) = Versions::of(&info.versions, range) else {
            continue;
        };
        if let Unusable::BadMetadata { line } = why {
            out.notes.push(format!(
                "{}: a Requires-Dist that does not parse ({line}), skipped as pip skips it",
                subject(&pkg.to_string(), &versions).0
            ));
        } else {
            out.clashes.push(Clash::Unavailable {
                package: pkg.to_string(),
                versions,
                why: why.to_string(),
            });
        }
    }
}

fn dedup(clashes: &mut Vec<Clash>) {
    let mut seen = BTreeSet::new();
    clashes.retain(|c| seen.insert(c.to_string()));
}

/// A root-or-parent demand on one project: as asked, or why no release meets it.
fn empty_or_asked(
    who: Option<(String, &'static str)>,
    project: &str,
    specs: Vec<String>,
    range: &Range,
    provider: &Provider,
) -> Clash {
    let newest = provider
        .projects
        .borrow()
        .get(project)
        .and_then(|i| i.versions.last().map(ToString::to_string));
    let specs = at_most_shown(specs);
    if range != &Range::empty() {
        return Clash::Asked {
            spec: specs.join(" and "),
        };
    }
    match specs.len() {
        0 | 1 => Clash::NoRelease {
            who,
            spec: specs
                .into_iter()
                .next()
                .unwrap_or_else(|| project.to_string()),
            project: project.to_string(),
            newest,
        },
        _ => Clash::Disjoint {
            who,
            project: project.to_string(),
            specs,
        },
    }
}

/// Requirements on one project shown in one line, at most; the rest are counted.
const SPECS_SHOWN: usize = 6;

/// `specs`, the ones past [`SPECS_SHOWN`] counted instead of listed (a file may repeat a
/// project 100,000 times).
fn at_most_shown(mut specs: Vec<String>) -> Vec<String> {
    if specs.len() > SPECS_SHOWN {
        let more = specs.len() - (SPECS_SHOWN - 1);
        specs.truncate(SPECS_SHOWN - 1);
        specs.push(format!("{more} more requirements"));
    }
    specs
}

/// The specs `parent` wrote for `dep`, over the versions of `parent` in `range` whose
/// dependencies were read (each once, sorted).
fn written_specs(provider: &Provider, parent: &Pkg, range: &Range, dep: &Pkg) -> Vec<String> {
    let edges = provider.edges.borrow();
    let specs: BTreeSet<String> = edges
        .iter()
        .filter(|((p, v), _)| p == parent && (parent == &Pkg::Root || range.contains(v)))
        .flat_map(|(_, es)| es.iter())
        .filter(|e| &e.child == dep)
        .map(|e| e.spec.clone())
        .collect();
    specs.into_iter().collect()
}

/// The root's specs for each dependency, as written.
fn specs_of(provider: &Provider, parent: &Pkg) -> BTreeMap<Pkg, Vec<String>> {
    let mut out: BTreeMap<Pkg, Vec<String>> = BTreeMap::new();
    let mut seen: BTreeSet<(&Pkg, &str)> = BTreeSet::new();
    let edges = provider.edges.borrow();
    for ((p, _), es) in edges.iter() {
        if p != parent {
            continue;
        }
        for e in es {
            if seen.insert((&e.child, &e.spec)) {
                out.entry(e.child.clone()).or_default().push(e.spec.clone());
            }
        }
    }
    out
}

/// The span of a range as one specifier: `>=1.0, <1.23.0`, `<1.23.0`.
fn bounds(range: &Range) -> String {
    let Some((low, high)) = range.bounding_range() else {
        return "(no version)".into();
    };
    let low = match low {
        Bound::Included(v) => Some(format!(">={v}")),
        Bound::Excluded(v) => Some(format!(">{v}")),
        Bound::Unbounded => None,
    };
    let high = match high {
        Bound::Included(v) => Some(format!("<={v}")),
        Bound::Excluded(v) => Some(format!("<{v}")),
        Bound::Unbounded => None,
    };
    match (low, high) {
        (Some(l), Some(h)) => format!("{l}, {h}"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => "(any version)".into(),
    }
}

/// The leaves of the tree, grouped.
#[derive(Default)]
struct Leaves {
    /// What the root asks of each dependency (the range PubGrub holds).
    root: BTreeMap<Pkg, Range>,
    /// (parent, dependency) -> the union of parent versions and of the ranges they need.
    demands: BTreeMap<(Pkg, Pkg), Demand>,
    /// (package, reason) -> the versions ruled out for it.
    custom: BTreeMap<(Pkg, Unusable), Range>,
    /// Package -> versions with no file that loads.
    no_versions: BTreeMap<Pkg, Range>,
}

impl Leaves {
    fn collect(&mut self, tree: &DerivationTree<Pkg, Range, Unusable>) {
        match tree {
            DerivationTree::External(External::FromDependencyOf(parent, prange, dep, drange)) => {
                if *parent == Pkg::Root {
                    self.root.insert(dep.clone(), drange.clone());
                    return;
                }
                let d = self
                    .demands
                    .entry((parent.clone(), dep.clone()))
                    .or_default();
                d.parent_versions = Some(match d.parent_versions.take() {
                    Some(r) => r.union(prange),
                    None => prange.clone(),
                });
                d.dep_range = Some(match d.dep_range.take() {
                    Some(r) => r.union(drange),
                    None => drange.clone(),
                });
            }
            DerivationTree::External(External::Custom(pkg, range, why)) => {
                let r = self
                    .custom
                    .entry((pkg.clone(), why.clone()))
                    .or_insert_with(Range::empty);
                *r = r.union(range);
            }
            DerivationTree::External(External::NoVersions(pkg, range)) => {
                let r = self
                    .no_versions
                    .entry(pkg.clone())
                    .or_insert_with(Range::empty);
                *r = r.union(range);
            }
            DerivationTree::External(External::NotRoot(..)) => {}
            DerivationTree::Derived(d) => {
                self.collect(&d.cause1);
                self.collect(&d.cause2);
            }
        }
    }
}
