//! Compiling one unit afresh: its sources written to a temporary folder, the driver
//! (`assets/compile_bytecode.py`) run by the unit's interpreter in an empty folder with an empty
//! environment (but `PYTHONHASHSEED=0`, so sets of constants come out in one order), then the
//! `.pyc` files and the list of skipped sources packed into the unit's archive.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::cache::SKIPPED_MEMBER;
use super::compile::Unit;
use super::run::run_with_input;
use super::{BytecodeError, Invalidation, Skipped, pyc_path};
use crate::index::zipdir;
use crate::layer::LayerError;
use crate::layer::plan::Source;
use crate::layer::wheel_check::OpenWheel;
use crate::layer::zipwrite::ZipOut;

/// The driver the interpreter runs (an asset: Python, not Rust).
pub(super) const DRIVER: &str = include_str!("../../../assets/compile_bytecode.py");
/// How long one unit may take to compile (the biggest wheels take seconds).
const UNIT_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// One source to compile: its path under `/opt`, where it was written, where its `.pyc` goes.
struct Job<'a> {
    path: &'a str,
    source: PathBuf,
    cfile: PathBuf,
}

/// Writes the unit's sources to `work`, runs the driver, and packs the `.pyc` files (sorted by
/// path) and the skipped list into an archive.
pub(super) fn compile_fresh(
    unit: &Unit<'_>,
    wheels: &[OpenWheel],
    invalidation: Invalidation,
    work: &Path,
    cancel: &CancellationToken,
) -> Result<Vec<u8>, LayerError> {
    let jobs = write_sources(unit, wheels, work)?;
    let skipped = run_driver(&unit.interpreter.path, &jobs, invalidation, work, cancel)?;
    let bytes = pack(
        &unit.interpreter.path,
        &jobs,
        skipped,
        &unit.interpreter.cache_tag,
    )?;
    let _ = std::fs::remove_dir_all(work);
    Ok(bytes)
}

fn write_sources<'a>(
    unit: &'a Unit<'_>,
    wheels: &[OpenWheel],
    work: &Path,
) -> Result<Vec<Job<'a>>, LayerError> {
    let src = work.join("src");
    let out = work.join("out");
    let empty = work.join("cwd");
    for dir in [&src, &out, &empty] {
        std::fs::create_dir_all(dir).map_err(|e| LayerError::io(dir, e))?;
    }
    let mut jobs = Vec::with_capacity(unit.sources.len());
    for (n, s) in unit.sources.iter().enumerate() {
        let bytes = match &s.source {
            Source::Wheel { package, entry, .. } => {
                zipdir::read_member(&wheels[*package].bytes, entry).map_err(|problem| {
                    LayerError::Unsafe {
                        wheel: s.owner.clone(),
                        problem,
                    }
                })?
            }
            Source::Local(path) => std::fs::read(path).map_err(|e| LayerError::io(path, e))?,
            Source::Opened(_) | Source::Bytecode { .. } => continue,
        };
        let source = src.join(format!("{n}.py"));
        std::fs::write(&source, bytes).map_err(|e| LayerError::io(&source, e))?;
        jobs.push(Job {
            path: s.path.as_str(),
            source,
            cfile: out.join(format!("{n}.pyc")),
        });
    }
    Ok(jobs)
}

fn failed(interpreter: &Path, problem: String) -> LayerError {
    LayerError::Bytecode(BytecodeError::Driver {
        interpreter: interpreter.to_path_buf(),
        problem,
    })
}

/// Runs the driver on `jobs`; the sources that did not compile, with the compiler's words.
fn run_driver(
    interpreter: &Path,
    jobs: &[Job<'_>],
    invalidation: Invalidation,
    work: &Path,
    cancel: &CancellationToken,
) -> Result<BTreeMap<String, String>, LayerError> {
    let input = serde_json::json!({
        "mode": invalidation.name(),
        "files": jobs.iter().map(|j| {
            (j.source.to_string_lossy(), format!("/opt/{}", j.path), j.cfile.to_string_lossy())
        }).collect::<Vec<_>>(),
    });
    let stderr_path = work.join("stderr");
    let stderr =
        std::fs::File::create(&stderr_path).map_err(|e| LayerError::io(&stderr_path, e))?;
    let mut cmd = Command::new(interpreter);
    cmd.args(["-S", "-s", "-B", "-c", DRIVER])
        .env_clear()
        .env("PYTHONHASHSEED", "0")
        .current_dir(work.join("cwd"))
        .stderr(Stdio::from(stderr));
    if let Some(path) = std::env::var_os("LD_LIBRARY_PATH") {
        cmd.env("LD_LIBRARY_PATH", path);
    }
    let finished = run_with_input(cmd, input.to_string().as_bytes(), UNIT_TIMEOUT, cancel)
        .map_err(|e| {
            if cancel.is_cancelled() {
                LayerError::Cancelled
            } else {
                failed(interpreter, e.to_string())
            }
        })?;
    let said = std::fs::read(&stderr_path).unwrap_or_default();
    let said = String::from_utf8_lossy(&said[..said.len().min(2000)])
        .trim()
        .to_string();
    if !finished.status.success() {
        return Err(failed(
            interpreter,
            format!("it exited with {}: {said}", finished.status),
        ));
    }
    let mut skipped = BTreeMap::new();
    let mut counted = None;
    for line in String::from_utf8_lossy(&finished.stdout).lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
            return Err(failed(
                interpreter,
                format!("it printed something unexpected: {line}"),
            ));
        };
        if let Some(n) = value.get("done").and_then(serde_json::Value::as_u64) {
            counted = Some(n);
        } else if let (Some(file), Some(error)) = (
            value.get("file").and_then(serde_json::Value::as_str),
            value.get("error").and_then(serde_json::Value::as_str),
        ) {
            let path = file.strip_prefix("/opt/").unwrap_or(file);
            skipped.insert(path.to_string(), error.to_string());
        }
    }
    if counted != Some(jobs.len() as u64) {
        return Err(failed(
            interpreter,
            format!("it stopped before compiling every file ({said})"),
        ));
    }
    Ok(skipped)
}

/// The archive: every compiled `.pyc` at its layer path, sorted, then the skipped list.
fn pack(
    interpreter: &Path,
    jobs: &[Job<'_>],
    skipped: BTreeMap<String, String>,
    tag: &str,
) -> Result<Vec<u8>, LayerError> {
    let mut pycs: Vec<(String, Vec<u8>)> = Vec::new();
    for job in jobs {
        if skipped.contains_key(job.path) {
            continue;
        }
        let Some(pyc) = pyc_path(job.path, tag) else {
            continue;
        };
        let bytes = std::fs::read(&job.cfile)
            .map_err(|e| failed(interpreter, format!("{}: {e}", job.cfile.display())))?;
        pycs.push((pyc, bytes));
    }
    pycs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut zip = ZipOut::new(Vec::new(), 0);
    let io = |e: std::io::Error| failed(interpreter, format!("packing the bytecode: {e}"));
    for (path, bytes) in &pycs {
        zip.add_contents(path, false, bytes).map_err(io)?;
    }
    let skipped: Vec<Skipped> = skipped
        .into_iter()
        .map(|(path, error)| Skipped { path, error })
        .collect();
    let listed = serde_json::to_vec(&skipped).map_err(|e| failed(interpreter, e.to_string()))?;
    zip.add_contents(SKIPPED_MEMBER, false, &listed)
        .map_err(io)?;
    let (bytes, _) = zip.finish().map_err(io)?;
    Ok(bytes)
}
