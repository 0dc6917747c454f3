//! Reading what `o` opens, off the event loop: a layer zip through the engine's
//! [`open_layer`](wheelbarrow::layer::open_layer), a requirements file or `pyproject.toml`
//! through the resolver's tolerant reader (a bad line is said, the rest still picked).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use wheelbarrow::layer::LayerError;
use wheelbarrow::work::{Phase, Progress, Step};
use wheelbarrow::{RuntimeTable, Target};

use super::failure::Failure;
use super::msg::{Msg, OpenedRequirements};
use super::runner::{Job, Jobs, Slot};

/// The answer for the requirements file (or `pyproject.toml`, or lock file) at `path`; a
/// layer zip goes through [`spawn_zip`].
pub fn open_requirements(path: &Path) -> Msg {
    if !path.exists() {
        return Msg::RequirementsOpened(Err(Failure::said(format!(
            "{} does not exist",
            path.display()
        ))));
    }
    if path.is_dir() {
        return Msg::RequirementsOpened(Err(Failure::said(format!(
            "{} is a folder: open a requirements file, a pyproject.toml, a lock file or a layer zip",
            path.display()
        ))));
    }
    Msg::RequirementsOpened(
        wheelbarrow::resolve::read_any_tolerant(path)
            .map(|(picks, skipped)| OpenedRequirements {
                path: path.to_path_buf(),
                picks,
                skipped: skipped.iter().map(ToString::to_string).collect(),
            })
            .map_err(|e| Failure::said(e.to_string())),
    )
}

/// Opens the layer zip `path` (for `target`) off the loop, in the runner's `OpenZip` slot:
/// its progress as [`Msg::OpenProgress`] (a first step at once, for the status line), then the
/// answer (after a cancel too: [`Msg::OpenCancelled`]); a panic answers as an internal error.
pub fn spawn_zip(
    jobs: &mut Jobs,
    table: Arc<RuntimeTable>,
    (path, target): (PathBuf, Option<Target>),
) {
    let (progress_tx, at) = (jobs.sender().clone(), path.clone());
    let progress = Progress::new(move |step: &Step| {
        let _ = progress_tx.send(Msg::OpenProgress {
            path: at.clone(),
            step: step.clone(),
        });
    });
    progress.report(&Step::new(Phase::Inspecting, 0, None));
    jobs.spawn_blocking(
        Job::new(Slot::OpenZip, "opening a layer zip").answering_cancel(),
        move |cancel| open_zip(&path, target.as_ref(), &table, &progress, &cancel),
        |e| Msg::LayerOpened(Err(e)),
    );
}

/// The answer for the layer zip at `path`: opened, refused in words (a device, a FIFO, not a
/// zip), or cancelled by `cancel`.
pub fn open_zip(
    path: &Path,
    target: Option<&Target>,
    table: &RuntimeTable,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Msg {
    if !path.exists() {
        return Msg::LayerOpened(Err(Failure::said(format!(
            "{} does not exist",
            path.display()
        ))));
    }
    match wheelbarrow::layer::open_layer_with(path, target, table, progress, cancel) {
        Ok(opened) => Msg::LayerOpened(Ok(Arc::new(opened))),
        Err(LayerError::Cancelled) => Msg::OpenCancelled {
            path: path.to_path_buf(),
        },
        Err(e) => Msg::LayerOpened(Err(Failure::of(&e))),
    }
}
