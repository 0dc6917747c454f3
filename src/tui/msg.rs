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

use super::failure::Failure;
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
    NamesFailed(Failure),
    /// The cache folder cannot be written (found by any task; each problem comes once).
    CacheProblem(wheelbarrow::index::CacheProblem),
    /// The cursor rested on a search result long enough to look it up.
    PeekDue {
        generation: u64,
    },
    /// What the index says about a search result.
    Peeked {
        key: String,
        result: Result<Peek, Failure>,
    },
    /// The project opened in the package pane.
    ProjectLoaded {
        generation: u64,
        result: Result<Arc<Project>, Failure>,
    },
    /// `Workspace::resolve` answered; a failure carries what it offers instead (`u`) and why
    /// nothing fits (`i`).
    Resolved {
        generation: u64,
        result: Result<Arc<Resolution>, Failure>,
    },
    /// `Workspace::plan` and `Workspace::budget` answered; a failure names the addition of
    /// the user's own that broke the plan, when one did.
    Planned {
        generation: u64,
        result: Result<(Arc<LayerPlan>, Budget), Failure>,
    },
    /// How the resolution or plan of this generation is going.
    LayerProgress {
        generation: u64,
        step: Step,
    },
    /// Where an addition goes, or why it cannot be added.
    AdditionReady(Result<wheelbarrow::layer::Addition, Failure>),
    /// The completed path (unchanged when nothing completes).
    Completed {
        from: String,
        to: String,
    },
    /// The picks were saved (the paths), or why not.
    Saved(Result<(PathBuf, Option<PathBuf>), Failure>),
    /// A layer zip opened to be looked at, or why it cannot be.
    LayerOpened(Result<Arc<wheelbarrow::layer::OpenedLayer>, Failure>),
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
    RequirementsOpened(Result<OpenedRequirements, Failure>),
    /// The newest release of each package that loads on each of the matrix's targets, or why
    /// they could not be looked up.
    MatrixOffers(Result<Offers, Failure>),
    /// A job with no answer of its own (a completion, remembering the picks) failed.
    JobFailed(Failure),
    /// One target of the matrix's versions view answered (`at`: its column).
    TargetAnswered {
        generation: u64,
        at: usize,
        column: wheelbarrow::layer::Column,
    },
    /// The matrix's resolutions ended; `Err` when the engine could not run them.
    TargetsFinished {
        generation: u64,
        result: Result<(), Failure>,
    },
    /// How the export of this generation is going.
    ExportProgress {
        generation: u64,
        step: Step,
    },
    /// `Workspace::export` answered.
    Exported {
        generation: u64,
        result: Result<ExportSummary, Failure>,
    },
    /// The zip checked and AWS connected for the publish of this generation: what the
    /// confirmation shows, or why not.
    PublishConnected {
        generation: u64,
        result: Result<PublishPlan, Failure>,
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
        result: Result<PublishOutcome, Failure>,
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
    pub architectures: Vec<wheelbarrow::Arch>,
    /// The layer's packages with their versions, as a published version describes them.
    pub description: String,
    /// Whether it fits Lambda's unzipped limit with the room kept (else nothing could use it).
    pub fits: bool,
    /// What compiled bytecode added, when it was asked for.
    pub bytecode: Option<Box<wheelbarrow::layer::bytecode::BytecodeCost>>,
}

/// By project (PEP 503 name): for each of the matrix's targets, the newest release with a file
/// that loads there (`None`: no release does); or why the project page could not be read.
pub type Offers = std::collections::HashMap<String, Result<Vec<Option<String>>, Failure>>;

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
