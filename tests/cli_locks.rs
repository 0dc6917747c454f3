//! Lock files as input: `uv.lock`, `poetry.lock` and `pylock.toml` made by the real tools
//! (`scripts/make_lock_fixtures.sh`) against the index of `support::locks`, resolved by the
//! CLI against the same wheels on a loopback index.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use support::cli::stderr;
use support::locks::{self, mylib, resolve, sandbox, versions};

/// The `name==version` lines of a `uv export` whose markers hold on `runtime` x86_64 (the
/// `-e` lines of local projects are not packages of an index).
fn exported(file: &Path, runtime: &str) -> BTreeMap<String, String> {
    let table = wheelbarrow::RuntimeTable::builtin();
    let target = table.target(Some(runtime), Some("x86_64")).unwrap();
    let env = wheelbarrow::resolve::target_environment(&target);
    let text = std::fs::read_to_string(file).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\\').trim_end();
        if line.is_empty() || line.starts_with([' ', '#', '-', '.']) {
            continue;
        }
        let r = wheelbarrow::resolve::parse_requirement(line, "export").unwrap();
        if !r.requirement.marker.evaluate(&env, &[]) {
            continue;
        }
        let (name, version) = line
            .split_once(" ;")
            .map_or(line, |(l, _)| l)
            .split_once("==")
            .unwrap();
        out.insert(name.trim().to_string(), version.trim().to_string());
    }
    out
}

#[test]
fn a_uv_lock_resolves_to_the_versions_uv_export_gives_for_each_selection() {
    let sb = sandbox("uv-export");
    let lib = mylib();
    for (args, export) in [
        (vec![], "export-default.txt"),
        (
            vec!["--group", "docs", "--extra", "speed"],
            "export-docs-speed.txt",
        ),
        (
            vec!["--group", "dev", "--group", "docs", "--all-extras"],
            "export-dev-docs-all-extras.txt",
        ),
    ] {
        let mut all = vec!["-r", "uv/uv.lock", "--no-project", lib.as_str()];
        all.extend(&args);
        let out = resolve(&sb, "python3.12", &all);
        let mut want = exported(&sb.dir.join("uv").join(export), "python3.12");
        want.insert("mylib".into(), "0.2.0".into());
        assert_eq!(versions(&out), want, "{args:?}");
        // The file is the locked version's best wheel for the target.
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let fastnum = doc["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "fastnum")
            .unwrap();
        assert_eq!(
            fastnum["filename"],
            "fastnum-2.0-cp312-cp312-manylinux_2_28_x86_64.whl"
        );
    }
}

#[test]
fn a_uv_lock_leaves_dev_groups_out_unless_asked_and_says_so() {
    let sb = sandbox("uv-dev");
    let lib = mylib();
    let out = resolve(
        &sb,
        "python3.12",
        &["-r", "uv/uv.lock", "--no-project", &lib],
    );
    let got = versions(&out);
    assert!(
        !got.contains_key("devtool") && !got.contains_key("docgen"),
        "{got:?}"
    );
    assert!(
        stderr(&out).contains("groups dev, docs, legacy left out"),
        "{}",
        stderr(&out)
    );
    let out = resolve(
        &sb,
        "python3.12",
        &["-r", "uv/uv.lock", "--no-project", &lib, "--group", "dev"],
    );
    assert_eq!(
        versions(&out).get("devtool").map(String::as_str),
        Some("1.0")
    );
    let out = resolve(
        &sb,
        "python3.12",
        &["-r", "uv/uv.lock", "--group", "nosuch"],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no group named 'nosuch'")
            && stderr(&out).contains("dev, docs, legacy"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_project_and_its_path_dependency_are_named_not_dropped() {
    let sb = sandbox("uv-local");
    let out = resolve(&sb, "python3.12", &["-r", "uv/uv.lock"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("the lock's `myapp` is your own project at ./")
            && err.contains("--no-project"),
        "{err}"
    );
    assert!(
        err.contains("the lock's `mylib` is a project of yours at mylib"),
        "{err}"
    );
    // With --no-project, mylib is still named; its wheel given beside the lock takes its place.
    let out = resolve(&sb, "python3.12", &["-r", "uv/uv.lock", "--no-project"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("`mylib`") && !stderr(&out).contains("`myapp`"),
        "{}",
        stderr(&out)
    );
    let out = resolve(
        &sb,
        "python3.12",
        &["-r", "uv/uv.lock", "--no-project", &mylib()],
    );
    assert!(
        stderr(&out).contains("your project `myapp` is left out (--no-project)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        versions(&out).get("mylib").map(String::as_str),
        Some("0.2.0")
    );
}

#[test]
fn a_wrong_hash_in_a_lock_is_refused_naming_the_file() {
    let sb = sandbox("uv-hash");
    let good = locks::wheels()
        .into_iter()
        .find(|w| w.name == "alpha" && w.version == "1.1")
        .unwrap();
    for (file, args) in [
        ("uv/uv.lock", vec!["--no-project"]),
        ("uv/pylock.toml", vec!["--no-project"]),
        ("poetry/poetry.lock", vec![]),
    ] {
        let path = sb.dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(&good.sha256), "{file} holds alpha 1.1's hash");
        std::fs::write(&path, text.replace(&good.sha256, &"0".repeat(64))).unwrap();
        let lib = mylib();
        let mut all = vec!["-r", file, lib.as_str()];
        all.extend(&args);
        let out = resolve(&sb, "python3.12", &all);
        assert!(!out.status.success(), "{file}");
        let err = stderr(&out);
        assert!(
            err.contains("alpha==1.1")
                && err.contains(&good.filename)
                && err.contains(&good.sha256),
            "{file}: {err}"
        );
        std::fs::write(&path, text).unwrap();
    }
}

#[test]
fn a_locked_version_with_no_wheel_for_the_target_is_refused_with_the_nearest_that_loads() {
    let sb = sandbox("uv-refused");
    let lib = mylib();
    for (file, args) in [
        ("uv/uv.lock", vec!["--no-project"]),
        ("uv/pylock.toml", vec!["--no-project"]),
        ("poetry/poetry.lock", vec![]),
    ] {
        let mut all = vec!["-r", file, lib.as_str()];
        all.extend(&args);
        let out = resolve(&sb, "python3.11", &all);
        assert!(!out.status.success(), "{file}");
        let err = stderr(&out);
        assert!(
            err.contains("fastnum 2.0 is locked, and no wheel of it loads on python3.11"),
            "{file}: {err}"
        );
        assert!(
            err.contains("fastnum-2.0-cp311-cp311-manylinux_2_28_x86_64.whl")
                && err.contains("2.28"),
            "{file}: {err}"
        );
        assert!(
            err.contains("fastnum 1.0 is the nearest version that loads there"),
            "{file}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_locked_package_with_only_a_source_distribution_is_refused_with_why_and_what_to_do() {
    let sb = sandbox("uv-sdist");
    let lib = mylib();
    let out = resolve(
        &sb,
        "python3.12",
        &[
            "-r",
            "uv/uv.lock",
            "--no-project",
            &lib,
            "--group",
            "legacy",
        ],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("oldsdist 1.0 is locked, and no wheel of it loads on python3.12")
            && err.contains("the lock has only its source distribution")
            && err.contains("Lambda cannot build one")
            && err.contains("No version of oldsdist has a wheel that loads there"),
        "{err}"
    );
}

#[test]
fn a_poetry_lock_resolves_to_its_main_group_and_the_groups_asked_for() {
    let sb = sandbox("poetry");
    let lib = mylib();
    let out = resolve(&sb, "python3.12", &["-r", "poetry/poetry.lock", &lib]);
    let lock_versions = poetry_versions(&sb.dir.join("poetry/poetry.lock"));
    let want: BTreeMap<String, String> = ["alpha", "beta", "fastnum", "mylib"]
        .iter()
        .map(|n| (n.to_string(), lock_versions[*n].clone()))
        .collect();
    assert_eq!(versions(&out), want);
    assert!(
        stderr(&out).contains("groups dev, docs left out"),
        "{}",
        stderr(&out)
    );
    let out = resolve(
        &sb,
        "python3.12",
        &[
            "-r",
            "poetry/poetry.lock",
            &lib,
            "--group",
            "dev",
            "--extra",
            "speed",
        ],
    );
    let got = versions(&out);
    assert_eq!(got.get("devtool"), lock_versions.get("devtool"));
    assert_eq!(got.get("gamma"), lock_versions.get("gamma"));
    assert!(
        !got.contains_key("docgen") && !got.contains_key("winonly"),
        "{got:?}"
    );
    // Without its wheel, the path dependency is named.
    let out = resolve(&sb, "python3.12", &["-r", "poetry/poetry.lock"]);
    assert!(
        stderr(&out).contains("the lock's `mylib` is a project of yours at mylib"),
        "{}",
        stderr(&out)
    );
}

/// name -> version of every package of a poetry.lock.
fn poetry_versions(path: &Path) -> BTreeMap<String, String> {
    let doc: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["package"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["version"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_pylock_exported_by_uv_resolves_to_its_packages_whose_markers_hold() {
    let sb = sandbox("pylock");
    let lib = mylib();
    let out = resolve(
        &sb,
        "python3.12",
        &["-r", "uv/pylock.toml", "--no-project", &lib],
    );
    let mut want = exported(&sb.dir.join("uv/export-default.txt"), "python3.12");
    want.insert("mylib".into(), "0.2.0".into());
    assert_eq!(versions(&out), want);
    let out = resolve(&sb, "python3.12", &["-r", "uv/pylock.toml", &lib]);
    assert!(
        stderr(&out).contains("the lock's `myapp` is your own project at ./"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn lock_options_without_a_lock_are_refused_not_ignored() {
    let sb = sandbox("options");
    let out = resolve(&sb, "python3.12", &["alpha", "--group", "dev"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no lock file"), "{}", stderr(&out));
}

/// Serves the fixture index for `scripts/make_lock_fixtures.sh`: writes its URL to
/// `$WB_LOCK_INDEX_URL_FILE` and serves until `$WB_LOCK_INDEX_STOP_FILE` exists.
#[test]
#[ignore = "run by scripts/make_lock_fixtures.sh, which stops it"]
fn serve_the_lock_fixture_index() {
    let (Ok(url_file), Ok(stop)) = (
        std::env::var("WB_LOCK_INDEX_URL_FILE"),
        std::env::var("WB_LOCK_INDEX_STOP_FILE"),
    ) else {
        panic!(
            "set WB_LOCK_INDEX_URL_FILE and WB_LOCK_INDEX_STOP_FILE (see scripts/make_lock_fixtures.sh)"
        );
    };
    let index = locks::index();
    std::fs::write(&url_file, index.simple()).unwrap();
    while !Path::new(&stop).exists() {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn a_requirement_beside_a_lock_must_be_pinned_and_hashed_as_pip_would_have_it() {
    let sb = sandbox("beside");
    let lib = mylib();
    let out = resolve(
        &sb,
        "python3.12",
        &["-r", "uv/uv.lock", "--no-project", &lib, "gamma"],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("gamma is not pinned with ==")
            && err.contains("turned on by the lock file uv/uv.lock"),
        "{err}"
    );
}
