//! What `inspect` says of a layer's bytecode for the runtime it checks: sources the runtime
//! compiles at every cold start (no bytecode, or none it can use), bytecode written for another
//! Python version, and timestamp-based `.pyc` whose recorded source time is not the time the
//! zip gives the source (Python ignores those once the layer is unzipped).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Serialize, Serializer};

use super::bytecode::{Tree, is_source, pyc_path, tree_of};
use super::inspect_budget::Inflater;
use crate::index::{ZipEntry, zipdir};
use crate::units::human_bytes;

/// One finding about the layer's bytecode. None of them breaks the layer; each costs cold
/// starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BytecodeFinding {
    /// Sources the runtime reads with no bytecode it can use: compiled at each cold start.
    Uncompiled {
        runtime: String,
        modules: usize,
        of: usize,
        source_bytes: u64,
    },
    /// `.pyc` files for other Python versions (by their tag), which this runtime ignores.
    OtherVersion {
        runtime: String,
        /// (`cpython-311`, files).
        tags: Vec<(String, usize)>,
    },
    /// Timestamp-based `.pyc` whose recorded source time (or size) is not the source's in the
    /// zip: Python finds them stale after unzipping.
    StaleTimestamps { files: usize, example: String },
}

impl fmt::Display for BytecodeFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BytecodeFinding::Uncompiled {
                runtime,
                modules,
                of,
                source_bytes,
            } => {
                let which = match (*modules, *of) {
                    (1, 1) => format!("its one module has no bytecode {runtime} can use"),
                    (m, o) if m == o => {
                        format!("none of its {o} modules has bytecode {runtime} can use")
                    }
                    (m, o) => format!(
                        "{m} of its {} {} no bytecode {runtime} can use",
                        crate::units::count(o, "module"),
                        if m == 1 { "has" } else { "have" }
                    ),
                };
                write!(
                    f,
                    "{which}: each cold start compiles the ones it imports again ({}, {} of source), since /opt is read-only and Python cannot keep what it compiles",
                    crate::units::count(*modules, "module"),
                    human_bytes(*source_bytes)
                )
            }
            BytecodeFinding::OtherVersion { runtime, tags } => {
                let listed: Vec<String> = tags
                    .iter()
                    .map(|(tag, n)| format!("{n} for {}", python_of(tag)))
                    .collect();
                write!(
                    f,
                    ".pyc files for another Python version ({}): {runtime} ignores them",
                    listed.join(", ")
                )
            }
            BytecodeFinding::StaleTimestamps { files, example } => write!(
                f,
                "{files} timestamp-based .pyc files record a source time that is not their source's time in the zip (e.g. {example}): Python finds them stale once the layer is unzipped and compiles those modules again; hash-based bytecode does not depend on times"
            ),
        }
    }
}

impl Serialize for BytecodeFinding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `cpython-311` → `Python 3.11`.
fn python_of(tag: &str) -> String {
    match tag.strip_prefix("cpython-3") {
        Some(minor) => format!("Python 3.{minor}"),
        None => tag.to_string(),
    }
}

/// The findings for `runtime` (Python 3.`minor`) on the zip `bytes` with `files`.
pub(super) fn check_bytecode(
    files: &[&ZipEntry],
    zip: &Inflater,
    runtime: &str,
    minor: u32,
) -> Vec<BytecodeFinding> {
    let reads = |path: &str| match tree_of(path) {
        Some(Tree::Site(m)) => m == minor,
        Some(Tree::Shared) => true,
        None => false,
    };
    let tag = format!("cpython-3{minor}");
    let by_name: HashMap<&str, &ZipEntry> = files.iter().map(|f| (f.name.as_str(), *f)).collect();
    let mut stale: Vec<&str> = Vec::new();
    let mut other: BTreeMap<String, usize> = BTreeMap::new();
    for pyc in files.iter().filter(|f| reads(&f.name)) {
        let Some((source, file_tag)) = source_of(&pyc.name) else {
            continue;
        };
        if file_tag != tag {
            *other.entry(file_tag.to_string()).or_default() += 1;
        }
        if let Some(source) = by_name.get(source.as_str())
            && timestamp_matches(zip, source, pyc) == Some(false)
        {
            stale.push(&pyc.name);
        }
    }
    let (mut modules, mut uncompiled, mut source_bytes) = (0, 0, 0);
    for f in files.iter().filter(|f| reads(&f.name)) {
        if is_source(&f.name) {
            modules += 1;
            let usable = pyc_path(&f.name, &tag)
                .is_some_and(|p| by_name.contains_key(p.as_str()) && !stale.contains(&p.as_str()));
            if !usable {
                uncompiled += 1;
                source_bytes += f.size;
            }
        }
    }
    let mut findings = Vec::new();
    if uncompiled > 0 {
        findings.push(BytecodeFinding::Uncompiled {
            runtime: runtime.to_string(),
            modules: uncompiled,
            of: modules,
            source_bytes,
        });
    }
    if !other.is_empty() {
        findings.push(BytecodeFinding::OtherVersion {
            runtime: runtime.to_string(),
            tags: other.into_iter().collect(),
        });
    }
    if let Some(example) = stale.first() {
        findings.push(BytecodeFinding::StaleTimestamps {
            files: stale.len(),
            example: (*example).to_string(),
        });
    }
    findings
}

/// `a/__pycache__/m.cpython-311.pyc` → (`a/m.py`, `cpython-311`).
fn source_of(pyc: &str) -> Option<(String, &str)> {
    let (dir, file) = pyc.rsplit_once("/__pycache__/")?;
    let (stem, tag) = file.strip_suffix(".pyc")?.rsplit_once('.')?;
    if !tag.starts_with("cpython-") || file.contains(".opt-") {
        return None;
    }
    Some((format!("{dir}/{stem}.py"), tag))
}

/// For a timestamp-based `.pyc` (PEP 552 flags 0): whether its recorded source time and size
/// are the source's in the zip. `None` for hash-based or unreadable ones (not judged here).
fn timestamp_matches(zip: &Inflater, source: &ZipEntry, pyc: &ZipEntry) -> Option<bool> {
    let data = zip.prefix(pyc, 16).ok()?;
    let word = |at: usize| Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?));
    if word(4)? != 0 {
        return None;
    }
    let time = zipdir::member_time(zip.bytes(), source)?;
    Some(
        u64::from(word(8)?) == time & 0xFFFF_FFFF
            && u64::from(word(12)?) == source.size & 0xFFFF_FFFF,
    )
}
