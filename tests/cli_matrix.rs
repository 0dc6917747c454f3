//! `wheelbarrow matrix` on the loopback index (see `support::matrix` for the fixture): the
//! versions equal separate `resolve` runs per target, a target where the set does not resolve
//! shows ✗ and its explanation with exit status 1, bad input is exit status 2, and the shapes of
//! `--json` and `--markdown`.

mod support;

use std::collections::BTreeMap;

use serde_json::Value;
use support::cli::{Sandbox, stderr, stdout};

fn sandbox(tag: &str) -> Sandbox {
    let sandbox = Sandbox::new(tag);
    support::matrix::add_fixture(&sandbox.index);
    sandbox
}

fn matrix(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    sandbox.command(["matrix"]).args(args).output().unwrap()
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(out), stderr(out)))
}

/// name → version of `resolve --json` on one target.
fn resolve(
    sandbox: &Sandbox,
    runtime: &str,
    arch: &str,
    reqs: &[&str],
) -> BTreeMap<String, String> {
    let out = sandbox
        .command(["resolve", "--json", "--runtime", runtime, "--arch", arch])
        .args(reqs)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    json_of(&out)["packages"]
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
fn the_matrix_versions_equal_a_resolve_run_on_each_target() {
    let sb = sandbox("matrix-agree");
    let reqs = ["app", "fastlib"];
    let out = matrix(
        &sb,
        &[
            "--json",
            "--runtime",
            "python3.11,python3.12",
            "app",
            "fastlib",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json_of(&out);
    let targets = doc["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 4);
    for (i, t) in targets.iter().enumerate() {
        let (runtime, arch) = (t["runtime"].as_str().unwrap(), t["arch"].as_str().unwrap());
        let mut from_matrix = BTreeMap::new();
        for p in doc["packages"].as_array().unwrap() {
            if let Some(v) = p["versions"][i].as_str() {
                from_matrix.insert(p["name"].as_str().unwrap().to_string(), v.to_string());
            }
        }
        assert_eq!(
            from_matrix,
            resolve(&sb, runtime, arch, &reqs),
            "{runtime} on {arch}"
        );
    }
    // The versions really differ by target: fastlib 1.0 on python3.11, 2.0 (with helper) on 3.12.
    let fastlib = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "fastlib")
        .unwrap();
    assert_eq!(
        fastlib["versions"],
        serde_json::json!(["1.0", "1.0", "2.0", "2.0"])
    );
    assert_eq!(
        fastlib["differs"],
        serde_json::json!([true, true, false, false])
    );
}

#[test]
fn a_target_that_cannot_resolve_shows_a_cross_and_its_explanation_with_exit_status_1() {
    let sb = sandbox("matrix-fails");
    let out = matrix(
        &sb,
        &[
            "--runtime",
            "python3.11,python3.12,python3.13",
            "--arch",
            "x86_64",
            "fastlib",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("3 targets: 2 resolve, 1 does not"), "{text}");
    let fastlib = text
        .lines()
        .find(|l| l.starts_with("fastlib"))
        .unwrap_or_else(|| panic!("{text}"));
    let cells: Vec<&str> = fastlib.split_whitespace().collect();
    assert_eq!(cells, ["fastlib", "1.0*", "2.0", "✗"], "{text}");
    let helper = text.lines().find(|l| l.starts_with("helper")).unwrap();
    assert_eq!(
        helper.split_whitespace().collect::<Vec<_>>(),
        ["helper", "-", "1.0", "✗"]
    );
    assert!(
        text.contains("* differs from python3.12 on x86_64 (the newest target that resolves)"),
        "{text}"
    );
    assert!(text.contains("✗ python3.13 on x86_64:"), "{text}");
    assert!(
        text.contains("no set of versions fits python3.13 on x86_64"),
        "{text}"
    );
    let after = text.split("✗ python3.13 on x86_64:").nth(1).unwrap();
    assert!(
        after.contains("fastlib"),
        "the explanation names the project: {text}"
    );
}

#[test]
fn json_gives_each_target_its_answer_or_its_failure_and_the_reference() {
    let sb = sandbox("matrix-json");
    let out = matrix(
        &sb,
        &["--json", "--runtime", "3.12,3.13", "-a", "arm64", "fastlib"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json_of(&out);
    assert_eq!(doc["all_resolve"], false);
    assert_eq!(
        doc["reference"],
        serde_json::json!({"runtime": "python3.12", "arch": "arm64"})
    );
    let targets = doc["targets"].as_array().unwrap();
    assert_eq!(targets[0]["resolves"], true);
    assert!(targets[0]["wheel_bytes"].as_u64().unwrap() > 0);
    assert_eq!(targets[0]["unknown_sizes"], 0);
    assert_eq!(targets[1]["resolves"], false);
    assert_eq!(
        targets[1]["headline"],
        "no set of versions fits python3.13 on arm64"
    );
    assert_eq!(targets[1]["failure"]["error"]["kind"], "no-solution");
    assert!(
        !targets[1]["failure"]["explanation"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    for p in doc["packages"].as_array().unwrap() {
        assert_eq!(p["versions"].as_array().unwrap().len(), 2);
        assert_eq!(p["versions"][1], Value::Null);
    }
}

#[test]
fn markdown_is_one_table_with_every_target_and_the_failures_below() {
    let sb = sandbox("matrix-md");
    let out = matrix(
        &sb,
        &[
            "--markdown",
            "--runtime",
            "python3.11,python3.13",
            "-a",
            "x86_64",
            "fastlib",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "| package | python3.11 x86_64 | python3.13 x86_64 |"
    );
    assert_eq!(lines[1], "|---|---|---|");
    assert_eq!(lines[2], "| fastlib | 1.0 | ✗ |");
    assert!(lines[3].starts_with("| *wheels* | "), "{text}");
    assert!(
        text.contains("✗ **python3.13 on x86_64**: no set of versions fits python3.13 on x86_64"),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("- ")), "{text}");
}

#[test]
fn bad_input_is_said_in_words_with_exit_status_2() {
    let sb = sandbox("matrix-bad");
    let cases: [(&[&str], &str); 4] = [
        (
            &["--runtime", "python2.7", "fastlib"],
            "unknown runtime 'python2.7'",
        ),
        (
            &["--arch", "sparc", "fastlib"],
            "unknown architecture 'sparc'",
        ),
        (
            &["--runtime", ",", "fastlib"],
            "--runtime \",\" names nothing",
        ),
        (&["--runtime", "3.12", "no-such-project"], "no-such-project"),
    ];
    for (args, words) in cases {
        let out = matrix(&sb, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(words), "{args:?}: {}", stderr(&out));
    }
    let none = matrix(&sb, &[]);
    assert_eq!(none.status.code(), Some(2));
    assert!(
        stderr(&none).contains("no requirements given: name packages, or pass -r requirements.txt"),
        "{}",
        stderr(&none)
    );
}
