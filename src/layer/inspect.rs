//! Inspecting a layer zip built by any tool: the `/opt` tree, the sizes against Lambda's limits,
//! where Python will (not) find the packages, permissions, and every native extension checked
//! against the target.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Serialize;

use tokio_util::sync::CancellationToken;

use super::LayerError;
use super::inspect_budget::{Inflater, overlapping, read_layer_zip};
pub use super::inspect_bytecode::BytecodeFinding;
pub use super::inspect_problem::{InspectProblem, RuntimeFrom, TargetGuess};
use super::inspect_trees::{Trees, extension_minor, tree_minor};
pub use super::lookalike::LookAlike;
use super::lookalike::look_alikes;
use super::native::{self, NativeCheck};
use super::paths::check_member_name;
use super::served::Served;
use crate::index::{ZipEntry, zipdir};
use crate::lambda::{RuntimeTable, Target};
use crate::units::human_bytes;
use crate::work::Progress;

/// A distribution found in the layer.
#[derive(Debug, Clone, Serialize)]
pub struct FoundPackage {
    pub name: String,
    pub version: String,
    /// The folder it sits in (`python/lib/python3.12/site-packages`).
    pub location: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub zip: String,
    pub zipped: u64,
    pub unzipped: u64,
    pub files: usize,
    pub runtime: String,
    pub arch: String,
    /// The runtimes judged: each `python3.X/site-packages` tree's own in a layer of several,
    /// else [`Inspection::runtime`] alone.
    pub runtimes: Vec<String>,
    /// The runtimes and architectures the zip serves (the publish command's lists).
    pub served: Served,
    /// How the target was chosen when it was not given.
    pub target_note: Option<TargetGuess>,
    /// Top-level folders: (path, unzipped bytes, files).
    pub top: Vec<(String, u64, usize)>,
    pub packages: Vec<FoundPackage>,
    pub native: Vec<NativeCheck>,
    /// What will go wrong on Lambda.
    pub problems: Vec<InspectProblem>,
    /// What is worth knowing.
    pub notes: Vec<String>,
    /// What costs cold starts: sources without usable bytecode, bytecode for another version.
    pub bytecode: Vec<BytecodeFinding>,
}

impl Inspection {
    /// The native files' count in a sentence: "3 native files checked: 2 load, 1 does not."
    #[must_use]
    pub fn native_summary(&self) -> String {
        let refused = self
            .native
            .iter()
            .filter(|n| !n.problems.is_empty())
            .count();
        super::inspect_native::native_words(self.native.len(), refused)
    }
}

/// Inspects the layer at `path` for `target` (inferred from the layer when `None`).
///
/// # Errors
/// What [`inspect_with`] says.
pub fn inspect(
    path: &Path,
    target: Option<&Target>,
    table: &RuntimeTable,
) -> Result<Inspection, LayerError> {
    inspect_with(
        path,
        target,
        table,
        &Progress::none(),
        &CancellationToken::new(),
    )
}

/// [`inspect`], reporting what it inflates to `progress` and stopping when `cancel` is
/// cancelled (within one member's inflation).
///
/// # Errors
/// The path is not a regular file (`/dev/zero is a character device, not a layer zip`), is
/// larger than any layer zip, cannot be read or is not a zip; [`LayerError::Cancelled`].
pub fn inspect_with(
    path: &Path,
    target: Option<&Target>,
    table: &RuntimeTable,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<Inspection, LayerError> {
    let bytes = read_layer_zip(path, &table.limits)?;
    let zip = Inflater::new(&bytes, table.limits.unzipped_bytes, progress, cancel);
    let inspection = inspect_zip(path, &zip, target, table)?;
    if zip.cancelled() {
        return Err(LayerError::Cancelled);
    }
    Ok(inspection)
}

/// [`inspect`] of a zip already read into memory (`path` names it in messages); every member
/// it reads is charged to `zip`'s budget.
pub(super) fn inspect_zip(
    path: &Path,
    zip: &Inflater,
    target: Option<&Target>,
    table: &RuntimeTable,
) -> Result<Inspection, LayerError> {
    let bytes = zip.bytes();
    let limits = &table.limits;
    let entries = zipdir::list_whole(bytes).map_err(|e| {
        LayerError::NotALayer(format!(
            "{} is not a readable zip file: {e}",
            path.display()
        ))
    })?;
    let given = target.is_some();
    let (target, target_note) = match target {
        Some(t) => (t.clone(), None),
        None => infer_target(table, &entries, zip),
    };
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let files: Vec<&ZipEntry> = entries.iter().filter(|e| !e.is_dir()).collect();
    let unzipped: u64 = files.iter().map(|e| e.size).sum();
    let zipped = bytes.len() as u64;
    let trees = Trees::of(&files, &target, given, table);

    for e in &entries {
        if let Err(problem) = check_member_name(&e.name) {
            problems.push(InspectProblem::UnsafeEntry { problem });
        }
        if e.is_symlink() {
            notes.push(format!("{} is a symbolic link; Lambda extracts layers without following links, check it resolves inside /opt", crate::text::clean(&e.name)));
        }
    }
    problems.extend(overlapping(bytes, &entries));
    for (first, second, kind) in look_alikes(entries.iter().map(|e| e.name.as_str()), 5) {
        problems.push(InspectProblem::LookAlike {
            first,
            second,
            kind,
        });
    }
    if files.is_empty() {
        problems.push(InspectProblem::Empty);
    }
    check_duplicates(&files, &mut problems);
    check_file_and_folder(&files, &mut problems);
    check_layout(&files, &target, &trees, &mut problems);
    check_modes(&entries, &mut problems);
    if unzipped > limits.unzipped_bytes {
        problems.push(InspectProblem::TooBig {
            unzipped,
            limit: limits.unzipped_bytes,
        });
    } else {
        #[allow(clippy::cast_precision_loss)] // a percentage for people
        let share = unzipped as f64 * 100.0 / limits.unzipped_bytes as f64;
        notes.push(format!(
            "Unzipped {} of the {} Lambda allows for the function and all its layers ({share:.0}%).",
            human_bytes(unzipped),
            human_bytes(limits.unzipped_bytes)
        ));
    }
    if zipped > limits.zipped_direct_upload_bytes {
        notes.push(format!(
            "The zip is {}, over the {} a direct upload allows: publish it from S3.",
            human_bytes(zipped),
            human_bytes(limits.zipped_direct_upload_bytes)
        ));
    }
    let native = super::inspect_native::check_natives(
        &files,
        zip,
        (&target, &trees),
        limits,
        &mut problems,
        &mut notes,
    );
    let bytecode = super::inspect_native::bytecode(&files, zip, &target, &trees);
    let served = super::served_zip::served_by_entries(zip, &entries, table);
    problems.extend(zip.problem());
    Ok(Inspection {
        zip: path.display().to_string(),
        zipped,
        unzipped,
        files: files.len(),
        runtime: target.runtime.name.clone(),
        arch: target.arch.to_string(),
        runtimes: trees.runtimes(&target),
        served,
        target_note,
        top: top_folders(&files),
        packages: packages(&files),
        native,
        problems,
        notes,
        bytecode,
    })
}

/// The runtime from a `python/lib/python3.X/site-packages` folder (the newest of several), the architecture from the
/// ELF files; the newest runtime on x86_64 otherwise.
fn infer_target(
    table: &RuntimeTable,
    entries: &[ZipEntry],
    zip: &Inflater,
) -> (Target, Option<TargetGuess>) {
    let folder = entries
        .iter()
        .filter_map(|e| tree_minor(&e.name))
        .map(|m| format!("python3.{m}"))
        .filter(|r| table.runtime(r).is_ok())
        .max_by_key(|r| {
            table
                .runtime(r)
                .map(|rt| rt.python_minor)
                .unwrap_or_default()
        });
    let extensions = folder
        .is_none()
        .then(|| extension_minor(entries))
        .flatten()
        .map(|m| format!("python3.{m}"))
        .filter(|r| table.runtime(r).is_ok());
    let runtime_from = match (&folder, &extensions) {
        (Some(_), _) => RuntimeFrom::Folder,
        (None, Some(_)) => RuntimeFrom::Extensions,
        (None, None) => RuntimeFrom::Newest,
    };
    let runtime = folder.or(extensions);
    let arch = entries
        .iter()
        .filter(|e| native::is_native_path(&e.name) && e.size <= table.limits.unzipped_bytes)
        .take(20)
        .find_map(|e| {
            // The header alone says the machine.
            let data = zip.prefix(e, 64).ok()?;
            let check = native::check_native(&e.name, &data, &table.default_target());
            check.arch.filter(|a| a == "x86_64" || a == "aarch64")
        });
    let target = table
        .target(runtime.as_deref(), arch.as_deref())
        .unwrap_or_else(|_| table.default_target());
    let note = TargetGuess {
        target: target.to_string(),
        runtime_from,
        arch_from_binaries: arch.is_some(),
    };
    (target, Some(note))
}

fn check_layout(
    files: &[&ZipEntry],
    target: &Target,
    trees: &Trees,
    problems: &mut Vec<InspectProblem>,
) {
    let site = format!(
        "python/lib/python3.{}/site-packages/",
        target.runtime.python_minor
    );
    let mut other_versions = HashSet::new();
    let mut stray = HashSet::new();
    for f in files {
        let top = f.name.split('/').next().unwrap_or_default();
        if f.name.starts_with("python/lib/python")
            && !f.name.starts_with(&site)
            && !tree_minor(&f.name).is_some_and(|m| trees.judges(m))
            && let Some(dir) = f.name.split('/').nth(2)
        {
            other_versions.insert(dir.to_string());
        }
        if !matches!(top, "python" | "lib" | "bin") && f.name.contains('/') {
            stray.insert(top.to_string());
        }
    }
    if !stray.is_empty() {
        let mut stray: Vec<_> = stray.into_iter().collect();
        stray.sort();
        problems.push(InspectProblem::StrayFolders { folders: stray });
    }
    let mut other: Vec<_> = other_versions.into_iter().collect();
    other.sort();
    if !other.is_empty() {
        problems.push(InspectProblem::OtherPython {
            folders: other
                .into_iter()
                .map(|dir| format!("python/lib/{dir}/site-packages"))
                .collect(),
            runtime: target.runtime.name.clone(),
        });
    }
}

/// Every name stored more than once (the first five), with how many times.
fn check_duplicates(files: &[&ZipEntry], problems: &mut Vec<InspectProblem>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in files {
        *counts.entry(f.name.as_str()).or_default() += 1;
    }
    for (path, copies) in counts.into_iter().filter(|(_, n)| *n > 1).take(5) {
        problems.push(InspectProblem::Duplicate {
            path: path.to_string(),
            copies,
        });
    }
}

/// The first file whose path is also a folder of another file's path.
fn check_file_and_folder(files: &[&ZipEntry], problems: &mut Vec<InspectProblem>) {
    let names: std::collections::BTreeSet<&str> = files.iter().map(|f| f.name.as_str()).collect();
    for name in &names {
        let folder = format!("{name}/");
        if let Some(inside) = names.range(folder.as_str()..).next()
            && inside.starts_with(&folder)
        {
            problems.push(InspectProblem::FileAndFolder {
                path: (*name).to_string(),
                inside: (*inside).to_string(),
            });
            return;
        }
    }
}

fn check_modes(entries: &[ZipEntry], problems: &mut Vec<InspectProblem>) {
    let unreadable: Vec<String> = entries
        .iter()
        .filter(|e| {
            e.unix_mode.is_some_and(|m| {
                if e.is_dir() {
                    m & 0o005 != 0o005
                } else {
                    m & 0o004 == 0
                }
            })
        })
        .map(|e| e.name.clone())
        .take(5)
        .collect();
    if !unreadable.is_empty() {
        problems.push(InspectProblem::NotWorldReadable {
            entries: unreadable,
        });
    }
}

fn top_folders(files: &[&ZipEntry]) -> Vec<(String, u64, usize)> {
    let mut top: BTreeMap<String, (u64, usize)> = BTreeMap::new();
    for f in files {
        let key = match f.name.split_once('/') {
            Some((dir, _)) => format!("{dir}/"),
            None => f.name.clone(),
        };
        let e = top.entry(key).or_default();
        e.0 += f.size;
        e.1 += 1;
    }
    top.into_iter().map(|(k, (s, n))| (k, s, n)).collect()
}

/// Distributions from their `.dist-info` folders (name and version from the folder name).
fn packages(files: &[&ZipEntry]) -> Vec<FoundPackage> {
    let mut found: Vec<FoundPackage> = files
        .iter()
        .filter_map(|f| {
            let dir = f.name.strip_suffix("/METADATA")?;
            let (location, info) = dir.rsplit_once('/').unwrap_or(("", dir));
            let stem = info.strip_suffix(".dist-info")?;
            let (name, version) = stem.split_once('-')?;
            Some(FoundPackage {
                name: name.to_string(),
                version: version.to_string(),
                location: location.to_string(),
            })
        })
        .collect();
    found.sort_by_key(|p| p.name.to_lowercase());
    found
}
