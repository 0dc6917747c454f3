//! What flows through the loop: messages into `update`, commands out of it.
//!
//! Every request that answers later carries a generation; `update` drops an answer whose
//! generation is not the latest it asked for. The runner cancels the older request of the same
//! kind when a newer one comes (latest wins).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use wheelbarrow::index::Project;
use wheelbarrow::layer::{Budget, LayerPlan};
use wheelbarrow::resolve::Resolution;
use wheelbarrow::search::Snapshot;

use wheelbarrow::Target;
use wheelbarrow::layer::LayerSpec;
use wheelbarrow::work::Step;

use super::loading::Peek;
use super::publishing::{PublishOutcome, PublishPlan, ToPublish};

/// Something happened: a key, a finished task, a tick of the spinner.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste): lines of requirements become picks.
    Paste(String),
    Mouse(MouseEvent),
    Resize {
        width: u16,
        height: u16,
    },
    /// The frame timer, running only while something animates.
    Tick,
    /// The search worker answered.
    Searched(Snapshot),
    /// The project-name list is downloading.
    NamesProgress {
        got: u64,
        total: Option<u64>,
    },
    /// The project-name list is loaded (and handed to the search worker).
    NamesReady {
        count: usize,
        note: Option<String>,
    },
    /// No name list: only exact names open.
    NamesFailed(String),
    /// The cache folder cannot be written (found by any task; each problem comes once).
    CacheProblem(wheelbarrow::index::CacheProblem),
    /// The cursor rested on a search result long enough to look it up.
    PeekDue {
        generation: u64,
    },
    /// What the index says about a search result.
    Peeked {
        key: String,
        result: Result<Peek, String>,
    },
    /// The project opened in the package pane.
    ProjectLoaded {
        generation: u64,
        result: Result<Arc<Project>, String>,
    },
    /// `Workspace::resolve` answered.
    Resolved {
        generation: u64,
        result: Result<Arc<Resolution>, String>,
    },
    /// `Workspace::plan` and `Workspace::budget` answered.
    Planned {
        generation: u64,
        result: Result<(Arc<LayerPlan>, Budget), String>,
    },
    /// The pinned build (or the locked version) of `project` does not load on this
    /// generation's target; `version` has a file that does (offered with one key). `hashes`:
    /// for a locked project, the sha256 of that version's files, so the lock's hash-checking
    /// holds for it too.
    PinRefused {
        generation: u64,
        project: String,
        version: Option<String>,
        hashes: Vec<String>,
    },
    /// Nothing fits for this generation: the explanation with the resolver's derivation, for
    /// the detail view (sent before the `Resolved` error).
    ResolveDetail {
        generation: u64,
        detail: String,
    },
    /// How the resolution or plan of this generation is going.
    LayerProgress {
        generation: u64,
        step: Step,
    },
    /// Where an addition goes, or why it cannot be added.
    AdditionReady(Result<wheelbarrow::layer::Addition, String>),
    /// The plan of this generation failed, and the addition at `dest` (under /opt) is why
    /// (sent before the `Planned` error).
    AdditionBroken {
        generation: u64,
        dest: String,
        why: String,
    },
    /// The completed path (unchanged when nothing completes).
    Completed {
        from: String,
        to: String,
    },
    /// The picks were saved (the paths), or why not.
    Saved(Result<(PathBuf, Option<PathBuf>), String>),
    /// A layer zip opened to be looked at, or why it cannot be.
    LayerOpened(Result<Arc<wheelbarrow::layer::OpenedLayer>, String>),
    /// How opening this layer zip is going (a first step is sent as it starts).
    OpenProgress {
        path: PathBuf,
        step: Step,
    },
    /// Opening this layer zip was stopped (the interrupt key): nothing changed.
    OpenCancelled {
        path: PathBuf,
    },
    /// A requirements file read (its usable lines, and the lines that are not), or why not.
    RequirementsOpened(Result<OpenedRequirements, String>),
    /// The newest release of each package that loads on each of the matrix's targets.
    MatrixOffers(Offers),
    /// One target of the matrix's versions view answered (`at`: its column).
    TargetAnswered {
        generation: u64,
        at: usize,
        column: wheelbarrow::layer::Column,
    },
    /// The matrix's resolutions ended; `Err` when the engine could not run them.
    TargetsFinished {
        generation: u64,
        result: Result<(), String>,
    },
    /// How the export of this generation is going.
    ExportProgress {
        generation: u64,
        step: Step,
    },
    /// `Workspace::export` answered.
    Exported {
        generation: u64,
        result: Result<ExportSummary, String>,
    },
    /// The zip checked and AWS connected for the publish of this generation: what the
    /// confirmation shows, or why not.
    PublishConnected {
        generation: u64,
        result: Result<PublishPlan, String>,
    },
    /// How the publish of this generation is going (hashing, comparing, uploading, publishing).
    #[cfg_attr(not(feature = "publish"), allow(dead_code))]
    PublishProgress {
        generation: u64,
        step: Step,
    },
    /// `Session::publish` answered (after a cancel too).
    Published {
        generation: u64,
        result: Result<PublishOutcome, String>,
    },
}

/// What an export produced, for the dialog's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    pub zip: PathBuf,
    pub sha256: String,
    pub unzipped: u64,
    pub zipped: u64,
    pub lock: PathBuf,
    pub publish_script: PathBuf,
    pub publish_command: String,
    /// The runtimes and architectures the layer serves, in words.
    pub served: String,
    /// What a publish lists as compatible: the runtimes and architectures it serves.
    pub runtimes: Vec<String>,
    pub architectures: Vec<String>,
    /// The layer's packages with their versions, as a published version describes them.
    pub description: String,
    /// Whether it fits Lambda's unzipped limit with the room kept (else nothing could use it).
    pub fits: bool,
    /// What compiled bytecode added, when it was asked for.
    pub bytecode: Option<Box<wheelbarrow::layer::bytecode::BytecodeCost>>,
}

/// By project (PEP 503 name): for each of the matrix's targets, the newest release with a file
/// that loads there (`None`: no release does); or why the project page could not be read.
pub type Offers = std::collections::HashMap<String, Result<Vec<Option<String>>, String>>;

/// A requirements file opened from inside the app.
#[derive(Debug, Clone)]
pub struct OpenedRequirements {
    pub path: PathBuf,
    pub picks: Vec<wheelbarrow::resolve::Requested>,
    /// Lines that cannot be used, each with its file and line.
    pub skipped: Vec<String>,
}

/// Work for the runner. Each maps onto one engine call.
#[derive(Debug, Clone)]
pub enum Command {
    /// Ask the search worker (latest wins there too).
    Search { text: String, generation: u64 },
    /// Send `Msg::PeekDue` after `delay` (the debounce of the compatibility peek).
    PeekAfter { generation: u64, delay: Duration },
    /// Fetch a project page for the search pane's peek (`IndexClient::project`, then
    /// `newest_release`/`newest_loadable`).
    Peek {
        name: String,
        key: String,
        target: Target,
    },
    /// Fetch a project page for the package pane (`IndexClient::project`).
    OpenProject { name: String, generation: u64 },
    /// `Workspace::resolve(&spec, ..)`.
    Resolve { generation: u64, spec: LayerSpec },
    /// `Workspace::plan(&spec, &resolution, ..)` then `Workspace::budget(&spec, &plan)`.
    Plan {
        generation: u64,
        spec: LayerSpec,
        resolution: Arc<Resolution>,
    },
    /// `Workspace::export(&spec, &resolution, path, ..)`.
    Export {
        generation: u64,
        spec: LayerSpec,
        resolution: Arc<Resolution>,
        path: PathBuf,
    },
    /// Cancel the running export (its token), leaving nothing behind.
    CancelExport,
    /// Check the exported zip and connect to AWS (`Session::connect`) for the confirmation.
    ConnectPublish { generation: u64, what: ToPublish },
    /// `Session::publish` of the confirmed plan, through the connect of this generation.
    Publish { generation: u64, plan: PublishPlan },
    /// Cancel the connect or the publish under way (its token).
    CancelPublish,
    /// Remember projects the user picked, so search ranks them first next time.
    RememberPicks(Vec<String>),
    /// Decide where `text` (`PATH` or `PATH=DEST`) goes under /opt (a shared library to
    /// `lib/`, an executable to `bin/`) and check it is there.
    Addition { text: String },
    /// Open `path`: a layer zip (inspected for `target`, or for the target its folders and
    /// binaries say when `None`), or a requirements file / `pyproject.toml`.
    OpenFile {
        path: PathBuf,
        target: Option<Target>,
    },
    /// Stop opening the layer zip being opened (its token).
    CancelOpen,
    /// For the matrix's versions view: the picks resolved on each of `targets`.
    ResolveTargets {
        generation: u64,
        spec: LayerSpec,
        targets: Vec<Target>,
    },
    /// Stop the matrix's resolutions.
    CancelTargets,
    /// For the matrix: the newest release of each project that loads on each target.
    MatrixOffers {
        projects: Vec<String>,
        targets: Vec<Target>,
    },
    /// Complete the path at the start of `text` from the file system.
    Complete { text: String },
    /// Write the picks (`text`) to `path`, and beside it, when resolved, the requirements lock
    /// and the PEP 751 lock (`locks`).
    SavePicks {
        path: PathBuf,
        text: String,
        locks: Option<[String; 2]>,
        inputs: Vec<PathBuf>,
    },
}
