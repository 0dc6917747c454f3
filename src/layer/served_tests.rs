//! Unit tests of the served set's rule and words.

use super::*;

fn table() -> RuntimeTable {
    RuntimeTable::builtin()
}

#[test]
fn runtime_lists_read_as_ranges() {
    let names = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
    assert_eq!(
        runtime_ranges(&names(&["python3.9", "python3.10", "python3.11"])),
        "python3.9–python3.11"
    );
    assert_eq!(
        runtime_ranges(&names(&["python3.9", "python3.11", "python3.12"])),
        "python3.9, python3.11–python3.12"
    );
    assert_eq!(runtime_ranges(&names(&["python3.12"])), "python3.12");
}

#[test]
fn a_set_that_is_not_a_product_keeps_the_anchors_architectures() {
    let table = table();
    // Everything loads on x86_64; on arm64 only python3.12 and newer.
    let answers = all_targets(&table)
        .into_iter()
        .map(|t| {
            let ok = t.arch == Arch::X86_64 || t.runtime.python_minor >= 12;
            (
                t,
                if ok {
                    Ok(())
                } else {
                    Err("no arm64 wheel".to_string())
                },
            )
        })
        .collect::<Vec<_>>();
    let anchor = table.runtime("python3.12").unwrap().clone();
    let served = choose(&answers, Some(&anchor), &table);
    assert_eq!(served.architectures, [Arch::X86_64, Arch::Arm64]);
    assert_eq!(served.runtimes, ["python3.12", "python3.13", "python3.14"]);
    let py39 = served
        .left_out
        .iter()
        .find(|(t, _)| t.runtime.name == "python3.9" && t.arch == Arch::X86_64)
        .map(|(_, why)| why.as_str())
        .unwrap();
    assert!(py39.contains("does not load on it on arm64"), "{py39}");
    assert_eq!(served.targets.len(), 9);
    assert_eq!(
        served.summary(),
        "serves python3.12–python3.14 on x86_64 and arm64"
    );

    let anchor = table.runtime("python3.10").unwrap().clone();
    let served = choose(&answers, Some(&anchor), &table);
    assert_eq!(served.architectures, [Arch::X86_64]);
    assert_eq!(served.runtimes.len(), 6);
    let arm = served
        .left_out
        .iter()
        .find(|(t, _)| t.runtime.name == "python3.13" && t.arch == Arch::Arm64)
        .map(|(_, why)| why.as_str())
        .unwrap();
    assert!(
        arm.contains("does not load on python3.10 on arm64"),
        "{arm}"
    );
    assert_eq!(
        served.summary(),
        "serves python3.9–python3.14 on x86_64 only"
    );
}

#[test]
fn no_served_target_is_said_with_the_first_reason() {
    let table = table();
    let answers: Vec<_> = all_targets(&table)
        .into_iter()
        .map(|t| (t, Err("nothing loads".to_string())))
        .collect();
    let served = choose(&answers, None, &table);
    assert!(served.runtimes.is_empty() && served.architectures.is_empty());
    assert_eq!(
        served.summary(),
        "serves no Lambda runtime (python3.9 on x86_64: nothing loads)"
    );
}

#[test]
fn more_runtimes_than_lambda_accepts_keep_the_newest() {
    let mut table = table();
    table.limits.layer_compatible_runtimes = 4;
    let answers: Vec<_> = all_targets(&table)
        .into_iter()
        .map(|t| (t, Ok(())))
        .collect();
    let served = choose(&answers, None, &table);
    assert_eq!(
        served.runtimes,
        ["python3.11", "python3.12", "python3.13", "python3.14"]
    );
    let why = &served
        .left_out
        .iter()
        .find(|(t, _)| t.runtime.name == "python3.9")
        .unwrap()
        .1;
    assert!(why.contains("at most 4 compatible runtimes"), "{why}");
}
