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
    std::fs::copy(
        locks::fixtures().join("uv/uv.lock"),
        dir.join("uv/uv.lock"),
    )
    .unwrap();
    let mylib = locks::mylib_wheel();
    std::fs::write(dir.join("dist").join(&mylib.filename), &mylib.bytes).unwrap();
    Sandbox {
        index: locks::index(),
        dir,
    }
}

/// Builds the uv lock's layer for python3.12 on x86_64 (fastnum is a cp312 manylinux_2_28
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

/// What an installer adds or rewrites in a `.dist-info` folder (PEP 376, PEP 610): not part of
/// the wheel's files.
fn installer_record(path: &str) -> bool {
    path.contains(".dist-info/")
        && ["INSTALLER", "REQUESTED", "RECORD", "direct_url.json"]
            .iter()
            .any(|f| path.ends_with(f))
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
    assert!(out.status.success(), "pip failed:\n{}\n{}", stderr(&out), stdout(&out));
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
        layer.keys().any(|p| p.starts_with("fastnum-2.0.dist-info/")),
        "{:?}",
        layer.keys()
    );
    assert_eq!(
        installed.keys().collect::<Vec<_>>(),
        layer.keys().collect::<Vec<_>>()
    );
    assert_eq!(installed, layer, "the same names, and the same bytes");
    let wheel = String::from_utf8(installed["fastnum-2.0.dist-info/WHEEL"].clone()).unwrap();
    assert!(wheel.contains("cp312-cp312-manylinux_2_28_x86_64"), "{wheel}");
}
