//! Every verdict carries its reason in plain words: the exact wording, case by case.
//!
//! `tests/fixtures/verdict_reasons.tsv` holds a file name, a target, the verdict and the reason
//! side by side.

use wheelbarrow::wheel::best_wheel;
use wheelbarrow::{RuntimeTable, WheelName};

#[test]
fn each_verdict_says_why_in_the_expected_words() {
    let table = RuntimeTable::builtin();
    let cases = include_str!("fixtures/verdict_reasons.tsv");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in cases
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let [filename, target, verdict, reason] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("a fixture line needs four tab-separated fields: {line}");
        };
        let (runtime, arch) = target.split_once('/').unwrap();
        let target = table.target(Some(runtime), Some(arch)).unwrap();
        let got = WheelName::parse(filename).unwrap().verdict(&target);
        let got_verdict = if got.compatible { "loads" } else { "refused" };
        if got_verdict != verdict || got.reason != reason {
            failures.push(format!(
                "{filename} on {target}\n  expected: {verdict}\t{reason}\n  got:      {got_verdict}\t{}",
                got.reason
            ));
        }
        count += 1;
    }
    assert!(count >= 20);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_best_file_of_a_release_is_the_one_pip_would_pick() {
    let table = RuntimeTable::builtin();
    let files: Vec<WheelName> = [
        "pydantic_core-2.27.2-cp312-cp312-macosx_11_0_arm64.whl",
        "pydantic_core-2.27.2-py3-none-any.whl",
        "pydantic_core-2.27.2-cp312-abi3-manylinux_2_17_x86_64.whl",
        "pydantic_core-2.27.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "pydantic_core-2.27.2-cp312-cp312-manylinux_2_28_x86_64.whl",
        "pydantic_core-2.27.2-cp312-cp312-musllinux_1_1_x86_64.whl",
        "pydantic_core-2.27.2-cp311-cp311-manylinux_2_17_x86_64.whl",
    ]
    .iter()
    .map(|n| WheelName::parse(n).unwrap())
    .collect();
    let target = |r, a| table.target(Some(r), Some(a)).unwrap();

    // Newest glibc that still fits wins on python3.12 ...
    let (i, v) = best_wheel(&files, &target("python3.12", "x86_64")).unwrap();
    assert_eq!(i, 4, "{v:?}");
    // ... but python3.11's Amazon Linux 2 stops at glibc 2.26.
    let (i, _) = best_wheel(&files, &target("python3.11", "x86_64")).unwrap();
    assert_eq!(i, 6);
    // On python3.13 only the abi3 and pure-Python files fit; the compiled one comes first.
    let (i, _) = best_wheel(&files, &target("python3.13", "x86_64")).unwrap();
    assert_eq!(i, 2);
    // On arm64 only the pure-Python file fits.
    let (i, _) = best_wheel(&files, &target("python3.12", "arm64")).unwrap();
    assert_eq!(i, 1);
}

#[test]
fn a_larger_build_tag_wins_between_equal_tags() {
    let table = RuntimeTable::builtin();
    let files: Vec<WheelName> = [
        "foo-1.0-1-py3-none-any.whl",
        "foo-1.0-2-py3-none-any.whl",
        "foo-1.0-py3-none-any.whl",
    ]
    .iter()
    .map(|n| WheelName::parse(n).unwrap())
    .collect();
    let (i, _) = best_wheel(&files, &table.default_target()).unwrap();
    assert_eq!(i, 1);
}

#[test]
fn nothing_is_best_when_nothing_fits() {
    let table = RuntimeTable::builtin();
    let files = [WheelName::parse("foo-1.0-cp312-cp312-win_amd64.whl").unwrap()];
    assert!(best_wheel(&files, &table.default_target()).is_none());
}
