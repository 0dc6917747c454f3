//! One `python/` layer for several targets on the loopback index (`build --layout python
//! --runtime a,b,c --arch x86_64,arm64`): one resolution whose every wheel loads on each target
//! (a portable wheel taken over a compiled build, and said), a dependency only some targets
//! need by their markers included and said, a project with no wheel for all of them named with
//! how far its wheels reach and the site-packages layout offered, and the publish command
//! listing every target asked for. One target keeps pip's preference.

mod support;

use support::WheelBuilder;
use support::cli::{Sandbox, files_under, stderr, stdout};

const THREE: &str = "python3.10,python3.11,python3.12";

/// `wheelbarrow build ARGS...` (without the sandbox's default runtime).
fn build(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    sandbox.command(["build"]).args(args).output().unwrap()
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_str(&stdout(out)).unwrap()
}

fn filename_of<'a>(json: &'a serde_json::Value, name: &str) -> &'a str {
    json["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {}", json["packages"]))["filename"]
        .as_str()
        .unwrap()
}

fn names(json: &serde_json::Value) -> Vec<String> {
    json["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

/// `charset 3.4` with a compiled build for python3.12 on x86_64 beside a `py3-none-any` wheel
/// (as charset-normalizer ships), and `app` needing it.
fn charset_sandbox(tag: &str) -> Sandbox {
    let sandbox = Sandbox::new(tag);
    sandbox.index.add_wheel(
        &WheelBuilder::new("charset", "3.4")
            .tag("cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64")
            .file("charset/__init__.py", b"FAST = True\n")
            .build(),
    );
    sandbox.index.add_wheel(
        &WheelBuilder::new("charset", "3.4")
            .file("charset/__init__.py", b"FAST = False\n")
            .build(),
    );
    sandbox
}

#[test]
fn a_portable_layer_takes_the_py3_wheel_and_serves_three_runtimes_on_both_architectures() {
    let sandbox = charset_sandbox("portable-py3");
    let zip = sandbox.out().join("layer.zip");
    let args = [
        "app",
        "charset",
        "--layout",
        "python",
        "--runtime",
        THREE,
        "--arch",
        "x86_64,arm64",
        "-o",
        zip.to_str().unwrap(),
    ];
    let json = json_of(&build(&sandbox, &[&args[..], &["--json"]].concat()));
    assert_eq!(
        filename_of(&json, "charset"),
        "charset-3.4-py3-none-any.whl"
    );
    let runtimes = json["served"]["runtimes"].as_array().unwrap();
    for runtime in ["python3.10", "python3.11", "python3.12"] {
        assert!(runtimes.iter().any(|r| r == runtime), "{runtimes:?}");
    }
    assert_eq!(
        json["served"]["architectures"],
        serde_json::json!(["x86_64", "arm64"])
    );
    let command = json["publish_command"].as_str().unwrap();
    assert!(
        command.contains("python3.10 python3.11 python3.12"),
        "{command}"
    );
    assert!(
        command.contains("--compatible-architectures x86_64 arm64"),
        "{command}"
    );
    // The choice is data: which file was taken instead of which.
    let instead = &json["portable"]["instead"][0];
    assert_eq!(instead["project"], "charset");
    assert_eq!(instead["taken_tag"], "py3-none-any");
    assert_eq!(
        instead["preferred"],
        "charset-3.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    );
    assert_eq!(json["portable"]["targets"].as_array().unwrap().len(), 6);

    // And in words, with the served set.
    let out = build(&sandbox, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("One python/ tree for python3.10, python3.11, python3.12 on x86_64 and arm64: every wheel in it loads on each of them."),
        "{text}"
    );
    assert!(
        text.contains("charset 3.4: its py3-none-any wheel instead of the cp312-cp312-manylinux_2_17_x86_64 build pip prefers on python3.12 on x86_64"),
        "{text}"
    );
    assert!(
        text.contains("so the layer serves python3.9–python3.14 on x86_64 and arm64"),
        "{text}"
    );
    assert!(!text.contains('⚠'), "{text}");
}

#[test]
fn a_single_target_keeps_pips_preference_for_the_compiled_build() {
    let sandbox = charset_sandbox("portable-single");
    let zip = sandbox.out().join("layer.zip");
    let json = json_of(&build(
        &sandbox,
        &[
            "charset",
            "--layout",
            "python",
            "--runtime",
            "python3.12",
            "--json",
            "-o",
            zip.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        filename_of(&json, "charset"),
        "charset-3.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    );
    assert_eq!(
        json["served"]["runtimes"],
        serde_json::json!(["python3.12"])
    );
    assert_eq!(
        json["served"]["architectures"],
        serde_json::json!(["x86_64"])
    );
    assert!(json.get("portable").is_none(), "{json}");
}

#[test]
fn a_dependency_only_older_runtimes_need_is_included_for_all_and_said() {
    let sandbox = Sandbox::new("portable-marker");
    sandbox.index.add_wheel(
        &WheelBuilder::new("lib", "1.0")
            .requires_dist("backport>=1; python_version < \"3.11\"")
            .file("lib/__init__.py", b"")
            .build(),
    );
    sandbox.index.add_wheel(
        &WheelBuilder::new("backport", "1.2")
            .file("backport/__init__.py", b"")
            .build(),
    );
    let zip = sandbox.out().join("layer.zip");
    let args = [
        "lib",
        "--layout",
        "python",
        "--runtime",
        THREE,
        "-o",
        zip.to_str().unwrap(),
    ];
    let json = json_of(&build(&sandbox, &[&args[..], &["--json"]].concat()));
    assert_eq!(names(&json), ["backport", "lib"]);
    let partial = &json["portable"]["partial"][0];
    assert_eq!(partial["project"], "backport");
    assert_eq!(partial["needed_on_text"], "python3.10 on x86_64");
    // python3.9 needs it too, and has it.
    assert_eq!(
        json["served"]["runtimes"],
        serde_json::json!([
            "python3.9",
            "python3.10",
            "python3.11",
            "python3.12",
            "python3.13",
            "python3.14"
        ])
    );
    let text = stdout(&build(&sandbox, &args));
    assert!(
        text.contains("backport 1.2 is needed on python3.10 on x86_64 only: lib 1.0 asks for backport>=1; python_version < \"3.11\". It is in the layer for every target, unused on the others"),
        "{text}"
    );

    // Resolved for python3.12 alone, the marker leaves it out.
    let json = json_of(&build(
        &sandbox,
        &[
            "lib",
            "--layout",
            "python",
            "--runtime",
            "python3.12",
            "--json",
            "-o",
            zip.to_str().unwrap(),
        ],
    ));
    assert_eq!(names(&json), ["lib"]);
}

#[test]
fn a_release_whose_requires_python_leaves_out_one_runtime_gives_way_to_one_that_serves_all() {
    let sandbox = Sandbox::new("portable-requires-python");
    sandbox.index.add_wheel(
        &WheelBuilder::new("modern", "2.0")
            .requires_python(">=3.11")
            .file("modern/__init__.py", b"")
            .build(),
    );
    sandbox.index.add_wheel(
        &WheelBuilder::new("modern", "1.9")
            .requires_python(">=3.9")
            .file("modern/__init__.py", b"")
            .build(),
    );
    let zip = sandbox.out().join("layer.zip");
    let portable = json_of(&build(
        &sandbox,
        &[
            "modern",
            "--layout",
            "python",
            "--runtime",
            THREE,
            "--json",
            "-o",
            zip.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        filename_of(&portable, "modern"),
        "modern-1.9-py3-none-any.whl"
    );
    let single = json_of(&build(
        &sandbox,
        &[
            "modern",
            "--layout",
            "python",
            "--runtime",
            "python3.12",
            "--json",
            "-o",
            zip.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        filename_of(&single, "modern"),
        "modern-2.0-py3-none-any.whl"
    );
}

/// `fast 1.0` with one compiled build per Python, for each architecture.
fn compiled_only(tag: &str, archs: &[&str]) -> Sandbox {
    let sandbox = Sandbox::new(tag);
    for minor in [10, 11, 12] {
        for arch in archs {
            sandbox.index.add_wheel(
                &WheelBuilder::new("fast", "1.0")
                    .tag(&format!("cp3{minor}-cp3{minor}-manylinux_2_17_{arch}"))
                    .file("fast/__init__.py", b"")
                    .build(),
            );
        }
    }
    sandbox
}

#[test]
fn a_project_with_only_compiled_builds_narrows_the_set_and_the_site_packages_layout_is_offered() {
    let sandbox = compiled_only("portable-narrow", &["x86_64"]);
    let zip = sandbox.out().join("layer.zip");
    let out = build(
        &sandbox,
        &[
            "app",
            "fast",
            "--layout",
            "python",
            "--runtime",
            THREE,
            "-o",
            zip.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "no one set of wheels loads on all of python3.10, python3.11, python3.12 on x86_64:"
        ),
        "{err}"
    );
    assert!(
        err.contains("fast 1.0 narrows the set: none of its wheels loads on all of them; the one that reaches furthest, fast-1.0-cp312-cp312-manylinux_2_17_x86_64.whl, loads on python3.12 on x86_64 only"),
        "{err}"
    );
    assert!(
        err.contains("The site-packages layout gives each runtime its own tree with its own wheels, which serves every one of them. Build it with --layout site-packages and the same --runtime list."),
        "{err}"
    );
    assert!(files_under(&sandbox.out()).is_empty(), "no zip is written");

    // As JSON: its own kind, and the same words.
    let out = build(
        &sandbox,
        &[
            "app",
            "fast",
            "--layout",
            "python",
            "--runtime",
            THREE,
            "--json",
            "-o",
            zip.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["error"]["kind"], "not-portable");
    assert!(
        json["error"]["hints"][0]
            .as_str()
            .unwrap()
            .contains("--layout site-packages"),
        "{json}"
    );

    // The offer holds: one tree per runtime, each with its own build.
    let json = json_of(&build(
        &sandbox,
        &[
            "app",
            "fast",
            "--layout",
            "site-packages",
            "--runtime",
            THREE,
            "--json",
            "-o",
            zip.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        json["served"]["runtimes"],
        serde_json::json!(["python3.10", "python3.11", "python3.12"])
    );
}

#[test]
fn builds_for_one_architecture_each_are_offered_one_zip_per_architecture() {
    let sandbox = compiled_only("portable-narrow-arch", &["x86_64", "aarch64"]);
    let zip = sandbox.out().join("layer.zip");
    let out = build(
        &sandbox,
        &[
            "fast",
            "--layout",
            "python",
            "--runtime",
            "python3.11,python3.12",
            "--arch",
            "x86_64,arm64",
            "-o",
            zip.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("fast 1.0 narrows the set"), "{err}");
    assert!(err.contains("loads on python3.12 on x86_64 only"), "{err}");
    assert!(
        err.contains("so that takes one zip per architecture. Build it with --layout site-packages and the same --runtime list, once with --arch x86_64 and once with --arch arm64."),
        "{err}"
    );
    // Already in the site-packages layout, one runtime on both: one zip per architecture.
    let out = build(
        &sandbox,
        &[
            "fast",
            "--runtime",
            "python3.12",
            "--arch",
            "x86_64,arm64",
            "-o",
            zip.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("one layer per architecture serves every runtime asked for. Build it once with --arch x86_64 and once with --arch arm64."),
        "{err}"
    );
}

#[test]
fn site_packages_trees_for_several_runtimes_serve_both_architectures_with_wheels_for_both() {
    let sandbox = Sandbox::new("portable-site-both");
    for minor in [11, 12] {
        sandbox.index.add_wheel(
            &WheelBuilder::new("fast", "1.0")
                .tag(&format!(
                    "cp3{minor}-cp3{minor}-manylinux_2_17_x86_64.manylinux_2_17_aarch64"
                ))
                .file("fast/__init__.py", b"")
                .build(),
        );
    }
    let zip = sandbox.out().join("layer.zip");
    let json = json_of(&build(
        &sandbox,
        &[
            "fast",
            "--runtime",
            "python3.11,python3.12",
            "--arch",
            "x86_64,arm64",
            "--json",
            "-o",
            zip.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        json["served"]["runtimes"],
        serde_json::json!(["python3.11", "python3.12"])
    );
    assert_eq!(
        json["served"]["architectures"],
        serde_json::json!(["x86_64", "arm64"])
    );
}

#[test]
fn a_project_with_no_wheel_for_one_target_is_named_with_that_target() {
    let sandbox = compiled_only("portable-nowhere", &["x86_64"]);
    let zip = sandbox.out().join("layer.zip");
    let out = build(
        &sandbox,
        &[
            "fast",
            "--layout",
            "python",
            "--runtime",
            "python3.12",
            "--arch",
            "x86_64,arm64",
            "-o",
            zip.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(
            "loads on python3.12 on x86_64 only; no wheel of it loads on python3.12 on arm64"
        ),
        "{err}"
    );
    assert!(!err.contains("--layout site-packages"), "{err}");
}

#[test]
fn an_older_release_taken_because_a_newer_ones_dependency_is_compiled_only_is_warned_about() {
    let sandbox = Sandbox::new("portable-older");
    sandbox.index.add_wheel(
        &WheelBuilder::new("model", "2.0")
            .requires_dist("core==2.0")
            .file("model/__init__.py", b"")
            .build(),
    );
    sandbox.index.add_wheel(
        &WheelBuilder::new("model", "1.0")
            .file("model/__init__.py", b"")
            .build(),
    );
    for minor in [11, 12] {
        sandbox.index.add_wheel(
            &WheelBuilder::new("core", "2.0")
                .tag(&format!("cp3{minor}-cp3{minor}-manylinux_2_17_x86_64"))
                .file("core/__init__.py", b"")
                .build(),
        );
    }
    let zip = sandbox.out().join("layer.zip");
    let args = [
        "model",
        "--layout",
        "python",
        "--runtime",
        "python3.11,python3.12",
        "-o",
        zip.to_str().unwrap(),
    ];
    let json = json_of(&build(&sandbox, &[&args[..], &["--json"]].concat()));
    assert_eq!(names(&json), ["model"]);
    assert_eq!(json["portable"]["older"][0]["alone"], "2.0");
    let text = stdout(&build(&sandbox, &args));
    assert!(
        text.contains("⚠ model 1.0 instead of 2.0, which python3.12 on x86_64 alone gets: with it comes core 2.0, which has no wheel that loads on every target"),
        "{text}"
    );
}

#[test]
fn the_newest_version_the_solver_needed_is_the_one_named_as_narrowing() {
    let sandbox = Sandbox::new("portable-narrow-newest");
    for (model, fast) in [("1.0", "1.0"), ("2.0", "2.0")] {
        sandbox.index.add_wheel(
            &WheelBuilder::new("model", model)
                .requires_dist(&format!("fast=={fast}"))
                .file("model/__init__.py", b"")
                .build(),
        );
        for minor in [11, 12] {
            sandbox.index.add_wheel(
                &WheelBuilder::new("fast", fast)
                    .tag(&format!("cp3{minor}-cp3{minor}-manylinux_2_17_x86_64"))
                    .file("fast/__init__.py", b"")
                    .build(),
            );
        }
    }
    let zip = sandbox.out().join("layer.zip");
    let out = build(
        &sandbox,
        &[
            "model",
            "--layout",
            "python",
            "--runtime",
            "python3.11,python3.12",
            "-o",
            zip.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("fast 2.0 narrows the set"), "{err}");
    assert!(!err.contains("fast 1.0"), "each project once: {err}");
}
