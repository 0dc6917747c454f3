//! When nothing fits, against a loopback index: each shape of conflict is explained in a few
//! true lines naming what clashes and who imposes it, ranges collapsed against the versions
//! that exist, with none of the solver's internals showing.

mod support;

use support::{IndexOptions, TestIndex, WheelBuilder};
use wheelbarrow::resolve::{Resolution, ResolveError, ResolveOptions};

fn index() -> TestIndex {
    let index = TestIndex::start(IndexOptions::default());
    let add = |b: WheelBuilder| {
        index.add_wheel(&b.build());
    };
    add(WheelBuilder::new("lib", "1.0"));
    add(WheelBuilder::new("lib", "2.0"));
    add(WheelBuilder::new("app", "2.0").requires_dist("lib<2"));
    // 30 releases of tool, each pinning dep below its own bound.
    for minor in 0..30 {
        add(WheelBuilder::new("tool", &format!("1.{minor}"))
            .requires_dist(&format!("dep>=1,<{}", 2 + minor / 10)));
    }
    for v in ["1.0", "2.0", "3.0", "4.0", "5.0"] {
        add(WheelBuilder::new("dep", v));
    }
    // fastnum 2.x needs glibc 2.28; 1.0 loads on Amazon Linux 2.
    add(WheelBuilder::new("fastnum", "2.0").tag("cp311-cp311-manylinux_2_28_x86_64"));
    add(WheelBuilder::new("fastnum", "2.1").tag("cp311-cp311-manylinux_2_28_x86_64"));
    add(WheelBuilder::new("fastnum", "1.0").tag("cp311-cp311-manylinux_2_17_x86_64"));
    // broken 2.0's metadata does not parse; 1.0 is fine.
    add(WheelBuilder::new("broken", "2.0").requires_dist("this is (not a requirement"));
    add(WheelBuilder::new("broken", "1.0").requires_dist("lib>=2"));
    // Every release of wide needs a narrow that does not exist; one release of single does.
    for v in ["1.0", "2.0", "3.0"] {
        add(WheelBuilder::new("wide", v).requires_dist("narrow>=2"));
    }
    add(WheelBuilder::new("single", "1.0").requires_dist("narrow>=2"));
    add(WheelBuilder::new("narrow", "1.0"));
    index
}

fn run(index: &TestIndex, reqs: &[&str], runtime: &str) -> Result<Resolution, ResolveError> {
    support::resolve_on(index, reqs, runtime, &ResolveOptions::default())
}

/// The explanation as the user reads it, checked for its length and for solver internals.
fn explained(index: &TestIndex, reqs: &[&str], runtime: &str) -> String {
    let err = run(index, reqs, runtime).unwrap_err();
    assert!(matches!(err, ResolveError::NoSolution(_)), "{err}");
    let text = err.to_string();
    let lines = text.lines().count();
    assert!(lines <= 15, "{lines} lines:\n{text}");
    for internal in ["∅", "your requirements 0", "forbidden", "your requirements"] {
        assert!(!text.contains(internal), "{internal:?} shows in\n{text}");
    }
    text
}

fn assert_has(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn a_direct_pin_against_a_transitive_bound_names_both_and_who_imposes_each() {
    let index = index();
    let text = explained(&index, &["app==2.0", "lib>=2"], "python3.12");
    assert_has(
        &text,
        &[
            "no set of versions fits python3.12 on x86_64, because:",
            "you asked for app==2.0",
            "you asked for lib>=2",
            "app 2.0 needs lib<2",
        ],
    );
    assert!(
        !text.contains("no release of app"),
        "app 2.0 exists:\n{text}"
    );
}

#[test]
fn two_pins_of_one_project_are_named_as_such_and_no_release_is_said_missing() {
    let index = index();
    let text = explained(&index, &["lib==1.0", "lib==2.0"], "python3.12");
    assert_has(
        &text,
        &["you asked for lib==1.0 and lib==2.0, and no version of lib is all of them"],
    );
    assert!(!text.contains("no release of lib matches"), "{text}");
}

#[test]
fn a_requirement_no_release_matches_says_so_with_the_newest() {
    let index = index();
    let text = explained(&index, &["lib==9.9"], "python3.12");
    assert_has(
        &text,
        &["you asked for lib==9.9, and no release of lib matches it (the newest is 2.0)"],
    );
}

#[test]
fn a_range_whose_every_version_needs_an_incompatible_dependency_is_one_collapsed_line() {
    let index = index();
    let text = explained(&index, &["tool<2", "dep>=5"], "python3.12");
    assert_has(
        &text,
        &[
            "you asked for tool<2",
            "you asked for dep>=5",
            "all 30 versions of tool each need dep >=1.0, <4.0 (the range differs by version)",
        ],
    );
    assert!(text.lines().count() <= 5, "{text}");
}

#[test]
fn no_loadable_file_gives_the_closest_reason_and_the_newest_that_loads() {
    let index = index();
    let text = explained(&index, &["fastnum>=2"], "python3.11");
    assert_has(
        &text,
        &[
            "fastnum>=2 has no wheel for python3.11 on x86_64",
            "manylinux_2_28 needs glibc 2.28; python3.11 runs on Amazon Linux 2 with glibc 2.26",
            "fastnum 1.0 is the newest that loads there",
        ],
    );
}

#[test]
fn a_release_whose_metadata_does_not_parse_is_skipped_and_only_noted() {
    let index = index();
    let resolved = run(&index, &["broken"], "python3.12").unwrap();
    let chosen: Vec<_> = resolved
        .packages
        .iter()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect();
    assert_eq!(
        chosen,
        ["broken 1.0", "lib 2.0"],
        "2.0 is skipped as pip does"
    );
    let text = explained(&index, &["broken", "lib<2"], "python3.12");
    assert_has(
        &text,
        &[
            "broken 1.0 needs lib>=2",
            "(broken 2.0: a Requires-Dist that does not parse (this is (not a requirement), skipped as pip skips it)",
        ],
    );
    let bullets: Vec<&str> = text.lines().filter(|l| l.starts_with("  - ")).collect();
    assert!(
        bullets.iter().all(|l| !l.contains("does not parse")),
        "the note is not a headline:\n{text}"
    );
}

#[test]
fn every_version_needing_a_missing_release_is_said_with_each_need() {
    let index = index();
    let text = explained(&index, &["wide"], "python3.12");
    assert_has(
        &text,
        &[
            "all 3 versions of wide each need narrow>=2, and no release of narrow matches it (the newest is 1.0)",
        ],
    );
    assert!(!text.contains("wide needs"), "{text}");
    let text = explained(&index, &["single"], "python3.12");
    assert_has(
        &text,
        &["single 1.0 needs narrow>=2, and no release of narrow matches it"],
    );
}
