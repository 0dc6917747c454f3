//! Finding a CPython of exactly the target's minor version, the way users have them: a path
//! given by the user, then `python3.X` on `PATH`, then pyenv's and uv's managed interpreters.
//! Every candidate is run to read its version (`sys.version_info`), never judged by its name:
//! a pyenv shim named `python3.12` may start nothing, a `python3.12` link may start 3.11.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::run::{Finished, run_with_input};

/// How long a candidate may take to say its version.
const PROBE_TIMEOUT: Duration = Duration::from_secs(15);

/// A CPython found for one runtime, its version read by running it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interpreter {
    /// The interpreter itself (`sys.executable`: a shim or a link resolved).
    pub path: PathBuf,
    pub minor: u32,
    /// `3.11.7`.
    pub version: String,
    /// `cpython-311`: the tag in the `.pyc` file names (PEP 3147).
    pub cache_tag: String,
    /// How it was found.
    pub found_by: FoundBy,
    /// The full `sys.version` and the bytecode magic number: what the compiled output depends
    /// on, part of the cache key.
    #[serde(skip)]
    pub identity: String,
}

/// Where an interpreter was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FoundBy {
    /// The path the user gave.
    Given,
    /// `python3.X` on `PATH`.
    Path,
    /// A pyenv version.
    Pyenv,
    /// A uv-managed Python.
    Uv,
}

impl FoundBy {
    pub fn label(self) -> &'static str {
        match self {
            FoundBy::Given => "given",
            FoundBy::Path => "on PATH",
            FoundBy::Pyenv => "pyenv",
            FoundBy::Uv => "uv",
        }
    }
}

/// A candidate that did not do, and why (for the refusal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tried {
    pub path: PathBuf,
    pub why: String,
}

impl std::fmt::Display for Tried {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.path.display(), self.why)
    }
}

/// The places to look, read from the environment once (tests give their own).
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// `PATH`.
    pub path: Option<OsString>,
    /// `PYENV_ROOT`, else `~/.pyenv`.
    pub pyenv_root: Option<PathBuf>,
    /// `UV_PYTHON_INSTALL_DIR`, else `$XDG_DATA_HOME/uv/python`, else `~/.local/share/uv/python`.
    pub uv_pythons: Option<PathBuf>,
}

impl Places {
    pub fn from_environment() -> Places {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let home = var("HOME").map(PathBuf::from);
        let pyenv_root = var("PYENV_ROOT")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".pyenv")));
        let uv_pythons = var("UV_PYTHON_INSTALL_DIR")
            .map(PathBuf::from)
            .or_else(|| var("XDG_DATA_HOME").map(|d| PathBuf::from(d).join("uv/python")))
            .or_else(|| home.map(|h| h.join(".local/share/uv/python")));
        Places {
            path: var("PATH"),
            pyenv_root,
            uv_pythons,
        }
    }
}

/// The first interpreter of Python 3.`minor` among `given` (paths the user named), `python3.X`
/// on `PATH`, pyenv's versions and uv's Pythons (`uv python find`, then its folder). `Err`
/// lists what was tried.
pub fn find(
    minor: u32,
    given: &[PathBuf],
    places: &Places,
    cancel: &CancellationToken,
) -> Result<Interpreter, Vec<Tried>> {
    let mut tried = Vec::new();
    let try_one = |path: &Path, found_by: FoundBy, tried: &mut Vec<Tried>| match probe(
        path, found_by, cancel,
    ) {
        Ok(i) if i.minor == minor => Some(i),
        Ok(i) => {
            tried.push(Tried {
                path: path.to_path_buf(),
                why: format!("it is Python {}", i.version),
            });
            None
        }
        Err(why) => {
            tried.push(Tried {
                path: path.to_path_buf(),
                why,
            });
            None
        }
    };
    for path in given {
        if let Some(found) = try_one(path, FoundBy::Given, &mut tried) {
            return Ok(found);
        }
    }
    let name = format!("python3.{minor}");
    for dir in places.path.iter().flat_map(std::env::split_paths) {
        let candidate = dir.join(&name);
        if candidate.is_file()
            && let Some(found) = try_one(&candidate, FoundBy::Path, &mut tried)
        {
            return Ok(found);
        }
    }
    if let Some(root) = &places.pyenv_root {
        for version in versions_in(&root.join("versions"), &format!("3.{minor}")) {
            let candidate = version.join("bin").join(&name);
            if candidate.is_file()
                && let Some(found) = try_one(&candidate, FoundBy::Pyenv, &mut tried)
            {
                return Ok(found);
            }
        }
    }
    if let Some(uv) = on_path(places, "uv")
        && let Some(candidate) = uv_find(&uv, minor, cancel)
        && let Some(found) = try_one(&candidate, FoundBy::Uv, &mut tried)
    {
        return Ok(found);
    }
    if let Some(dir) = &places.uv_pythons {
        for version in versions_in(dir, &format!("cpython-3.{minor}.")) {
            let candidate = version.join("bin").join(&name);
            if candidate.is_file()
                && let Some(found) = try_one(&candidate, FoundBy::Uv, &mut tried)
            {
                return Ok(found);
            }
        }
    }
    Err(tried)
}

/// Folders in `dir` named `prefix` or `prefix.*`/`prefix*` (`3.12`, `3.12.1`; uv's
/// `cpython-3.12.8-linux-x86_64-gnu`), newest name first, free-threaded builds (`3.13t`) left
/// out: Lambda runs the standard build.
fn versions_in(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(Vec<u32>, PathBuf)> = read
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(prefix)?;
            let exact = rest.is_empty() || rest.starts_with('.') || prefix.ends_with('.');
            let version = name.split('-').find(|p| p.starts_with("3."))?;
            if !exact || version.contains('t') || version.contains("+freethreaded") {
                return None;
            }
            let key = version.split('.').map(|n| n.parse().unwrap_or(0)).collect();
            Some((key, e.path()))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    found.into_iter().map(|(_, p)| p).collect()
}

fn on_path(places: &Places, program: &str) -> Option<PathBuf> {
    places
        .path
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// What `uv python find 3.X` names (it only looks; it downloads nothing).
fn uv_find(uv: &Path, minor: u32, cancel: &CancellationToken) -> Option<PathBuf> {
    let mut cmd = Command::new(uv);
    cmd.args(["python", "find", &format!("3.{minor}")])
        .stderr(Stdio::null());
    let out = run_with_input(cmd, &[], PROBE_TIMEOUT, cancel).ok()?;
    let Finished { status, stdout } = out;
    let text = String::from_utf8(stdout).ok()?;
    let path = text.lines().next()?.trim();
    (status.success() && !path.is_empty()).then(|| PathBuf::from(path))
}

/// What the probe prints: implementation, minor, version, cache tag, magic, free-threaded,
/// executable, and the full version string last.
const PROBE: &str = "import sys, importlib.util, sysconfig\n\
print(sys.implementation.name)\n\
print(sys.version_info[0], sys.version_info[1])\n\
print('%d.%d.%d' % tuple(sys.version_info[:3]))\n\
print(sys.implementation.cache_tag)\n\
print(importlib.util.MAGIC_NUMBER.hex())\n\
print(1 if sysconfig.get_config_var('Py_GIL_DISABLED') else 0)\n\
print(sys.executable)\n\
print(sys.version.replace('\\n', ' '))\n";

/// Runs `path` to read what it is.
pub fn probe(
    path: &Path,
    found_by: FoundBy,
    cancel: &CancellationToken,
) -> Result<Interpreter, String> {
    let mut cmd = Command::new(path);
    cmd.args(["-I", "-S", "-c", PROBE]).stderr(Stdio::null());
    let Finished { status, stdout } =
        run_with_input(cmd, &[], PROBE_TIMEOUT, cancel).map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(match status.code() {
            Some(code) => format!("it exited with status {code}"),
            None => "it was stopped by a signal".into(),
        });
    }
    let text = String::from_utf8_lossy(&stdout);
    let lines: Vec<&str> = text.lines().collect();
    let [name, major_minor, version, tag, magic, free, exe, full] = lines[..] else {
        return Err("it did not answer as CPython does".into());
    };
    if name != "cpython" {
        return Err(format!("it is {name}, not CPython"));
    }
    let minor = match major_minor.split_once(' ') {
        Some(("3", m)) => m.parse::<u32>().map_err(|_| "no version".to_string())?,
        _ => return Err(format!("it is Python {version}")),
    };
    if free == "1" {
        return Err(format!(
            "it is the free-threaded build of {version}; Lambda runs the standard one"
        ));
    }
    let exe = if exe.is_empty() {
        path.to_path_buf()
    } else {
        PathBuf::from(exe)
    };
    Ok(Interpreter {
        path: exe,
        minor,
        version: version.to_string(),
        cache_tag: tag.to_string(),
        found_by,
        identity: format!("{full}|{magic}|{tag}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_folders_are_matched_by_minor_newest_first_without_free_threaded_builds() {
        let dir = std::env::temp_dir().join(format!("wb-versions-{}", std::process::id()));
        for name in [
            "3.12.1",
            "3.12.10",
            "3.1.2",
            "3.13t",
            "3.120",
            "cpython-3.12.8-linux-x86_64-gnu",
            "cpython-3.12.9+freethreaded-linux-x86_64-gnu",
        ] {
            std::fs::create_dir_all(dir.join(name)).unwrap();
        }
        let names = |found: Vec<PathBuf>| -> Vec<String> {
            found
                .iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(names(versions_in(&dir, "3.12")), ["3.12.10", "3.12.1"]);
        assert_eq!(
            names(versions_in(&dir, "cpython-3.12.")),
            ["cpython-3.12.8-linux-x86_64-gnu"]
        );
        assert!(versions_in(&dir, "3.13").is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_program_that_is_not_python_is_said_to_be_no_interpreter() {
        let why = probe(
            Path::new("/bin/false"),
            FoundBy::Given,
            &CancellationToken::new(),
        )
        .unwrap_err();
        assert_eq!(why, "it exited with status 1");
    }
}
