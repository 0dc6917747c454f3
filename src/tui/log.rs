//! Logs go to a file, and only when `WHEELBARROW_LOG` is set (its value is the filter, e.g.
//! `debug` or `wheelbarrow=trace`): stdout belongs to the screen.

use std::path::{Path, PathBuf};

/// Starts logging to `<cache dir>/tui.log` when asked; returns the file's path.
pub fn init(cache_dir: &Path) -> Option<PathBuf> {
    let filter = std::env::var("WHEELBARROW_LOG")
        .ok()
        .filter(|v| !v.is_empty())?;
    std::fs::create_dir_all(cache_dir).ok()?;
    let path = cache_dir.join("tui.log");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let filter = tracing_subscriber::EnvFilter::try_new(&filter).ok()?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init()
        .ok()?;
    Some(path)
}
