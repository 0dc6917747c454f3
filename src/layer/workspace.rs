//! The layer workspace: what the user asked for ([`LayerSpec`], plain data) and the engine that
//! answers for it ([`Workspace`]: the index client, the runtime table, and caches). Both front
//! ends drive it: `wheelbarrow build` and `resolve` ask once; the TUI asks again after every
//! change, and an answer whose inputs did not change comes from the cache at once.
//!
//! ```text
//!  LayerSpec ──resolve()──▶ Resolution ──plan()──▶ LayerPlan ──budget()──▶ Budget
//!   picks, target,              │                      │
//!   layout, trim, ...           └────────export()──────┴──▶ zip + lock file + publish script
//! ```
//!
//! Project pages, METADATA and wheel file lists are cached by the index client; the workspace
//! keeps the last resolutions and plans (per target, layout, picks), so switching back to an
//! earlier target is instant.

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

use super::budget::{Budget, budget};
use super::build::{Built, build};
use super::outputs::Outputs;
use super::plan::{LayerPlan, PlanOptions, plan};
use super::{
    LayerError, Layout, Served, build_several, layer_description, layer_description_of, lock_file,
    lock_file_several, publish_command, served_by, served_by_all,
};
use crate::index::{IndexClient, write_atomically};
use crate::lambda::{RuntimeTable, Target};
use crate::resolve::{
    Requested, RequirementError, Resolution, ResolveError, ResolveOptions, resolve,
};
use crate::work::Progress;

/// How many answers of each kind the workspace keeps.
const KEPT: usize = 16;

/// What the user asked for: plain data, cheap to clone into a task.
#[derive(Debug, Clone)]
pub struct LayerSpec {
    /// The requested projects, each at most once (a later pick of a project replaces the
    /// earlier), in the order picked.
    pub picks: Vec<Requested>,
    pub target: Target,
    /// Layout, trimming, added files, the zip's timestamp.
    pub plan: PlanOptions,
    /// Whether to leave out what the runtime provides.
    pub resolve: ResolveOptions,
    /// Bytes of the 250 MB kept for the function's code and other layers.
    pub reserve: u64,
    /// Files the picks were read from (requirements files, pyproject.toml): an export never
    /// writes over them, nor over added files.
    pub inputs: Vec<PathBuf>,
}

impl LayerSpec {
    pub fn new(target: Target) -> LayerSpec {
        LayerSpec {
            picks: Vec::new(),
            target,
            plan: PlanOptions::default(),
            resolve: ResolveOptions::default(),
            reserve: 0,
            inputs: Vec::new(),
        }
    }

    /// Adds a pick, replacing every earlier pick of the same project (in the first one's
    /// place).
    pub fn add(&mut self, pick: Requested) {
        let project = pick.project();
        let at = self.picks.iter().position(|p| p.project() == project);
        self.picks.retain(|p| p.project() != project);
        let at = at.unwrap_or(self.picks.len()).min(self.picks.len());
        self.picks.insert(at, pick);
    }

    /// Picks one exact file of a project (`numpy`, `2.2.6`, its wheel's file name).
    pub fn pin_file(
        &mut self,
        project: &str,
        version: &str,
        filename: &str,
    ) -> Result<(), RequirementError> {
        self.add(Requested::exact_file(project, version, filename, "picked")?);
        Ok(())
    }

    /// Removes the pick of `project` (any spelling); says whether there was one.
    pub fn remove(&mut self, project: &str) -> bool {
        let project = crate::wheel::normalize_name(project);
        let before = self.picks.len();
        self.picks.retain(|p| p.project() != project);
        self.picks.len() != before
    }

    /// Everything a resolution depends on, as a key.
    fn resolve_key(&self) -> String {
        let mut key = format!("{}|{:?}", self.target.key(), self.resolve);
        for p in &self.picks {
            let _ = write!(key, "|{};{}", p.written(), p.file.as_deref().unwrap_or(""));
            for f in &p.find_links {
                let _ = write!(key, ";-f {}", f.url);
            }
        }
        key
    }
}

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    pub built: Built,
    pub budget: Budget,
    /// The lock file beside the zip (`OUT.requirements.txt`).
    pub lock_path: PathBuf,
    /// The publish script beside the zip (`OUT.publish.sh`).
    pub publish_path: PathBuf,
    /// The PEP 751 lock beside the zip (`pylock.OUT.toml`).
    pub pylock_path: PathBuf,
    pub publish_command: String,
    pub lock: String,
    /// The runtimes and architectures the layer serves (what the publish command lists).
    pub served: Served,
}

struct Kept<T> {
    answers: HashMap<String, Arc<T>>,
    order: VecDeque<String>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept {
            answers: HashMap::new(),
            order: VecDeque::new(),
        }
    }
}

impl<T> Kept<T> {
    fn get(&self, key: &str) -> Option<Arc<T>> {
        self.answers.get(key).cloned()
    }

    fn put(&mut self, key: String, value: Arc<T>) {
        if self.answers.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > KEPT {
            if let Some(old) = self.order.pop_front() {
                self.answers.remove(&old);
            }
        }
    }
}

/// The engine behind a layer: cheap to clone (the caches are shared).
#[derive(Clone)]
pub struct Workspace {
    client: IndexClient,
    table: Arc<RuntimeTable>,
    resolutions: Arc<Mutex<Kept<Resolution>>>,
    plans: Arc<Mutex<Kept<LayerPlan>>>,
}

impl Workspace {
    pub fn new(client: IndexClient, table: Arc<RuntimeTable>) -> Workspace {
        Workspace {
            client,
            table,
            resolutions: Arc::default(),
            plans: Arc::default(),
        }
    }

    /// The same workspace (its kept answers shared) over a client that keeps the project pages
    /// it parses, for the resolutions of one matrix.
    pub(super) fn sharing_pages(&self) -> Workspace {
        Workspace {
            client: self.client.sharing_pages(),
            ..self.clone()
        }
    }

    pub fn client(&self) -> &IndexClient {
        &self.client
    }

    pub fn table(&self) -> &Arc<RuntimeTable> {
        &self.table
    }

    /// The resolution for `spec`: from the cache when its picks, target and options were
    /// resolved before; else resolved (progress: projects read, versions tried).
    pub async fn resolve(
        &self,
        spec: &LayerSpec,
        progress: &Progress,
        cancel: &CancellationToken,
    ) -> Result<Arc<Resolution>, ResolveError> {
        let key = spec.resolve_key();
        if let Some(kept) = lock(&self.resolutions).get(&key) {
            return Ok(kept);
        }
        let resolution = resolve(
            &self.client,
            &self.table,
            spec.picks.clone(),
            &spec.target,
            &spec.resolve,
            progress,
            cancel,
        )
        .await?;
        let resolution = Arc::new(resolution);
        lock(&self.resolutions).put(key, resolution.clone());
        Ok(resolution)
    }

    /// The `/opt` tree for a resolution, from the wheels' file lists (range requests, before
    /// any download; progress: wheels read, n of m).
    pub async fn plan(
        &self,
        spec: &LayerSpec,
        resolution: &Resolution,
        progress: &Progress,
        cancel: &CancellationToken,
    ) -> Result<Arc<LayerPlan>, LayerError> {
        let key = plan_key(spec, resolution);
        if let Some(kept) = lock(&self.plans).get(&key) {
            return Ok(kept);
        }
        let options = self.plan_options(spec, resolution);
        let planned = Arc::new(plan(&self.client, resolution, &options, progress, cancel).await?);
        lock(&self.plans).put(key, planned.clone());
        Ok(planned)
    }

    /// The spec's plan options for `resolution`: a `python/` tree with bytecode is compiled for
    /// every runtime the layer serves (each whose interpreter is found), since each of them
    /// reads it; a `site-packages` tree only for its own.
    fn plan_options(&self, spec: &LayerSpec, resolution: &Resolution) -> PlanOptions {
        let mut options = spec.plan.clone();
        if options.layout == Layout::Python
            && let Some(bytecode) = &mut options.bytecode
        {
            let target = resolution.target.runtime.python_minor;
            let mut minors: Vec<u32> = self
                .served(spec, resolution)
                .targets
                .iter()
                .map(|t| t.runtime.python_minor)
                .filter(|m| *m != target)
                .collect();
            minors.dedup();
            bytecode.also_for = minors;
        }
        options
    }

    /// The plan against Lambda's limits, less the spec's reserve.
    pub fn budget(&self, spec: &LayerSpec, plan: &LayerPlan) -> Budget {
        budget(plan, &self.table.limits, spec.reserve)
    }

    /// The lock file pip installs the same wheels from.
    pub fn lock_file(&self, spec: &LayerSpec, resolution: &Resolution) -> String {
        lock_file(resolution, spec.plan.layout)
    }

    /// The runtimes and architectures the layer of `resolution` serves in the spec's layout.
    pub fn served(&self, spec: &LayerSpec, resolution: &Resolution) -> Served {
        served_by(resolution, spec.plan.layout, &spec.target, &self.table)
    }

    /// The command that publishes `zip` (through S3 when it is over the direct-upload limit),
    /// listing the runtimes and architectures the layer serves and describing its packages.
    pub fn publish_command(
        &self,
        resolution: &Resolution,
        (zip, zipped): (&Path, u64),
        served: &Served,
    ) -> String {
        let limits = &self.table.limits;
        publish_command(
            zip,
            zipped,
            served,
            &layer_description(resolution, limits),
            limits,
        )
    }

    /// Downloads, checks and writes the layer to `out`, then the lock file and the publish
    /// script beside it. A failure or a cancel leaves no zip behind.
    pub async fn export(
        &self,
        spec: &LayerSpec,
        resolution: &Resolution,
        out: &Path,
        progress: &Progress,
        cancel: &CancellationToken,
    ) -> Result<Exported, LayerError> {
        let mut inputs = spec.inputs.clone();
        inputs.extend(spec.plan.additions.iter().map(|a| a.source.clone()));
        let outputs = Outputs::for_zip(out, &inputs)?;
        let built = build(
            &self.client,
            &self.table.limits,
            resolution,
            &self.plan_options(spec, resolution),
            out,
            progress,
            cancel,
        )
        .await?;
        let budget = self.budget(spec, &built.plan);
        let lock = self.lock_file(spec, resolution);
        let pylock = super::pylock_out::pylock_file(&[resolution], spec.plan.layout);
        let served = self
            .served(spec, resolution)
            .narrowed_to_scripts(spec.plan.layout, &built.scripts);
        let publish = self.publish_command(resolution, (out, built.zipped), &served);
        finish(outputs, built, budget, [lock, pylock], publish, served)
    }
}

impl Workspace {
    /// One zip for several runtimes (see [`super::build_several`]): `specs` differ only in
    /// their target, each resolved into `resolutions` (same order). Writes the zip, a lock file
    /// with a marker per runtime, and the publish script listing every runtime served.
    pub async fn export_several(
        &self,
        specs: &[LayerSpec],
        resolutions: &[Arc<Resolution>],
        out: &Path,
        progress: &Progress,
        cancel: &CancellationToken,
    ) -> Result<Exported, LayerError> {
        let Some(spec) = specs.first() else {
            return Err(LayerError::Empty("no runtime was named".into()));
        };
        let mut inputs = spec.inputs.clone();
        inputs.extend(spec.plan.additions.iter().map(|a| a.source.clone()));
        let outputs = Outputs::for_zip(out, &inputs)?;
        let all: Vec<&Resolution> = resolutions.iter().map(AsRef::as_ref).collect();
        let limits = &self.table.limits;
        let built = build_several(
            &self.client,
            limits,
            &all,
            &spec.plan,
            out,
            progress,
            cancel,
        )
        .await?;
        let budget = self.budget(spec, &built.plan);
        let served = served_by_all(&all, &self.table);
        let publish = publish_command(
            out,
            built.zipped,
            &served,
            &layer_description_of(&all, limits),
            limits,
        );
        let lock = lock_file_several(&all, spec.plan.layout);
        let pylock = super::pylock_out::pylock_file(&all, spec.plan.layout);
        finish(outputs, built, budget, [lock, pylock], publish, served)
    }
}

/// Writes the lock files (requirements and PEP 751) and the publish script beside the zip just
/// built; what was exported.
fn finish(
    outputs: Outputs,
    built: Built,
    budget: Budget,
    [lock, pylock]: [String; 2],
    publish: String,
    served: Served,
) -> Result<Exported, LayerError> {
    let Outputs {
        lock: lock_path,
        publish: publish_path,
        pylock: pylock_path,
        ..
    } = outputs;
    write_atomically(&lock_path, lock.as_bytes()).map_err(|e| LayerError::io(&lock_path, e))?;
    write_atomically(&pylock_path, pylock.as_bytes())
        .map_err(|e| LayerError::io(&pylock_path, e))?;
    write_atomically(
        &publish_path,
        format!("#!/bin/sh\nset -e\n{publish}").as_bytes(),
    )
    .map_err(|e| LayerError::io(&publish_path, e))?;
    Ok(Exported {
        built,
        budget,
        lock_path,
        publish_path,
        pylock_path,
        publish_command: publish,
        lock,
        served,
    })
}

/// A plan depends on the wheels chosen, the target and the plan options.
fn plan_key(spec: &LayerSpec, resolution: &Resolution) -> String {
    let mut key = format!("{}|{:?}", resolution.target.key(), spec.plan);
    for p in resolution.included() {
        key.push('|');
        key.push_str(&p.filename);
    }
    key
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
