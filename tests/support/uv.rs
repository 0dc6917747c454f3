//! uv, for tests that check what wheelbarrow writes against what uv reads: found through
//! `WHEELBARROW_UV`, then `uv` on `PATH`, then `.ci/venv-uv` (installed there with
//! `python3 -m venv` and pip the first time a test needs it). When it cannot be had the test
//! fails and says how to install it: a check that silently skips would prove nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `uv` executable, or a panic that says how to get one.
pub fn uv_executable() -> PathBuf {
    if let Some(path) = std::env::var_os("WHEELBARROW_UV") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "WHEELBARROW_UV={} is not a file; point it at a uv executable",
            path.display()
        );
        return path;
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join("uv"))
        .find(|p| p.is_file());
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/venv-uv");
    let exe = venv.join("bin/uv");
    if let Some(found) = on_path.or_else(|| exe.is_file().then(|| exe.clone())) {
        return found;
    }
    install_uv(&venv);
    exe
}

fn install_uv(venv: &Path) {
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = INSTALL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let exe = venv.join("bin/uv");
    if exe.is_file() {
        return;
    }
    let how = "this test checks wheelbarrow's pylock.toml with uv: install it with \
               `python3 -m venv .ci/venv-uv && .ci/venv-uv/bin/pip install uv`, or set \
               WHEELBARROW_UV to a uv executable";
    eprintln!("installing uv into {} (once)", venv.display());
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
        .args(["install", "--quiet", "uv"])
        .status();
    assert!(
        pip.as_ref().is_ok_and(std::process::ExitStatus::success) && exe.is_file(),
        "could not install uv into {} ({pip:?}); {how}",
        venv.display()
    );
}
