//! One case per refusal cause: the file, the target, the cause and its exact words.

use super::refusal::{Distance, Refusal, reworded};
use super::{FileKind, ListedFile, WheelName, file_verdict};
use crate::lambda::{RuntimeTable, Target};

fn target(spec: &str) -> Target {
    let (runtime, arch) = spec.split_once('/').unwrap();
    RuntimeTable::builtin()
        .target(Some(runtime), Some(arch))
        .unwrap()
}

/// (file name, target, cause kind, the cause in words)
const BY_NAME: &[(&str, &str, &str, &str)] = &[
    (
        "x-1-cp311-cp311-manylinux_2_28_x86_64.whl",
        "python3.11/x86_64",
        "glibc_too_old",
        "manylinux_2_28 needs glibc 2.28; python3.11 runs on Amazon Linux 2 with glibc 2.26",
    ),
    (
        "x-1-cp311-cp311-manylinux2014_x86_64.whl",
        "python3.11/x86_64",
        "",
        "CPython 3.11 extension for x86_64 Linux with glibc 2.17 or newer (manylinux2014_x86_64); python3.11 has glibc 2.26",
    ),
    (
        "x-1-cp311-cp311-manylinux_2_12_aarch64.whl",
        "python3.11/arm64",
        "glibc_predates_arch",
        "manylinux_2_12_aarch64 predates the oldest glibc pip accepts for aarch64 (2.17)",
    ),
    (
        "x-1-cp313-cp313-manylinux_2_17_x86_64.whl",
        "python3.12/x86_64",
        "wrong_cpython",
        "CPython 3.13 extension; this runtime is 3.12",
    ),
    (
        "x-1-cp313-none-manylinux_2_17_x86_64.whl",
        "python3.12/x86_64",
        "wrong_cpython_build",
        "CPython 3.13 build (cp313); this runtime is 3.12",
    ),
    (
        "x-1-py314-none-any.whl",
        "python3.12/x86_64",
        "python_too_new",
        "tagged for Python 3.14 (py314); this runtime is 3.12",
    ),
    (
        "x-1-cp314-abi3-manylinux_2_17_x86_64.whl",
        "python3.12/x86_64",
        "abi3_too_new",
        "stable-ABI (abi3) build for CPython 3.14 and newer; this runtime is 3.12",
    ),
    (
        "x-1-cp31-abi3-manylinux_2_17_x86_64.whl",
        "python3.12/x86_64",
        "abi3_before_stable_abi",
        "cp31-abi3: the stable ABI starts at CPython 3.2",
    ),
    (
        "x-1-cp313-cp313t-manylinux_2_17_x86_64.whl",
        "python3.13/x86_64",
        "free_threaded",
        "free-threaded build (cp313t); Lambda's Python is the standard build",
    ),
    (
        "x-1-cp315-abi3t-manylinux_2_17_x86_64.whl",
        "python3.14/x86_64",
        "free_threaded_abi3",
        "free-threaded stable-ABI build (abi3t); Lambda's Python is the standard build",
    ),
    (
        "x-1-cp312-cp312d-manylinux_2_17_x86_64.whl",
        "python3.12/x86_64",
        "debug_build",
        "debug build of CPython (cp312d)",
    ),
    (
        "x-1-cp312-cp312m-manylinux_2_17_x86_64.whl",
        "python3.12/x86_64",
        "non_standard_abi",
        "ABI cp312m is not the standard CPython 3.12 ABI (cp312)",
    ),
    (
        "x-1-cp311-cp312-manylinux_2_17_x86_64.whl",
        "python3.12/x86_64",
        "python_abi_mismatch",
        "the python tag cp311 does not match the ABI cp312",
    ),
    (
        "x-1-cp3-none-any.whl",
        "python3.12/x86_64",
        "no_minor_version",
        "cp3 names no Python 3 minor version",
    ),
    (
        "x-1-py4-none-any.whl",
        "python3.12/x86_64",
        "other_python_major",
        "tagged for Python 4 (py4)",
    ),
    (
        "x-1-py2-none-any.whl",
        "python3.12/x86_64",
        "python2",
        "Python 2 only (py2)",
    ),
    (
        "x-1-py3-cp312-manylinux_2_17_x86_64.whl",
        "python3.12/x86_64",
        "generic_with_compiled_abi",
        "py3-cp312 pairs a generic Python tag with a compiled ABI, a combination pip never installs",
    ),
    (
        "x-1-cp312-cp312-any.whl",
        "python3.12/x86_64",
        "compiled_abi_without_platform",
        "cp312-cp312-any names a CPython ABI but no platform, a combination pip never installs",
    ),
    (
        "x-1-cp312-graalpy312_native-manylinux_2_17_x86_64.whl",
        "python3.12/x86_64",
        "other_abi",
        "ABI graalpy312_native is not CPython's; Lambda runs CPython",
    ),
    (
        "x-1-pp310-pypy310_pp73-manylinux_2_17_x86_64.whl",
        "python3.10/x86_64",
        "pypy",
        "PyPy build (pp310); Lambda runs CPython",
    ),
    (
        "x-1-ip27-none-any.whl",
        "python3.12/x86_64",
        "other_implementation",
        "built for another Python implementation (ip27); Lambda runs CPython",
    ),
    (
        "x-1-cp312-cp312-manylinux_2_17_aarch64.whl",
        "python3.12/x86_64",
        "wrong_arch",
        "built for aarch64; this function is x86_64",
    ),
    (
        "x-1-cp312-cp312-manylinux_2_17_x86_64.whl",
        "python3.12/arm64",
        "wrong_arch",
        "built for x86_64; this function is arm64 (aarch64)",
    ),
    (
        "x-1-cp312-cp312-linux_x86_64.whl",
        "python3.12/x86_64",
        "not_portable",
        "linux_x86_64 is not a portable tag: built against one machine's libraries, which Lambda may not have",
    ),
    (
        "x-1-cp312-cp312-musllinux_1_2_x86_64.whl",
        "python3.12/x86_64",
        "musl",
        "musllinux is for musl libc (Alpine), not glibc; Lambda uses glibc (musllinux_1_2_x86_64)",
    ),
    (
        "x-1-cp312-cp312-macosx_11_0_arm64.whl",
        "python3.12/arm64",
        "macos",
        "macOS build (macosx_11_0_arm64); Lambda runs Linux",
    ),
    (
        "x-1-cp312-cp312-win_amd64.whl",
        "python3.12/x86_64",
        "windows",
        "Windows build (win_amd64); Lambda runs Linux",
    ),
    (
        "x-1-cp312-cp312-android_21_arm64_v8a.whl",
        "python3.12/arm64",
        "other_platform",
        "built for android_21_arm64_v8a; Lambda needs a manylinux or pure-Python wheel",
    ),
];

#[test]
fn each_cause_read_from_a_file_name_has_its_variant_and_its_words() {
    for (filename, on, kind, words) in BY_NAME {
        let verdict = WheelName::parse(filename).unwrap().verdict(&target(on));
        let kinds: Vec<_> = verdict.refusals.iter().map(Refusal::kind).collect();
        let expected: Vec<&str> = if kind.is_empty() { vec![] } else { vec![kind] };
        assert_eq!(kinds, expected, "{filename} on {on}");
        assert_eq!(verdict.reason, *words, "{filename} on {on}");
        assert_eq!(verdict.compatible, kind.is_empty(), "{filename} on {on}");
        assert_eq!(verdict.fit.is_some(), kind.is_empty(), "{filename} on {on}");
    }
}

#[test]
fn the_variants_carry_the_versions_involved() {
    let verdict = WheelName::parse("x-1-cp311-cp311-manylinux_2_28_x86_64.whl")
        .unwrap()
        .verdict(&target("python3.11/x86_64"));
    let [Refusal::GlibcTooOld { needs, has, .. }] = &verdict.refusals[..] else {
        panic!("{:?}", verdict.refusals);
    };
    assert_eq!(
        (needs.to_string(), has.to_string()),
        ("2.28".into(), "2.26".into())
    );
    let verdict = WheelName::parse("x-1-cp313-cp313-manylinux_2_17_x86_64.whl")
        .unwrap()
        .verdict(&target("python3.12/x86_64"));
    assert_eq!(
        verdict.refusals,
        [Refusal::WrongCPython {
            major: 3,
            minor: 13,
            runtime_minor: 12
        }]
    );
}

/// A file as a test index would list it.
#[derive(Clone)]
struct Listed {
    filename: &'static str,
    kind: FileKind,
    requires_python: Option<&'static str>,
    yanked: Option<&'static str>,
}

impl ListedFile for Listed {
    fn filename(&self) -> &str {
        self.filename
    }
    fn kind(&self) -> FileKind {
        self.kind
    }
    fn version(&self) -> Option<&str> {
        Some("1")
    }
    fn requires_python(&self) -> Option<&str> {
        self.requires_python
    }
    fn yanked(&self) -> Option<&str> {
        self.yanked
    }
}

fn listed(filename: &'static str, kind: FileKind) -> Listed {
    Listed {
        filename,
        kind,
        requires_python: None,
        yanked: None,
    }
}

#[test]
fn each_cause_read_from_the_index_listing_has_its_variant_and_its_words() {
    let on = target("python3.12/x86_64");
    let cases = [
        (
            listed("x-1.tar.gz", FileKind::Sdist),
            "source_distribution",
            "source distribution: wheelbarrow never builds these, because a build here would target this machine, not Lambda",
        ),
        (
            listed("x-1.win32.exe", FileKind::Other),
            "not_a_wheel",
            "not a wheel (an old installer or egg format)",
        ),
        (
            listed("x.whl", FileKind::Wheel),
            "bad_file_name",
            &WheelName::parse("x.whl").unwrap_err().to_string(),
        ),
        (
            Listed {
                requires_python: Some(">=3.13"),
                ..listed("x-1-py3-none-any.whl", FileKind::Wheel)
            },
            "requires_python",
            "needs Python >=3.13 (Requires-Python); this runtime is 3.12",
        ),
        (
            Listed {
                yanked: Some("broken"),
                ..listed("x-1-py3-none-any.whl", FileKind::Wheel)
            },
            "yanked",
            "yanked by its maintainers (broken); pure Python (py3), loads on any platform",
        ),
        (
            Listed {
                yanked: Some(""),
                ..listed("x-1-py3-none-any.whl", FileKind::Wheel)
            },
            "yanked",
            "yanked by its maintainers; pure Python (py3), loads on any platform",
        ),
    ];
    for (file, kind, words) in cases {
        let verdict = file_verdict(&file, &on);
        let kinds: Vec<_> = verdict.refusals.iter().map(Refusal::kind).collect();
        assert_eq!(kinds, [kind], "{}", file.filename);
        assert_eq!(verdict.reason, words, "{}", file.filename);
        assert_eq!(verdict.compatible, kind == "yanked", "{}", file.filename);
    }
}

#[test]
fn causes_are_ordered_from_closest_to_furthest_from_loading() {
    let on = target("python3.12/x86_64");
    let cause = |name: &str| WheelName::parse(name).unwrap().verdict(&on).refusals[0].clone();
    let glibc = cause("x-1-cp312-cp312-manylinux_2_39_x86_64.whl");
    let python = cause("x-1-cp313-cp313-manylinux_2_17_x86_64.whl");
    let arch = cause("x-1-cp312-cp312-manylinux_2_17_aarch64.whl");
    let windows = cause("x-1-cp312-cp312-win_amd64.whl");
    let yanked = Refusal::Yanked {
        reason: String::new(),
    };
    let mut shuffled = vec![
        windows.clone(),
        glibc.clone(),
        arch.clone(),
        yanked.clone(),
        python.clone(),
    ];
    shuffled.sort();
    assert_eq!(shuffled, [yanked, glibc, python, arch, windows]);
    let bands: Vec<Distance> = shuffled.iter().map(Refusal::distance).collect();
    assert!(bands.windows(2).all(|w| w[0] < w[1]), "{bands:?}");
}

#[test]
fn the_derived_order_never_contradicts_the_distance_bands() {
    let mut causes: Vec<Refusal> = BY_NAME
        .iter()
        .flat_map(|(name, on, _, _)| {
            WheelName::parse(name)
                .unwrap()
                .verdict(&target(on))
                .refusals
        })
        .collect();
    causes.extend([Refusal::SourceDistribution, Refusal::NotAWheel]);
    causes.sort();
    let bands: Vec<Distance> = causes.iter().map(Refusal::distance).collect();
    assert!(bands.windows(2).all(|w| w[0] <= w[1]), "{bands:?}");
}

#[test]
fn a_reworded_cause_keeps_its_variant_but_not_its_words() {
    let wheel = WheelName::parse("x-1-cp312-cp312-win_amd64.whl").unwrap();
    let on = target("python3.12/x86_64");
    let plain = wheel.verdict(&on);
    let other = reworded::with(|| wheel.verdict(&on));
    assert_eq!(plain.refusals, other.refusals);
    assert_ne!(plain.reason, other.reason);
    assert_eq!(other.reason, "<windows cause, reworded>");
}
