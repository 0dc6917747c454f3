//! Dead ends and their successors, against a loopback index: a project with no wheel for the
//! target names what people use instead and whether that loads there; an abandoned one that
//! resolves is noted with its successor.

mod support;

use support::{IndexOptions, TestIndex, WheelBuilder};
use wheelbarrow::resolve::{ResolveError, ResolveOptions};

fn index() -> TestIndex {
    let index = TestIndex::start(IndexOptions::default());
    // cx_Oracle's last release has extensions up to CPython 3.10 only.
    for tag in [
        "cp39-cp39-manylinux_2_17_x86_64",
        "cp310-cp310-manylinux_2_17_x86_64",
    ] {
        index.add_wheel(&WheelBuilder::new("cx_Oracle", "8.3.0").tag(tag).build());
    }
    index.add_wheel(&WheelBuilder::new("oracledb", "2.5.1").build());
    // psycopg2 has a wheel for CPython 3.7 only; psycopg2-binary for 3.11; no psycopg-binary.
    index.add_wheel(
        &WheelBuilder::new("psycopg2", "2.9.0")
            .tag("cp37-cp37m-manylinux_2_17_x86_64")
            .build(),
    );
    index.add_wheel(
        &WheelBuilder::new("psycopg2-binary", "2.9.9")
            .tag("cp311-cp311-manylinux_2_17_x86_64")
            .build(),
    );
    index
}

fn no_solution(index: &TestIndex, req: &str, runtime: &str) -> String {
    match support::resolve_on(index, &[req], runtime, &ResolveOptions::default()) {
        Err(ResolveError::NoSolution(no)) => no.to_string(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn cx_oracle_without_a_wheel_names_oracledb_and_that_it_loads_there() {
    let index = index();
    let text = no_solution(&index, "cx_Oracle", "python3.11");
    assert!(
        text.contains("cx-oracle has no wheel for python3.11 on x86_64"),
        "{text}"
    );
    assert!(
        text.contains(
            "Instead: oracledb (its default thin mode connects without Oracle Client libraries"
        ),
        "{text}"
    );
    assert!(
        text.contains("2.5.1 loads on python3.11 on x86_64"),
        "{text}"
    );
    assert!(text.contains("(Source: https://"), "{text}");
}

#[test]
fn psycopg2_names_both_binary_packages_and_says_which_one_loads() {
    let index = index();
    let text = no_solution(&index, "psycopg2", "python3.11");
    assert!(
        text.contains("psycopg2-binary (the same psycopg2 module with libpq inside the wheel; 2.9.9 loads on python3.11 on x86_64)"),
        "{text}"
    );
    // psycopg[binary]'s wheels are psycopg-binary's: the loopback index has none.
    assert!(text.contains("or psycopg[binary] (psycopg 3"), "{text}");
    assert!(
        text.contains("not looked up") || text.contains("no release loads"),
        "{text}"
    );
}

#[test]
fn an_abandoned_project_that_resolves_is_noted_with_its_successor() {
    let index = index();
    let resolution = support::resolve_on(
        &index,
        &["cx_Oracle"],
        "python3.10",
        &ResolveOptions::default(),
    )
    .unwrap();
    assert_eq!(resolution.packages.len(), 1);
    let [instead] = &resolution.instead[..] else {
        panic!("{:?}", resolution.instead);
    };
    assert_eq!(instead.alternatives[0].requirement, "oracledb");
    assert_eq!(instead.alternatives[0].loads.as_deref(), Some("2.5.1"));
    // A project that is not a dead end is said nothing of.
    let resolution = support::resolve_on(
        &index,
        &["oracledb"],
        "python3.10",
        &ResolveOptions::default(),
    )
    .unwrap();
    assert!(resolution.instead.is_empty());
}
