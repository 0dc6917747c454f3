//! `build --compile`: bytecode compiled by an interpreter of exactly the target's version (this
//! machine's Python 3.11; other versions are refused), hash-based, naming `/opt/python/...`,
//! used on import from a read-only copy, byte-identical from build to build, cached.
//!
//! Every test gives the binary a `PATH` holding only a link to this machine's `python3.11`,
//! and empty pyenv and uv folders, so what it finds does not depend on the machine.

#![allow(clippy::case_sensitive_file_extension_comparisons)] // .pyc names are lowercase

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::cli::{Sandbox, files_under, stderr, stdout};
use support::wheel::WheelBuilder;

const SITE: &str = "python/lib/python3.11/site-packages";

/// This machine's Python 3.11 (the tests need it, as the issue says).
fn host_python() -> PathBuf {
    let out = Command::new("python3.11")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .expect("these tests need python3.11 on PATH");
    assert!(out.status.success());
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// A sandbox with `pkg 1.0`: modules, a sub-package, a data file and a Python 2 file.
fn sandbox(tag: &str) -> Sandbox {
    let sb = Sandbox::new(tag);
    sb.index.add_wheel(
        &WheelBuilder::new("pkg", "1.0")
            .file("pkg/__init__.py", b"from pkg.mod import VALUE\n")
            .file(
                "pkg/mod.py",
                b"VALUE = {'a', 'b', 'c'}\n\ndef fail():\n    raise ValueError('x')\n",
            )
            .file("pkg/sub/__init__.py", b"")
            .file("pkg/sub/deep.py", b"import pkg\nDEEP = len(pkg.VALUE)\n")
            .file("pkg/data.txt", b"not python\n")
            .file("pkg/legacy/py2.py", b"print \"old\"\n")
            .build(),
    );
    std::fs::create_dir_all(sb.dir.join("bin")).unwrap();
    std::fs::create_dir_all(sb.dir.join("empty")).unwrap();
    std::os::unix::fs::symlink(host_python(), sb.dir.join("bin/python3.11")).unwrap();
    sb
}

/// `wheelbarrow ARGS` seeing only the sandbox's `bin/` on PATH and no pyenv or uv Pythons.
fn run(sb: &Sandbox, args: &[&str]) -> Output {
    let mut cmd = sb.command(args);
    cmd.env("PATH", sb.dir.join("bin"))
        .env("PYENV_ROOT", sb.dir.join("empty"))
        .env("UV_PYTHON_INSTALL_DIR", sb.dir.join("empty"))
        .env("HOME", sb.dir.join("empty"));
    cmd.output().unwrap()
}

fn build_311(sb: &Sandbox, out: &str, extra: &[&str]) -> Output {
    let mut args = vec!["build", "pkg", "--runtime", "python3.11", "-o", out];
    args.extend_from_slice(extra);
    run(sb, &args)
}

fn zip_members(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn unzip(zip: &Path, into: &Path) {
    for (name, bytes) in zip_members(zip) {
        let path = into.join(&name);
        if name.ends_with('/') {
            std::fs::create_dir_all(&path).unwrap();
        } else {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap();
        }
    }
}

#[test]
fn a_compiled_layer_has_hash_based_bytecode_for_every_source_that_compiles() {
    let sb = sandbox("bc-every");
    let out = build_311(&sb, "out/layer.zip", &["--compile"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let members = zip_members(&sb.out().join("layer.zip"));
    let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
    for module in [
        "pkg/__init__",
        "pkg/mod",
        "pkg/sub/__init__",
        "pkg/sub/deep",
    ] {
        let (dir, stem) = module.rsplit_once('/').unwrap();
        let pyc = format!("{SITE}/{dir}/__pycache__/{stem}.cpython-311.pyc");
        let (_, bytes) = members
            .iter()
            .find(|(n, _)| *n == pyc)
            .unwrap_or_else(|| panic!("no {pyc} in {names:?}"));
        // PEP 552: flags word bit 0 = hash-based, bit 1 = check_source (off: unchecked).
        let flags = u32::from_le_bytes(bytes[4..8].try_into().unwrap());
        assert_eq!(flags, 0b01, "{pyc}");
    }
    assert!(
        !names.iter().any(|n| n.contains("py2.cpython")),
        "a Python 2 file has no bytecode: {names:?}"
    );
    assert!(names.contains(&"python/lib/python3.11/site-packages/pkg/legacy/py2.py"));
    assert!(!names.iter().any(|n| n.contains("data.cpython")));
    let text = stdout(&out);
    assert!(
        text.contains("Bytecode (unchecked-hash): 4 modules compiled for python3.11 by"),
        "{text}"
    );
    assert!(
        text.contains("1 files do not compile and have no bytecode"),
        "{text}"
    );
    assert!(
        text.contains("python/lib/python3.11/site-packages/pkg/legacy/py2.py: SyntaxError"),
        "{text}"
    );
}

#[test]
fn code_objects_name_the_path_lambda_sees_and_checked_hash_is_a_choice() {
    let sb = sandbox("bc-paths");
    let out = build_311(
        &sb,
        "out/layer.zip",
        &["--compile", "--invalidation-mode", "checked-hash"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let members = zip_members(&sb.out().join("layer.zip"));
    let pyc = format!("{SITE}/pkg/__pycache__/mod.cpython-311.pyc");
    let (_, bytes) = members.iter().find(|(n, _)| *n == pyc).unwrap();
    assert_eq!(u32::from_le_bytes(bytes[4..8].try_into().unwrap()), 0b11);
    let dumped = sb.dir.join("mod.pyc");
    std::fs::write(&dumped, bytes).unwrap();
    let read = Command::new(host_python())
        .args([
            "-c",
            "import marshal, sys; co = marshal.loads(open(sys.argv[1], 'rb').read()[16:]); \
             print(co.co_filename); print([c.co_filename for c in co.co_consts if hasattr(c, 'co_filename')])",
        ])
        .arg(&dumped)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&read.stdout);
    let want = format!("/opt/{SITE}/pkg/mod.py");
    assert_eq!(said.lines().next(), Some(want.as_str()), "{said}");
    assert!(said.lines().nth(1).unwrap().contains(&want), "{said}");
}

#[test]
fn importing_from_a_read_only_copy_uses_the_bytecode_and_writes_nothing() {
    let sb = sandbox("bc-import");
    let out = build_311(&sb, "out/layer.zip", &["--compile"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let opt = sb.dir.join("opt");
    unzip(&sb.out().join("layer.zip"), &opt);
    let before = files_under(&opt);
    let mut chmod = Command::new("chmod");
    chmod.args(["-R", "a-w"]).arg(&opt);
    assert!(chmod.status().unwrap().success());
    let imported = Command::new(host_python())
        .args(["-v", "-c", "import pkg.sub.deep; print(pkg.sub.deep.DEEP)"])
        .env("PYTHONPATH", opt.join(SITE))
        .env_remove("PYTHONDONTWRITEBYTECODE")
        .output()
        .unwrap();
    let _ = Command::new("chmod").args(["-R", "u+w"]).arg(&opt).status();
    let said = String::from_utf8_lossy(&imported.stderr);
    assert_eq!(
        String::from_utf8_lossy(&imported.stdout).trim(),
        "3",
        "{said}"
    );
    for module in [
        "pkg/__init__",
        "pkg/mod",
        "pkg/sub/__init__",
        "pkg/sub/deep",
    ] {
        let (dir, stem) = module.rsplit_once('/').unwrap();
        let used = format!(
            "code object from '{}'",
            opt.join(SITE)
                .join(dir)
                .join(format!("__pycache__/{stem}.cpython-311.pyc"))
                .display()
        );
        assert!(
            said.contains(&used),
            "{module} not from its bytecode:\n{said}"
        );
    }
    assert!(!said.contains("# wrote "), "{said}");
    assert_eq!(files_under(&opt), before, "the import wrote files");
}

#[test]
fn two_builds_are_byte_identical_compiled_afresh_or_from_the_cache() {
    let sb = sandbox("bc-same");
    let first = build_311(&sb, "out/a.zip", &["--compile"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("(0 of 1 compilations from the cache)"),
        "{}",
        stdout(&first)
    );
    let warm = build_311(&sb, "out/b.zip", &["--compile"]);
    assert!(
        stdout(&warm).contains("(1 of 1 compilations from the cache)"),
        "{}",
        stdout(&warm)
    );
    std::fs::remove_dir_all(sb.dir.join("cache")).unwrap();
    let again = build_311(&sb, "out/c.zip", &["--compile"]);
    assert!(stdout(&again).contains("(0 of 1 compilations from the cache)"));
    let a = std::fs::read(sb.out().join("a.zip")).unwrap();
    assert_eq!(a, std::fs::read(sb.out().join("b.zip")).unwrap());
    assert_eq!(a, std::fs::read(sb.out().join("c.zip")).unwrap());
}

#[test]
fn a_runtime_whose_python_is_not_here_is_refused_in_words_and_no_zip_is_left() {
    let sb = sandbox("bc-312");
    let out = run(
        &sb,
        &[
            "build",
            "pkg",
            "--runtime",
            "python3.12",
            "--compile",
            "-o",
            "out/layer.zip",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no Python 3.12 interpreter was found to compile bytecode for python3.12"),
        "{err}"
    );
    assert!(err.contains("another version cannot stand in"), "{err}");
    assert!(
        err.contains("`uv python install 3.12` or `pyenv install 3.12`"),
        "{err}"
    );
    assert!(err.contains("or pass --python PATH naming one"), "{err}");
    assert!(files_under(&sb.out()).is_empty());
}

#[test]
fn a_python3_12_that_runs_3_11_is_judged_by_its_version_not_its_name() {
    let sb = sandbox("bc-name");
    std::os::unix::fs::symlink(host_python(), sb.dir.join("bin/python3.12")).unwrap();
    let out = run(
        &sb,
        &[
            "build",
            "pkg",
            "--runtime",
            "python3.12",
            "--compile",
            "-o",
            "out/layer.zip",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("bin/python3.12 (it is Python 3.11."), "{err}");
    assert!(files_under(&sb.out()).is_empty());
}

#[test]
fn a_given_interpreter_of_another_version_is_refused_not_ignored() {
    let sb = sandbox("bc-given");
    let python = host_python();
    let out = run(
        &sb,
        &[
            "build",
            "pkg",
            "--runtime",
            "python3.12",
            "--compile",
            "--python",
            python.to_str().unwrap(),
            "-o",
            "out/layer.zip",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot compile bytecode for python3.12: it is Python 3.11."),
        "{err}"
    );
    let out = build_311(
        &sb,
        "out/layer.zip",
        &["--python", python.to_str().unwrap()],
    );
    assert!(
        stderr(&out).contains("add --compile to compile it"),
        "{}",
        stderr(&out)
    );
    assert!(files_under(&sb.out()).is_empty());
}

#[test]
fn the_budget_of_a_compiled_layer_counts_the_bytecode_it_adds() {
    let sb = sandbox("bc-budget");
    let plain = build_311(&sb, "out/plain.zip", &["--json"]);
    let compiled = build_311(&sb, "out/compiled.zip", &["--compile", "--json"]);
    assert_eq!(compiled.status.code(), Some(0), "{}", stderr(&compiled));
    let plain: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    let compiled: serde_json::Value = serde_json::from_slice(&compiled.stdout).unwrap();
    let bytecode = &compiled["bytecode"];
    assert_eq!(bytecode["modules"], 4);
    assert_eq!(bytecode["estimated"], false);
    assert_eq!(
        bytecode["skipped"][0]["path"],
        format!("{SITE}/pkg/legacy/py2.py")
    );
    let pyc_bytes: u64 = zip_members(&sb.out().join("compiled.zip"))
        .iter()
        .filter(|(n, _)| n.ends_with(".pyc"))
        .map(|(_, b)| b.len() as u64)
        .sum();
    assert_eq!(bytecode["unzipped"].as_u64().unwrap(), pyc_bytes);
    assert_eq!(
        compiled["budget"]["unzipped"].as_u64().unwrap(),
        plain["budget"]["unzipped"].as_u64().unwrap() + pyc_bytes
    );
    let zipped_more = compiled["zipped"].as_u64().unwrap() - plain["zipped"].as_u64().unwrap();
    assert_eq!(bytecode["zipped"].as_u64().unwrap(), zipped_more);
    let notes = compiled["budget"]["notes"].to_string();
    assert!(notes.contains("Bytecode for python3.11 adds "), "{notes}");
    assert!(!notes.contains("estimate"), "{notes}");
}

#[test]
fn several_runtimes_get_bytecode_where_their_python_is_found_and_the_others_are_named() {
    let sb = sandbox("bc-several");
    let out = run(
        &sb,
        &[
            "build",
            "pkg",
            "--runtime",
            "python3.11,python3.12",
            "--compile",
            "-o",
            "out/layer.zip",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let names: Vec<String> = zip_members(&sb.out().join("layer.zip"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(names.contains(&format!("{SITE}/pkg/__pycache__/mod.cpython-311.pyc")));
    assert!(names.contains(&"python/lib/python3.12/site-packages/pkg/mod.py".to_string()));
    assert!(
        !names
            .iter()
            .any(|n| n.contains("python3.12/") && n.ends_with(".pyc"))
    );
    let text = stdout(&out);
    assert!(
        text.contains("4 modules compiled for python3.11 by"),
        "{text}"
    );
    assert!(
        text.contains("No bytecode for python3.12: no interpreter of that version was found"),
        "{text}"
    );
}

#[test]
fn a_python_slash_tree_is_compiled_for_each_runtime_it_serves_whose_python_is_found() {
    let sb = sandbox("bc-python-tree");
    let out = build_311(&sb, "out/layer.zip", &["--layout", "python", "--compile"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let names: Vec<String> = zip_members(&sb.out().join("layer.zip"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let pycs: Vec<&String> = names.iter().filter(|n| n.ends_with(".pyc")).collect();
    assert_eq!(pycs.len(), 4, "{pycs:?}");
    assert!(
        pycs.iter().all(|n| n.ends_with(".cpython-311.pyc")),
        "{pycs:?}"
    );
    let text = stdout(&out);
    assert!(
        text.contains(
            "No bytecode for python3.9, python3.10, python3.12, python3.13, python3.14: no interpreter"
        ),
        "{text}"
    );
}

#[test]
fn a_python_file_of_your_own_gets_bytecode_too_compiled_afresh_each_build() {
    let sb = sandbox("bc-added");
    sb.write("mine.py", "MINE = 1\n");
    let add = format!("mine.py={SITE}/mine.py");
    let first = build_311(&sb, "out/a.zip", &["--compile", "--add", &add]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let names: Vec<String> = zip_members(&sb.out().join("a.zip"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(names.contains(&format!("{SITE}/__pycache__/mine.cpython-311.pyc")));
    assert!(
        stdout(&first).contains("(0 of 2 compilations from the cache)"),
        "{}",
        stdout(&first)
    );
    // The wheel's bytecode comes from the cache; the added file, which may change, never does.
    sb.write("mine.py", "MINE = 2\n");
    let second = build_311(&sb, "out/b.zip", &["--compile", "--add", &add]);
    assert!(
        stdout(&second).contains("(1 of 2 compilations from the cache)"),
        "{}",
        stdout(&second)
    );
    assert_ne!(
        std::fs::read(sb.out().join("a.zip")).unwrap(),
        std::fs::read(sb.out().join("b.zip")).unwrap()
    );
}
