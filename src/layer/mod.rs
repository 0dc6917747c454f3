//! The layer: the `/opt` tree and its size budget, safe extraction of wheels, a byte-identical
//! zip, and the inspection of layers built by any tool.
//!
//! ```text
//!  Resolution ──plan()──▶ LayerPlan ──budget()──▶ Budget        (before any download)
//!       │                                                           
//!       └──build()──▶ download ▶ check each wheel ▶ lay out ▶ write zip (temp, then rename)
//! ```

mod additions;
mod artifacts;
mod budget;
mod budget_note;
mod build;
mod build_targets;
pub mod bytecode;
pub mod inspect;
mod inspect_budget;
mod inspect_bytecode;
mod inspect_native;
mod inspect_problem;
mod inspect_trees;
mod lookalike;
mod metadata_check;
pub mod native;
mod opened;
mod outputs;
mod parallel;
mod paths;
mod pip_command;
mod plan;
mod pylock_out;
pub mod roles;
mod served;
mod served_zip;
mod several;
mod target_grid;
mod targets;
mod warning;
mod wheel_check;
mod workspace;
mod zipwrite;

use std::path::PathBuf;

pub use additions::{Addition, check_addition};
pub use artifacts::{
    layer_description, layer_description_of, layer_name, lock_file, lock_file_several,
    publish_command,
};
pub use budget::{Budget, BudgetNote, budget, reserve_from_mb};
pub use build::{Built, build};
pub use build_targets::{BuildEvent, TargetsBuildError, TargetsBuilt};
pub use opened::{OpenedLayer, UNRECORDED, open_layer, open_layer_with};
pub use outputs::{Outputs, beside, overwritten_input, pylock_beside};
pub use paths::{Layout, Trim};
pub use pip_command::pip_command;
pub use plan::{LayerPlan, PackagePlan, PlanOptions, PlannedFile, Source, lay_out, plan};
pub use pylock_out::{pylock_file, uv_command};
pub use served::{Served, served_by, served_by_all};
pub use served_zip::served_by_zip;
pub use several::build_several;
pub use target_grid::{Answer, Cell, Column, Failure, Row, TargetGrid};
pub use targets::{TARGETS_AT_ONCE, TargetOutcome, every_target, targets_named};
pub use warning::PlanWarning;
pub use workspace::{Exported, LayerSpec, Workspace};
pub use zipwrite::dos_datetime;

use crate::index::IndexError;

/// Why a layer could not be planned, built or inspected. Nothing is written when it fails.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("refusing {wheel}: {problem}. No zip was written")]
    Unsafe { wheel: String, problem: String },
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The I/O error is part of the message (not a separate cause, which would repeat it).
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{0}")]
    NotALayer(String),
    /// Where the export would write is wrong; said before anything is done.
    #[error("{0}")]
    Output(String),
    /// A file the user adds cannot go where it was asked to.
    #[error("refusing an addition: {0}. No zip was written")]
    Addition(String),
    #[error(
        "refusing the layer: {path} would be a file (from {file_from}) and also a folder holding {inside} (from {folder_from}); a zip with both cannot be unzipped. No zip was written"
    )]
    FileAndFolder {
        path: String,
        file_from: String,
        inside: String,
        folder_from: String,
    },
    /// Nothing would go into the layer.
    #[error("refusing to build an empty layer: {0}. No zip was written")]
    Empty(String),
    /// Bytecode could not be compiled for the target.
    #[error(transparent)]
    Bytecode(#[from] bytecode::BytecodeError),
    #[error("cancelled; nothing was written")]
    Cancelled,
    /// A bug: a worker panicked. Never shown as a cancellation.
    #[error("internal error while building the layer: {0}; nothing was written")]
    Internal(String),
}

impl LayerError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> LayerError {
        LayerError::Io {
            path: path.into(),
            error: source,
        }
    }
}

impl crate::hint::Hints for LayerError {
    fn hints(&self) -> Vec<crate::hint::Hint> {
        match self {
            LayerError::Index(e) => crate::hint::Hints::hints(e),
            LayerError::Bytecode(e) => crate::hint::Hints::hints(e),
            _ => Vec::new(),
        }
    }
}
