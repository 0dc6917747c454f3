//! Resolving requirements for a Lambda target: only wheels that load there, markers evaluated
//! for the target, newest versions first as pip does, and conflicts explained.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use tokio_util::sync::CancellationToken;
//! use wheelbarrow::index::{IndexClient, IndexSettings};
//! use wheelbarrow::resolve::{ResolveOptions, parse_requirement, resolve};
//! use wheelbarrow::RuntimeTable;
//!
//! let client = IndexClient::new(IndexSettings::from_environment(None)?)?;
//! let target = RuntimeTable::builtin().target(Some("python3.11"), Some("arm64"))?;
//! let requested = vec![parse_requirement("pandas", "command line")?];
//! let resolution = resolve(&client, requested, &target, &ResolveOptions::default(),
//!     Arc::new(|_| {}), CancellationToken::new()).await?;
//! for p in &resolution.packages {
//!     println!("{} {} ({})", p.name, p.version, p.filename);
//! }
//! # Ok(()) }
//! ```

mod advice;
mod explain;
mod markers;
mod provider;
mod requirements;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;
use tokio_util::sync::CancellationToken;

pub use advice::{Advice, Elsewhere, NewestLoadable};
pub use markers::target_environment;
pub use provider::ResolveEvent;
pub use requirements::{
    Requested, RequirementError, parse_requirement, read_any, read_pyproject,
    read_requirements_file,
};

use crate::index::{DistFile, IndexClient, IndexError};
use crate::lambda::{RuntimeTable, Target};
use crate::wheel::normalize_name;
use provider::{Pkg, Provider, ProviderError};

/// Choices that change what goes into the result.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Leave out the packages every Python runtime already has (boto3, botocore, ...).
    pub exclude_runtime_provided: bool,
}

/// One package of the result.
#[derive(Debug, Clone, Serialize)]
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
    /// The Lambda runtime already provides this project.
    pub runtime_provided: bool,
    /// Left out of the layer (runtime-provided, and the option says so).
    pub excluded: bool,
    /// Why the chosen wheel loads, in words.
    pub reason: String,
    #[serde(skip)]
    pub file: DistFile,
}

/// A resolution: every package to install, in name order.
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    pub runtime: String,
    pub arch: String,
    pub packages: Vec<ResolvedPackage>,
    /// Requirements whose markers do not hold on the target, with why they were skipped.
    pub skipped: Vec<String>,
}

impl Resolution {
    /// The packages that go into the layer.
    pub fn included(&self) -> impl Iterator<Item = &ResolvedPackage> {
        self.packages.iter().filter(|p| !p.excluded)
    }
}

/// Why a resolution failed.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("{}", no_solution_text(.explanation, .derivation))]
    NoSolution {
        /// What to do, one line a problem: `advice` in words.
        explanation: Vec<String>,
        /// What to do, as data (with hints), one item a problem.
        advice: Vec<Advice>,
        /// PubGrub's step-by-step derivation.
        derivation: String,
    },
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Requirement(#[from] RequirementError),
    #[error("no requirements given")]
    Nothing,
    #[error("cancelled")]
    Cancelled,
}

fn no_solution_text(explanation: &[String], derivation: &str) -> String {
    use std::fmt::Write as _;
    let mut text = String::from("no set of versions loads on this target.\n");
    for line in explanation {
        let _ = writeln!(text, "  - {line}");
    }
    text.push_str("How the resolver got there:\n");
    for line in derivation
        .replace("your requirements 0 ", "your requirements ")
        .lines()
    {
        let _ = writeln!(text, "  {line}");
    }
    text.trim_end().to_string()
}

/// Resolves `requested` for `target`. Runs the solver on a blocking thread; `progress` hears
/// about fetches and choices; `cancel` stops it.
pub async fn resolve(
    client: &IndexClient,
    requested: Vec<Requested>,
    target: &Target,
    options: &ResolveOptions,
    progress: Arc<dyn Fn(ResolveEvent) + Send + Sync>,
    cancel: CancellationToken,
) -> Result<Resolution, ResolveError> {
    if requested.is_empty() {
        return Err(ResolveError::Nothing);
    }
    let client = client.clone();
    let target = target.clone();
    let options = options.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        solve(
            client, requested, &target, &options, progress, cancel, handle,
        )
    })
    .await
    .map_err(|_| ResolveError::Cancelled)?
}

#[allow(clippy::needless_pass_by_value)] // moved into the blocking task
fn solve(
    client: IndexClient,
    requested: Vec<Requested>,
    target: &Target,
    options: &ResolveOptions,
    progress: Arc<dyn Fn(ResolveEvent) + Send + Sync>,
    cancel: CancellationToken,
    handle: tokio::runtime::Handle,
) -> Result<Resolution, ResolveError> {
    let env = target_environment(target);
    let mut skipped = Vec::new();
    let mut root = Vec::new();
    let mut origins: HashMap<String, String> = HashMap::new();
    for r in &requested {
        if r.requirement.marker.evaluate(&env, &[]) {
            origins
                .entry(normalize_name(r.requirement.name.as_ref()))
                .or_insert_with(|| r.origin.clone());
            root.push(r.requirement.clone());
        } else {
            skipped.push(format!(
                "{} ({}): its marker does not hold on {target}",
                provider::requirement_text(&r.requirement),
                r.origin
            ));
        }
    }
    let provider = Provider {
        client,
        target: target.clone(),
        env,
        handle,
        cancel,
        root,
        progress,
        projects: RefCell::default(),
        edges: RefCell::default(),
        pinned: RefCell::default(),
        wants_pre: RefCell::default(),
    };
    let root_version = pep440_rs::Version::new([0]);
    let solution = match pubgrub::resolve(&provider, Pkg::Root, root_version) {
        Ok(solution) => solution,
        Err(pubgrub::PubGrubError::NoSolution(tree)) => {
            let (advice, derivation) = explain::explain(tree, &provider);
            return Err(ResolveError::NoSolution {
                explanation: advice.iter().map(ToString::to_string).collect(),
                advice,
                derivation,
            });
        }
        Err(
            pubgrub::PubGrubError::ErrorRetrievingDependencies { source, .. }
            | pubgrub::PubGrubError::ErrorChoosingVersion { source, .. }
            | pubgrub::PubGrubError::ErrorInShouldCancel(source),
        ) => {
            return Err(match source {
                ProviderError::Index(e) => ResolveError::Index(e),
                ProviderError::Cancelled => ResolveError::Cancelled,
            });
        }
    };
    Ok(assemble(&provider, &solution, &origins, options, skipped))
}

fn assemble(
    provider: &Provider,
    solution: &pubgrub::SelectedDependencies<Pkg, pep440_rs::Version>,
    origins: &HashMap<String, String>,
    options: &ResolveOptions,
    skipped: Vec<String>,
) -> Resolution {
    let table = RuntimeTable::builtin();
    let projects = provider.projects.borrow();
    // Who asked for what, from the edges of the chosen versions only.
    let mut required_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let edges = provider.edges.borrow();
    for (pkg, version) in solution.iter() {
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
            let line = match &parent {
                None => format!(
                    "requested: {} ({})",
                    edge.spec,
                    origins.get(child).map_or("command line", String::as_str)
                ),
                Some(p) => format!("{p} {version} ({})", edge.spec),
            };
            let entry = required_by.entry(child.to_string()).or_default();
            if !entry.contains(&line) {
                entry.push(line);
            }
        }
    }
    let mut packages = Vec::new();
    let mut seen = HashSet::new();
    for (pkg, version) in solution.iter() {
        let Pkg::Project(name) = pkg else { continue };
        if !seen.insert(name.clone()) {
            continue;
        }
        let info = &projects[name];
        let file = info
            .best_file(version)
            .expect("a chosen version has a file")
            .clone();
        let runtime_provided = table.is_runtime_provided(name);
        packages.push(ResolvedPackage {
            name: info.project.name.clone(),
            version: version.to_string(),
            filename: file.filename.clone(),
            size: file.size,
            sha256: file.sha256.clone(),
            url: crate::index::redact_url(&file.url),
            required_by: required_by.remove(name).unwrap_or_default(),
            runtime_provided,
            excluded: runtime_provided && options.exclude_runtime_provided,
            reason: crate::wheel::file_verdict(&file, &provider.target).reason,
            file,
        });
    }
    packages.sort_by_key(|p| normalize_name(&p.name));
    Resolution {
        runtime: provider.target.runtime.name.clone(),
        arch: provider.target.arch.to_string(),
        packages,
        skipped,
    }
}
