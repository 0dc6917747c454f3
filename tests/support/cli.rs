//! Running the `wheelbarrow` binary against a loopback index from a scratch folder: the
//! environment every CLI test needs (its own cache and data folders, no pip configuration),
//! and the checks they share (what was left in a folder).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::server::{IndexOptions, TestIndex};
use super::wheel::WheelBuilder;

/// The day every CLI test runs on (`WHEELBARROW_TODAY`): python3.9 and python3.10 deprecated,
/// python3.11 to python3.14 supported.
pub const TODAY: &str = "2026-12-04";

/// A loopback index with `app 1.0` (one module) and a scratch folder, removed on drop.
pub struct Sandbox {
    pub index: TestIndex,
    pub dir: PathBuf,
}

impl Sandbox {
    pub fn new(tag: &str) -> Sandbox {
        let index = TestIndex::start(IndexOptions::default());
        index.add_wheel(
            &WheelBuilder::new("app", "1.0")
                .file("app/__init__.py", b"X = 1\n")
                .build(),
        );
        let dir = std::env::temp_dir().join(format!("wb-cli-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("out")).unwrap();
        Sandbox { index, dir }
    }

    /// `wheelbarrow ARGS... --index-url <loopback>` with this sandbox's cache, run in `dir`.
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.offline(args);
        cmd.args(["--index-url", &self.index.simple()]);
        cmd
    }

    /// `wheelbarrow ARGS...` in this sandbox's environment, for commands without an index.
    pub fn offline<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"));
        cmd.args(args)
            .current_dir(&self.dir)
            .env("WHEELBARROW_CACHE_DIR", self.dir.join("cache"))
            .env("WHEELBARROW_DATA_DIR", self.dir.join("data"))
            // No user runtimes.json, and a frozen day: what the runtime table says is the test's.
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .env("WHEELBARROW_TODAY", TODAY)
            .env("PIP_CONFIG_FILE", "/dev/null")
            .env_remove("PIP_INDEX_URL")
            .env_remove("PIP_EXTRA_INDEX_URL")
            .env_remove("PIP_FIND_LINKS")
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy")
            .env_remove("WHEELBARROW_TIMEOUT");
        cmd
    }

    /// `wheelbarrow build ARGS... --runtime python3.12`.
    pub fn build<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command(["build", "--runtime", "python3.12"]);
        cmd.args(args);
        cmd.output().unwrap()
    }

    /// Writes `text` to `name` in the scratch folder and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn out(&self) -> PathBuf {
        self.dir.join("out")
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Every file under `dir`, recursively (none when it does not exist).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}
