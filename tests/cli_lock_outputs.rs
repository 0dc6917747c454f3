//! What a build writes beside the zip, checked by the tools that read it: the requirements
//! lock's header command run by pip on this machine.

mod support;

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;
use std::process::Command;

use support::cli::{Sandbox, stderr, stdout};
use support::locks;

fn sandbox(tag: &str) -> Sandbox {
    let dir = std::env::temp_dir().join(format!("wb-lock-out-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("dist")).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::create_dir_all(dir.join("uv")).unwrap();
    std::fs::copy(locks::fixtures().join("uv/uv.lock"), dir.join("uv/uv.lock")).unwrap();
    let mylib = locks::mylib_wheel();
    std::fs::write(dir.join("dist").join(&mylib.filename), &mylib.bytes).unwrap();
    Sandbox {
        index: locks::index(),
        dir,
    }
}

/// Builds the uv lock's layer for python3.12 on x86_64 (fastnum is a cp312 `manylinux_2_28`
/// wheel) into `out/layer.zip`.
fn build_from_lock(sb: &Sandbox) {
    let lib = format!("./dist/{}", locks::mylib_wheel().filename);
    let out = sb
        .command([
            "build",
            "--runtime",
            "python3.12",
            "--arch",
            "x86_64",
            "-r",
            "uv/uv.lock",
            "--no-project",
            &lib,
            "-o",
            "out/layer.zip",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}\n{}", stderr(&out), stdout(&out));
}

/// The files of the zip under `prefix`, by path below it.
fn zip_files(zip: &Path, prefix: &str) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().unwrap().to_string();
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        let rest = rest.to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.insert(rest, bytes);
    }
    out
}

/// The files under `dir`, by path below it.
fn tree_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    support::cli::files_under(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// What an installer adds or rewrites, not part of the wheels' files: in a `.dist-info` folder
/// (PEP 376, PEP 610, and uv's `uv_cache.json` for a local wheel), and uv's `.lock` on the
/// target folder.
fn installer_record(path: &str) -> bool {
    path == ".lock"
        || (path.contains(".dist-info/")
            && [
                "INSTALLER",
                "REQUESTED",
                "RECORD",
                "direct_url.json",
                "uv_cache.json",
            ]
            .iter()
            .any(|f| path.ends_with(&format!("/{f}"))))
}

#[test]
fn the_lock_header_command_run_by_pip_installs_exactly_the_layers_files() {
    let sb = sandbox("pip");
    build_from_lock(&sb);
    let lock = sb.dir.join("out/layer.requirements.txt");
    let text = std::fs::read_to_string(&lock).unwrap();
    // The command as written: the comment lines after the header's sentence, joined.
    let command: String = text
        .lines()
        .skip_while(|l| !l.starts_with("#   pip install"))
        .take_while(|l| l.starts_with("#   "))
        .map(|l| l.trim_start_matches('#').trim().trim_end_matches('\\'))
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<&str> = command.split_whitespace().collect();
    let command = words.join(" ");
    assert_eq!(words[..2], ["pip", "install"], "{text}");
    for needed in [
        "--platform manylinux_2_34_x86_64",
        "--platform manylinux_2_28_x86_64",
        "--platform manylinux2014_x86_64",
        "--platform manylinux1_x86_64",
        "--python-version 3.12",
        "--implementation cp",
        "--abi cp312",
        "--target python/lib/python3.12/site-packages",
    ] {
        assert!(command.contains(needed), "{needed}: {command}");
    }
    let run_in = sb.dir.join("pip-run");
    std::fs::create_dir_all(&run_in).unwrap();
    let args: Vec<String> = words[1..]
        .iter()
        .map(|w| {
            if *w == "THIS_FILE" {
                lock.display().to_string()
            } else {
                (*w).to_string()
            }
        })
        .collect();
    let out = Command::new("python3")
        .args(["-m", "pip"])
        .args(&args)
        .args(["--index-url", &sb.index.simple()])
        .args(["--no-cache-dir", "--disable-pip-version-check", "--quiet"])
        .env("PIP_CONFIG_FILE", "/dev/null")
        .current_dir(&run_in)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pip failed:\n{}\n{}",
        stderr(&out),
        stdout(&out)
    );
    let site = "python/lib/python3.12/site-packages/";
    let installed: BTreeMap<String, Vec<u8>> = tree_files(&run_in.join(site))
        .into_iter()
        .filter(|(p, _)| !installer_record(p))
        .collect();
    let layer: BTreeMap<String, Vec<u8>> = zip_files(&sb.dir.join("out/layer.zip"), site)
        .into_iter()
        .filter(|(p, _)| !installer_record(p))
        .collect();
    assert!(
        layer
            .keys()
            .any(|p| p.starts_with("fastnum-2.0.dist-info/")),
        "{:?}",
        layer.keys()
    );
    assert_eq!(
        installed.keys().collect::<Vec<_>>(),
        layer.keys().collect::<Vec<_>>()
    );
    assert_eq!(installed, layer, "the same names, and the same bytes");
    let wheel = String::from_utf8(installed["fastnum-2.0.dist-info/WHEEL"].clone()).unwrap();
    assert!(
        wheel.contains("cp312-cp312-manylinux_2_28_x86_64"),
        "{wheel}"
    );
}

/// The command a lock file's header gives (the comment lines from `#   {first}`), as words.
fn header_command(text: &str, first: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| !l.starts_with(&format!("#   {first}")))
        .take_while(|l| l.starts_with("#   "))
        .map(|l| l.trim_start_matches('#').trim().trim_end_matches('\\'))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_pylock_beside_the_zip_is_pep_751_and_uv_reinstalls_the_layers_files_from_it() {
    let sb = sandbox("uv");
    build_from_lock(&sb);
    let path = sb.dir.join("out/pylock.layer.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    // PEP 751's required keys, and what a wheel entry needs.
    assert_eq!(doc["lock-version"].as_str(), Some("1.0"));
    assert!(doc["created-by"].as_str().is_some());
    let env = doc["environments"].as_array().unwrap()[0].as_str().unwrap();
    assert!(
        env.contains("python_version == '3.12'") && env.contains("platform_machine == 'x86_64'"),
        "{env}"
    );
    let packages = doc["packages"].as_array().unwrap();
    let mut names: Vec<&str> = packages
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["alpha", "beta", "fastnum", "mylib"]);
    for p in packages {
        assert!(p["version"].as_str().is_some(), "{p}");
        let wheels = p["wheels"].as_array().unwrap();
        assert_eq!(wheels.len(), 1, "{p}");
        let w = &wheels[0];
        assert!(w.get("url").or_else(|| w.get("path")).is_some(), "{w}");
        assert!(w["size"].as_integer().is_some_and(|s| s > 0), "{w}");
        assert_eq!(
            w["hashes"]["sha256"].as_str().map(str::len),
            Some(64),
            "{w}"
        );
    }
    let words = header_command(&text, "uv pip install");
    assert!(!words.is_empty(), "{text}");
    let run_in = sb.dir.join("uv-run");
    std::fs::create_dir_all(&run_in).unwrap();
    let out = Command::new(support::uv::uv_executable())
        .args(words[1..].iter().map(|w| {
            if w == "THIS_FILE" {
                path.display().to_string()
            } else {
                w.clone()
            }
        }))
        .env("UV_CACHE_DIR", sb.dir.join("uv-cache"))
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("UV_NO_CONFIG", "1")
        .current_dir(&run_in)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "uv failed:\n{}\n{}",
        stderr(&out),
        stdout(&out)
    );
    let site = "python/lib/python3.12/site-packages/";
    let installed: BTreeMap<String, Vec<u8>> = tree_files(&run_in.join(site))
        .into_iter()
        .filter(|(p, _)| !installer_record(p))
        .collect();
    let layer: BTreeMap<String, Vec<u8>> = zip_files(&sb.dir.join("out/layer.zip"), site)
        .into_iter()
        .filter(|(p, _)| !installer_record(p))
        .collect();
    assert_eq!(
        installed.keys().collect::<Vec<_>>(),
        layer.keys().collect::<Vec<_>>()
    );
    assert_eq!(installed, layer, "the same names, and the same bytes");
}
