//! Resolving requirements for a Lambda target: only wheels that load there, markers evaluated
//! for the target, newest versions first as pip does, and conflicts explained.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use tokio_util::sync::CancellationToken;
//! use wheelbarrow::index::{IndexClient, IndexSettings};
//! use wheelbarrow::resolve::{ResolveOptions, parse_requirement, resolve};
//! use wheelbarrow::work::Progress;
//! use wheelbarrow::RuntimeTable;
//!
//! let client = IndexClient::new(IndexSettings::from_environment(None)?)?;
//! let table = Arc::new(RuntimeTable::builtin());
//! let target = table.target(Some("python3.11"), Some("arm64"))?;
//! let requested = vec![parse_requirement("pandas", "command line")?];
//! let resolution = resolve(&client, &table, requested, &target, &ResolveOptions::default(),
//!     &Progress::none(), &CancellationToken::new()).await?;
//! for p in &resolution.packages {
//!     println!("{} {} ({})", p.name, p.version, p.filename);
//! }
//! # Ok(()) }
//! ```

mod advice;
mod candidates;
mod conflict;
mod direct;
mod direct_files;
mod env_vars;
mod error;
mod explain;
mod file_options;
mod file_text;
mod hashes;
pub mod lock;
mod locked;
mod markers;
mod pep508;
pub mod portable;
mod provider;
mod requirements;
mod requirements_file;
mod skips;
pub mod successors;
#[cfg(test)]
mod test_package;
mod version_set;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;
use tokio_util::sync::CancellationToken;

pub use advice::{Advice, Elsewhere, NewestLoadable};
pub use conflict::{Clash, Conflict, Versions};
pub use direct::DirectWheel;
pub use error::{LockedRefusal, NoSolution, PinnedRefusal, ResolveError};
pub use hashes::HashProblem;
pub use lock::{LockFormat, LockSelection, Locked, read_lock};
pub use markers::target_environment;
pub(crate) use pep508::parse_pep508;
pub use requirements::{
    Requested, RequirementError, parse_requirement, read_any, read_any_tolerant, read_any_until,
    read_pyproject, read_requirements_file,
};
pub use requirements_file::{MAX_FILES, MAX_INCLUDE_DEPTH, MAX_REQUIREMENTS_BYTES};
pub use skips::{MarkerSkip, missing_on};

use crate::index::{DistFile, FileSource, IndexClient};
use crate::lambda::{RuntimeTable, Target};
use crate::wheel::normalize_name;
use crate::work::{JoinFailure, Progress, join_failure};
use provider::{Pkg, Provider, ProviderError};

/// Choices that change what goes into the result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ResolveOptions {
    /// Leave out the packages every Python runtime already has (boto3, botocore, ...).
    pub exclude_runtime_provided: bool,
    /// Other targets the same resolution must serve (a `python/` layer for several runtimes or
    /// both architectures): every file taken loads on each of them too, and a requirement is
    /// followed when its marker holds on any of them (see [`portable`]). Empty: one target,
    /// pip's preference.
    pub also_for: Vec<Target>,
}

/// One package of the result.
#[derive(Debug, Clone, Serialize)]
#[allow(clippy::struct_excessive_bools)] // independent facts about one package, each a yes/no
pub struct ResolvedPackage {
    /// The name as the index spells it.
    pub name: String,
    pub version: String,
    pub filename: String,
    /// Bytes of the wheel file.
    pub size: Option<u64>,
    pub sha256: Option<String>,
    pub url: String,
    /// Who asked for it: `requested (requirements.txt:3)`, `pandas 2.2.3 (numpy>=1.23.2)`.
    pub required_by: Vec<String>,
    /// The user asked for this project (it is not only a dependency).
    pub requested: bool,
    /// The user chose this exact file.
    pub pinned_file: bool,
    /// The Lambda runtime already provides this project.
    pub runtime_provided: bool,
    /// Left out of the layer (runtime-provided, and the option says so).
    pub excluded: bool,
    /// Why the chosen wheel loads, in words.
    pub reason: String,
    /// In hash-checking mode, the sha256 digests the requirements accept for this package (the
    /// download must have one of them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<String>,
    /// Where the wheel was found when not on the index's page: a find-links location, or named
    /// directly by a requirement.
    #[serde(skip_serializing_if = "FileSource::is_index")]
    pub source: FileSource,
    /// The release's `Requires-Python`, from its METADATA (the index may not list it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_python: Option<String>,
    /// The core metadata the resolution used for this release (the index's `.metadata` file, or
    /// the wheel's own read by range requests): the build compares the downloaded wheel's
    /// METADATA with it and refuses a wheel that says otherwise. `None` when not known.
    #[serde(skip)]
    pub metadata: Option<crate::index::CoreMetadata>,
    #[serde(skip)]
    pub file: DistFile,
}

/// A resolution: every package to install, in name order.
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    /// What it was resolved for (serialised as `runtime` and `arch`).
    #[serde(flatten)]
    pub target: Target,
    pub packages: Vec<ResolvedPackage>,
    /// Requirements whose markers do not hold on the target, with why they were skipped.
    pub skipped: Vec<String>,
    /// Dead ends in the result (abandoned, or failing on Lambda), and what to use instead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub instead: Vec<successors::Instead>,
    /// Requirements whose markers do not hold on the target, of the user and of each chosen
    /// package: on another runtime they may hold, and the layer would lack them there.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub marker_skips: Vec<MarkerSkip>,
    /// The target's runtime is past its deprecation date (on the day it was resolved).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<crate::lambda::Deprecated>,
    /// Resolved for several targets at once ([`ResolveOptions::also_for`]): which they are, and
    /// what that changed (portable wheels taken, dependencies only some targets need).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portable: Option<portable::Portable>,
}

impl Resolution {
    /// The packages that go into the layer.
    pub fn included(&self) -> impl Iterator<Item = &ResolvedPackage> {
        self.packages.iter().filter(|p| !p.excluded)
    }

    /// The packages the user asked for, not only their dependencies.
    pub fn requested(&self) -> impl Iterator<Item = &ResolvedPackage> {
        self.packages.iter().filter(|p| p.requested)
    }
}

/// Resolves `requested` for `target`, with `table`'s facts (what the runtime provides, the
/// other runtimes to suggest). Runs the solver on a blocking thread; `progress` hears about
/// projects read and versions tried; `cancel` stops it.
///
/// With other targets in `options.also_for`, the one resolution serves them all, and what that
/// costs is said by comparing it with the resolution for `target` alone ([`portable`]).
pub async fn resolve(
    client: &IndexClient,
    table: &Arc<RuntimeTable>,
    requested: Vec<Requested>,
    target: &Target,
    options: &ResolveOptions,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<Resolution, ResolveError> {
    if options.also_for.is_empty() {
        return resolve_for(client, table, requested, target, options, progress, cancel).await;
    }
    let mut resolution = resolve_for(
        client,
        table,
        requested.clone(),
        target,
        options,
        progress,
        cancel,
    )
    .await?;
    let alone = ResolveOptions {
        also_for: Vec::new(),
        ..options.clone()
    };
    match resolve_for(client, table, requested, target, &alone, progress, cancel).await {
        Ok(alone) => portable::compare(&mut resolution, &alone),
        Err(ResolveError::Cancelled) => return Err(ResolveError::Cancelled),
        Err(_) => {} // nothing to compare with: the one target alone does not resolve
    }
    Ok(resolution)
}

/// [`resolve`] without the comparison.
async fn resolve_for(
    client: &IndexClient,
    table: &Arc<RuntimeTable>,
    requested: Vec<Requested>,
    target: &Target,
    options: &ResolveOptions,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<Resolution, ResolveError> {
    if requested.is_empty() {
        return Err(ResolveError::Nothing);
    }
    // `-f` lines of requirements files take part like the client's own find-links.
    let find_links: Vec<_> = requested
        .iter()
        .flat_map(|r| r.find_links.iter().cloned())
        .collect();
    let client = client.with_find_links(&find_links);
    let direct = tokio::select! {
        fetched = direct_files::fetch(&client, &requested, progress, cancel) => fetched?,
        () = cancel.cancelled() => return Err(ResolveError::Cancelled),
    };
    let job = Job {
        direct,
        client: client.clone(),
        table: table.clone(),
        target: target.clone(),
        options: options.clone(),
        progress: progress.clone(),
        cancel: cancel.clone(),
        handle: tokio::runtime::Handle::current(),
    };
    let solved = tokio::task::spawn_blocking(move || solve(job, &requested))
        .await
        .map_err(|e| match join_failure(e) {
            JoinFailure::Cancelled => ResolveError::Cancelled,
            JoinFailure::Panicked(message) => ResolveError::Internal(message),
        })?;
    successors::with_successors(&client, solved, target).await
}

/// Everything the blocking solver needs, moved onto its thread.
struct Job {
    /// Project -> the wheel a requirement names by URL or path, fetched and verified.
    direct: HashMap<String, DistFile>,
    client: IndexClient,
    table: Arc<RuntimeTable>,
    target: Target,
    options: ResolveOptions,
    progress: Progress,
    cancel: CancellationToken,
    handle: tokio::runtime::Handle,
}

fn solve(job: Job, requested: &[Requested]) -> Result<Resolution, ResolveError> {
    let target = &job.target;
    let env = target_environment(target);
    let also_env = portable::environments(&job.options.also_for);
    let mut skipped = Vec::new();
    let mut root_skips = Vec::new();
    let mut root = Vec::new();
    let mut root_origins = Vec::new();
    let mut origins: HashMap<String, String> = HashMap::new();
    let mut pins: HashMap<String, String> = HashMap::new();
    for r in requested.iter().filter(|r| locked::is_root(r)) {
        if portable::holds_on_any(&r.requirement, &env, &also_env, &[]) {
            origins
                .entry(r.project())
                .or_insert_with(|| r.origin.clone());
            if let Some(file) = &r.file {
                pins.insert(r.project(), file.clone());
            }
            root.push(r.requirement.clone());
            root_origins.push(r.origin.clone());
        } else {
            root_skips.push(MarkerSkip {
                by: format!("requested ({})", r.origin),
                requirement: r.requirement.to_string(),
                extras: Vec::new(),
            });
            skipped.push(format!(
                "{} ({}): its marker does not hold on {target}",
                provider::requirement_text(&r.requirement),
                r.origin
            ));
        }
    }
    let hash_mode = hashes::mode(requested);
    if let Some(because) = &hash_mode {
        hashes::check_requested(requested, because).map_err(ResolveError::Hashes)?;
    }
    let provider = Provider {
        hashes: hash_mode.as_ref().map(|_| hashes::by_project(requested)),
        client: job.client,
        table: job.table,
        target: target.clone(),
        env,
        also: job.options.also_for.clone(),
        also_env,
        handle: job.handle,
        cancel: job.cancel,
        root,
        root_origins,
        progress: job.progress,
        projects_read: std::cell::Cell::default(),
        tried: RefCell::default(),
        fetching: RefCell::default(),
        pins,
        projects: RefCell::default(),
        edges: RefCell::default(),
        marker_skips: RefCell::default(),
        requires_python: RefCell::default(),
        used_metadata: RefCell::default(),
        pinned: RefCell::default(),
        wants_pre: RefCell::default(),
        all_pre: requested.iter().any(|r| r.pre),
        locked: locked::pins(requested),
    };
    pin_locked(&provider);
    direct_files::insert_pages(&provider, &job.direct);
    check_pinned_files(&provider)?;
    if hash_mode.is_some() {
        check_releases(&provider, requested)?;
    }
    let root_version = provider::SolverVersion::alone(pep440_rs::Version::new([0]));
    let solution = match pubgrub::resolve(&provider, Pkg::Root, root_version) {
        Ok(solution) => solution,
        Err(pubgrub::PubGrubError::NoSolution(tree)) => return Err(no_solution(tree, &provider)),
        Err(
            pubgrub::PubGrubError::ErrorRetrievingDependencies { source, .. }
            | pubgrub::PubGrubError::ErrorChoosingVersion { source, .. }
            | pubgrub::PubGrubError::ErrorInShouldCancel(source),
        ) => {
            return Err(from_provider(source));
        }
    };
    let mut resolution = assemble(&provider, &solution, &origins, &job.options, skipped);
    resolution.portable = portable::notes(&provider, &solution, &resolution);
    root_skips.append(&mut resolution.marker_skips);
    resolution.marker_skips = root_skips;
    if let Some(problem) = locked::not_in_lock(&resolution, &provider.locked, requested) {
        return Err(ResolveError::Hashes(problem));
    }
    if let Some(problem) = provider
        .hashes
        .as_ref()
        .and_then(|listed| hashes::missing(&resolution, listed))
    {
        return Err(ResolveError::Hashes(problem));
    }
    Ok(resolution)
}

/// The versions a lock file holds may be yanked ones: they are chosen as pins are.
fn pin_locked(provider: &Provider) {
    for (name, pin) in &provider.locked {
        for v in &pin.versions {
            provider
                .pinned
                .borrow_mut()
                .insert((name.clone(), v.clone()));
        }
    }
}

/// In hash-checking mode: every requirement's release has a file with a listed hash (the
/// projects' pages fetched together first).
fn check_releases(provider: &Provider, requested: &[Requested]) -> Result<(), ResolveError> {
    let mut names: Vec<String> = requested.iter().map(Requested::project).collect();
    names.sort();
    names.dedup();
    provider.fetch_projects(&names).map_err(from_provider)?;
    for r in requested {
        let info = provider.project(&r.project()).map_err(from_provider)?;
        hashes::check_release(r, &info.project).map_err(ResolveError::Hashes)?;
    }
    Ok(())
}

/// Why nothing fits: for several targets, the projects that have no wheel for all of them when
/// that is why; else the clashing facts.
fn no_solution(
    tree: pubgrub::DerivationTree<Pkg, provider::Range, provider::Unusable>,
    provider: &Provider,
) -> ResolveError {
    match portable::narrowing(&tree, provider) {
        Some(narrowing) => ResolveError::NotPortable(Box::new(narrowing)),
        None => ResolveError::NoSolution(Box::new(explain::explain(tree, provider))),
    }
}

fn from_provider(e: ProviderError) -> ResolveError {
    match e {
        ProviderError::Index(e) => ResolveError::Index(e),
        ProviderError::Cancelled => ResolveError::Cancelled,
        ProviderError::Locked(refusal) => ResolveError::LockedRefused(refusal),
    }
}

/// Every file the user chose must exist and load on the target; the answer says why not, and
/// which version does load there.
fn check_pinned_files(provider: &Provider) -> Result<(), ResolveError> {
    let mut pins: Vec<_> = provider.pins.iter().collect();
    pins.sort();
    for (name, filename) in pins {
        let info = provider.project(name).map_err(from_provider)?;
        let Some(file) = info.project.files.iter().find(|f| &f.filename == filename) else {
            return Err(ResolveError::PinnedFileMissing {
                project: info.project.name.clone(),
                filename: filename.clone(),
            });
        };
        let (target, verdict) = std::iter::once(&provider.target)
            .chain(&provider.also)
            .map(|t| (t, crate::wheel::file_verdict(file, t)))
            .find(|(_, v)| !v.compatible)
            .unwrap_or_else(|| {
                (
                    &provider.target,
                    crate::wheel::file_verdict(file, &provider.target),
                )
            });
        if !verdict.compatible {
            let direct =
                (file.source == FileSource::Direct).then(|| crate::index::redact_url(&file.url));
            return Err(ResolveError::PinnedFileRefused(Box::new(PinnedRefusal {
                project: info.project.name.clone(),
                filename: filename.clone(),
                target: target.clone(),
                verdict,
                loads: direct
                    .is_none()
                    .then(|| crate::wheel::newest_loadable(&*info.project, target))
                    .flatten(),
                direct,
            })));
        }
    }
    Ok(())
}

fn assemble(
    provider: &Provider,
    solution: &pubgrub::SelectedDependencies<Pkg, provider::SolverVersion>,
    origins: &HashMap<String, String>,
    options: &ResolveOptions,
    skipped: Vec<String>,
) -> Resolution {
    let projects = provider.projects.borrow();
    // Who asked for what, from the edges of the chosen versions only.
    let mut required_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut said: HashSet<(String, String)> = HashSet::new();
    let edges = provider.edges.borrow();
    for (pkg, version) in solution.iter() {
        let version = &version.version;
        let Some(list) = edges.get(&(pkg.clone(), version.clone())) else {
            continue;
        };
        let parent = match pkg {
            Pkg::Root => None,
            Pkg::Project(n) | Pkg::Extra(n, _) => projects.get(n).map(|i| i.project.name.clone()),
        };
        for edge in list {
            let Some(child) = edge.child.project_name() else {
                continue;
            };
            if matches!(pkg, Pkg::Extra(n, _) if n == child) {
                continue;
            }
            // Each requirement with where it was written, each line once (in linear time: a
            // file may repeat one project 100,000 times).
            let line = match &parent {
                None => format!(
                    "requested: {} ({})",
                    edge.spec,
                    edge.origin
                        .as_deref()
                        .or_else(|| origins.get(child).map(String::as_str))
                        .unwrap_or("command line")
                ),
                Some(p) => format!("{p} {version} ({})", edge.spec),
            };
            if said.insert((child.to_string(), line.clone())) {
                required_by.entry(child.to_string()).or_default().push(line);
            }
        }
    }
    let mut packages = Vec::new();
    let mut seen = HashSet::new();
    for (pkg, version) in solution.iter() {
        let version = &version.version;
        let Pkg::Project(name) = pkg else { continue };
        if !seen.insert(name.clone()) {
            continue;
        }
        let info = &projects[name];
        let file = info
            .best_file(version)
            .expect("a chosen version has a file")
            .clone();
        let runtime_provided = provider.table.is_runtime_provided(name);
        let lines = required_by.remove(name).unwrap_or_default();
        packages.push(ResolvedPackage {
            name: info.project.name.clone(),
            version: version.to_string(),
            filename: file.filename.clone(),
            size: file.size,
            sha256: file.sha256.clone(),
            url: crate::index::redact_url(&file.url),
            requested: origins.contains_key(name),
            pinned_file: provider.pins.contains_key(name),
            required_by: lines,
            runtime_provided,
            excluded: runtime_provided && options.exclude_runtime_provided,
            reason: crate::wheel::file_verdict(&file, &provider.target).reason,
            hashes: provider
                .hashes
                .as_ref()
                .and_then(|h| h.get(name).cloned())
                .unwrap_or_default(),
            source: file.source.clone(),
            requires_python: provider
                .requires_python
                .borrow()
                .get(&(name.clone(), version.clone()))
                .cloned(),
            metadata: provider
                .used_metadata
                .borrow()
                .get(&(name.clone(), version.clone()))
                .cloned(),
            file,
        });
    }
    packages.sort_by_key(|p| normalize_name(&p.name));
    let marker_skips = skips::of_solution(provider, solution, &projects);
    Resolution {
        marker_skips,
        deprecated: crate::lambda::deprecation(
            &provider.table,
            &provider.target,
            &crate::lambda::today(),
        ),
        target: provider.target.clone(),
        packages,
        skipped,
        instead: Vec::new(),
        portable: None,
    }
}
