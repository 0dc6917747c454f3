//! The layer plan: every file as Lambda will see it under `/opt`, with sizes per file, per
//! package and in total, known before anything is downloaded (from the wheels' central
//! directories, read by range requests).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::LayerError;
use super::additions::{Addition, is_executable, stored_size, walk_addition};
use super::bytecode::{BytecodeCost, BytecodeOptions};
use super::paths::{Layout, Placement, Trim, place};
use crate::index::{DistFile, IndexClient, ZipEntry};
use crate::lambda::Target;
use crate::resolve::Resolution;
use crate::work::{Phase, Progress, Step};

/// How the layer is laid out and trimmed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PlanOptions {
    pub layout: Layout,
    pub trim: Trim,
    pub additions: Vec<Addition>,
    /// Unix seconds stamped on every zip entry (`SOURCE_DATE_EPOCH`); 0 is the zip epoch,
    /// 1980-01-01.
    pub timestamp: u64,
    /// Compile bytecode for the target Python into the layer (see [`super::bytecode`]).
    pub bytecode: Option<BytecodeOptions>,
}

/// Where a planned file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A member of package `package`'s wheel, copied compressed as it is (or with its
    /// `#!python` line rewritten, for scripts).
    Wheel {
        package: usize,
        entry: ZipEntry,
        script: bool,
    },
    /// A file the user added.
    Local(PathBuf),
    /// A member of a layer zip opened to be looked at (`layer::open_layer`); such a plan is
    /// shown, never written again.
    Opened(ZipEntry),
    /// A compiled `.pyc`: member `entry` of archive `archive`, which the build appends after
    /// the wheels (the bytecode compiled for one wheel, copied compressed as it is).
    Bytecode { archive: usize, entry: ZipEntry },
}

/// One file of the layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedFile {
    /// Path under `/opt`.
    pub path: String,
    /// Unzipped bytes.
    pub size: u64,
    /// Bytes it takes in the zip (compressed).
    pub compressed: u64,
    pub executable: bool,
    /// The package it comes from, or `added`.
    pub owner: String,
    #[serde(skip)]
    pub source: Source,
}

impl PlannedFile {
    /// A script from a wheel's scripts folder: a `#!python` line in it is pointed at one
    /// runtime's Python when the layer is written.
    pub fn is_script(&self) -> bool {
        matches!(self.source, Source::Wheel { script: true, .. })
    }
}

/// One package of the layer.
#[derive(Debug, Clone, Serialize)]
pub struct PackagePlan {
    pub name: String,
    pub version: String,
    pub filename: String,
    pub files: usize,
    pub unzipped: u64,
    pub zipped: u64,
    pub runtime_provided: bool,
    #[serde(skip)]
    pub file: DistFile,
}

/// The layer as Lambda will see it.
#[derive(Debug, Clone, Serialize)]
pub struct LayerPlan {
    /// What it is planned for (serialised as `runtime` and `arch`).
    #[serde(flatten)]
    pub target: Target,
    pub python_minor: u32,
    pub layout: Layout,
    pub packages: Vec<PackagePlan>,
    /// Sorted by path; each path once.
    pub files: Vec<PlannedFile>,
    pub warnings: Vec<super::PlanWarning>,
    /// What compiled bytecode adds: estimated in a plan (its files are not in `files` yet),
    /// counted once built (they are). `None` without bytecode.
    pub bytecode: Option<BytecodeCost>,
}

/// Bytes a zip spends on one entry besides its data (local header, central record, name twice).
pub fn entry_overhead(path: &str) -> u64 {
    30 + 46 + 2 * path.len() as u64
}

impl LayerPlan {
    /// Unzipped bytes, with the bytecode still to compile when that is estimated.
    pub fn unzipped(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum::<u64>() + self.pending_bytecode().0
    }

    /// The estimated bytecode not in `files` yet: (unzipped, zipped).
    fn pending_bytecode(&self) -> (u64, u64) {
        match &self.bytecode {
            Some(cost) if cost.estimated => (cost.unzipped, cost.zipped),
            _ => (0, 0),
        }
    }

    /// The zip's size, close to exact: compressed data plus headers (directories included).
    pub fn zipped(&self) -> u64 {
        let dirs: u64 = self.directories().iter().map(|d| entry_overhead(d)).sum();
        self.files
            .iter()
            .map(|f| f.compressed + entry_overhead(&f.path))
            .sum::<u64>()
            + dirs
            + 22
            + self.pending_bytecode().1
    }

    /// Every directory holding a file, as `a/b/` paths, sorted.
    pub fn directories(&self) -> Vec<String> {
        let mut dirs = std::collections::BTreeSet::new();
        for f in &self.files {
            let mut end = 0;
            while let Some(i) = f.path[end..].find('/') {
                end += i + 1;
                dirs.insert(f.path[..end].to_string());
            }
        }
        dirs.into_iter().collect()
    }

    /// Sizes aggregated by directory down to `depth` components: the `/opt` tree preview.
    pub fn tree(&self, depth: usize) -> Vec<(String, u64, usize)> {
        let mut rows: BTreeMap<String, (u64, usize)> = BTreeMap::new();
        for f in &self.files {
            let parts: Vec<&str> = f.path.split('/').collect();
            for d in 1..=depth.min(parts.len()) {
                let key = parts[..d].join("/") + if d < parts.len() { "/" } else { "" };
                let e = rows.entry(key).or_default();
                e.0 += f.size;
                e.1 += 1;
            }
        }
        rows.into_iter().map(|(k, (s, n))| (k, s, n)).collect()
    }
}

/// Plans the layer for a resolution: reads each wheel's file list (range requests, cached)
/// concurrently, reporting each one read (n of m), then lays the files out.
pub async fn plan(
    client: &IndexClient,
    resolution: &Resolution,
    options: &PlanOptions,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<LayerPlan, LayerError> {
    let packages: Vec<_> = resolution.included().cloned().collect();
    let total = packages.len() as u64;
    let done = std::sync::atomic::AtomicU64::new(0);
    progress.report(&Step::new(Phase::ReadingWheels, 0, Some(total)));
    let read = packages.iter().map(|p| async {
        let listing = client.contents(&p.file).await;
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress.report(&Step::new(Phase::ReadingWheels, n, Some(total)).about(&p.filename));
        listing
    });
    let listings = tokio::select! {
        listings = futures_util::future::join_all(read) => listings,
        () = cancel.cancelled() => return Err(LayerError::Cancelled),
    };
    let mut with_entries = Vec::with_capacity(packages.len());
    for (p, listing) in packages.into_iter().zip(listings) {
        let listing = listing.map_err(LayerError::Index)?;
        with_entries.push((p, listing.entries));
    }
    // Files of your own are read (their zipped size, their ELF headers): off the async threads.
    let (target, options) = (resolution.target.clone(), options.clone());
    super::build::on_blocking_thread(move || lay_out(with_entries, &target, &options)).await
}

/// Lays out packages whose wheel members are known (from range requests, or from the
/// downloaded wheels: the same function, so the plan and the zip agree).
pub fn lay_out(
    packages: Vec<(crate::resolve::ResolvedPackage, Vec<ZipEntry>)>,
    target: &Target,
    options: &PlanOptions,
) -> Result<LayerPlan, LayerError> {
    let minor = target.runtime.python_minor;
    let site = options.layout.site_dir(minor);
    let mut files: BTreeMap<String, PlannedFile> = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut plans = Vec::with_capacity(packages.len());
    for (index, (package, entries)) in packages.into_iter().enumerate() {
        let dist = crate::wheel::normalize_name(&package.name).replace('-', "_");
        let (mut count, mut unzipped, mut zipped) = (0, 0, 0);
        for entry in entries.into_iter().filter(|e| !e.is_dir()) {
            if entry.is_symlink() {
                return Err(LayerError::Unsafe {
                    wheel: package.filename.clone(),
                    problem: format!("entry '{}' is a symbolic link", entry.name),
                });
            }
            let placement = place(&entry.name, &site, &dist, options.trim).map_err(|problem| {
                LayerError::Unsafe {
                    wheel: package.filename.clone(),
                    problem,
                }
            })?;
            let Placement::At { path, script } = placement else {
                continue;
            };
            count += 1;
            unzipped += entry.size;
            zipped += entry.compressed_size;
            let executable = script || entry.unix_mode.is_some_and(|m| m & 0o111 != 0);
            let planned = PlannedFile {
                path: path.clone(),
                size: entry.size,
                compressed: entry.compressed_size,
                executable,
                owner: package.name.clone(),
                source: Source::Wheel {
                    package: index,
                    entry,
                    script,
                },
            };
            if let Some(previous) = files.insert(path.clone(), planned) {
                let same = matches!((&previous.source, &files[&path].source),
                    (Source::Wheel { entry: a, .. }, Source::Wheel { entry: b, .. }) if a.crc32 == b.crc32 && a.size == b.size);
                if !same {
                    warnings.push(super::PlanWarning::SamePath {
                        path: path.clone(),
                        first: previous.owner,
                        kept: package.name.clone(),
                    });
                }
            }
        }
        plans.push(PackagePlan {
            runtime_provided: package.runtime_provided,
            name: package.name,
            version: package.version,
            filename: package.filename,
            files: count,
            unzipped,
            zipped,
            file: package.file,
        });
    }
    add_yours(&mut files, &mut warnings, options, target)?;
    refuse_file_and_folder(&files)?;
    let files: Vec<PlannedFile> = files.into_values().collect();
    let bytecode = options.bytecode.as_ref().map(|b| {
        let mut minors = vec![minor];
        minors.extend(b.also_for.iter().filter(|m| **m != minor));
        super::bytecode::estimate(&files, &minors, b.invalidation)
    });
    Ok(LayerPlan {
        target: target.clone(),
        python_minor: minor,
        layout: options.layout,
        packages: plans,
        files,
        warnings,
        bytecode,
    })
}

/// The files of your own (`--add`, `a`) into the layer's files, each binary checked for the
/// target; an addition never replaces a wheel's file.
fn add_yours(
    files: &mut BTreeMap<String, PlannedFile>,
    warnings: &mut Vec<super::PlanWarning>,
    options: &PlanOptions,
    target: &Target,
) -> Result<(), LayerError> {
    for addition in &options.additions {
        for (source, dest) in walk_addition(addition)? {
            if let Some(theirs) = files.get(&dest) {
                return Err(LayerError::Addition(format!(
                    "{} would replace {dest}, a file of {}; choose another destination",
                    source.display(),
                    theirs.owner
                )));
            }
            let bytes = std::fs::metadata(&source)
                .map_err(|e| LayerError::io(&source, e))?
                .len();
            let executable = is_executable(&source);
            if let Some(problems) = added_binary_problems(&source, &dest, bytes, executable, target)
            {
                warnings.push(super::PlanWarning::AddedDoesNotLoad {
                    path: dest.clone(),
                    target: target.to_string(),
                    problems,
                });
            }
            files.insert(
                dest.clone(),
                PlannedFile {
                    path: dest,
                    size: bytes,
                    // As stored: a 300 MB file of zeros takes 300 KB of the zip.
                    compressed: stored_size(&source, bytes)?,
                    executable,
                    owner: "added".into(),
                    source: Source::Local(source),
                },
            );
        }
    }
    Ok(())
}

/// A path that is a file and also holds files (`x` and `x/y.py`) makes a zip that cannot be
/// unzipped; so does a name longer than file systems allow. Both are refused.
fn refuse_file_and_folder(files: &BTreeMap<String, PlannedFile>) -> Result<(), LayerError> {
    for (path, file) in files {
        let folder = format!("{path}/");
        if let Some((inside, other)) = files.range(folder.clone()..).next()
            && inside.starts_with(&folder)
        {
            return Err(LayerError::FileAndFolder {
                path: path.clone(),
                file_from: file.owner.clone(),
                inside: inside.clone(),
                folder_from: other.owner.clone(),
            });
        }
    }
    Ok(())
}

/// Binaries of your own bigger than this are not read to be checked.
const ADDED_CHECK_MAX_BYTES: u64 = 256 << 20;

/// What keeps an added binary (a shared library or an executable) from loading on `target`,
/// checked as the wheels' native files are; `None` when it loads or is not a binary.
fn added_binary_problems(
    source: &std::path::Path,
    dest: &str,
    size: u64,
    executable: bool,
    target: &Target,
) -> Option<Vec<String>> {
    if !(executable || super::native::is_native_path(dest)) || size > ADDED_CHECK_MAX_BYTES {
        return None;
    }
    let bytes = std::fs::read(source).ok()?;
    super::native::sniff(&bytes)?;
    let check = super::native::check_native(dest, &bytes, target);
    (!check.problems.is_empty()).then_some(check.problems)
}
