//! The task runner: executes `Command`s on tokio and feeds the answers back as `Msg`s.
//!
//! One cancellation slot per kind of request: a newer request cancels the older one (its
//! answer would be dropped as stale anyway). A panic in a task comes back as an internal
//! error, never as silence or "cancelled".

use std::future::Future;
use std::sync::Arc;

use tokio::runtime::Handle;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;
use wheelbarrow::Target;
use wheelbarrow::index::{IndexClient, Project};
use wheelbarrow::search::store::NameStore;
use wheelbarrow::search::{History, Known, NameList, SearchWorker};
use wheelbarrow::wheel::{newest_loadable, newest_release};

use wheelbarrow::layer::{Exported, LayerSpec, Workspace};
use wheelbarrow::resolve::{Resolution, ResolveError};
use wheelbarrow::work::{Progress, Step};

use super::hints;
use super::loading::Peek;
use super::msg::{Command, ExportSummary, Msg};

/// How many result rows the search worker sends (the pane shows what fits).
const SEARCH_ROWS: usize = 200;

pub struct Runner {
    /// The tasks' runtime (not the screen's).
    handle: Handle,
    workspace: Workspace,
    client: IndexClient,
    tx: UnboundedSender<Msg>,
    search: Arc<SearchWorker>,
    peek: Option<CancellationToken>,
    open: Option<CancellationToken>,
    layer: Option<CancellationToken>,
    export: Option<CancellationToken>,
    offers: Option<CancellationToken>,
    open_zip: Option<CancellationToken>,
    targets: Option<CancellationToken>,
    publisher: super::publishing::Publisher,
}

impl Runner {
    pub fn new(workspace: Workspace, tx: UnboundedSender<Msg>, handle: Handle) -> Runner {
        let picked = History::default_path()
            .map(|p| History::load(&p).picked)
            .unwrap_or_default();
        let search_tx = tx.clone();
        let search = SearchWorker::spawn(
            Arc::new(NameList::default()),
            Arc::new(Known::builtin(&picked)),
            SEARCH_ROWS,
            move |snapshot| {
                let _ = search_tx.send(Msg::Searched(snapshot));
            },
        );
        Runner {
            handle,
            client: workspace.client().clone(),
            workspace,
            tx,
            search: Arc::new(search),
            peek: None,
            open: None,
            layer: None,
            export: None,
            offers: None,
            open_zip: None,
            targets: None,
            publisher: super::publishing::Publisher::default(),
        }
    }

    pub fn run(&mut self, command: Command) {
        match command {
            Command::Search { text, generation } => self.search.query(&text, generation),
            Command::PeekAfter { generation, delay } => {
                let tx = self.tx.clone();
                self.handle.spawn(async move {
                    tokio::time::sleep(delay).await;
                    let _ = tx.send(Msg::PeekDue { generation });
                });
            }
            Command::Peek { name, key, target } => self.peek(name, key, target),
            Command::OpenProject { name, generation } => self.open(name, generation),
            Command::Resolve { generation, spec } => self.resolve(generation, spec),
            Command::Plan {
                generation,
                spec,
                resolution,
            } => self.plan(generation, spec, resolution),
            Command::Export {
                generation,
                spec,
                resolution,
                path,
            } => self.export(generation, spec, resolution, path),
            Command::CancelExport => cancel(&mut self.export),
            Command::ConnectPublish { generation, what } => {
                let table = self.workspace.table().clone();
                self.publisher
                    .connect(&self.handle, &self.tx, &table, generation, what);
            }
            Command::Publish { generation, plan } => {
                let table = self.workspace.table().clone();
                self.publisher
                    .publish(&self.handle, &self.tx, &table, generation, plan);
            }
            Command::CancelPublish => self.publisher.cancel(),
            Command::Addition { text } => {
                let tx = self.tx.clone();
                self.handle.spawn_blocking(move || {
                    let _ = tx.send(Msg::AdditionReady(super::additions::addition(&text)));
                });
            }
            Command::ResolveTargets {
                generation,
                spec,
                targets,
            } => self.resolve_targets(generation, spec, targets),
            Command::CancelTargets => cancel(&mut self.targets),
            Command::MatrixOffers { projects, targets } => {
                let token = renew(&mut self.offers);
                let work = super::offers::matrix_offers(self.client.clone(), projects, targets);
                self.spawn(
                    token,
                    work,
                    |_| Msg::MatrixOffers(super::msg::Offers::new()),
                );
            }
            Command::OpenFile { path, target } if super::update::is_zip(&path) => {
                let token = renew(&mut self.open_zip);
                let table = self.workspace.table().clone();
                let (handle, tx) = (&self.handle, self.tx.clone());
                super::opening::spawn_zip(handle, tx, table, (path, target), token);
            }
            Command::CancelOpen => cancel(&mut self.open_zip),
            Command::OpenFile { path, target } => {
                let (tx, table) = (self.tx.clone(), self.workspace.table().clone());
                self.handle.spawn_blocking(move || {
                    let _ = tx.send(super::opening::open(&path, target.as_ref(), &table));
                });
            }
            Command::Complete { text } => {
                let tx = self.tx.clone();
                self.handle.spawn_blocking(move || {
                    let to = super::additions::complete(&text);
                    let _ = tx.send(Msg::Completed { from: text, to });
                });
            }
            Command::SavePicks {
                path,
                text,
                locks,
                inputs,
            } => {
                let tx = self.tx.clone();
                self.handle.spawn_blocking(move || {
                    let saved = super::saving::save_picks(&path, &text, locks.as_ref(), &inputs);
                    let _ = tx.send(Msg::Saved(saved));
                });
            }
            Command::RememberPicks(names) => {
                self.handle
                    .spawn_blocking(move || super::saving::remember(&names));
            }
        }
    }

    /// `Workspace::resolve`, its steps reported for the status line.
    fn resolve(&mut self, generation: u64, spec: LayerSpec) {
        let token = renew(&mut self.layer);
        let cancel = token.clone();
        let (workspace, progress) = (self.workspace.clone(), self.layer_progress(generation));
        let tx = self.tx.clone();
        let work = async move {
            let result = workspace.resolve(&spec, &progress, &cancel).await;
            if let Err(ResolveError::PinnedFileRefused(refusal)) = &result {
                let _ = tx.send(Msg::PinRefused {
                    generation,
                    project: refusal.project.clone(),
                    version: refusal.loads.clone(),
                    hashes: Vec::new(),
                });
            }
            if let Err(ResolveError::LockedRefused(refusal)) = &result {
                let _ = tx.send(Msg::PinRefused {
                    generation,
                    project: refusal.project.clone(),
                    version: refusal.nearest.clone(),
                    hashes: refusal.nearest_hashes.clone(),
                });
            }
            if let Err(ResolveError::NoSolution(no)) = &result {
                let detail = format!("{no}\n\nHow the resolver got there:\n{}", no.derivation);
                let _ = tx.send(Msg::ResolveDetail { generation, detail });
            }
            let result = result.map_err(|e| hints::describe(&e));
            Msg::Resolved { generation, result }
        };
        self.spawn(token, work, move |e| Msg::Resolved {
            generation,
            result: Err(e),
        });
    }

    /// `Workspace::resolve_targets`: each target's column sent as it answers.
    fn resolve_targets(&mut self, generation: u64, spec: LayerSpec, targets: Vec<Target>) {
        let token = renew(&mut self.targets);
        let cancel = token.clone();
        let (workspace, tx) = (self.workspace.clone(), self.tx.clone());
        let work = async move {
            let each = |at: usize, outcome: &wheelbarrow::layer::TargetOutcome| {
                let column = match &outcome.result {
                    Ok(r) => {
                        wheelbarrow::layer::Column::Resolved(wheelbarrow::layer::Answer::of(r))
                    }
                    Err(e) => {
                        wheelbarrow::layer::Column::Failed(wheelbarrow::layer::Failure::of(e))
                    }
                };
                let _ = tx.send(Msg::TargetAnswered {
                    generation,
                    at,
                    column,
                });
            };
            let result = workspace
                .resolve_targets(&spec, &targets, &Progress::none(), &cancel, each)
                .await
                .map(|_| ())
                .map_err(|e| hints::describe(&e));
            Msg::TargetsFinished { generation, result }
        };
        self.spawn(token, work, move |e| Msg::TargetsFinished {
            generation,
            result: Err(e),
        });
    }

    /// `Workspace::plan` then `Workspace::budget`.
    fn plan(&mut self, generation: u64, spec: LayerSpec, resolution: Arc<Resolution>) {
        let token = renew(&mut self.layer);
        let cancel = token.clone();
        let (workspace, progress) = (self.workspace.clone(), self.layer_progress(generation));
        let tx = self.tx.clone();
        let work = async move {
            let result = match workspace.plan(&spec, &resolution, &progress, &cancel).await {
                Ok(plan) => {
                    let budget = workspace.budget(&spec, &plan);
                    Ok((plan, budget))
                }
                Err(e) => {
                    let additions = spec.plan.additions.clone();
                    if let Some((dest, why)) = super::additions::broken(additions).await {
                        let _ = tx.send(Msg::AdditionBroken {
                            generation,
                            dest,
                            why,
                        });
                    }
                    Err(hints::describe(&e))
                }
            };
            Msg::Planned { generation, result }
        };
        self.spawn(token, work, move |e| Msg::Planned {
            generation,
            result: Err(e),
        });
    }

    /// `Workspace::export`. Unlike the other requests it answers after a cancel too, so the
    /// dialog leaves its progress bar ("cancelled; nothing was written").
    fn export(
        &mut self,
        generation: u64,
        spec: LayerSpec,
        resolution: Arc<Resolution>,
        path: std::path::PathBuf,
    ) {
        let token = renew(&mut self.export);
        let (workspace, tx) = (self.workspace.clone(), self.tx.clone());
        let progress_tx = tx.clone();
        let progress = Progress::new(move |step: &Step| {
            let _ = progress_tx.send(Msg::ExportProgress {
                generation,
                step: step.clone(),
            });
        });
        let task = self.handle.spawn(async move {
            workspace
                .export(&spec, &resolution, &path, &progress, &token)
                .await
                .map(|e| summary(&e, &resolution, &workspace.table().limits))
                .map_err(|e| hints::describe(&e))
        });
        self.handle.spawn(async move {
            let result = task
                .await
                .unwrap_or_else(|e| Err(format!("internal error while exporting: {e}")));
            let _ = tx.send(Msg::Exported { generation, result });
        });
    }

    /// Steps of the resolution or plan of `generation`, for the status line.
    fn layer_progress(&self, generation: u64) -> Progress {
        let tx = self.tx.clone();
        Progress::new(move |step: &Step| {
            let _ = tx.send(Msg::LayerProgress {
                generation,
                step: step.clone(),
            });
        })
    }

    fn peek(&mut self, name: String, key: String, target: Target) {
        let token = renew(&mut self.peek);
        let client = self.client.clone();
        let failed_key = key.clone();
        let work = async move {
            let result = match client.project(&name).await {
                Ok(project) => tokio::task::spawn_blocking(move || peek_of(&project, &target))
                    .await
                    .map_err(|e| format!("internal error: {e}")),
                Err(e) => Err(hints::describe(&e)),
            };
            Msg::Peeked { key, result }
        };
        self.spawn(token, work, move |e| Msg::Peeked {
            key: failed_key,
            result: Err(e),
        });
    }

    fn open(&mut self, name: String, generation: u64) {
        let token = renew(&mut self.open);
        let client = self.client.clone();
        let work = async move {
            let result = client
                .project(&name)
                .await
                .map(Arc::new)
                .map_err(|e| hints::describe(&e));
            Msg::ProjectLoaded { generation, result }
        };
        self.spawn(token, work, move |e| Msg::ProjectLoaded {
            generation,
            result: Err(e),
        });
    }

    /// Loads the stored name list (handing it to the search worker at once), then refreshes
    /// it from the index when stale, with progress.
    pub fn load_names(&self) {
        let (client, tx, worker) = (self.client.clone(), self.tx.clone(), self.search.clone());
        self.handle.spawn(async move {
            let store = NameStore::for_client(&client);
            let loader = store.clone();
            let stored = tokio::task::spawn_blocking(move || loader.load())
                .await
                .ok()
                .flatten();
            let stale = NameStore::is_stale(&client, stored.as_ref());
            let offline = client.settings().offline;
            let had = stored.as_ref().map(|s| s.list.len());
            let stored = match stored {
                Some(s) if !stale => {
                    let count = s.list.len();
                    worker.set_list(Arc::new(s.list));
                    let _ = tx.send(Msg::NamesReady { count, note: None });
                    return;
                }
                Some(s) => {
                    worker.set_list(Arc::new(s.list.clone()));
                    let _ = tx.send(Msg::NamesReady {
                        count: s.list.len(),
                        note: None,
                    });
                    Some(s)
                }
                None if offline => {
                    let _ = tx.send(Msg::NamesFailed(
                        "offline, and the project list is not cached yet".into(),
                    ));
                    return;
                }
                None => None,
            };
            let progress_tx = tx.clone();
            let progress = wheelbarrow::work::Progress::new(move |step| {
                let _ = progress_tx.send(Msg::NamesProgress {
                    got: step.done,
                    total: step.total,
                });
            });
            let refreshed = store
                .refresh(&client, stored, &progress, &CancellationToken::new())
                .await;
            let msg = match (refreshed, had) {
                (Ok(s), _) => {
                    let count = s.list.len();
                    worker.set_list(Arc::new(s.list));
                    Msg::NamesReady { count, note: None }
                }
                (Err(e), Some(count)) => Msg::NamesReady {
                    count,
                    note: Some(format!(
                        "could not refresh the project list ({e}); using the cached one"
                    )),
                },
                (Err(e), None) => {
                    Msg::NamesFailed(format!("could not download the project list ({e})"))
                }
            };
            let _ = tx.send(msg);
        });
    }

    /// Runs `work` until it answers or `token` is cancelled; a panic answers `failed`.
    fn spawn(
        &self,
        token: CancellationToken,
        work: impl Future<Output = Msg> + Send + 'static,
        failed: impl FnOnce(String) -> Msg + Send + 'static,
    ) {
        let tx = self.tx.clone();
        let task = self.handle.spawn(async move {
            tokio::select! {
                () = token.cancelled() => None,
                msg = work => Some(msg),
            }
        });
        self.handle.spawn(async move {
            match task.await {
                Ok(Some(msg)) => {
                    let _ = tx.send(msg);
                }
                Ok(None) => {}
                Err(e) => {
                    let _ = tx.send(failed(format!("internal error: {e}")));
                }
            }
        });
    }
}

/// Cancels the job in `slot`, if one runs.
fn cancel(slot: &mut Option<CancellationToken>) {
    if let Some(token) = slot.take() {
        token.cancel();
    }
}

/// Cancels the slot's running request and puts a fresh token in its place.
fn renew(slot: &mut Option<CancellationToken>) -> CancellationToken {
    cancel(slot);
    let token = CancellationToken::new();
    *slot = Some(token.clone());
    token
}

/// What the search pane shows about a project: its summary, and whether its newest release
/// loads on the target, else the newest that does (the engine's verdicts).
pub fn peek_of(project: &Project, target: &Target) -> Peek {
    Peek {
        summary: project.summary.clone(),
        newest: newest_release(project).cloned(),
        loadable: newest_loadable(project, target),
    }
}

/// What the export dialog's summary shows.
fn summary(
    exported: &Exported,
    resolution: &Resolution,
    limits: &wheelbarrow::Limits,
) -> ExportSummary {
    ExportSummary {
        zip: exported.built.zip.clone(),
        sha256: exported.built.sha256.clone(),
        unzipped: exported.built.unzipped,
        zipped: exported.built.zipped,
        lock: exported.lock_path.clone(),
        publish_script: exported.publish_path.clone(),
        publish_command: exported.publish_command.clone(),
        served: exported.served.summary(),
        runtimes: exported.served.runtimes.clone(),
        architectures: exported
            .served
            .architectures
            .iter()
            .map(ToString::to_string)
            .collect(),
        description: wheelbarrow::layer::layer_description(resolution, limits),
        fits: exported.budget.fits,
        bytecode: exported.built.plan.bytecode.clone().map(Box::new),
    }
}
