//! `wheelbarrow wheels` against a loopback index, as a user runs it.

mod support;

use std::process::{Command, Output};

use support::{IndexOptions, TestIndex, WheelBuilder};

fn run(index: &TestIndex, cache: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .args(args)
        .args(["--index-url", &index.simple()])
        .env("WHEELBARROW_CACHE_DIR", cache)
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env(
            "WHEELBARROW_DATA_DIR",
            std::env::temp_dir().join("wb-test-data"),
        )
        .env_remove("PIP_INDEX_URL")
        .env_remove("PIP_FIND_LINKS")
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn index() -> TestIndex {
    let index = TestIndex::start(IndexOptions::default());
    for (version, tag) in [
        ("2.3.0", "cp311-cp311-manylinux_2_28_x86_64"),
        ("2.3.0", "cp312-cp312-manylinux_2_28_x86_64"),
        ("2.2.0", "cp311-cp311-manylinux_2_17_x86_64"),
        ("2.2.0", "cp311-cp311-musllinux_1_2_x86_64"),
    ] {
        index.add_wheel(
            &WheelBuilder::new("fastnum", version)
                .tag(tag)
                .file("fastnum/core.py", b"X = 1\n")
                .build(),
        );
    }
    index
}

fn cache(tag: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("wb-cli-wheels-{tag}-{}", std::process::id()))
}

#[test]
fn the_best_wheel_is_marked_and_json_lists_every_file_with_its_verdict() {
    let index = index();
    let cache = cache("json");
    let out = run(
        &index,
        &cache,
        &[
            "wheels",
            "fastnum",
            "--runtime",
            "3.12",
            "--json",
            "--contents",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.3.0");
    assert_eq!(
        v["best"],
        "fastnum-2.3.0-cp312-cp312-manylinux_2_28_x86_64.whl"
    );
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[1]["compatible"], false);
    assert_eq!(
        files[1]["reason"],
        "CPython 3.11 extension; this runtime is 3.12"
    );
    let names: Vec<_> = v["contents"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.contains(&"fastnum/core.py".to_string()), "{names:?}");
    std::fs::remove_dir_all(cache).unwrap();
}

#[test]
fn when_nothing_loads_the_newest_release_that_does_is_named() {
    let index = index();
    let cache = cache("none");
    let out = run(
        &index,
        &cache,
        &["wheels", "fastnum", "--runtime", "python3.11"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "manylinux_2_28 needs glibc 2.28; python3.11 runs on Amazon Linux 2 with glibc 2.26"
        ),
        "{text}"
    );
    assert!(
        text.contains("No file of fastnum 2.3.0 loads on python3.11 on x86_64. The newest release with a file that loads there is 2.2.0"),
        "{text}"
    );
    std::fs::remove_dir_all(cache).unwrap();
}

#[test]
fn an_unknown_project_or_version_is_one_line_on_stderr() {
    let index = index();
    let cache = cache("unknown");
    let out = run(&index, &cache, &["wheels", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no project named 'nope'"), "{err}");
    let out = run(&index, &cache, &["wheels", "fastnum", "--version", "9.9"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no release 9.9") && err.contains("2.3.0, 2.2.0"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(cache);
}
