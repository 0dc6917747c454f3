//! Temporary files a killed run left behind. Every file wheelbarrow writes goes first to
//! `.NAME.PID.N.tmp` beside it (see [`temp_path`](super::temp_path)) and is renamed into place;
//! a run killed with SIGKILL (or a power cut) leaves that temporary file. The next run removes
//! such files where wheelbarrow writes: its cache folders, and beside a build's outputs.
//!
//! Only files of that exact name pattern are touched (inside the cache's own folders; beside
//! outputs, only the temporary names of those outputs), and only when no live run can own one:
//!
//! - never one of this process's own;
//! - when its PID is not a running process on this machine (`/proc`), once it has not been
//!   written to for [`DEAD_OWNER_AGE`]: a live run writes its temporary files continuously (a
//!   download chunk by chunk, a zip entry by entry), and the wait guards a run in another PID
//!   namespace (a container sharing the folder), whose PID this machine cannot see;
//! - whatever its PID, once it has not been written to for [`ANY_OWNER_AGE`] (a PID reused by
//!   another program since).
//!
//! So two runs at once never remove each other's files: a live run's PID is running, and its
//! files are fresh.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// A temporary file whose PID is not running here is removed once untouched this long.
pub const DEAD_OWNER_AGE: Duration = Duration::from_secs(15 * 60);

/// Any temporary file of ours is removed once untouched this long.
pub const ANY_OWNER_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// The cache's own folders (everything in them is wheelbarrow's), and how deep files lie there.
const CACHE_FOLDERS: [(&str, usize); 3] = [("http-v1", 2), ("wheels-v1", 2), ("bytecode-v1", 2)];

/// Removes stale temporary files from the cache folder `cache_dir`, once per process and
/// folder. Returns how many were removed.
pub fn sweep_cache_once(cache_dir: &Path) -> usize {
    static SWEPT: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    {
        let Ok(mut swept) = SWEPT.lock() else {
            return 0;
        };
        if !swept
            .get_or_insert_with(HashSet::new)
            .insert(cache_dir.to_path_buf())
        {
            return 0;
        }
    }
    let now = SystemTime::now();
    let mut removed = 0;
    for (folder, depth) in CACHE_FOLDERS {
        removed += sweep(&cache_dir.join(folder), depth, now, &|_| true);
    }
    // The cache folder itself may be shared: only the temporary files of the files
    // wheelbarrow keeps at its top (the name lists, the scrub marker).
    removed += sweep(cache_dir, 0, now, &|name| {
        name.starts_with("names-v1-") || name == "scrubbed-v1"
    });
    if removed > 0 {
        tracing::info!(
            "removed {removed} temporary files left in {} by runs that were killed",
            cache_dir.display()
        );
    }
    removed
}

/// Removes stale temporary files of `outputs` (files a run writes, all in one folder) from
/// their folder. Returns how many were removed.
pub fn sweep_beside(outputs: &[&Path]) -> usize {
    let Some(first) = outputs.first() else {
        return 0;
    };
    let dir = first
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let names: Vec<String> = outputs
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    sweep(dir, 0, SystemTime::now(), &|name| {
        names.iter().any(|n| n == name)
    })
}

/// Removes, under `dir` (down `depth` folders), each temporary file whose NAME `ours` accepts
/// and that [`stale`] says no live run owns.
fn sweep(dir: &Path, depth: usize, now: SystemTime, ours: &dyn Fn(&str) -> bool) -> usize {
    let mut removed = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth > 0 {
            removed += sweep(&entry.path(), depth - 1, now, ours);
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let name = entry.file_name();
        let Some((original, pid)) = name.to_str().and_then(parse_temp_name) else {
            continue;
        };
        let modified = entry.metadata().and_then(|m| m.modified());
        let untouched = modified
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .unwrap_or_default();
        if ours(original) && stale(pid, untouched) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// `.NAME.PID.N.tmp` -> (NAME, PID).
pub(crate) fn parse_temp_name(file_name: &str) -> Option<(&str, u32)> {
    let inner = file_name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (rest, n) = inner.rsplit_once('.')?;
    let (name, pid) = rest.rsplit_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if name.is_empty() || !digits(n) || !digits(pid) {
        return None;
    }
    Some((name, pid.parse().ok()?))
}

/// Whether a temporary file of process `pid`, untouched for `untouched`, has no live owner.
fn stale(pid: u32, untouched: Duration) -> bool {
    if pid == std::process::id() {
        return false;
    }
    untouched >= ANY_OWNER_AGE || (untouched >= DEAD_OWNER_AGE && !running(pid))
}

/// Whether `pid` is a running process on this machine; where that cannot be told (no
/// `/proc`), it counts as running, and only [`ANY_OWNER_AGE`] applies.
fn running(pid: u32) -> bool {
    let proc_root = Path::new("/proc");
    !proc_root.join("self").exists() || proc_root.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_read_and_others_are_not() {
        assert_eq!(
            parse_temp_name(".app.zip.1234.7.tmp"),
            Some(("app.zip", 1234))
        );
        assert_eq!(
            parse_temp_name(".a-1.0-py3-none-any.whl.99.0.tmp"),
            Some(("a-1.0-py3-none-any.whl", 99))
        );
        for other in [
            "app.zip.1234.7.tmp",
            ".app.zip.tmp",
            "..1234.7.tmp",
            ".app.zip.12x.7.tmp",
            ".app.zip.1234..tmp",
            ".app.zip.1234.7.temp",
            ".1234.7.tmp",
        ] {
            assert_eq!(parse_temp_name(other), None, "{other}");
        }
    }

    #[test]
    fn only_files_no_live_run_can_own_are_stale() {
        let mine = std::process::id();
        let day = ANY_OWNER_AGE;
        assert!(!stale(mine, day * 2), "never this process's own");
        // PID 1 always runs.
        assert!(!stale(1, DEAD_OWNER_AGE * 2));
        assert!(stale(1, day));
        // A PID above the kernel's maximum never runs.
        let dead = 4_194_304 + 1;
        assert!(!stale(dead, DEAD_OWNER_AGE / 2), "too fresh");
        assert!(stale(dead, DEAD_OWNER_AGE));
    }
}
