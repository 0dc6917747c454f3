//! Reading what `o` opens, off the event loop: a layer zip through the engine's
//! [`open_layer`](wheelbarrow::layer::open_layer), a requirements file or `pyproject.toml`
//! through the resolver's tolerant reader (a bad line is said, the rest still picked).

use std::path::Path;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use wheelbarrow::layer::LayerError;
use wheelbarrow::work::Progress;
use wheelbarrow::{RuntimeTable, Target};

use super::hints;
use super::msg::{Msg, OpenedRequirements};

/// The answer for `path`.
pub fn open(path: &Path, target: Option<&Target>, table: &RuntimeTable) -> Msg {
    if !path.exists() {
        let what = format!("{} does not exist", path.display());
        return if super::update::is_zip(path) {
            Msg::LayerOpened(Err(what))
        } else {
            Msg::RequirementsOpened(Err(what))
        };
    }
    if path.is_dir() {
        return Msg::RequirementsOpened(Err(format!(
            "{} is a folder: open a requirements file, a pyproject.toml, a lock file or a layer zip",
            path.display()
        )));
    }
    if super::update::is_zip(path) {
        return open_zip(
            path,
            target,
            table,
            &Progress::none(),
            &CancellationToken::new(),
        );
    }
    Msg::RequirementsOpened(
        wheelbarrow::resolve::read_any_tolerant(path)
            .map(|(picks, skipped)| OpenedRequirements {
                path: path.to_path_buf(),
                picks,
                skipped: skipped.iter().map(ToString::to_string).collect(),
            })
            .map_err(|e| e.to_string()),
    )
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
        return Msg::LayerOpened(Err(format!("{} does not exist", path.display())));
    }
    match wheelbarrow::layer::open_layer_with(path, target, table, progress, cancel) {
        Ok(opened) => Msg::LayerOpened(Ok(Arc::new(opened))),
        Err(LayerError::Cancelled) => Msg::OpenCancelled {
            path: path.to_path_buf(),
        },
        Err(e) => Msg::LayerOpened(Err(hints::describe(&e))),
    }
}
