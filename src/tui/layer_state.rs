//! The layer pane's state and its invariants: each kind of request (resolve the picks, plan the
//! tree again, show an opened zip) is one method that takes a new generation, so that answers
//! to older requests are dropped, and clears what was drawn from the layer it replaces.

use std::sync::Arc;

use wheelbarrow::layer::{Budget, LayerPlan, OpenedLayer};
use wheelbarrow::resolve::{Requested, Resolution};
use wheelbarrow::work::Step;

use super::loading::Loadable;

/// One build the user picked: a requirement (from `-r`, the command line or a list), pinned to
/// an exact file when picked from the package pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub requested: Requested,
}

impl Pick {
    /// The exact file `filename` of `project` `version`, picked in the package pane.
    pub fn file(project: &str, version: &str, filename: &str) -> Result<Pick, String> {
        Requested::exact_file(project, version, filename, "picked in the TUI")
            .map(|requested| Pick { requested })
            .map_err(|e| e.to_string())
    }

    /// The project's name as the requirement spells it.
    pub fn name(&self) -> &str {
        self.requested.requirement.name.as_ref()
    }

    /// The PEP 503 name, to compare picks with packages.
    pub fn key(&self) -> String {
        self.requested.project()
    }

    /// The requirement as written (`requests[socks]>=2.31`, `app @ file:///…/app.whl`).
    pub fn requirement(&self) -> String {
        self.requested.written()
    }

    /// The requirement as saved to a file: a direct URL's credentials left out, as the lock
    /// file leaves them out.
    pub fn requirement_to_save(&self) -> String {
        self.requested.written_redacted()
    }

    /// The file pinned, when one was picked.
    pub fn filename(&self) -> Option<&str> {
        self.requested.file.as_deref()
    }

    /// The lock file this pick was read from (`uv.lock`), when it was.
    pub fn lock(&self) -> Option<&str> {
        self.requested.locked?;
        let origin = self.requested.origin.as_str();
        Some(origin.rsplit_once(':').map_or(origin, |(file, _)| file))
    }
}

/// A version that loads where a pinned or locked one does not, offered with `u`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub project: String,
    pub version: String,
    /// For a locked project: the sha256 of that version's files on the index (the lock's
    /// hash-checking stays on).
    pub hashes: Vec<String>,
}

#[derive(Debug, Default)]
pub struct LayerState {
    pub picks: Vec<Pick>,
    /// The pins of the lock files opened (each locked package's version and hashes, held if
    /// the resolution reaches it): not picks of their own.
    pub locked: Vec<Requested>,
    pub generation: u64,
    pub resolution: Loadable<Arc<Resolution>>,
    pub plan: Loadable<Arc<LayerPlan>>,
    pub budget: Option<Budget>,
    /// The highlighted row: picks first, then the dependencies they brought.
    pub selected: usize,
    /// Leave out what the runtime already has.
    pub exclude_runtime_provided: bool,
    /// Compile bytecode for the target's Python into the layer.
    pub bytecode: bool,
    /// The last progress step of the resolution or plan under way.
    pub progress: Option<Step>,
    /// When the picks do not resolve: the explanation with the resolver's derivation.
    pub detail: Option<String>,
    /// A pinned build (or locked version) that does not load here, and the version that does.
    pub offer: Option<Offer>,
    /// Where packages go in the zip.
    pub layout: wheelbarrow::layer::Layout,
    /// Files and folders of your own under /opt.
    pub additions: Vec<wheelbarrow::layer::Addition>,
    /// The answer before the target changed, to say what the switch changed.
    pub before: Option<(Arc<Resolution>, Option<Budget>)>,
    /// A layer zip opened to be looked at (`o`, or `wheelbarrow tui LAYER.zip`): the panes show
    /// it until the picks change.
    pub opened: Option<Arc<OpenedLayer>>,
    /// The deprecated runtime the status line last warned about (said once, not after every
    /// change of the picks).
    pub deprecation_said: Option<String>,
}

impl LayerState {
    /// A new resolution of the picks asked for: the plan, the budget, the progress, why the
    /// last one failed, its offer and an opened zip go; the generation to ask with. Without
    /// picks there is nothing to resolve (the resolution is idle).
    pub fn new_resolution(&mut self) -> u64 {
        self.generation += 1;
        self.opened = None;
        self.plan = Loadable::Idle;
        self.budget = None;
        self.progress = None;
        self.detail = None;
        self.offer = None;
        self.resolution = if self.picks.is_empty() {
            Loadable::Idle
        } else {
            Loadable::Loading
        };
        self.generation
    }

    /// The tree planned again for the resolution at hand (the layout, the bytecode or the
    /// additions changed): the generation to ask with and that resolution; `None` without one.
    pub fn new_plan(&mut self) -> Option<(u64, Arc<Resolution>)> {
        let resolution = self.resolution.ready().cloned()?;
        self.generation += 1;
        self.plan = Loadable::Loading;
        Some((self.generation, resolution))
    }

    /// An opened zip shown as it is, with its plan and `budget`: answers still coming for the
    /// picks are for a layer no longer shown (a new generation), and what was said about the
    /// picks' resolution goes. The picks stay (they come back when one changes).
    pub fn show_opened(&mut self, opened: Arc<OpenedLayer>, plan: Arc<LayerPlan>, budget: Budget) {
        self.generation += 1;
        self.resolution = Loadable::Idle;
        self.detail = None;
        self.offer = None;
        self.progress = None;
        self.before = None;
        self.budget = Some(budget);
        self.plan = Loadable::Ready(plan);
        self.opened = Some(opened);
    }
}
