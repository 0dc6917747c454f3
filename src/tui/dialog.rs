//! The dialogs over the panes, as state: which one is open and what it holds.

use tui_input::Input;
use wheelbarrow::work::Step;

use super::msg::ExportSummary;
use super::publishing::PublishState;
use super::views::{Matrix, VersionRow};

#[derive(Debug)]
pub enum Dialog {
    /// The keys of the mode behind it; `scroll` lines down (a small screen cannot show all).
    Help {
        scroll: u16,
    },
    Export(Box<ExportDialog>),
    /// Why the layer does not resolve, in full; `scroll` lines down.
    Detail {
        text: String,
        scroll: u16,
    },
    /// Choose the runtime and architecture: typing filters the rows; in the `python/` layout
    /// several can be marked, for one tree that serves them all.
    Target {
        input: Input,
        selected: usize,
        marked: Vec<wheelbarrow::Target>,
    },
    /// The megabytes of the 250 MB kept for the function's code and other layers.
    Reserve {
        input: Input,
    },
    /// Where to save the picks as a requirements file (the lock goes beside it).
    Save {
        input: Input,
    },
    /// The layer's packages against every target.
    Matrix(Box<Matrix>),
    /// A file or folder of your own to add under /opt: `PATH` or `PATH=DEST`.
    Add {
        input: Input,
    },
    /// A requirements file or a layer zip to open.
    Open {
        input: Input,
    },
    /// The open project's releases, newest first, each marked by whether it loads here.
    Versions {
        rows: Vec<VersionRow>,
        selected: usize,
    },
}

#[derive(Debug)]
pub struct ExportDialog {
    pub input: Input,
    pub state: ExportState,
    /// Publishing the exported zip (`p` in the summary), when begun.
    pub publish: Option<PublishState>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportState {
    Editing,
    Running {
        generation: u64,
        /// The last step reported (downloading, checking, writing).
        step: Option<Step>,
    },
    Done(ExportSummary),
    Failed(String),
}
