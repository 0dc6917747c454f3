//! The live resolution suite: wheelbarrow against pip's own resolver on real requirement sets,
//! on the real default index. Ignored by a plain `cargo test`; `.ci/run` runs it with
//! `cargo test --test live_resolve -- --ignored`.
//!
//! pip is asked exactly as the README of this comparison says: `pip install --dry-run --report
//! --ignore-installed --only-binary=:all: --python-version 3.X --implementation cp --abi cp3X`
//! with a `--platform` for every manylinux level up to the runtime's glibc and the legacy
//! aliases. pip evaluates environment markers for the Python running it (3.11 here) whatever
//! `--python-version` says, and (pip 23.2 here) checks a wheel's METADATA `Requires-Python`
//! against that interpreter too: asked for pandas on python3.12, it refuses numpy 2.5.5 because
//! "numpy 2.5.5 depends on Python >=3.12", which python3.12 satisfies. So the sets for other
//! runtimes are chosen so that neither markers nor Requires-Python decide between versions.

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use wheelbarrow::index::{IndexClient, IndexSettings};
use wheelbarrow::resolve::{ResolveOptions, parse_requirement, resolve};
use wheelbarrow::{RuntimeTable, normalize_name};

fn pip_resolution(reqs: &[&str], runtime: &str, arch: &str) -> BTreeMap<String, String> {
    pip_attempt(reqs, runtime, arch)
        .unwrap_or_else(|stderr| panic!("pip failed for {reqs:?}: {stderr}"))
}

/// pip's answer, or its stderr when it finds no solution.
fn pip_attempt(
    reqs: &[&str],
    runtime: &str,
    arch: &str,
) -> Result<BTreeMap<String, String>, String> {
    let table = RuntimeTable::builtin();
    let target = table.target(Some(runtime), Some(arch)).unwrap();
    let minor = target.runtime.python_minor;
    let wheel_arch = target.arch.wheel_name();
    let dir = std::env::temp_dir().join(format!("wb-pip-{}-{runtime}-{arch}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let report = dir.join("report.json");
    let mut cmd = Command::new("python3");
    cmd.args([
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--quiet",
        "--ignore-installed",
    ])
    .args(["--disable-pip-version-check", "--only-binary=:all:"])
    .arg("--target")
    .arg(dir.join("unused"))
    .args([
        "--python-version",
        &format!("3.{minor}"),
        "--implementation",
        "cp",
    ])
    .args(["--abi", &format!("cp3{minor}")])
    .arg("--report")
    .arg(&report);
    let oldest = target.arch.oldest_manylinux_minor();
    for y in (oldest..=target.runtime.glibc.minor).rev() {
        cmd.args(["--platform", &format!("manylinux_2_{y}_{wheel_arch}")]);
    }
    for (legacy, y) in wheelbarrow::wheel::legacy_manylinux() {
        if (oldest..=target.runtime.glibc.minor).contains(y) {
            cmd.args(["--platform", &format!("{legacy}_{wheel_arch}")]);
        }
    }
    cmd.args(reqs);
    let out = cmd
        .output()
        .expect("python3 -m pip runs (Python 3 with pip is required)");
    if !out.status.success() {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    Ok(report["install"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                normalize_name(i["metadata"]["name"].as_str().unwrap()),
                i["metadata"]["version"].as_str().unwrap().to_string(),
            )
        })
        .collect())
}

fn our_resolution(
    reqs: &[&str],
    runtime: &str,
    arch: &str,
    cache: &std::path::Path,
) -> BTreeMap<String, String> {
    let mut env: std::collections::HashMap<String, String> = std::env::vars().collect();
    env.remove("PIP_INDEX_URL");
    env.insert("PIP_CONFIG_FILE".into(), "/dev/null".into());
    env.insert("WHEELBARROW_CACHE_DIR".into(), cache.display().to_string());
    let client = IndexClient::new(IndexSettings::from_sources(None, &env, None).unwrap()).unwrap();
    let target = RuntimeTable::builtin()
        .target(Some(runtime), Some(arch))
        .unwrap();
    let requested = reqs
        .iter()
        .map(|r| parse_requirement(r, "test").unwrap())
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let resolution = rt
        .block_on(resolve(
            &client,
            &Arc::new(RuntimeTable::builtin()),
            requested,
            &target,
            &ResolveOptions::default(),
            &wheelbarrow::work::Progress::none(),
            &CancellationToken::new(),
        ))
        .unwrap_or_else(|e| panic!("{reqs:?} on {runtime}/{arch}: {e}"));
    resolution
        .packages
        .iter()
        .map(|p| (normalize_name(&p.name), p.version.clone()))
        .collect()
}

#[test]
#[ignore = "live: talks to the public index and runs pip"]
fn resolutions_match_pips_across_runtimes_and_architectures() {
    let cases: &[(&[&str], &str, &str)] = &[
        // The newest numpy/pandas do not load on python3.11 (glibc 2.26, or no cp311 wheels).
        (&["numpy"], "python3.11", "x86_64"),
        (&["pandas"], "python3.11", "x86_64"),
        (&["pandas"], "python3.11", "arm64"),
        // Extras and markers.
        (&["requests[socks]", "urllib3<2"], "python3.11", "x86_64"),
        (&["aiohttp"], "python3.11", "x86_64"),
        (&["boto3"], "python3.11", "arm64"),
        // A dozen top-level packages.
        (
            &[
                "fastapi",
                "pydantic",
                "sqlalchemy",
                "psycopg[binary]",
                "cryptography",
                "orjson",
            ],
            "python3.11",
            "x86_64",
        ),
        (
            &["pydantic", "orjson", "cryptography"],
            "python3.12",
            "arm64",
        ),
        (&["scipy"], "python3.11", "x86_64"),
    ];
    let cache = std::env::temp_dir().join(format!("wb-live-resolve-{}", std::process::id()));
    let mut disagreements = Vec::new();
    for (reqs, runtime, arch) in cases {
        let ours = our_resolution(reqs, runtime, arch, &cache);
        let pips = pip_resolution(reqs, runtime, arch);
        if ours != pips {
            disagreements.push(format!(
                "{reqs:?} on {runtime}/{arch}:\n  ours {ours:?}\n  pip  {pips:?}"
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&cache);
    assert!(disagreements.is_empty(), "\n{}", disagreements.join("\n"));
}

#[test]
#[ignore = "live: talks to the public index and runs pip"]
fn real_conflicts_are_unsatisfiable_for_pip_too_and_the_headline_names_the_same_projects() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["requests==2.31.0", "urllib3<1"],
            &["requests 2.31.0 needs urllib3", "urllib3<1"],
        ),
        (&["idna==3.10", "idna==3.7"], &["idna==3.10 and idna==3.7"]),
        (
            &["pydantic==2.9.0", "pydantic-core==2.0.0"],
            &[
                "pydantic 2.9.0 needs pydantic-core==2.23.2",
                "pydantic-core==2.0.0",
            ],
        ),
    ];
    let cache = std::env::temp_dir().join(format!("wb-live-conflicts-{}", std::process::id()));
    let table = Arc::new(RuntimeTable::builtin());
    let target = table.target(Some("python3.12"), Some("x86_64")).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for (reqs, needles) in cases {
        let stderr =
            pip_attempt(reqs, "python3.12", "x86_64").expect_err("pip finds it unsatisfiable");
        assert!(
            [
                "ResolutionImpossible",
                "conflict",
                "No matching distribution"
            ]
            .iter()
            .any(|w| stderr.contains(w)),
            "{stderr}"
        );
        let mut env: std::collections::HashMap<String, String> = std::env::vars().collect();
        env.remove("PIP_INDEX_URL");
        env.insert("PIP_CONFIG_FILE".into(), "/dev/null".into());
        env.insert("WHEELBARROW_CACHE_DIR".into(), cache.display().to_string());
        let client =
            IndexClient::new(IndexSettings::from_sources(None, &env, None).unwrap()).unwrap();
        let requested = reqs
            .iter()
            .map(|r| parse_requirement(r, "test").unwrap())
            .collect();
        let err = rt
            .block_on(resolve(
                &client,
                &table,
                requested,
                &target,
                &ResolveOptions::default(),
                &wheelbarrow::work::Progress::none(),
                &CancellationToken::new(),
            ))
            .expect_err("unsatisfiable for wheelbarrow too");
        let text = err.to_string();
        assert!(text.lines().count() <= 15, "{text}");
        for needle in *needles {
            assert!(
                text.contains(needle),
                "{reqs:?}: missing {needle:?} in\n{text}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&cache);
}
