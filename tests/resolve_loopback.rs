//! The resolver against a loopback index: markers for the target, extras, the newest version
//! that loads, yanked and pre-release rules, Requires-Python, and explanations when nothing fits.

mod support;

use std::collections::BTreeMap;

use support::{IndexOptions, TestIndex, WheelBuilder, sdist_bytes};
use wheelbarrow::resolve::{Resolution, ResolveError, ResolveOptions};

const X86_217: &str = "cp311-cp311-manylinux_2_17_x86_64";

fn index() -> TestIndex {
    let index = TestIndex::start(IndexOptions::default());
    let add = |b: WheelBuilder| {
        index.add_wheel(&b.build());
    };
    // A library with an extra and markers for other platforms and Pythons.
    add(WheelBuilder::new("lib", "1.5")
        .requires_dist("speedup>=1; extra == \"fast\"")
        .requires_dist("winonly; sys_platform == \"win32\"")
        .requires_dist("old-backport; python_version < \"3.10\"")
        .requires_dist("armonly; platform_machine == \"aarch64\""));
    add(WheelBuilder::new("speedup", "1.2"));
    add(WheelBuilder::new("app", "1.0").requires_dist("lib[fast]>=1"));
    // numpylike 2.0 needs glibc 2.28; 1.9 loads on Amazon Linux 2.
    for (version, tag) in [
        ("2.0", "cp311-cp311-manylinux_2_28_x86_64"),
        ("2.0", "cp312-cp312-manylinux_2_28_x86_64"),
        ("1.9", X86_217),
        ("1.9", "cp312-cp312-manylinux_2_17_x86_64"),
    ] {
        add(WheelBuilder::new("numpylike", version).tag(tag));
    }
    // Only a source distribution for 2.0.
    add(WheelBuilder::new("sdistonly", "1.0"));
    let (name, bytes) = sdist_bytes("sdistonly", "2.0");
    index.add_file(
        "sdistonly",
        "2.0",
        support::FileOptions::default(),
        &name,
        bytes,
    );
    // A yanked newest release.
    add(WheelBuilder::new("yanky", "2.0"));
    let yanked = WheelBuilder::new("yanky", "3.0").build();
    index.add_wheel(&yanked);
    index.yank(&yanked.filename, "broken");
    // A release for newer Pythons only.
    add(WheelBuilder::new("newpy", "1.0"));
    add(WheelBuilder::new("newpy", "2.0").requires_python(">=3.13"));
    // Pre-releases.
    add(WheelBuilder::new("prerel", "1.0"));
    add(WheelBuilder::new("prerel", "2.0rc1"));
    // A conflict.
    add(WheelBuilder::new("left", "1.0").requires_dist("shared<2"));
    add(WheelBuilder::new("right", "1.0").requires_dist("shared>=2"));
    add(WheelBuilder::new("shared", "1.0"));
    add(WheelBuilder::new("shared", "2.0"));
    // What the runtime already has.
    add(WheelBuilder::new("boto3", "1.40.0").requires_dist("jmespath"));
    add(WheelBuilder::new("jmespath", "1.0.1"));
    index
}

fn run(
    index: &TestIndex,
    reqs: &[&str],
    runtime: &str,
    options: &ResolveOptions,
) -> Result<Resolution, ResolveError> {
    support::resolve_on(index, reqs, runtime, options)
}

fn versions(r: &Resolution) -> BTreeMap<String, String> {
    r.packages
        .iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
        .collect()
}

#[test]
fn markers_are_evaluated_for_the_target_and_extras_pull_their_dependencies() {
    let index = index();
    let r = run(&index, &["app"], "python3.12", &ResolveOptions::default()).unwrap();
    assert_eq!(
        versions(&r),
        map(&[("app", "1.0"), ("lib", "1.5"), ("speedup", "1.2")])
    );
    let lib = r.packages.iter().find(|p| p.name == "lib").unwrap();
    assert_eq!(lib.required_by, ["app 1.0 (lib[fast]>=1)"]);
    let app = r.packages.iter().find(|p| p.name == "app").unwrap();
    assert_eq!(app.required_by, ["requested: app (test)"]);
    assert!(app.sha256.as_deref().is_some_and(|s| s.len() == 64));
    assert!(app.url.ends_with(&app.filename));
}

#[test]
fn the_newest_version_that_loads_on_the_runtime_is_chosen() {
    let index = index();
    let r = run(
        &index,
        &["numpylike"],
        "python3.11",
        &ResolveOptions::default(),
    )
    .unwrap();
    assert_eq!(versions(&r), map(&[("numpylike", "1.9")]));
    assert_eq!(
        r.packages[0].filename,
        format!("numpylike-1.9-{X86_217}.whl")
    );
    let r = run(
        &index,
        &["numpylike"],
        "python3.12",
        &ResolveOptions::default(),
    )
    .unwrap();
    assert_eq!(versions(&r), map(&[("numpylike", "2.0")]));
}

#[test]
fn no_solution_says_why_and_what_to_do() {
    let index = index();
    let err = run(
        &index,
        &["numpylike>=2"],
        "python3.11",
        &ResolveOptions::default(),
    )
    .unwrap_err();
    let ResolveError::NoSolution(no) = &err else {
        panic!("{err}");
    };
    let explanation = &no.explanation;
    let text = explanation.join("\n");
    for needle in [
        "numpylike>=2 has no wheel for python3.11 on x86_64",
        "manylinux_2_28 needs glibc 2.28; python3.11 runs on Amazon Linux 2 with glibc 2.26",
        "numpylike 1.9 is the newest that loads there, or choose python3.12",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn a_project_with_only_a_source_distribution_is_named_as_such() {
    let index = index();
    let err = run(
        &index,
        &["sdistonly>=2"],
        "python3.12",
        &ResolveOptions::default(),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("sdistonly 2.0 has only a source distribution"),
        "{text}"
    );
    assert!(
        text.contains("sdistonly 1.0 is the newest that loads there"),
        "{text}"
    );
}

#[test]
fn yanked_versions_are_skipped_unless_pinned() {
    let index = index();
    let r = run(&index, &["yanky"], "python3.12", &ResolveOptions::default()).unwrap();
    assert_eq!(versions(&r), map(&[("yanky", "2.0")]));
    let r = run(
        &index,
        &["yanky==3.0"],
        "python3.12",
        &ResolveOptions::default(),
    )
    .unwrap();
    assert_eq!(versions(&r), map(&[("yanky", "3.0")]));
}

#[test]
fn requires_python_keeps_newer_releases_off_older_runtimes() {
    let index = index();
    let r = run(&index, &["newpy"], "python3.12", &ResolveOptions::default()).unwrap();
    assert_eq!(versions(&r), map(&[("newpy", "1.0")]));
    let r = run(&index, &["newpy"], "python3.13", &ResolveOptions::default()).unwrap();
    assert_eq!(versions(&r), map(&[("newpy", "2.0")]));
}

#[test]
fn pre_releases_only_when_asked_for() {
    let index = index();
    let r = run(
        &index,
        &["prerel"],
        "python3.12",
        &ResolveOptions::default(),
    )
    .unwrap();
    assert_eq!(versions(&r), map(&[("prerel", "1.0")]));
    let r = run(
        &index,
        &["prerel>=2.0rc1"],
        "python3.12",
        &ResolveOptions::default(),
    )
    .unwrap();
    assert_eq!(versions(&r), map(&[("prerel", "2.0rc1")]));
}

#[test]
fn a_conflict_names_both_sides() {
    let index = index();
    let err = run(
        &index,
        &["left", "right"],
        "python3.12",
        &ResolveOptions::default(),
    )
    .unwrap_err();
    let ResolveError::NoSolution(no) = &err else {
        panic!("{err}");
    };
    let derivation = &no.derivation;
    assert!(
        derivation.contains("left")
            && derivation.contains("right")
            && derivation.contains("shared"),
        "{derivation}"
    );
}

#[test]
fn runtime_provided_packages_are_marked_and_can_be_left_out() {
    let index = index();
    let r = run(&index, &["boto3"], "python3.12", &ResolveOptions::default()).unwrap();
    assert!(r.packages.iter().all(|p| p.runtime_provided && !p.excluded));
    let options = ResolveOptions {
        exclude_runtime_provided: true,
        ..ResolveOptions::default()
    };
    let r = run(&index, &["boto3", "speedup"], "python3.12", &options).unwrap();
    let included: Vec<_> = r.included().map(|p| p.name.as_str()).collect();
    assert_eq!(included, ["speedup"]);
    assert_eq!(r.packages.len(), 3);
}

#[test]
fn a_requirement_whose_marker_does_not_hold_is_skipped_and_said_so() {
    let index = index();
    let r = run(
        &index,
        &["speedup", "winonly; sys_platform == 'win32'"],
        "python3.12",
        &ResolveOptions::default(),
    )
    .unwrap();
    assert_eq!(versions(&r), map(&[("speedup", "1.2")]));
    assert!(r.skipped[0].contains("winonly"), "{:?}", r.skipped);
}
