//! A Python tool a test checks wheelbarrow against (moto's server, uv): found through its
//! environment variable, then on `PATH`, then in its venv under `.ci/` (made with
//! `python3 -m venv` and pip the first time a test needs it, so a fresh clone's `cargo test`
//! needs Python 3 alone). When it cannot be had the test fails and says how to install it: a
//! check that silently skips would prove nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where a tool comes from, and why a test needs it (said when it cannot be had).
pub struct Tool {
    /// The variable that names the executable (`WHEELBARROW_UV`).
    pub variable: &'static str,
    /// The executable's name (`uv`, `moto_server`).
    pub executable: &'static str,
    /// The venv under the project (`.ci/venv-uv`).
    pub venv: &'static str,
    /// What pip installs (`uv`, `moto[server]`).
    pub requirement: &'static str,
    /// What the tests do with it, for the message when it cannot be had.
    pub why: &'static str,
}

impl Tool {
    /// The executable, or a panic that says how to get one.
    pub fn executable(&self) -> PathBuf {
        if let Some(path) = std::env::var_os(self.variable) {
            let path = PathBuf::from(path);
            assert!(
                path.is_file(),
                "{}={} is not a file; point it at a {} executable",
                self.variable,
                path.display(),
                self.executable
            );
            return path;
        }
        let on_path = std::env::var_os("PATH")
            .into_iter()
            .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .map(|dir| dir.join(self.executable))
            .find(|p| p.is_file());
        let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(self.venv);
        let exe = venv.join("bin").join(self.executable);
        if let Some(found) = on_path.or_else(|| exe.is_file().then(|| exe.clone())) {
            return found;
        }
        self.install(&venv, &exe);
        exe
    }

    /// Installs the tool into `venv` with the machine's Python 3 (once a process), or fails
    /// saying how.
    fn install(&self, venv: &Path, exe: &Path) {
        static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one_at_a_time = INSTALL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if exe.is_file() {
            return;
        }
        let how = format!(
            "{}: install it with `python3 -m venv {venv} && {venv}/bin/pip install '{req}'`, or set {var} to a {name} executable",
            self.why,
            venv = self.venv,
            req = self.requirement,
            var = self.variable,
            name = self.executable,
        );
        eprintln!(
            "installing {} into {} (once)",
            self.requirement,
            venv.display()
        );
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(venv)
            .status();
        assert!(
            made.as_ref().is_ok_and(std::process::ExitStatus::success),
            "could not make {} ({made:?}); {how}",
            venv.display()
        );
        let pip = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", self.requirement])
            .status();
        assert!(
            pip.as_ref().is_ok_and(std::process::ExitStatus::success) && exe.is_file(),
            "could not install {} into {} ({pip:?}); {how}",
            self.requirement,
            venv.display()
        );
    }
}
