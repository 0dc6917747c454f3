//! The TUI's state: everything the panes draw, nothing they compute from the network.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use tui_input::Input;
use wheelbarrow::index::{DistFile, Project};
use wheelbarrow::layer::LayerSpec;
use wheelbarrow::resolve::Requested;
use wheelbarrow::search::Snapshot;
use wheelbarrow::wheel::{ReleaseVerdicts, release_verdicts};
use wheelbarrow::work::Step;

use super::dialogs::Dialog;
use super::dialogs::export::ExportState;
use super::loading::{Loadable, Names, Peek, layer_activity};
use super::views::{TableDates, TargetRow};
use wheelbarrow::{Limits, Target};

use super::keymap::{Context, Keymap};
use super::layer_state::{LayerState, Pick};
use super::publishing::PublishState;
use super::theme::Theme;

/// The smallest screen drawn; below it the app says so.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Search,
    Package,
    Layer,
    Tree,
}

impl Pane {
    pub const ORDER: [Pane; 4] = [Pane::Search, Pane::Package, Pane::Layer, Pane::Tree];

    pub fn context(self) -> Context {
        match self {
            Pane::Search => Context::Search,
            Pane::Package => Context::Package,
            Pane::Layer => Context::Layer,
            Pane::Tree => Context::Tree,
        }
    }
}

#[derive(Debug, Default)]
pub struct SearchState {
    pub input: Input,
    /// The generation of the latest query sent.
    pub generation: u64,
    pub snapshot: Option<Snapshot>,
    /// The first row is the typed name, added because the name list is not there yet.
    pub typed_row: bool,
    /// Enter came before the results for the text typed: open the top one when they arrive.
    pub open_pending: bool,
    pub selected: usize,
    /// The generation of the latest peek asked for (the debounce).
    pub peek_generation: u64,
    /// Peeks by search key, kept for the session.
    pub peeks: HashMap<String, Loadable<Peek>>,
}

#[derive(Debug, Default)]
pub struct PackageState {
    /// The name asked for (the project's own spelling once it is loaded).
    pub name: String,
    pub generation: u64,
    pub project: Loadable<Arc<Project>>,
    /// Index into the project's versions.
    pub version: usize,
    pub release: Option<ReleaseVerdicts<DistFile>>,
    /// The highlighted file row.
    pub selected: usize,
}

#[derive(Debug, Default)]
pub struct TreeState {
    /// Folders unfolded, by path.
    pub open: BTreeSet<String>,
    pub selected: usize,
}

/// The whole state of the TUI.
#[derive(Debug)]
pub struct App {
    pub target: Target,
    /// The other targets a `python/` layer is resolved for with `target` (one set of wheels
    /// that loads on each; see `wheelbarrow::resolve::portable`); empty for one target.
    pub also: Vec<Target>,
    pub limits: Limits,
    /// The runtimes and their facts (the matrix asks it which targets the layer serves).
    pub table: Arc<wheelbarrow::RuntimeTable>,
    pub keymap: Keymap,
    pub theme: Theme,
    pub focus: Pane,
    pub dialog: Option<Dialog>,
    pub names: Names,
    pub search: SearchState,
    pub package: PackageState,
    pub layer: LayerState,
    pub tree: TreeState,
    /// The last error, one line.
    pub error: Option<String>,
    /// The screen size.
    pub size: (u16, u16),
    /// Frames of the spinner drawn so far.
    pub tick: u64,
    /// Where the log goes, when it is on (shown in the help).
    pub log_file: Option<PathBuf>,
    /// The directory the export dialog's path starts in.
    pub cwd: PathBuf,
    pub exit: bool,
    /// Something visible changed since the last frame (the loop clears it when it draws).
    pub dirty: bool,
    /// The last request of the matrix's versions view (answers of older ones are dropped).
    pub grid_generation: u64,
    pub export_generation: u64,
    pub publish_generation: u64,
    /// Bytes of the 250 MB kept for the function's code and other layers.
    pub reserve: u64,
    /// The files the picks were read from: an export never writes over them.
    pub inputs: Vec<PathBuf>,
    /// Every target the picker offers.
    pub targets: Vec<TargetRow>,
    /// The runtime table's day, and whether its dates may have moved since.
    pub table_dates: TableDates,
    /// What the last target switch changed, one line.
    pub notice: Option<String>,
    /// The layer zip being opened, and how far inspecting it has got.
    pub opening: Option<(PathBuf, Step)>,
}

impl App {
    pub fn new(target: Target, limits: Limits, keymap: Keymap, theme: Theme) -> App {
        App {
            target,
            also: Vec::new(),
            limits,
            table: Arc::new(wheelbarrow::RuntimeTable::builtin()),
            keymap,
            theme,
            focus: Pane::Search,
            dialog: None,
            names: Names::Loading {
                got: 0,
                total: None,
            },
            search: SearchState::default(),
            package: PackageState::default(),
            layer: LayerState::default(),
            tree: TreeState::default(),
            error: None,
            size: (MIN_WIDTH, MIN_HEIGHT),
            tick: 0,
            log_file: None,
            cwd: PathBuf::from("."),
            exit: false,
            dirty: true,
            grid_generation: 0,
            export_generation: 0,
            publish_generation: 0,
            reserve: 0,
            inputs: Vec::new(),
            targets: Vec::new(),
            table_dates: TableDates::default(),
            notice: None,
            opening: None,
        }
    }

    /// Where keys go now.
    pub fn context(&self) -> Context {
        match &self.dialog {
            Some(dialog) => dialog.context(),
            None => self.focus.context(),
        }
    }

    /// Where keys would go without the dialog (the help shows that context's keys).
    pub fn dialog_free_context(&self) -> Context {
        match &self.dialog {
            Some(dialog @ Dialog::Export(_)) => dialog.context(),
            _ => self.focus.context(),
        }
    }

    /// What is running, in words, for the status line (empty when idle).
    pub fn activity(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Names::Loading { got, total } = self.names {
            out.push(match (got, total) {
                (0, _) => "loading the project list".to_string(),
                (got, Some(total)) if got >= total => "reading the project list".to_string(),
                (got, Some(total)) => {
                    format!("downloading the project list {}%", got * 100 / total.max(1))
                }
                (got, None) => format!(
                    "downloading the project list ({})",
                    wheelbarrow::units::human_bytes(got)
                ),
            });
        }
        if self.package.project.is_loading() {
            out.push(format!("opening {}", self.package.name));
        }
        if self.layer.resolution.is_loading() || self.layer.plan.is_loading() {
            out.push(layer_activity(
                self.layer.progress.as_ref(),
                self.layer.plan.is_loading(),
            ));
        }
        if let Some((path, step)) = &self.opening {
            out.push(super::loading::opening_activity(path, step));
        }
        if self.exporting() {
            out.push("exporting".into());
        }
        if let Some(Dialog::Matrix(m)) = &self.dialog
            && let Some(g) = m.grid.as_ref().filter(|g| g.running())
        {
            out.push(format!(
                "resolving on every target: {} of {}",
                g.grid.answered(),
                g.grid.targets.len()
            ));
        }
        match self.publish_state() {
            Some(PublishState::Connecting { .. }) => out.push("connecting to AWS".into()),
            Some(PublishState::Publishing { .. }) => out.push("publishing".into()),
            _ => {}
        }
        if self.selected_peek().is_some_and(Loadable::is_loading) {
            out.push("looking it up".into());
        }
        out
    }

    /// Whether an export is running.
    pub fn exporting(&self) -> bool {
        matches!(&self.dialog, Some(Dialog::Export(d)) if matches!(d.state, ExportState::Running { .. }))
    }

    /// Where publishing from the export summary is, when begun.
    pub fn publish_state(&self) -> Option<&PublishState> {
        match &self.dialog {
            Some(Dialog::Export(d)) => d.publish.as_ref(),
            _ => None,
        }
    }

    /// Whether the spinner turns (and so the frame timer runs).
    pub fn animating(&self) -> bool {
        !self.activity().is_empty()
    }

    /// The highlighted search result's name.
    pub fn selected_result(&self) -> Option<&str> {
        let rows = &self.search.snapshot.as_ref()?.rows;
        rows.get(self.search.selected).map(|r| r.name.as_str())
    }

    pub fn selected_peek(&self) -> Option<&Loadable<Peek>> {
        let name = self.selected_result()?;
        self.search.peeks.get(&peek_key(name))
    }

    /// The target in words, or the targets one `python/` tree is resolved for.
    pub fn target_words(&self) -> String {
        if self.also.is_empty() {
            return self.target.to_string();
        }
        let all: Vec<Target> = std::iter::once(&self.target)
            .chain(&self.also)
            .cloned()
            .collect();
        wheelbarrow::resolve::portable::targets_text(&all)
    }

    /// The spec the layer pane stands for, as the engine's workspace takes it.
    pub fn spec(&self) -> LayerSpec {
        let mut spec = LayerSpec::new(self.target.clone());
        spec.picks = self
            .layer
            .picks
            .iter()
            .map(|p| p.requested.clone())
            .chain(self.layer.locked.iter().cloned())
            .collect();
        spec.resolve.exclude_runtime_provided = self.layer.exclude_runtime_provided;
        spec.reserve = self.reserve;
        spec.plan.layout = self.layer.layout;
        if self.layer.layout == wheelbarrow::layer::Layout::Python {
            spec.resolve.also_for.clone_from(&self.also);
        }
        spec.plan.additions.clone_from(&self.layer.additions);
        spec.plan.bytecode = self
            .layer
            .bytecode
            .then(wheelbarrow::layer::bytecode::BytecodeOptions::default);
        spec.inputs.clone_from(&self.inputs);
        spec
    }

    /// Shows `version` (an index into the open project's versions), the best build highlighted.
    pub fn show_version(&mut self, version: usize) {
        let Some(project) = self.package.project.ready().cloned() else {
            return;
        };
        let Some(name) = project.versions.get(version) else {
            return;
        };
        let release = release_verdicts(project.as_ref(), name, &self.target);
        self.package.version = version;
        self.package.selected = release.best.unwrap_or(0);
        self.package.release = Some(release);
    }

    /// The picks as a requirements file: each as written, a pinned build named in a comment.
    pub fn picks_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = format!("# Picked in wheelbarrow for {}.\n", self.target);
        for pick in &self.layer.picks {
            out.push_str(&pick.requirement_to_save());
            if let Some(file) = pick.filename() {
                let _ = write!(out, "  # the build picked: {file}");
            }
            out.push('\n');
        }
        out
    }

    /// Takes requirements read from a file (or the command line) as picks, a lock's pins aside
    /// (a pick replaces an earlier one of the same project); the names picked.
    pub fn take_picks(&mut self, requested: Vec<Requested>) -> Vec<String> {
        let mut names = Vec::new();
        // A lock opened again (or another lock) replaces the pins it holds.
        let pinned: std::collections::HashSet<String> = requested
            .iter()
            .filter(|r| r.locked == Some(wheelbarrow::resolve::Locked::Pin))
            .map(Requested::project)
            .collect();
        self.layer.locked.retain(|r| !pinned.contains(&r.project()));
        for r in requested {
            if r.locked == Some(wheelbarrow::resolve::Locked::Pin) {
                self.layer.locked.push(r);
                continue;
            }
            let pick = Pick { requested: r };
            let key = pick.key();
            self.layer.picks.retain(|p| p.key() != key);
            names.push(pick.name().to_string());
            self.layer.picks.push(pick);
        }
        names
    }

    /// The default export path in the current directory: `layer-<runtime>-<arch>.zip`, or for
    /// one python/ tree made for several targets, every runtime and architecture asked for
    /// (`layer-python3.10-3.11-3.12-x86_64-arm64.zip`), so the name (and the layer name the
    /// publish script takes from it) does not claim one runtime.
    pub fn default_export_path(&self) -> String {
        let mut targets = vec![&self.target];
        if self.layer.layout == wheelbarrow::layer::Layout::Python {
            targets.extend(self.also.iter());
        }
        let mut runtimes: Vec<&wheelbarrow::Runtime> = Vec::new();
        let mut archs: Vec<wheelbarrow::Arch> = Vec::new();
        for t in targets {
            if !runtimes.iter().any(|r| r.name == t.runtime.name) {
                runtimes.push(&t.runtime);
            }
            if !archs.contains(&t.arch) {
                archs.push(t.arch);
            }
        }
        runtimes.sort_by_key(|r| r.python_minor);
        // x86_64 before arm64, as the publish command lists them.
        archs.sort_by_key(|a| matches!(a, wheelbarrow::Arch::Arm64));
        let versions: Vec<String> = runtimes
            .iter()
            .enumerate()
            .map(|(i, r)| {
                if i == 0 {
                    r.name.clone()
                } else {
                    r.name.trim_start_matches("python").to_string()
                }
            })
            .collect();
        let archs: Vec<&str> = archs.iter().map(|a| a.lambda_name()).collect();
        let name = format!("layer-{}-{}.zip", versions.join("-"), archs.join("-"));
        self.cwd.join(name).display().to_string()
    }
}

/// The key a peek is cached under (PEP 503 normalised).
pub fn peek_key(name: &str) -> String {
    wheelbarrow::normalize_name(name)
}
