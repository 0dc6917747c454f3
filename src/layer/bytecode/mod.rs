//! Bytecode compiled for the target Python, so a cold start on Lambda (whose `/opt` is
//! read-only, so Python cannot keep what it compiles) imports instead of compiling.
//!
//! ```text
//!  find an interpreter of exactly 3.X ──▶ per wheel: its .py files ──▶ cache hit? ──▶ .pyc
//!  (given path, PATH, pyenv, uv; run         (to a temp folder)         │ no         archive
//!   to read sys.version_info)                                           ▼            │
//!                        the target's python3.X -S -s -B, PYTHONHASHSEED=0, driver ──┘
//! ```
//!
//! Every `.py` under `python/` gets `__pycache__/NAME.cpython-3XY.pyc` (PEP 3147), hash-based
//! (PEP 552: unchecked by default, since a layer version never changes; checked as a choice),
//! its code objects naming `/opt/python/...` as `compileall -d` does. A file that does not
//! compile is skipped and listed. Compiling only parses the sources: no package code runs.
//! The output of each wheel is cached per (wheel, interpreter, mode, paths) as a small zip
//! whose compressed members go into the layer as they are.

mod cache;
mod compile;
mod driver;
mod estimate;
mod found;
mod interpreter;
mod run;

use std::fmt;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

pub(super) use compile::{Compile, compile_plan};
pub use estimate::estimate;
pub use found::{Found, interpreters_for};
pub use interpreter::{FoundBy, Interpreter, Places, Tried, find, probe};

use crate::hint::{Hint, Hints};

/// How the `.pyc` files are checked at import (PEP 552).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Invalidation {
    /// Python trusts the `.pyc` without reading the source: right for an immutable layer.
    #[default]
    UncheckedHash,
    /// Python hashes the source at each import and recompiles (in memory) when it differs.
    CheckedHash,
}

impl Invalidation {
    pub fn name(self) -> &'static str {
        match self {
            Invalidation::UncheckedHash => "unchecked-hash",
            Invalidation::CheckedHash => "checked-hash",
        }
    }
}

impl std::str::FromStr for Invalidation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "unchecked-hash" => Ok(Invalidation::UncheckedHash),
            "checked-hash" => Ok(Invalidation::CheckedHash),
            other => Err(format!(
                "unknown bytecode check '{other}': use unchecked-hash or checked-hash"
            )),
        }
    }
}

/// Compile bytecode into the layer, and how.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct BytecodeOptions {
    pub invalidation: Invalidation,
    /// Interpreters the user named; each serves the runtime of its own version.
    pub python: Vec<PathBuf>,
    /// Other Python minor versions that read the `python/` tree (a pure layer serves several
    /// runtimes): compiled for when their interpreter is found, said when not.
    pub also_for: Vec<u32>,
}

/// A source file that did not compile: left without bytecode (Python compiles it, or fails
/// on it, only if it is imported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Skipped {
    /// Path under `/opt`.
    pub path: String,
    /// The compiler's words (`SyntaxError: Missing parentheses in call to 'print' (line 3)`).
    pub error: String,
}

/// What the bytecode adds to the layer: estimated from the sources' sizes before building,
/// counted after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct BytecodeCost {
    /// True before building: sizes estimated from the sources (about 1.2 bytes of bytecode per
    /// byte of source, about 40% of that zipped, as measured on CPython 3.11's own library).
    pub estimated: bool,
    /// `.py` files compiled (or to compile), counted once per runtime.
    pub modules: usize,
    /// Bytes of the sources compiled.
    pub source_bytes: u64,
    pub unzipped: u64,
    pub zipped: u64,
    /// The runtimes compiled for (or to compile for).
    pub runtimes: Vec<String>,
    /// The interpreters that compiled (after building).
    pub interpreters: Vec<Interpreter>,
    /// Runtimes the layer serves that got no bytecode: no interpreter of their version.
    pub without: Vec<String>,
    pub skipped: Vec<Skipped>,
    /// Compilations (one per wheel, or the added files, and interpreter), and how many of those
    /// came from the cache.
    pub units: usize,
    pub from_cache: usize,
    pub invalidation: Invalidation,
}

/// Why bytecode could not be compiled. Nothing is written when it fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BytecodeError {
    /// No interpreter of the version a runtime needs.
    #[error("{}", no_interpreter(runtimes, tried))]
    NoInterpreter {
        /// `python3.12` (several when none of several runtimes has one).
        runtimes: Vec<String>,
        tried: Vec<Tried>,
    },
    /// An interpreter the user named is of no runtime of the layer.
    #[error(
        "{path} cannot compile bytecode for {wanted}: {why}. A .pyc loads only on the Python version that wrote it. No zip was written"
    )]
    GivenUnused {
        path: PathBuf,
        why: String,
        wanted: String,
    },
    /// The compiler driver failed as a whole (not one file: those are skipped).
    #[error("compiling bytecode with {interpreter} failed: {problem}. No zip was written")]
    Driver {
        interpreter: PathBuf,
        problem: String,
    },
}

fn no_interpreter(runtimes: &[String], tried: &[Tried]) -> String {
    let versions: Vec<String> = runtimes
        .iter()
        .map(|r| r.trim_start_matches("python").to_string())
        .collect();
    let first = versions.first().cloned().unwrap_or_default();
    let mut out = format!(
        "no Python {} interpreter was found to compile bytecode for {}",
        versions.join(" or "),
        runtimes.join(" or ")
    );
    if tried.is_empty() {
        let _ = write!(
            out,
            " (looked for python{first} on PATH, in pyenv's versions and among uv's Pythons)"
        );
    } else {
        let tried: Vec<String> = tried.iter().map(ToString::to_string).collect();
        let _ = write!(out, " (tried {})", tried.join("; "));
    }
    let _ = write!(
        out,
        ". A .pyc loads only on the Python version that wrote it, so another version cannot stand in. No zip was written. Install one with `uv python install {first}` or `pyenv install {first}`"
    );
    out
}

impl Hints for BytecodeError {
    fn hints(&self) -> Vec<Hint> {
        match self {
            BytecodeError::NoInterpreter { .. } => vec![Hint::GivePython],
            BytecodeError::GivenUnused { .. } | BytecodeError::Driver { .. } => Vec::new(),
        }
    }
}

impl fmt::Display for Invalidation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `pkg/mod.py` → `pkg/__pycache__/mod.cpython-311.pyc` (as `importlib.util.cache_from_source`).
pub fn pyc_path(source: &str, cache_tag: &str) -> Option<String> {
    let stem_path = source.strip_suffix(".py")?;
    let (dir, stem) = match stem_path.rsplit_once('/') {
        Some((dir, stem)) => (format!("{dir}/"), stem),
        None => (String::new(), stem_path),
    };
    if stem.is_empty() {
        return None;
    }
    Some(format!("{dir}__pycache__/{stem}.{cache_tag}.pyc"))
}

/// Which Pythons read a tree of the layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tree {
    /// `python/lib/python3.X/site-packages`: Python 3.X only.
    Site(u32),
    /// `python/`: every runtime.
    Shared,
}

/// The tree `path` is in, or `None` for paths Python does not import from.
pub(super) fn tree_of(path: &str) -> Option<Tree> {
    if let Some(rest) = path.strip_prefix("python/lib/python3.") {
        let (minor, rest) = rest.split_once('/')?;
        let minor = minor.parse().ok()?;
        rest.starts_with("site-packages/")
            .then_some(Tree::Site(minor))
    } else if path.starts_with("python/") {
        Some(Tree::Shared)
    } else {
        None
    }
}

/// Whether `path` is a source Python compiles (a `.py` file under `python/`; Python imports
/// lowercase `.py` only).
#[allow(clippy::case_sensitive_file_extension_comparisons)]
pub(super) fn is_source(path: &str) -> bool {
    path.ends_with(".py") && !path.contains("/__pycache__/") && tree_of(path).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytecode_paths_are_named_as_importlib_names_them() {
        assert_eq!(
            pyc_path("python/pkg/mod.py", "cpython-311").unwrap(),
            "python/pkg/__pycache__/mod.cpython-311.pyc"
        );
        assert_eq!(
            pyc_path("python/a.b.py", "cpython-312").unwrap(),
            "python/__pycache__/a.b.cpython-312.pyc"
        );
        assert_eq!(pyc_path("python/x.pyi", "cpython-312"), None);
    }

    #[test]
    fn each_tree_is_read_by_its_own_python_and_python_slash_by_all() {
        assert_eq!(
            tree_of("python/lib/python3.12/site-packages/a.py"),
            Some(Tree::Site(12))
        );
        assert_eq!(tree_of("python/a/b.py"), Some(Tree::Shared));
        assert_eq!(tree_of("bin/tool.py"), None);
        assert!(is_source("python/a/b.py"));
        assert!(!is_source("python/a/__pycache__/b.py"));
        assert!(!is_source("lib/x.py"));
    }
}
