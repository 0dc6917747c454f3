//! Deprecated runtimes on the loopback index: resolving or building for one says so once with
//! the table's dates (stderr, and as data in the resolution and `--json`), and the resolver's
//! advice of other runtimes puts supported ones first.
//!
//! The dates are the runtime table's. The CLI runs on a frozen day (`support::cli::TODAY`); the
//! in-process advice uses the clock, so it asserts only what stays true on any later day
//! (python3.9 is deprecated; the phase's words change with the day).

mod support;

use support::cli::{Sandbox, stderr, stdout};
use support::{IndexOptions, TestIndex, WheelBuilder, resolve_on};
use wheelbarrow::Hint;
use wheelbarrow::Hints;
use wheelbarrow::resolve::{ResolveError, ResolveOptions};

#[test]
fn resolving_for_a_deprecated_runtime_warns_once_with_its_dates_and_a_supported_one_does_not() {
    let sandbox = Sandbox::new("deprecated-resolve");
    let out = sandbox
        .command(["resolve", "app", "--runtime", "python3.9"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("is deprecated since").count(), 1, "{err}");
    assert!(
        err.contains("warning: python3.9 is deprecated since 2025-12-15"),
        "{err}"
    );
    assert!(err.contains("Supported runtimes: python3.14"), "{err}");

    let out = sandbox
        .command(["resolve", "app", "--runtime", "python3.14"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("deprecated"), "{}", stderr(&out));

    let out = sandbox
        .command(["resolve", "app", "--runtime", "python3.9", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["deprecated"]["runtime"], "python3.9");
    assert_eq!(json["deprecated"]["deprecation"], "2025-12-15");
}

#[test]
fn building_for_a_deprecated_runtime_says_so_once_and_in_its_json() {
    let sandbox = Sandbox::new("deprecated-build");
    let out = sandbox
        .command([
            "build",
            "app",
            "--runtime",
            "python3.9",
            "--json",
            "-o",
            "out/l.zip",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out).matches("is deprecated since").count(), 1);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["deprecated"]["runtime"], "python3.9");
    let supported = json["deprecated"]["supported"].as_array().unwrap();
    assert!(!supported.iter().any(|r| r == "python3.9"), "{supported:?}");
}

#[test]
fn advice_of_other_runtimes_puts_supported_ones_first_and_marks_deprecated_ones() {
    let index = TestIndex::start(IndexOptions::default());
    for tag in [
        "cp39-cp39-manylinux_2_17_x86_64",
        "cp313-cp313-manylinux_2_17_x86_64",
    ] {
        index.add_wheel(&WheelBuilder::new("ext", "1.0").tag(tag).build());
    }
    index.add_wheel(
        &WheelBuilder::new("oldext", "1.0")
            .tag("cp39-cp39-manylinux_2_17_x86_64")
            .build(),
    );

    let err = resolve_on(&index, &["ext"], "python3.12", &ResolveOptions::default()).unwrap_err();
    assert!(matches!(err, ResolveError::NoSolution(_)), "{err}");
    assert!(
        err.hints().contains(&Hint::ChooseRuntime(vec![
            "python3.13".into(),
            "python3.9".into()
        ])),
        "{:?}",
        err.hints()
    );
    let ResolveError::NoSolution(no) = &err else {
        unreachable!()
    };
    let advice = no.advice[0].to_string();
    assert!(
        advice.contains("; the release asked for loads on python3.13 and python3.9 (deprecated"),
        "{advice}"
    );

    let err = resolve_on(
        &index,
        &["oldext"],
        "python3.12",
        &ResolveOptions::default(),
    )
    .unwrap_err();
    let ResolveError::NoSolution(no) = &err else {
        panic!("{err}")
    };
    let advice = no.advice[0].to_string();
    assert!(
        advice.contains("; the release asked for loads on python3.9 (deprecated"),
        "{advice}"
    );
}
