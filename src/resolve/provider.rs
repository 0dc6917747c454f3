//! The PubGrub dependency provider: versions are candidates only when a wheel of theirs loads on
//! the target; dependencies come from that wheel's METADATA, with markers evaluated for the
//! target.
//!
//! PubGrub is synchronous, so the provider runs on a blocking thread and fetches through the
//! async index client with `Handle::block_on`. Project pages of all of a version's dependencies
//! are fetched together, and the METADATA of each dependency's newest candidate is prefetched in
//! the background while the solver works.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use pep440_rs::{Operator, Version, VersionSpecifiers};
use pep508_rs::{ExtraName, MarkerEnvironment, Requirement, VersionOrUrl};
use pubgrub::{Dependencies, DependencyProvider, PackageResolutionStatistics};
use tokio::runtime::Handle;
use tokio_util::sync::CancellationToken;

use crate::index::{CoreMetadata, IndexClient, IndexError};
use crate::lambda::{RuntimeTable, Target};
use crate::wheel::normalize_name;
use crate::work::{Phase, Progress, Step};

pub use super::candidates::{ProjectInfo, Unusable};
pub use super::version_set::{Range, SolverVersion};

/// A node of the resolution: the root, a project, or a project with one extra.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pkg {
    Root,
    Project(String),
    Extra(String, String),
}

impl fmt::Display for Pkg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pkg::Root => f.write_str("your requirements"),
            Pkg::Project(n) => f.write_str(n),
            Pkg::Extra(n, e) => write!(f, "{n}[{e}]"),
        }
    }
}

impl Pkg {
    pub fn project_name(&self) -> Option<&str> {
        match self {
            Pkg::Root => None,
            Pkg::Project(n) | Pkg::Extra(n, _) => Some(n),
        }
    }
}

/// One edge of the graph, kept to say later why each package is there.
#[derive(Debug, Clone)]
pub struct Edge {
    pub child: Pkg,
    /// The requirement as written (`numpy>=1.26`).
    pub spec: String,
    /// Where the user wrote it (`requirements.txt:3`), for the root's edges.
    pub origin: Option<String>,
}

/// Why the provider stopped.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Locked(Box<super::error::LockedRefusal>),
}

/// At most this many METADATA files are fetched ahead for one project.
const PREFETCH_MAX: u64 = 64;

type MetadataAnswer = Result<CoreMetadata, IndexError>;

/// Requirements a marker left out (as written), and the extras they were evaluated with.
pub type LeftOut = (Vec<String>, Vec<String>);

pub struct Provider {
    pub client: IndexClient,
    pub table: Arc<RuntimeTable>,
    pub target: Target,
    pub env: MarkerEnvironment,
    /// The other targets the one resolution must serve, and their marker environments
    /// ([`super::portable`]); empty for one target.
    pub also: Vec<Target>,
    pub also_env: Vec<MarkerEnvironment>,
    pub handle: Handle,
    pub cancel: CancellationToken,
    pub root: Vec<Requirement>,
    /// Where each of `root` was written (`requirements.txt:3`), in the same order.
    pub root_origins: Vec<String>,
    pub progress: Progress,
    /// Project pages read so far, for progress reports.
    pub projects_read: Cell<u64>,
    /// Versions tried per project (backtracking shows as a growing count).
    pub tried: RefCell<HashMap<String, u64>>,
    /// METADATA being fetched ahead, by (project, version).
    pub fetching: RefCell<HashMap<(String, Version), tokio::task::JoinHandle<MetadataAnswer>>>,
    /// Project -> the file name the user chose for it (its version is pinned in `root`).
    pub pins: HashMap<String, String>,
    /// In hash-checking mode: project -> the sha256 digests its files must have.
    pub hashes: Option<HashMap<String, Vec<String>>>,
    pub projects: RefCell<HashMap<String, Arc<ProjectInfo>>>,
    pub edges: RefCell<HashMap<(Pkg, Version), Vec<Edge>>>,
    /// Per package version: the requirements its markers left out on the target, and the
    /// extras they were evaluated with.
    pub marker_skips: RefCell<HashMap<(Pkg, Version), LeftOut>>,
    /// Per (project, version): `Requires-Python` from its METADATA.
    pub requires_python: RefCell<HashMap<(String, Version), String>>,
    /// The core metadata each chosen release's dependencies were read from (for the build's
    /// comparison with the downloaded wheel).
    pub used_metadata: RefCell<HashMap<(String, Version), CoreMetadata>>,
    /// (project, version) pinned with `==`: yanked versions are allowed for these.
    pub pinned: RefCell<HashSet<(String, Version)>>,
    /// Projects for which some requirement names a pre-release.
    pub wants_pre: RefCell<HashSet<String>>,
    /// `--pre` in a requirements file: pre-releases are chosen like final releases everywhere.
    pub all_pre: bool,
    /// Project -> the versions a lock file holds (only those are chosen) and where.
    pub locked: HashMap<String, super::locked::LockPin>,
}

impl Provider {
    /// The project, fetched once.
    pub fn project(&self, name: &str) -> Result<Arc<ProjectInfo>, ProviderError> {
        if let Some(p) = self.projects.borrow().get(name) {
            return Ok(p.clone());
        }
        self.fetch_projects(&[name.to_string()])?;
        Ok(self.projects.borrow()[name].clone())
    }

    /// Fetches the pages of several projects at once.
    pub(super) fn fetch_projects(&self, names: &[String]) -> Result<(), ProviderError> {
        let missing: Vec<String> = names
            .iter()
            .filter(|n| !self.projects.borrow().contains_key(*n))
            .cloned()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        for name in &missing {
            let read = self.projects_read.get() + 1;
            self.projects_read.set(read);
            self.progress
                .report(&Step::new(Phase::ReadingProjects, read, None).about(name));
        }
        let client = &self.client;
        let fetched = self.handle.block_on(async {
            let all =
                futures_util::future::join_all(missing.iter().map(|n| client.project_shared(n)));
            tokio::select! {
                r = all => Ok(r),
                () = self.cancel.cancelled() => Err(ProviderError::Cancelled),
            }
        })?;
        for (name, result) in missing.iter().zip(fetched) {
            let pin = self.pins.get(name).map(String::as_str);
            let hashes = self.hashes.as_ref().and_then(|h| h.get(name));
            let info = Arc::new(ProjectInfo::new(
                result?,
                (&self.target, &self.also),
                pin,
                hashes.map(Vec::as_slice),
            ));
            self.prefetch_metadata(&info);
            self.projects.borrow_mut().insert(name.clone(), info);
        }
        Ok(())
    }

    /// Starts fetching the METADATA of a project's newest loadable version in the background.
    fn prefetch_metadata(&self, info: &ProjectInfo) {
        let newest = info
            .versions
            .iter()
            .rev()
            .find(|v| !v.any_prerelease() && info.best.contains_key(*v));
        if let Some(v) = newest {
            self.prefetch(&normalize_name(&info.project.name), info, v);
        }
    }

    /// Starts fetching one version's METADATA in the background, once; [`Provider::metadata`]
    /// takes the answer from there.
    fn prefetch(&self, name: &str, info: &ProjectInfo, version: &Version) {
        let key = (name.to_string(), version.clone());
        if self.fetching.borrow().contains_key(&key) {
            return;
        }
        let Some(file) = info.best_file(version).cloned() else {
            return;
        };
        let client = self.client.clone();
        let task = self
            .handle
            .spawn(async move { client.metadata(&file).await });
        self.fetching.borrow_mut().insert(key, task);
    }

    /// When the solver goes back over a project's versions, the next older candidates' METADATA
    /// is fetched ahead in parallel, more the longer it backtracks (bounded). Only the next
    /// `ahead` candidates are looked at (those already on their way are left as they are):
    /// skipping every version already fetching would scan them all on each step once the
    /// prefetch has run ahead, a cost that grows with the square of the versions tried.
    fn prefetch_older(&self, name: &str, info: &ProjectInfo, range: &Range, tried: u64) {
        let ahead = if tried < 2 {
            0
        } else {
            (tried * 4).min(PREFETCH_MAX)
        };
        let wants_pre = self.wants_pre.borrow().contains(name);
        let next = range
            .newest_first(&info.versions)
            .filter(|v| self.is_candidate(name, info, v))
            .filter(|v| wants_pre || !v.any_prerelease())
            .take(usize::try_from(ahead).unwrap_or(0))
            .cloned()
            .collect::<Vec<_>>();
        for v in &next {
            self.prefetch(name, info, v);
        }
    }

    fn metadata(&self, name: &str, version: &Version) -> Result<CoreMetadata, ProviderError> {
        let info = self.project(name)?;
        let file = info
            .best_file(version)
            .expect("chosen versions have a loading file")
            .clone();
        let started = self
            .fetching
            .borrow_mut()
            .remove(&(name.to_string(), version.clone()));
        let client = &self.client;
        self.handle.block_on(async {
            let fetch = async {
                if let Some(task) = started
                    && let Ok(answer) = task.await
                {
                    return answer;
                }
                client.metadata(&file).await
            };
            tokio::select! {
                r = fetch => r.map_err(ProviderError::from),
                () = self.cancel.cancelled() => Err(ProviderError::Cancelled),
            }
        })
    }

    /// The versions of `name` that `specifiers` admits. Pre-releases are in the range (so it
    /// reads as the specifier does) but chosen only when asked for or when no final release in
    /// the range loads, as PEP 440 says; yanked versions only when pinned with `==`.
    pub fn range_for(
        &self,
        name: &str,
        specifiers: Option<&VersionSpecifiers>,
    ) -> Result<Range, ProviderError> {
        let info = self.project(name)?;
        let range = match specifiers.filter(|s| !s.is_empty()) {
            None => Range::full(),
            Some(specifiers) => {
                if let Some(pin) = exact_pin(specifiers) {
                    self.pinned.borrow_mut().insert((name.to_string(), pin));
                }
                if specifiers.iter().any(|s| s.version().any_prerelease()) {
                    self.wants_pre.borrow_mut().insert(name.to_string());
                }
                Self::range_of(&info, |v| specifiers.contains(v))
            }
        };
        let Some(pin) = self.locked.get(name) else {
            return Ok(range);
        };
        if !pin
            .versions
            .iter()
            .any(|v| self.is_candidate(name, &info, v))
        {
            return Err(ProviderError::Locked(Box::new(super::locked::refusal(
                &info,
                pin,
                &self.target,
            ))));
        }
        Ok(range.intersection(&Self::range_of(&info, |v| pin.versions.contains(v))))
    }

    /// The versions for which `admit` holds, as a few intervals over the known versions.
    fn range_of(info: &ProjectInfo, admit: impl Fn(&Version) -> bool) -> Range {
        let versions = &info.versions;
        let mut range = Range::empty();
        let mut i = 0;
        while i < versions.len() {
            if !admit(&versions[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < versions.len() && admit(&versions[i]) {
                i += 1;
            }
            let run = match versions.get(i) {
                Some(next) => Range::between(versions[start].clone(), next.clone()),
                None => Range::higher_than(versions[start].clone()),
            };
            range = range.union(&run);
        }
        range
    }

    fn is_candidate(&self, name: &str, info: &ProjectInfo, v: &Version) -> bool {
        info.best.contains_key(v)
            && (!info.yanked_only.contains(v)
                || self
                    .pinned
                    .borrow()
                    .contains(&(name.to_string(), v.clone())))
    }

    /// Dependencies of a requirement list, for the extras given; records the edges.
    fn constraints(
        &self,
        parent: &Pkg,
        version: &Version,
        requirements: &[Requirement],
        extras: &[ExtraName],
        origins: &[String],
    ) -> Result<Dependencies<Pkg, Range, Unusable>, ProviderError> {
        let left_out: Vec<String> = requirements
            .iter()
            .filter(|r| !self.holds(r, extras))
            .map(ToString::to_string)
            .collect();
        if !left_out.is_empty() {
            let extras = extras.iter().map(ToString::to_string).collect();
            self.marker_skips
                .borrow_mut()
                .insert((parent.clone(), version.clone()), (left_out, extras));
        }
        let applicable: Vec<(usize, &Requirement)> = requirements
            .iter()
            .enumerate()
            .filter(|(_, r)| self.holds(r, extras))
            .filter(|(_, r)| {
                parent.project_name() != Some(&normalize_name(r.name.as_ref()))
                    || !r.extras.is_empty()
            })
            .collect();
        let names: Vec<String> = applicable
            .iter()
            .map(|(_, r)| normalize_name(r.name.as_ref()))
            .collect();
        self.fetch_projects(&names)?;
        let mut deps: pubgrub::Map<Pkg, Range> = pubgrub::Map::default();
        let mut edges = Vec::new();
        // A project asked for many times (100,000 repeats of one line) is one range, each
        // requirement's range computed once per distinct text.
        let mut ranges: HashMap<(&str, String), Range> = HashMap::new();
        for ((at, req), name) in applicable.iter().zip(&names) {
            let specifiers = match &req.version_or_url {
                Some(VersionOrUrl::VersionSpecifier(s)) => Some(s),
                Some(VersionOrUrl::Url(url)) => {
                    return Ok(Dependencies::Unavailable(Unusable::UrlDependency {
                        project: name.clone(),
                        url: url.to_string(),
                    }));
                }
                None => None,
            };
            let spec = requirement_text(req);
            let range = match ranges.get(&(name.as_str(), spec.clone())) {
                Some(range) => range.clone(),
                None => {
                    let range = self.range_for(name, specifiers)?;
                    ranges.insert((name.as_str(), spec.clone()), range.clone());
                    range
                }
            };
            let mut nodes = vec![Pkg::Project(name.clone())];
            nodes.extend(
                req.extras
                    .iter()
                    .map(|e| Pkg::Extra(name.clone(), e.to_string())),
            );
            for node in nodes {
                if &node == parent {
                    continue;
                }
                let merged = deps
                    .get(&node)
                    .map_or_else(|| range.clone(), |r| r.intersection(&range));
                deps.insert(node.clone(), merged);
                edges.push(Edge {
                    child: node,
                    spec: spec.clone(),
                    origin: origins.get(*at).cloned(),
                });
            }
        }
        self.edges
            .borrow_mut()
            .insert((parent.clone(), version.clone()), edges);
        Ok(Dependencies::Available(deps.into_iter().collect()))
    }
}

/// The requirement without its marker, as shown in "why it is there".
pub fn requirement_text(req: &Requirement) -> String {
    let mut text = req.name.to_string();
    if !req.extras.is_empty() {
        let extras: Vec<String> = req.extras.iter().map(ToString::to_string).collect();
        text.push('[');
        text.push_str(&extras.join(","));
        text.push(']');
    }
    if let Some(VersionOrUrl::VersionSpecifier(s)) = &req.version_or_url {
        text.push_str(&s.to_string());
    }
    text
}

/// `==1.2.3` (no wildcard) pins one version.
fn exact_pin(specifiers: &VersionSpecifiers) -> Option<Version> {
    let mut iter = specifiers.iter();
    let first = iter.next()?;
    (iter.next().is_none() && matches!(first.operator(), Operator::Equal | Operator::ExactEqual))
        .then(|| first.version().clone())
}

impl DependencyProvider for Provider {
    type P = Pkg;
    type V = SolverVersion;
    type VS = Range;
    type M = Unusable;
    type Priority = (u32, std::cmp::Reverse<usize>);
    type Err = ProviderError;

    fn prioritize(
        &self,
        package: &Pkg,
        range: &Range,
        stats: &PackageResolutionStatistics,
    ) -> Self::Priority {
        // Packages that conflict more, and those with fewer choices, are decided first.
        let choices = package
            .project_name()
            .and_then(|n| self.projects.borrow().get(n).cloned())
            .map_or(0, |info| range.count_in(&info.versions));
        (stats.conflict_count(), std::cmp::Reverse(choices))
    }

    fn choose_version(
        &self,
        package: &Pkg,
        range: &Range,
    ) -> Result<Option<SolverVersion>, ProviderError> {
        if self.cancel.is_cancelled() {
            return Err(ProviderError::Cancelled);
        }
        let Some(name) = package.project_name() else {
            return Ok(Some(SolverVersion::alone(
                Version::from_str("0").expect("a version"),
            )));
        };
        let info = self.project(name)?;
        let candidates = || {
            range
                .newest_first(&info.versions)
                .filter(|v| self.is_candidate(name, &info, v))
        };
        let chosen = if self.all_pre || self.wants_pre.borrow().contains(name) {
            candidates().next()
        } else {
            candidates()
                .find(|v| !v.any_prerelease())
                .or_else(|| candidates().next())
        }
        .cloned();
        if let (Some(_), Pkg::Project(_)) = (&chosen, package) {
            let tried = {
                let mut tried = self.tried.borrow_mut();
                let n = tried.entry(name.to_string()).or_default();
                *n += 1;
                *n
            };
            self.prefetch_older(name, &info, range, tried);
            self.progress
                .report(&Step::new(Phase::TryingVersions, tried, None).about(&info.project.name));
        }
        Ok(chosen.map(|v| SolverVersion::among(v, &info.versions)))
    }

    fn get_dependencies(
        &self,
        package: &Pkg,
        solver_version: &SolverVersion,
    ) -> Result<Dependencies<Pkg, Range, Unusable>, ProviderError> {
        let version = &solver_version.version;
        match package {
            Pkg::Root => self.constraints(package, version, &self.root, &[], &self.root_origins),
            Pkg::Project(name) => {
                let meta = self.metadata(name, version)?;
                self.used_metadata
                    .borrow_mut()
                    .insert((name.clone(), version.clone()), meta.clone());
                if let Some(spec) = &meta.requires_python {
                    self.requires_python
                        .borrow_mut()
                        .insert((name.clone(), version.clone()), spec.clone());
                }
                if let Some(spec) = &meta.requires_python
                    && let Some(refused) = self.refused_by(spec)
                {
                    return Ok(Dependencies::Unavailable(Unusable::RequiresPython {
                        spec: spec.clone(),
                        runtime: refused.runtime.name.clone(),
                        minor: refused.runtime.python_minor,
                    }));
                }
                let requirements = match parse_all(&meta.requires_dist) {
                    Ok(r) => r,
                    Err(bad) => {
                        return Ok(Dependencies::Unavailable(Unusable::BadMetadata {
                            line: bad,
                        }));
                    }
                };
                self.constraints(package, version, &requirements, &[], &[])
            }
            Pkg::Extra(name, extra) => {
                let meta = self.metadata(name, version)?;
                if !provides_extra(&meta, extra) {
                    return Ok(Dependencies::Unavailable(Unusable::UnknownExtra {
                        extra: extra.clone(),
                        known: meta.provides_extra.clone(),
                    }));
                }
                let requirements = parse_all(&meta.requires_dist).unwrap_or_default();
                let extras = ExtraName::from_str(extra)
                    .map(|e| vec![e])
                    .unwrap_or_default();
                let deps = match self.constraints(package, version, &requirements, &extras, &[])? {
                    Dependencies::Available(d) => d,
                    unavailable @ Dependencies::Unavailable(_) => return Ok(unavailable),
                };
                let mut deps: pubgrub::Map<Pkg, Range> = deps.into_iter().collect();
                deps.insert(Pkg::Project(name.clone()), Range::release(solver_version));
                Ok(Dependencies::Available(deps.into_iter().collect()))
            }
        }
    }

    fn should_cancel(&self) -> Result<(), ProviderError> {
        if self.cancel.is_cancelled() {
            Err(ProviderError::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// Whether a release provides `extra`: declared with `Provides-Extra`, or (in metadata older
/// than that field) named by a `Requires-Dist` marker.
fn provides_extra(meta: &CoreMetadata, extra: &str) -> bool {
    let wanted = crate::wheel::normalize_name(extra);
    meta.provides_extra
        .iter()
        .any(|e| crate::wheel::normalize_name(e) == wanted)
        || meta.requires_dist.iter().any(|r| {
            r.split_once(';').is_some_and(|(_, marker)| {
                let marker = marker.replace(['\'', '"'], " ");
                marker
                    .split_whitespace()
                    .any(|w| crate::wheel::normalize_name(w) == wanted)
            })
        })
}

fn parse_all(lines: &[String]) -> Result<Vec<Requirement>, String> {
    lines
        .iter()
        .map(|l| super::pep508::parse_pep508(l).map_err(|_| l.clone()))
        .collect()
}
