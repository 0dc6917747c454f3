//! Verdicts on real wheel file names, checked against pypa/packaging's `packaging.tags`.
//!
//! `tests/fixtures/wheel_tags/expected.tsv` holds, for every name in `names.txt` and each of the
//! 12 targets, the rank pip would give the wheel (its position in packaging's ordered tag list)
//! or `-` when it does not load. Regenerate with `scripts/gen_tag_fixture.py`.

use wheelbarrow::{RuntimeTable, WheelName};

const EXPECTED: &str = include_str!("fixtures/wheel_tags/expected.tsv");

#[test]
fn every_verdict_and_rank_agrees_with_packaging_tags() {
    let table = RuntimeTable::builtin();
    let mut lines = EXPECTED.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let targets: Vec<_> = header[1..]
        .iter()
        .map(|col| {
            let (runtime, arch) = col.split_once('/').expect("runtime/arch column");
            table
                .target(Some(runtime), Some(arch))
                .expect("known target")
        })
        .collect();
    assert_eq!(targets.len(), 12, "every runtime on both architectures");

    let mut checked = 0;
    let mut compatible = 0;
    let mut disagreements = Vec::new();
    for line in lines {
        let cells: Vec<&str> = line.split('\t').collect();
        let wheel = WheelName::parse(cells[0])
            .unwrap_or_else(|e| panic!("packaging parses {} but we do not: {e}", cells[0]));
        for (target, cell) in targets.iter().zip(&cells[1..]) {
            let expected: Option<usize> = cell.parse().ok();
            let verdict = wheel.verdict(target);
            checked += 1;
            compatible += usize::from(expected.is_some());
            if verdict.rank != expected || verdict.compatible != expected.is_some() {
                disagreements.push(format!(
                    "{} on {target}: packaging says {cell}, we say {:?} ({})",
                    cells[0], verdict.rank, verdict.reason
                ));
            }
            assert!(!verdict.reason.is_empty(), "{} has no reason", cells[0]);
        }
    }
    assert!(checked > 40_000, "the fixture covers {checked} verdicts");
    assert!(
        compatible > 5_000,
        "the fixture has {compatible} compatible verdicts"
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements with packaging.tags, first ones:\n{}",
        disagreements.len(),
        disagreements[..disagreements.len().min(25)].join("\n")
    );
}

#[test]
fn names_packaging_refuses_are_never_called_compatible() {
    let table = RuntimeTable::builtin();
    let listed: std::collections::HashSet<&str> = EXPECTED
        .lines()
        .filter_map(|l| l.split('\t').next())
        .collect();
    let names = include_str!("fixtures/wheel_tags/names.txt");
    for name in names.lines().filter(|n| !listed.contains(n)) {
        for runtime in &table.runtimes {
            for arch in &runtime.architectures {
                let target = table
                    .target(Some(&runtime.name), Some(arch.lambda_name()))
                    .unwrap();
                if let Ok(wheel) = WheelName::parse(name) {
                    assert!(!wheel.verdict(&target).compatible, "{name} on {target}");
                }
            }
        }
    }
}
