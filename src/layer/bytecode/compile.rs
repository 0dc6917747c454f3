//! Compiling the plan's sources: one unit per wheel (or the added files) and interpreter, each
//! from the cache or compiled by the driver in its own process (so a unit's output depends on
//! its own inputs only, whatever else is built with it), two at a time. The output goes into
//! the plan as `.pyc` files copied from each unit's archive.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::cache::{self, Archive, SKIPPED_MEMBER};
use super::run::run_with_input;
use super::{BytecodeCost, BytecodeError, Interpreter, Invalidation, Skipped, is_source, pyc_path};
use crate::index::zipdir;
use crate::layer::LayerError;
use crate::layer::plan::{LayerPlan, PlannedFile, Source};
use crate::layer::wheel_check::OpenWheel;
use crate::layer::zipwrite::ZipOut;
use crate::work::{Phase, Progress, Step};

/// The driver the interpreter runs (an asset: Python, not Rust).
const DRIVER: &str = include_str!("../../../assets/compile_bytecode.py");
/// How long one unit may take to compile (the biggest wheels take seconds).
const UNIT_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Where a source's bytes come from.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    Wheel(usize),
    Added,
}

struct Unit<'a> {
    origin: Origin,
    interpreter: &'a Interpreter,
    /// The sources, sorted by path.
    sources: Vec<&'a PlannedFile>,
}

/// Compiles every source of `plan` (a `.py` under `python/`) with the interpreter of each tree,
/// and adds the `.pyc` files to the plan, their archives to `wheels`. `ids` names each wheel
/// (its sha256) for the cache; `without` are the runtimes that got no interpreter.
#[allow(clippy::too_many_arguments)] // the build's context, passed through once
pub(in crate::layer) fn compile_plan(
    plan: &mut LayerPlan,
    wheels: &mut Vec<OpenWheel>,
    ids: &[String],
    interpreters: &[Interpreter],
    without: &[String],
    invalidation: Invalidation,
    cache_dir: &Path,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<(), LayerError> {
    plan.bytecode = None;
    let zipped_before = plan.zipped();
    let sources: Vec<PlannedFile> = plan
        .files
        .iter()
        .filter(|f| is_source(&f.path))
        .cloned()
        .collect();
    let units = units(&sources, interpreters);
    let total = units.len();
    let work = WorkDir::new()?;
    let done = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<(Archive, bool), LayerError>>>> =
        (0..total).map(|_| Mutex::new(None)).collect();
    progress.report(&Step::new(Phase::Compiling, 0, Some(total as u64)));
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= total || cancel.is_cancelled() {
                            break;
                        }
                        let unit = &units[i];
                        let id = match unit.origin {
                            Origin::Wheel(w) => ids.get(w).map_or("", String::as_str),
                            Origin::Added => "added",
                        };
                        let result = compile_unit(
                            unit,
                            id,
                            wheels,
                            invalidation,
                            cache_dir,
                            &work.0.join(i.to_string()),
                            cancel,
                        );
                        *results[i]
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(result);
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        progress.report(&Step::new(Phase::Compiling, n as u64, Some(total as u64)));
                    }
                })
            })
            .collect();
        for worker in workers {
            if let Err(payload) = worker.join() {
                std::panic::resume_unwind(payload);
            }
        }
    });
    if cancel.is_cancelled() {
        return Err(LayerError::Cancelled);
    }
    let mut cost = BytecodeCost {
        invalidation,
        units: total,
        interpreters: interpreters.to_vec(),
        runtimes: interpreters
            .iter()
            .map(|i| format!("python3.{}", i.minor))
            .collect(),
        without: without.to_vec(),
        ..BytecodeCost::default()
    };
    let mut files: BTreeMap<String, PlannedFile> = std::mem::take(&mut plan.files)
        .into_iter()
        .map(|f| (f.path.clone(), f))
        .collect();
    for (unit, result) in units.iter().zip(results) {
        let result = result
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .unwrap_or(Err(LayerError::Cancelled));
        let (archive, hit) = result?;
        cost.from_cache += usize::from(hit);
        let owners: BTreeMap<String, &str> = unit
            .sources
            .iter()
            .filter_map(|s| {
                let pyc = pyc_path(&s.path, &unit.interpreter.cache_tag)?;
                Some((pyc, s.owner.as_str()))
            })
            .collect();
        let archive_index = wheels.len();
        for entry in &archive.pycs {
            cost.modules += 1;
            cost.unzipped += entry.size;
            files.insert(
                entry.name.clone(),
                PlannedFile {
                    path: entry.name.clone(),
                    size: entry.size,
                    compressed: entry.compressed_size,
                    executable: false,
                    owner: owners
                        .get(&entry.name)
                        .copied()
                        .unwrap_or("added")
                        .to_string(),
                    source: Source::Bytecode {
                        archive: archive_index,
                        entry: entry.clone(),
                    },
                },
            );
        }
        cost.source_bytes += unit.sources.iter().map(|s| s.size).sum::<u64>();
        cost.skipped.extend(archive.skipped.iter().cloned());
        wheels.push(OpenWheel {
            bytes: archive.bytes,
            entries: archive.pycs,
        });
    }
    plan.files = files.into_values().collect();
    cost.zipped = plan.zipped().saturating_sub(zipped_before);
    cost.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    plan.bytecode = Some(cost);
    Ok(())
}

/// The sources grouped by where they come from and which interpreter compiles them: a
/// `site-packages` tree by its own Python, the `python/` tree by every interpreter.
fn units<'a>(sources: &'a [PlannedFile], interpreters: &'a [Interpreter]) -> Vec<Unit<'a>> {
    let mut groups: BTreeMap<(Origin, usize), Vec<&PlannedFile>> = BTreeMap::new();
    for f in sources {
        let origin = match &f.source {
            Source::Wheel { package, .. } => Origin::Wheel(*package),
            Source::Local(_) => Origin::Added,
            Source::Opened(_) | Source::Bytecode { .. } => continue,
        };
        for (i, interpreter) in interpreters.iter().enumerate() {
            let reads = match super::tree_minor(&f.path) {
                Some(Some(minor)) => minor == interpreter.minor,
                Some(None) => true,
                None => false,
            };
            if reads {
                groups.entry((origin, i)).or_default().push(f);
            }
        }
    }
    groups
        .into_iter()
        .map(|((origin, i), sources)| Unit {
            origin,
            interpreter: &interpreters[i],
            sources,
        })
        .collect()
}

/// One unit's archive, from the cache or compiled; `true` when from the cache.
fn compile_unit(
    unit: &Unit<'_>,
    id: &str,
    wheels: &[OpenWheel],
    invalidation: Invalidation,
    cache_dir: &Path,
    work: &Path,
    cancel: &CancellationToken,
) -> Result<(Archive, bool), LayerError> {
    let tag = &unit.interpreter.cache_tag;
    let expected: BTreeSet<String> = unit
        .sources
        .iter()
        .filter_map(|s| pyc_path(&s.path, tag))
        .collect();
    let mut parts = vec![
        "wheelbarrow bytecode 1".to_string(),
        DRIVER.to_string(),
        unit.interpreter.identity.clone(),
        invalidation.name().to_string(),
        id.to_string(),
    ];
    for s in &unit.sources {
        parts.push(s.path.clone());
        match &s.source {
            Source::Wheel { entry, .. } => {
                parts.push(format!("{:08x} {}", entry.crc32, entry.size))
            }
            // Added files are compiled every time (they are few, and may change): no key.
            _ => parts.push("added".to_string()),
        }
    }
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    let key = cache::key(&refs);
    let cached = cache::path_for(cache_dir, &key);
    let cacheable = unit.origin != Origin::Added;
    if cacheable && let Some(archive) = cache::load(&cached, &expected) {
        return Ok((archive, true));
    }
    let bytes = compile_fresh(unit, wheels, invalidation, work, cancel)?;
    if cacheable {
        // The cache only saves time: a cache that cannot be written costs the next build.
        let _ = crate::index::write_atomically(&cached, &bytes);
    }
    let archive = cache::read(bytes, &expected).ok_or_else(|| {
        LayerError::Internal("the bytecode archive just written cannot be read back".into())
    })?;
    Ok((archive, false))
}

/// Writes the unit's sources to `work`, runs the driver, and packs the `.pyc` files (sorted by
/// path) and the skipped list into an archive.
fn compile_fresh(
    unit: &Unit<'_>,
    wheels: &[OpenWheel],
    invalidation: Invalidation,
    work: &Path,
    cancel: &CancellationToken,
) -> Result<Vec<u8>, LayerError> {
    let interpreter = &unit.interpreter.path;
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
        let cfile = out.join(format!("{n}.pyc"));
        jobs.push((s.path.as_str(), source, cfile));
    }
    let input = serde_json::json!({
        "mode": invalidation.name(),
        "files": jobs.iter().map(|(path, source, cfile)| {
            (source.to_string_lossy(), format!("/opt/{path}"), cfile.to_string_lossy())
        }).collect::<Vec<_>>(),
    });
    let stderr_path = work.join("stderr");
    let stderr =
        std::fs::File::create(&stderr_path).map_err(|e| LayerError::io(&stderr_path, e))?;
    let mut cmd = Command::new(interpreter);
    cmd.args(["-S", "-s", "-B", "-c", DRIVER])
        .env_clear()
        .env("PYTHONHASHSEED", "0")
        .current_dir(&empty)
        .stderr(Stdio::from(stderr));
    if let Some(path) = std::env::var_os("LD_LIBRARY_PATH") {
        cmd.env("LD_LIBRARY_PATH", path);
    }
    let failed = |problem: String| {
        LayerError::Bytecode(BytecodeError::Driver {
            interpreter: interpreter.clone(),
            problem,
        })
    };
    let finished = run_with_input(cmd, input.to_string().as_bytes(), UNIT_TIMEOUT, cancel)
        .map_err(|e| {
            if cancel.is_cancelled() {
                LayerError::Cancelled
            } else {
                failed(e.to_string())
            }
        })?;
    let said = std::fs::read(&stderr_path).unwrap_or_default();
    let said = String::from_utf8_lossy(&said[..said.len().min(2000)])
        .trim()
        .to_string();
    if !finished.status.success() {
        return Err(failed(format!(
            "it exited with {}: {said}",
            finished.status
        )));
    }
    let mut skipped: BTreeMap<String, String> = BTreeMap::new();
    let mut counted = None;
    for line in String::from_utf8_lossy(&finished.stdout).lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
            return Err(failed(format!("it printed something unexpected: {line}")));
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
        return Err(failed(format!(
            "it stopped before compiling every file ({said})"
        )));
    }
    let tag = &unit.interpreter.cache_tag;
    let mut pycs: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, _, cfile) in &jobs {
        if skipped.contains_key(*path) {
            continue;
        }
        let Some(pyc) = pyc_path(path, tag) else {
            continue;
        };
        let bytes =
            std::fs::read(cfile).map_err(|e| failed(format!("{}: {e}", cfile.display())))?;
        pycs.push((pyc, bytes));
    }
    pycs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut zip = ZipOut::new(Vec::new(), 0);
    let io = |e: std::io::Error| failed(format!("packing the bytecode: {e}"));
    for (path, bytes) in &pycs {
        zip.add_contents(path, false, bytes).map_err(io)?;
    }
    let skipped: Vec<Skipped> = skipped
        .into_iter()
        .map(|(path, error)| Skipped { path, error })
        .collect();
    let listed = serde_json::to_vec(&skipped).map_err(|e| failed(e.to_string()))?;
    zip.add_contents(SKIPPED_MEMBER, false, &listed)
        .map_err(io)?;
    let (bytes, _) = zip.finish().map_err(io)?;
    let _ = std::fs::remove_dir_all(work);
    Ok(bytes)
}

/// A temporary folder for the sources and the compiled files, removed when done.
struct WorkDir(PathBuf);

impl WorkDir {
    fn new() -> Result<WorkDir, LayerError> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("wheelbarrow-bytecode-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| LayerError::io(&dir, e))?;
        Ok(WorkDir(dir))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
