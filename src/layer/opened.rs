//! A layer zip made by anything (wheelbarrow, `pip install -t python/ … && zip -r`, a CI job),
//! opened to be looked at: the plan the tree and the budget show for a layer being assembled,
//! read from the zip, and every problem [`inspect`](super::inspect::inspect) finds.
//!
//! Each file is attributed to the package whose `*.dist-info/RECORD` lists it (pip writes one
//! for everything it installs, scripts in `bin/` included); what no RECORD lists belongs to
//! [`UNRECORDED`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use url::Url;

use tokio_util::sync::CancellationToken;

use super::LayerError;
use super::inspect::{Inspection, inspect_zip};
use super::inspect_budget::{Inflater, read_layer_zip};
use super::paths::Layout;
use super::plan::{LayerPlan, PackagePlan, PlannedFile, Source, entry_overhead};
use crate::index::{DistFile, ZipEntry, zipdir};
use crate::lambda::{RuntimeTable, Target};
use crate::text::clean;
use crate::work::Progress;

/// The owner of the files no RECORD lists.
pub const UNRECORDED: &str = "(in no RECORD)";

/// A RECORD bigger than this is not read (its files count as unrecorded).
const RECORD_MAX_BYTES: u64 = 16 << 20;

/// A layer zip, opened.
#[derive(Debug, Clone)]
pub struct OpenedLayer {
    pub path: PathBuf,
    /// What `inspect` says of it (the problems, the notes, the target it was read for).
    pub inspection: Inspection,
    /// Its files as a plan, for the tree and the budget. Never written again: its sources are
    /// [`Source::Opened`].
    pub plan: LayerPlan,
}

/// Opens the layer at `path` for `target` (inferred from the layer when `None`).
///
/// # Errors
/// What [`open_layer_with`] says.
pub fn open_layer(
    path: &Path,
    target: Option<&Target>,
    table: &RuntimeTable,
) -> Result<OpenedLayer, LayerError> {
    open_layer_with(
        path,
        target,
        table,
        &Progress::none(),
        &CancellationToken::new(),
    )
}

/// [`open_layer`], reporting what it inflates to `progress` (one budget for the inspection
/// and the RECORD files read) and stopping when `cancel` is cancelled.
///
/// # Errors
/// What [`inspect_with`](super::inspect::inspect_with) refuses; [`LayerError::Cancelled`].
pub fn open_layer_with(
    path: &Path,
    target: Option<&Target>,
    table: &RuntimeTable,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<OpenedLayer, LayerError> {
    let bytes = read_layer_zip(path, &table.limits)?;
    let zip = Inflater::new(&bytes, table.limits.unzipped_bytes, progress, cancel);
    let inspection = inspect_zip(path, &zip, target, table)?;
    let opened = opened(path, &zip, target, table, inspection);
    if zip.cancelled() {
        return Err(LayerError::Cancelled);
    }
    opened
}

fn opened(
    path: &Path,
    zip: &Inflater,
    target: Option<&Target>,
    table: &RuntimeTable,
    inspection: Inspection,
) -> Result<OpenedLayer, LayerError> {
    let bytes = zip.bytes();
    let target = match target {
        Some(t) => t.clone(),
        None => table
            .target(Some(&inspection.runtime), Some(&inspection.arch))
            .unwrap_or_else(|_| table.default_target()),
    };
    let entries = zipdir::list_whole(bytes).map_err(LayerError::NotALayer)?;
    let owners = owners(zip, &entries, &inspection);
    let site = Layout::SitePackages.site_dir(target.runtime.python_minor) + "/";
    let layout = if entries.iter().any(|e| e.name.starts_with(&site)) {
        Layout::SitePackages
    } else {
        Layout::Python
    };
    let mut files: Vec<PlannedFile> = entries
        .iter()
        .filter(|e| !e.is_dir())
        .map(|e| PlannedFile {
            path: clean(&e.name).into_owned(),
            size: e.size,
            compressed: e.compressed_size,
            executable: e.unix_mode.is_some_and(|m| m & 0o111 != 0),
            owner: owners
                .get(e.name.as_str())
                .cloned()
                .unwrap_or_else(|| UNRECORDED.to_string()),
            source: Source::Opened(e.clone()),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    let packages = packages(path, &inspection, &files, table);
    Ok(OpenedLayer {
        path: path.to_path_buf(),
        inspection,
        plan: LayerPlan {
            python_minor: target.runtime.python_minor,
            target,
            layout,
            packages,
            files,
            warnings: Vec::new(),
            bytecode: None,
        },
    })
}

/// Member name → the package (`name version`'s name) whose RECORD lists it.
fn owners(
    zip: &Inflater,
    entries: &[ZipEntry],
    inspection: &Inspection,
) -> HashMap<String, String> {
    let mut owners = HashMap::new();
    for package in &inspection.packages {
        let base = if package.location.is_empty() {
            String::new()
        } else {
            format!("{}/", package.location)
        };
        let record = format!(
            "{base}{}-{}.dist-info/RECORD",
            package.name, package.version
        );
        let Some(entry) = entries
            .iter()
            .find(|e| e.name == record && e.size <= RECORD_MAX_BYTES)
        else {
            continue;
        };
        let Ok(text) = zip.member(entry) else {
            continue;
        };
        for line in String::from_utf8_lossy(&text).lines() {
            let Some(listed) = record_path(line) else {
                continue;
            };
            if let Some(member) = normalize(&format!("{base}{listed}")) {
                owners.entry(member).or_insert_with(|| package.name.clone());
            }
        }
    }
    owners
}

/// The path of a RECORD line (`path,hash,size`; a path with a comma is quoted).
fn record_path(line: &str) -> Option<&str> {
    let path = match line.strip_prefix('"') {
        Some(rest) => &rest[..rest.find('"')?],
        None => line.split(',').next()?,
    };
    (!path.is_empty()).then_some(path)
}

/// `a/b/../../bin/x` → `bin/x`; `None` when it climbs out of the zip.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

fn packages(
    path: &Path,
    inspection: &Inspection,
    files: &[PlannedFile],
    table: &RuntimeTable,
) -> Vec<PackagePlan> {
    let url = std::path::absolute(path)
        .ok()
        .and_then(|p| Url::from_file_path(p).ok())
        .or_else(|| Url::parse("file:///layer.zip").ok());
    let mut names: Vec<(String, String)> = inspection
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect();
    if files.iter().any(|f| f.owner == UNRECORDED) {
        names.push((UNRECORDED.to_string(), String::new()));
    }
    names
        .into_iter()
        .filter_map(|(name, version)| {
            let mine = files.iter().filter(|f| f.owner == name);
            let (count, unzipped, zipped) = mine.fold((0, 0, 0), |(n, u, z), f| {
                (
                    n + 1,
                    u + f.size,
                    z + f.compressed + entry_overhead(&f.path),
                )
            });
            let filename = if version.is_empty() {
                name.clone()
            } else {
                format!("{name}-{version}.dist-info")
            };
            Some(PackagePlan {
                file: DistFile::new(&name, filename.clone(), url.clone()?),
                runtime_provided: table.is_runtime_provided(&name),
                name: clean(&name).into_owned(),
                version: clean(&version).into_owned(),
                filename: clean(&filename).into_owned(),
                files: count,
                unzipped,
                zipped,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_paths_are_read_as_pip_writes_them() {
        assert_eq!(record_path("six.py,sha256=abc,123"), Some("six.py"));
        assert_eq!(record_path("\"a,b.py\",sha256=abc,1"), Some("a,b.py"));
        assert_eq!(record_path(""), None);
        assert_eq!(
            normalize("python/../../bin/x").as_deref(),
            None,
            "climbing out of the zip is not a member"
        );
        assert_eq!(
            normalize("python/lib/python3.12/site-packages/../../../../bin/x").as_deref(),
            Some("bin/x")
        );
    }
}
