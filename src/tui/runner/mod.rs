//! The task runner: executes `Command`s off the event loop and feeds the answers back as
//! `Msg`s. Every job starts through [`jobs::Jobs`], the one contract for background work (its
//! slot, generation and token; a cancel or a panic answered as a message); this module says
//! which engine call each command is, `layer` the layer's requests, `names` the name list.

mod jobs;
mod layer;
mod names;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use tokio::runtime::Handle;
use tokio::sync::mpsc::UnboundedSender;
use wheelbarrow::Target;
use wheelbarrow::index::{IndexClient, Project};
use wheelbarrow::layer::Workspace;
use wheelbarrow::search::{History, Known, NameList, SearchWorker};
use wheelbarrow::wheel::{newest_loadable, newest_release};

use super::failure::Failure;
use super::loading::Peek;
use super::msg::{Command, Msg};
pub use jobs::{Job, Jobs, Slot, blocking};

/// How many result rows the search worker sends (the pane shows what fits).
const SEARCH_ROWS: usize = 200;

pub struct Runner {
    workspace: Workspace,
    client: IndexClient,
    search: Arc<SearchWorker>,
    jobs: Jobs,
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
            client: workspace.client().clone(),
            workspace,
            search: Arc::new(search),
            jobs: Jobs::new(handle, tx),
            publisher: super::publishing::Publisher::default(),
        }
    }

    pub fn run(&mut self, command: Command) {
        match command {
            Command::Search { text, generation } => self.search.query(&text, generation),
            Command::PeekAfter { generation, delay } => self.jobs.spawn(
                Job::new(Slot::PeekTimer, "waiting to look a result up"),
                move |_| async move {
                    tokio::time::sleep(delay).await;
                    Msg::PeekDue { generation }
                },
                Msg::JobFailed,
            ),
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
            Command::CancelExport => self.jobs.cancel(Slot::Export),
            Command::ConnectPublish { generation, what } => {
                let table = self.workspace.table().clone();
                self.publisher
                    .connect(&mut self.jobs, &table, generation, what);
            }
            Command::Publish { generation, plan } => {
                let table = self.workspace.table().clone();
                self.publisher
                    .publish(&mut self.jobs, &table, generation, plan);
            }
            Command::CancelPublish => self.jobs.cancel(Slot::Publish),
            Command::ResolveTargets {
                generation,
                spec,
                targets,
            } => self.resolve_targets(generation, spec, targets),
            Command::CancelTargets => self.jobs.cancel(Slot::Targets),
            Command::MatrixOffers { projects, targets } => {
                let client = self.client.clone();
                self.jobs.spawn(
                    Job::new(Slot::Offers, "looking up the releases that load"),
                    move |_| super::offers::matrix_offers(client, projects, targets),
                    |e| Msg::MatrixOffers(Err(e)),
                );
            }
            Command::OpenFile { path, target } if super::update::is_zip(&path) => {
                let table = self.workspace.table().clone();
                super::opening::spawn_zip(&mut self.jobs, table, (path, target));
            }
            Command::CancelOpen => self.jobs.cancel(Slot::OpenZip),
            Command::OpenFile { path, .. } => self.jobs.spawn_blocking(
                Job::new(Slot::OpenFile, "opening a file"),
                move |_| super::opening::open_requirements(&path),
                |e| Msg::RequirementsOpened(Err(e)),
            ),
            Command::Addition { text } => self.addition(text),
            Command::Complete { text } => self.complete(text),
            Command::SavePicks {
                path,
                text,
                locks,
                inputs,
            } => self.save(path, text, locks, inputs),
            Command::RememberPicks(names) => self.jobs.spawn_blocking(
                Job::new(Slot::Remember, "remembering the picks"),
                move |_| {
                    super::saving::remember(&names);
                    None
                },
                Msg::JobFailed,
            ),
        }
    }

    /// Where an addition goes under /opt, checked on the file system.
    fn addition(&mut self, text: String) {
        self.jobs.spawn_blocking(
            Job::new(Slot::Addition, "checking an addition"),
            move |_| Msg::AdditionReady(super::additions::addition(&text).map_err(Failure::said)),
            |e| Msg::AdditionReady(Err(e)),
        );
    }

    /// The path at the start of `text` completed from the file system.
    fn complete(&mut self, text: String) {
        self.jobs.spawn_blocking(
            Job::new(Slot::Complete, "completing a path"),
            move |_| {
                let to = super::additions::complete(&text);
                Msg::Completed { from: text, to }
            },
            Msg::JobFailed,
        );
    }

    /// The picks written to `path`, and the locks beside them.
    fn save(
        &mut self,
        path: std::path::PathBuf,
        text: String,
        locks: Option<[String; 2]>,
        inputs: Vec<std::path::PathBuf>,
    ) {
        self.jobs.spawn_blocking(
            Job::new(Slot::Save, "saving the picks"),
            move |_| {
                let saved = super::saving::save_picks(&path, &text, locks.as_ref(), &inputs);
                Msg::Saved(saved.map_err(Failure::said))
            },
            |e| Msg::Saved(Err(e)),
        );
    }

    /// A search result's project page, and what it says about the target.
    fn peek(&mut self, name: String, key: String, target: Target) {
        let client = self.client.clone();
        let failed_key = key.clone();
        self.jobs.spawn(
            Job::new(Slot::Peek, "looking a project up"),
            move |_| async move {
                let result = match client.project(&name).await {
                    Ok(project) => Ok(blocking(move || peek_of(&project, &target)).await),
                    Err(e) => Err(Failure::of(&e)),
                };
                Msg::Peeked { key, result }
            },
            move |e| Msg::Peeked {
                key: failed_key,
                result: Err(e),
            },
        );
    }

    /// The project page of the package pane.
    fn open(&mut self, name: String, generation: u64) {
        let client = self.client.clone();
        self.jobs.spawn(
            Job::new(Slot::Project, "reading a project page"),
            move |_| async move {
                let result = client
                    .project(&name)
                    .await
                    .map(Arc::new)
                    .map_err(|e| Failure::of(&e));
                Msg::ProjectLoaded { generation, result }
            },
            move |e| Msg::ProjectLoaded {
                generation,
                result: Err(e),
            },
        );
    }
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
