//! Building the layer zip: download (parallel, sha256-checked, cached), check every wheel
//! (safe paths, no symlinks, sizes as declared, contents as RECORD says), then write the zip
//! deterministically to a temporary file and rename it into place. A failure or a cancel
//! leaves nothing behind.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::LayerError;
use super::bytecode::{Compile, Found, Places, compile_plan, interpreters_for};
use super::paths::rewrite_shebang;
use super::plan::{LayerPlan, PlanOptions, Source, lay_out};
use super::wheel_check::{OpenWheel, open_wheel};
use super::zipwrite::{Data, ZipOut};
use crate::index::{IndexClient, ZipEntry, file_sha256, zipdir};
use crate::lambda::Limits;
use crate::resolve::{Resolution, ResolvedPackage};
use crate::work::{JoinFailure, Phase, Progress, Step, join_failure};

/// What a finished build produced.
#[derive(Debug, Clone, Serialize)]
pub struct Built {
    pub zip: PathBuf,
    pub sha256: String,
    pub zipped: u64,
    pub unzipped: u64,
    pub files: usize,
    /// The plan as written (from the downloaded wheels).
    #[serde(skip)]
    pub plan: LayerPlan,
    /// Each script whose `#!python` line was pointed at a runtime's Python: its path and that
    /// Python's minor version (`#!/var/lang/bin/python3.X`).
    #[serde(skip)]
    pub scripts: Scripts,
}

/// Scripts with their `#!` line's Python minor version (see [`Built::scripts`]).
pub type Scripts = Vec<(String, u32)>;

/// Downloads and checks every wheel of `resolution`, lays the layer out from the wheels as
/// downloaded, and writes it to `out`. Progress: `Downloading` (bytes), `Checking` and
/// `Writing` (counts).
pub async fn build(
    client: &IndexClient,
    limits: &Limits,
    resolution: &Resolution,
    options: &PlanOptions,
    out: &Path,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<Built, LayerError> {
    let epoch = options.timestamp;
    let packages: Vec<ResolvedPackage> = resolution.included().cloned().collect();
    if packages.is_empty() && options.additions.is_empty() {
        return Err(LayerError::Empty(
            "every package of the resolution is left out (provided by the runtime, or excluded)"
                .into(),
        ));
    }
    let minor = resolution.target.runtime.python_minor;
    let also = options
        .bytecode
        .as_ref()
        .map(|b| b.also_for.clone())
        .unwrap_or_default();
    let found = find_interpreters(options, vec![minor], also, cancel).await?;
    let paths = download_all(client, &packages, progress, cancel).await?;
    let limits = *limits;
    let target = resolution.target.clone();
    let options = options.clone();
    let out = out.to_path_buf();
    let progress = progress.clone();
    let cancel = cancel.clone();
    let cache_dir = client.settings().cache_dir.clone();
    on_blocking_thread(move || {
        let mut wheels = check_all(&packages, &paths, &limits, &progress, &cancel)?;
        let ids = wheel_ids(&packages, &wheels);
        let listed: Vec<(ResolvedPackage, Vec<ZipEntry>)> = packages
            .into_iter()
            .zip(&wheels)
            .map(|(p, w)| (p, w.entries.clone()))
            .collect();
        let mut plan = lay_out(listed, &target, &options)?;
        refuse_metadata_only(&plan)?;
        if let (Some(found), Some(bytecode)) = (&found, &options.bytecode) {
            let how = Compile {
                interpreters: &found.interpreters,
                without: &found.without,
                invalidation: bytecode.invalidation,
                cache_dir: &cache_dir,
            };
            compile_plan(&mut plan, &mut wheels, &ids, &how, &progress, &cancel)?;
        }
        write_zip(
            &plan,
            &wheels,
            &HashMap::new(),
            &out,
            epoch,
            &progress,
            &cancel,
        )
    })
    .await
}

/// With bytecode asked for, the interpreters that compile it: one of each minor in `required`,
/// and of those in `optional` that have one. Found before any download, so a refusal comes at
/// once.
pub(super) async fn find_interpreters(
    options: &PlanOptions,
    required: Vec<u32>,
    optional: Vec<u32>,
    cancel: &CancellationToken,
) -> Result<Option<Found>, LayerError> {
    let Some(bytecode) = options.bytecode.clone() else {
        return Ok(None);
    };
    let cancel = cancel.clone();
    on_blocking_thread(move || {
        let places = Places::from_environment();
        Ok(Some(interpreters_for(
            &required, &optional, &bytecode, &places, &cancel,
        )?))
    })
    .await
}

/// Each wheel's sha256 (from the index when it gave one, which the download was checked
/// against): what its compiled bytecode is cached by.
pub(super) fn wheel_ids(packages: &[ResolvedPackage], wheels: &[OpenWheel]) -> Vec<String> {
    packages
        .iter()
        .zip(wheels)
        .map(|(p, w)| {
            p.sha256
                .clone()
                .unwrap_or_else(|| crate::index::sha256_hex(&w.bytes))
        })
        .collect()
}

/// Metadata alone (`.dist-info`) gives Python nothing to import: such a layer is refused.
pub(super) fn refuse_metadata_only(plan: &LayerPlan) -> Result<(), LayerError> {
    if plan.files.iter().all(|f| f.path.contains(".dist-info/")) {
        return Err(LayerError::Empty(
            "every file of its wheels but their metadata is trimmed away".into(),
        ));
    }
    Ok(())
}

/// Runs the checking and writing on a blocking thread; a panic there is an internal error,
/// never a cancellation.
pub(super) async fn on_blocking_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, LayerError> + Send + 'static,
) -> Result<T, LayerError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| match join_failure(e) {
            JoinFailure::Cancelled => LayerError::Cancelled,
            JoinFailure::Panicked(message) => LayerError::Internal(message),
        })?
}

pub(super) async fn download_all(
    client: &IndexClient,
    packages: &[ResolvedPackage],
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<Vec<PathBuf>, LayerError> {
    let total: u64 = packages.iter().filter_map(|p| p.size).sum();
    let done = Arc::new(AtomicU64::new(0));
    let downloads = packages.iter().map(|p| {
        // Each download reports its own bytes; they are summed into one step for all wheels.
        let done = done.clone();
        let outer = progress.clone();
        let last = Arc::new(AtomicU64::new(0));
        let report = move |received: u64| {
            let delta = received.saturating_sub(last.swap(received, Ordering::Relaxed));
            let now = done.fetch_add(delta, Ordering::Relaxed) + delta;
            outer.report(&Step::new(Phase::Downloading, now, Some(total)));
        };
        let file = p.file.clone();
        async move {
            let report = Arc::new(report);
            let sink = report.clone();
            let per_file = Progress::new(move |step: &Step| sink(step.done));
            let path = client.download(&file, &per_file, cancel).await;
            if let (Ok(_), Some(size)) = (&path, file.size) {
                report(size);
            }
            path
        }
    });
    let results = futures_util::future::join_all(downloads).await;
    results
        .into_iter()
        .zip(packages)
        .map(|(r, p)| {
            let path = r.map_err(|e| match e {
                crate::index::IndexError::Cancelled => LayerError::Cancelled,
                e => LayerError::Index(e),
            })?;
            check_listed_hash(p, &path)?;
            Ok(path)
        })
        .collect()
}

/// In hash-checking mode, the wheel's sha256 must be one the requirements list (the index's
/// published digest was already checked against the download; this covers files it gave none
/// for, and an index that changed its digest).
fn check_listed_hash(package: &ResolvedPackage, path: &Path) -> Result<(), LayerError> {
    if package.hashes.is_empty() {
        return Ok(());
    }
    let actual = file_sha256(path).map_err(|e| LayerError::io(path, e))?;
    if package.hashes.contains(&actual) {
        return Ok(());
    }
    Err(LayerError::Unsafe {
        wheel: package.filename.clone(),
        problem: format!(
            "its sha256 is {actual}, which is not among the hashes the requirements list for {} ({})",
            package.name,
            package.hashes.join(", ")
        ),
    })
}

/// Reads and checks every wheel, on both cores.
pub(super) fn check_all(
    packages: &[ResolvedPackage],
    paths: &[PathBuf],
    limits: &Limits,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<Vec<OpenWheel>, LayerError> {
    super::parallel::each(packages.len(), Phase::Checking, progress, cancel, |i| {
        let wheel = open_wheel(&paths[i], &packages[i].filename, limits)?;
        super::metadata_check::agrees(&packages[i], &wheel.metadata).map_err(|problem| {
            LayerError::Unsafe {
                wheel: packages[i].filename.clone(),
                problem,
            }
        })?;
        Ok(wheel)
    })
}

/// Writes `plan` to `out` (a temporary file, then renamed). A script's `#!python` line points
/// at the Python of `script_minor[path]`, or of the plan's runtime when it is not there.
pub(super) fn write_zip(
    plan: &LayerPlan,
    wheels: &[OpenWheel],
    script_minor: &HashMap<String, u32>,
    out: &Path,
    epoch: u64,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<Built, LayerError> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| LayerError::io(dir, e))?;
    let temp = crate::index::temp_path(out);
    let result = write_to(plan, wheels, script_minor, &temp, epoch, progress, cancel);
    match result {
        Ok((zipped, files, scripts)) => {
            std::fs::rename(&temp, out).map_err(|e| LayerError::io(out, e))?;
            let sha256 = file_sha256(out).map_err(|e| LayerError::io(out, e))?;
            Ok(Built {
                zip: out.to_path_buf(),
                sha256,
                zipped,
                unzipped: plan.unzipped(),
                files,
                plan: plan.clone(),
                scripts,
            })
        }
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(output_full(e, &temp, out, dir))
        }
    }
}

/// A write of the zip that failed for want of room (or a read-only folder) said as the output
/// folder's state, not as the temporary file's error.
fn output_full(e: LayerError, temp: &Path, out: &Path, dir: &Path) -> LayerError {
    match e {
        LayerError::Io { path, error } if path == temp && crate::index::unwritable(&error) => {
            LayerError::Output(format!(
                "the output folder {} {} while writing the layer zip {} ({error}); the partial zip was removed. Free space there, or write the zip to another folder",
                dir.display(),
                crate::index::folder_words(error.kind()),
                out.display()
            ))
        }
        e => e,
    }
}

fn write_to(
    plan: &LayerPlan,
    wheels: &[OpenWheel],
    script_minor: &HashMap<String, u32>,
    temp: &Path,
    epoch: u64,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<(u64, usize, Scripts), LayerError> {
    // The temporary name is ours, not the user's: a failure to create it is said of the folder.
    let file = std::fs::File::create(temp).map_err(|e| {
        let dir = temp.parent().filter(|d| !d.as_os_str().is_empty());
        LayerError::Output(format!(
            "cannot write the zip in {}: {e}; choose an output folder you can write to",
            dir.unwrap_or(Path::new(".")).display()
        ))
    })?;
    let mut zip = ZipOut::new(std::io::BufWriter::with_capacity(1 << 20, file), epoch);
    let io = |e| LayerError::io(temp, e);
    // Directories and files in one sorted sequence, each directory before what it holds.
    let mut items: Vec<(&str, Option<usize>)> = Vec::new();
    let dirs = plan.directories();
    items.extend(dirs.iter().map(|d| (d.as_str(), None)));
    items.extend(
        plan.files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.path.as_str(), Some(i))),
    );
    items.sort_by(|a, b| a.0.cmp(b.0));
    let total = plan.files.len();
    let mut written = 0;
    let mut scripts = Vec::new();
    for (path, file) in items {
        if cancel.is_cancelled() {
            return Err(LayerError::Cancelled);
        }
        let Some(i) = file else {
            zip.add_dir(path).map_err(io)?;
            continue;
        };
        let planned = &plan.files[i];
        match &planned.source {
            Source::Wheel {
                package,
                entry,
                script,
            } => {
                let data = member_data(&wheels[*package].bytes, entry, &planned.owner)?;
                if *script {
                    let contents =
                        zipdir::inflate(entry, data).map_err(|problem| LayerError::Unsafe {
                            wheel: planned.owner.clone(),
                            problem,
                        })?;
                    let minor = script_minor.get(path).copied().unwrap_or(plan.python_minor);
                    if contents.starts_with(b"#!python") {
                        scripts.push((path.to_string(), minor));
                    }
                    zip.add_contents(path, true, &rewrite_shebang(&contents, minor))
                        .map_err(io)?;
                } else {
                    zip.add_file(
                        path,
                        planned.executable,
                        &Data {
                            method: entry.method,
                            crc32: entry.crc32,
                            size: entry.size,
                            bytes: data,
                        },
                    )
                    .map_err(io)?;
                }
            }
            Source::Bytecode { archive, entry } => {
                let data = member_data(&wheels[*archive].bytes, entry, &planned.owner)?;
                zip.add_file(
                    path,
                    false,
                    &Data {
                        method: entry.method,
                        crc32: entry.crc32,
                        size: entry.size,
                        bytes: data,
                    },
                )
                .map_err(io)?;
            }
            Source::Opened(_) => return Err(opened_plan()),
            Source::Local(source) => {
                let contents = std::fs::read(source).map_err(|e| LayerError::io(source, e))?;
                zip.add_contents(path, planned.executable, &contents)
                    .map_err(io)?;
            }
        }
        written += 1;
        if written % 256 == 0 || written == total {
            progress.report(&Step::new(
                Phase::Writing,
                written as u64,
                Some(total as u64),
            ));
        }
    }
    let (writer, size) = zip.finish().map_err(io)?;
    let file = writer
        .into_inner()
        .map_err(|e| LayerError::io(temp, e.into_error()))?;
    file.sync_all().map_err(io)?;
    Ok((size, total, scripts))
}

/// The compressed data of `entry` in the zip `bytes` (of `owner`), as it is stored.
fn member_data<'a>(bytes: &'a [u8], entry: &ZipEntry, owner: &str) -> Result<&'a [u8], LayerError> {
    let start = usize::try_from(entry.offset).unwrap_or(usize::MAX);
    let header = bytes.get(start..).map(zipdir::local_header_len);
    let Some(Ok(skip)) = header else {
        return Err(LayerError::Unsafe {
            wheel: owner.to_string(),
            problem: format!("entry '{}' has no local header", entry.name),
        });
    };
    let data_start = start + usize::try_from(skip).unwrap_or(0);
    let data_end = data_start + usize::try_from(entry.compressed_size).unwrap_or(0);
    bytes
        .get(data_start..data_end)
        .ok_or_else(|| LayerError::Unsafe {
            wheel: owner.to_string(),
            problem: format!("entry '{}' is truncated", entry.name),
        })
}

/// A plan read from an opened layer zip is shown, never written: reaching the writer is a bug.
fn opened_plan() -> LayerError {
    LayerError::Internal("the plan of an opened layer zip was given to the zip writer".into())
}
