//! Compiling the plan's sources: one unit per wheel (or the added files) and interpreter, each
//! from the cache or compiled by the driver in its own process (so a unit's output depends on
//! its own inputs only, whatever else is built with it), two at a time. The output goes into
//! the plan as `.pyc` files copied from each unit's archive.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio_util::sync::CancellationToken;

use super::cache::{self, Archive};
use super::driver::{DRIVER, compile_fresh};
use super::{BytecodeCost, Interpreter, Invalidation, Tree, is_source, pyc_path, tree_of};
use crate::layer::LayerError;
use crate::layer::plan::{LayerPlan, PlannedFile, Source};
use crate::layer::wheel_check::OpenWheel;
use crate::work::{Phase, Progress};

/// Where a source's bytes come from.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Origin {
    Wheel(usize),
    Added,
}

pub(super) struct Unit<'a> {
    pub(super) origin: Origin,
    pub(super) interpreter: &'a Interpreter,
    /// The sources, sorted by path.
    pub(super) sources: Vec<&'a PlannedFile>,
}

/// How a build compiles: the interpreters found (one per Python minor), the runtimes that got
/// none, the check mode, and the cache folder.
pub(in crate::layer) struct Compile<'a> {
    pub interpreters: &'a [Interpreter],
    pub without: &'a [String],
    pub invalidation: Invalidation,
    pub cache_dir: &'a Path,
}

/// What one unit gave: its archive, and whether it came from the cache.
type UnitResult = Result<(Archive, bool), LayerError>;

/// Compiles every source of `plan` (a `.py` under `python/`) with the interpreter of each tree,
/// and adds the `.pyc` files to the plan, their archives to `wheels`. `ids` names each wheel
/// (its sha256) for the cache.
pub(in crate::layer) fn compile_plan(
    plan: &mut LayerPlan,
    wheels: &mut Vec<OpenWheel>,
    ids: &[String],
    how: &Compile<'_>,
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
    let units = units(&sources, how.interpreters);
    let results = compile_all(&units, wheels, ids, how, progress, cancel)?;
    let mut cost = BytecodeCost {
        invalidation: how.invalidation,
        units: units.len(),
        interpreters: how.interpreters.to_vec(),
        runtimes: how
            .interpreters
            .iter()
            .map(|i| format!("python3.{}", i.minor))
            .collect(),
        without: how.without.to_vec(),
        ..BytecodeCost::default()
    };
    let mut files: BTreeMap<String, PlannedFile> = std::mem::take(&mut plan.files)
        .into_iter()
        .map(|f| (f.path.clone(), f))
        .collect();
    for (unit, (archive, hit)) in units.iter().zip(results) {
        cost.from_cache += usize::from(hit);
        cost.source_bytes += unit.sources.iter().map(|s| s.size).sum::<u64>();
        cost.skipped.extend(archive.skipped.iter().cloned());
        for file in planned_pycs(unit, &archive, wheels.len()) {
            cost.modules += 1;
            cost.unzipped += file.size;
            files.insert(file.path.clone(), file);
        }
        // An archive of bytecode, read like a wheel by the zip writer; it has no METADATA of
        // its own (the wheels' were checked before compiling).
        wheels.push(OpenWheel {
            bytes: archive.bytes,
            entries: archive.pycs,
            metadata: crate::index::CoreMetadata::default(),
        });
    }
    plan.files = files.into_values().collect();
    cost.zipped = plan.zipped().saturating_sub(zipped_before);
    cost.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    plan.bytecode = Some(cost);
    Ok(())
}

/// Each unit's archive, two units at a time; a failure of any is the build's.
fn compile_all(
    units: &[Unit<'_>],
    wheels: &[OpenWheel],
    ids: &[String],
    how: &Compile<'_>,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<Vec<(Archive, bool)>, LayerError> {
    let work = WorkDir::new()?;
    crate::layer::parallel::each(units.len(), Phase::Compiling, progress, cancel, |i| {
        let unit = &units[i];
        let id = match unit.origin {
            Origin::Wheel(w) => ids.get(w).map_or("", String::as_str),
            Origin::Added => "added",
        };
        compile_unit(unit, id, wheels, how, &work.0.join(i.to_string()), cancel)
    })
}

/// The `.pyc` files of a unit's archive (number `archive` among the build's), each owned by
/// the package of its source.
fn planned_pycs(unit: &Unit<'_>, archive: &Archive, index: usize) -> Vec<PlannedFile> {
    let owners: BTreeMap<String, &str> = unit
        .sources
        .iter()
        .filter_map(|s| {
            let pyc = pyc_path(&s.path, &unit.interpreter.cache_tag)?;
            Some((pyc, s.owner.as_str()))
        })
        .collect();
    archive
        .pycs
        .iter()
        .map(|entry| PlannedFile {
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
                archive: index,
                entry: entry.clone(),
            },
        })
        .collect()
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
            let reads = match tree_of(&f.path) {
                Some(Tree::Site(minor)) => minor == interpreter.minor,
                Some(Tree::Shared) => true,
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
    how: &Compile<'_>,
    work: &Path,
    cancel: &CancellationToken,
) -> UnitResult {
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
        how.invalidation.name().to_string(),
        id.to_string(),
    ];
    for s in &unit.sources {
        parts.push(s.path.clone());
        match &s.source {
            Source::Wheel { entry, .. } => {
                parts.push(format!("{:08x} {}", entry.crc32, entry.size));
            }
            // Added files are compiled every time (they are few, and may change): no key.
            _ => parts.push("added".to_string()),
        }
    }
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    let key = cache::key(&refs);
    let cached = cache::path_for(how.cache_dir, &key);
    let cacheable = unit.origin != Origin::Added;
    if cacheable && let Some(archive) = cache::load(&cached, &expected) {
        return Ok((archive, true));
    }
    let bytes = compile_fresh(unit, wheels, how.invalidation, work, cancel)?;
    if cacheable {
        // The cache only saves time: a cache that cannot be written costs the next build.
        let _ = crate::index::write_atomically(&cached, &bytes);
    }
    let archive = cache::read(bytes, &expected).ok_or_else(|| {
        LayerError::Internal("the bytecode archive just written cannot be read back".into())
    })?;
    Ok((archive, false))
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
