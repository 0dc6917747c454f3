//! `inspect` knows bytecode: a layer made the common way (`pip install -t python/`, timestamps
//! pinned, `zip -r`) with this machine's Python is flagged, for another runtime, for bytecode
//! of another version and for timestamp-based bytecode Python finds stale; for every runtime
//! without usable bytecode it says what each cold start compiles. A `--compile` layer is clean.

mod support;

use std::path::Path;
use std::process::Command;

use support::cli::{Sandbox, stderr};
use support::wheel::WheelBuilder;

fn pkg() -> support::wheel::Wheel {
    WheelBuilder::new("pkg", "1.0")
        .file("pkg/__init__.py", b"from pkg.mod import VALUE\n")
        .file("pkg/mod.py", b"VALUE = 1\n")
        .build()
}

fn bytecode_findings(zip: &Path, runtime: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .arg("inspect")
        .arg(zip)
        .args(["--runtime", runtime, "--json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    report["bytecode"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_pip_installed_layer_with_pinned_times_is_flagged_for_another_version_and_stale_times() {
    let sb = Sandbox::new("inspect-pip");
    let wheel = pkg();
    std::fs::write(sb.dir.join(&wheel.filename), &wheel.bytes).unwrap();
    let pip = Command::new("python3.11")
        .args(["-m", "pip", "install", "--no-index", "--no-deps", "--quiet"])
        .args(["--target", "python", &wheel.filename])
        .current_dir(&sb.dir)
        .env("PIP_CONFIG_FILE", "/dev/null")
        .output()
        .unwrap();
    assert!(pip.status.success(), "{}", stderr(&pip));
    assert!(
        sb.dir
            .join("python/pkg/__pycache__/mod.cpython-311.pyc")
            .is_file()
    );
    // What tools that pin zip timestamps do: every file gets one fixed time.
    let touch = Command::new("find")
        .args([
            "python",
            "-exec",
            "touch",
            "-d",
            "2020-01-01T00:00:00Z",
            "{}",
            "+",
        ])
        .current_dir(&sb.dir)
        .status()
        .unwrap();
    assert!(touch.success());
    let zip = Command::new("zip")
        .args(["-q", "-r", "layer.zip", "python"])
        .current_dir(&sb.dir)
        .env("TZ", "UTC")
        .status()
        .unwrap();
    assert!(zip.success());
    let layer = sb.dir.join("layer.zip");

    let for_312 = bytecode_findings(&layer, "python3.12");
    assert!(
        for_312.contains(
            ".pyc files for another Python version (2 for Python 3.11): python3.12 ignores them"
        ),
        "{for_312}"
    );
    assert!(
        for_312.contains("2 timestamp-based .pyc files record a source time that is not their source's time in the zip"),
        "{for_312}"
    );
    assert!(
        for_312.contains(
            "none of its 2 modules has bytecode python3.12 can use: each cold start compiles"
        ),
        "{for_312}"
    );
    // On its own version the bytecode is stale all the same.
    let for_311 = bytecode_findings(&layer, "python3.11");
    assert!(!for_311.contains("another Python version"), "{for_311}");
    assert!(
        for_311.contains("2 timestamp-based .pyc files"),
        "{for_311}"
    );
    assert!(
        for_311.contains("none of its 2 modules has bytecode python3.11 can use"),
        "{for_311}"
    );
}

#[test]
fn a_compiled_layer_has_nothing_to_say_for_its_runtime_and_the_cost_for_another() {
    let sb = Sandbox::new("inspect-compiled");
    sb.index.add_wheel(&pkg());
    // Only this machine's python3.11 to be found (no pyenv or uv Pythons of other versions).
    let bin = sb.dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let python = Command::new("python3.11")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .unwrap();
    let python = String::from_utf8(python.stdout).unwrap();
    std::os::unix::fs::symlink(python.trim(), bin.join("python3.11")).unwrap();
    let out = sb
        .command([
            "build",
            "pkg",
            "--runtime",
            "python3.11",
            "--layout",
            "python",
            "--compile",
            "-o",
            "out/layer.zip",
        ])
        .env("PATH", &bin)
        .env("PYENV_ROOT", &bin)
        .env("UV_PYTHON_INSTALL_DIR", &bin)
        .env("HOME", &bin)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let layer = sb.out().join("layer.zip");
    assert_eq!(bytecode_findings(&layer, "python3.11"), "");
    let for_313 = bytecode_findings(&layer, "python3.13");
    assert!(
        for_313.contains("(2 for Python 3.11): python3.13 ignores them"),
        "{for_313}"
    );
    assert!(!for_313.contains("timestamp-based"), "{for_313}");
}

#[test]
fn a_layer_without_bytecode_says_what_each_cold_start_compiles() {
    let sb = Sandbox::new("inspect-none");
    sb.index.add_wheel(&pkg());
    let out = sb
        .command([
            "build",
            "pkg",
            "--runtime",
            "python3.11",
            "-o",
            "out/layer.zip",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let findings = bytecode_findings(&sb.out().join("layer.zip"), "python3.11");
    assert_eq!(
        findings,
        "none of its 2 modules has bytecode python3.11 can use: each cold start compiles the ones it imports again (2 modules, 36 B of source), since /opt is read-only and Python cannot keep what it compiles"
    );
}
