//! The public API of the native module: names, magic numbers, non-ELF binaries, file-name
//! tags, linker scripts, and hostile input.

use super::elf_tests::{LIBSTATX, Spec, elf, spec};
use super::*;
use crate::lambda::RuntimeTable;

pub(super) fn target(runtime: &str, arch: &str) -> Target {
    RuntimeTable::builtin()
        .target(Some(runtime), Some(arch))
        .unwrap()
}

pub(super) fn py311() -> Target {
    target("python3.11", "x86_64")
}

#[test]
fn native_paths_are_recognised_by_name() {
    for path in [
        "a/_speedups.cpython-311-x86_64-linux-gnu.so",
        "lib/libpq.so.5",
        "x/libz.so.1.2.13",
        "m.pyd",
        "m.DYLIB",
    ] {
        assert!(is_native_path(path), "{path}");
    }
    for path in [
        "a/so.py",
        "libfoo.so.bak",
        "libfoo.so.",
        "x.so.1.",
        "README.md",
        "sonic.txt",
    ] {
        assert!(!is_native_path(path), "{path}");
    }
}

#[test]
fn sniff_knows_elf_macho_and_pe_but_not_java_classes_or_bare_mz() {
    assert_eq!(sniff(b"\x7fELF\x02\x01"), Some(BinaryKind::Elf));
    for magic in [
        [0xfe, 0xed, 0xfa, 0xce],
        [0xfe, 0xed, 0xfa, 0xcf],
        [0xce, 0xfa, 0xed, 0xfe],
        [0xcf, 0xfa, 0xed, 0xfe],
    ] {
        assert_eq!(sniff(&magic), Some(BinaryKind::MachO));
    }
    assert_eq!(
        sniff(&[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]),
        Some(BinaryKind::MachO)
    );
    assert_eq!(
        sniff(&[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]),
        None,
        "a Java class file"
    );
    let mut pe = vec![0u8; 0x90];
    pe[..2].copy_from_slice(b"MZ");
    pe[0x3c] = 0x80;
    assert_eq!(sniff(&pe), None, "MZ without a PE header");
    pe[0x80..0x84].copy_from_slice(b"PE\0\0");
    assert_eq!(sniff(&pe), Some(BinaryKind::Pe));
    assert_eq!(sniff(b""), None);
    assert_eq!(sniff(b"\x7fEL"), None);
}

#[test]
fn macos_and_windows_binaries_never_load() {
    let macho = [0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0, 0, 0x01, 3, 0, 0, 0];
    let check = check_native("m.cpython-311-darwin.so", &macho, &py311());
    assert_eq!(check.kind, Some(BinaryKind::MachO));
    assert_eq!(check.problems, ["macOS binary; Lambda runs Linux"]);
    let fat = [0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2];
    assert_eq!(
        check_native("m.so", &fat, &py311()).problems,
        ["macOS binary; Lambda runs Linux"]
    );
    let mut pe = vec![0u8; 0x90];
    pe[..2].copy_from_slice(b"MZ");
    pe[0x3c] = 0x80;
    pe[0x80..0x86].copy_from_slice(b"PE\0\0\x64\x86");
    let check = check_native("m.cp311-win_amd64.pyd", &pe, &py311());
    assert_eq!(check.kind, Some(BinaryKind::Pe));
    assert_eq!(check.problems, ["Windows binary; Lambda runs Linux"]);
}

#[test]
fn file_name_tags_reveal_interpreter_and_platform() {
    let image = elf(&spec(&["libc.so.6"], &["GLIBC_2.17"]));
    let problems = |path: &str| check_native(path, &image, &py311()).problems;
    assert!(problems("m.cpython-311-x86_64-linux-gnu.so").is_empty());
    assert!(problems("m.abi3.so").is_empty());
    assert!(problems("plain.so").is_empty());
    assert!(problems("m.cpython-311.so").is_empty());
    assert_eq!(
        problems("m.cpython-312-x86_64-linux-gnu.so"),
        ["CPython 3.12 extension; this runtime is 3.11"]
    );
    assert_eq!(
        problems("m.cpython-311t-x86_64-linux-gnu.so"),
        ["free-threaded build (cpython-311t); Lambda's Python is the standard build"]
    );
    assert_eq!(
        problems("m.cpython-313t-x86_64-linux-gnu.so"),
        [
            "CPython 3.13 extension; this runtime is 3.11",
            "free-threaded build (cpython-313t); Lambda's Python is the standard build"
        ]
    );
    assert_eq!(
        problems("m.pypy39-pp73-x86_64-linux-gnu.so"),
        ["PyPy extension; Lambda runs CPython"]
    );
    assert_eq!(
        problems("m.cpython-311-aarch64-linux-gnu.so"),
        ["built for aarch64; this function is x86_64"]
    );
    assert_eq!(problems("m.cpython-311-x86_64-linux-musl.so"), [MUSL]);
    let arm = elf(&Spec {
        machine: 183,
        ..spec(&["libc.so.6"], &[])
    });
    let check = check_native("m.cpython-311-aarch64-linux-gnu.so", &arm, &py311());
    assert_eq!(
        check.problems,
        ["built for aarch64; this function is x86_64"],
        "reported once"
    );
}

#[test]
fn linker_scripts_pass_but_other_contents_do_not() {
    let script = b"/* GNU ld script\n   Use the shared library. */\nGROUP ( /lib/libc.so.6 )\n";
    let check = check_native("lib/libc.so", script, &py311());
    assert_eq!((check.kind, check.problems.len()), (None, 0));
    let script = b"/* We use a linker script rather than a symlink */\nINPUT(libtinfo.so.6)\n";
    assert!(
        check_native("lib/libtermcap.so", script, &py311())
            .problems
            .is_empty()
    );
    for junk in [&b"hello"[..], b"", b"\0\0\0\0\0\0"] {
        let check = check_native("lib/libfoo.so.1", junk, &py311());
        assert_eq!(
            check.problems,
            ["not a shared library (unrecognised contents)"]
        );
    }
    assert!(
        check_native("data.bin", b"hello", &py311())
            .problems
            .is_empty()
    );
}

/// xorshift64: deterministic noise for the no-panic tests.
fn noise(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn truncated_mutated_and_random_input_never_panics() {
    let target = py311();
    let images = [
        elf(&spec(
            &["libc.so.6", "libz.so.1"],
            &["GLIBC_2.17", "GLIBC_2.28"],
        )),
        elf(&Spec {
            is64: false,
            le: false,
            sections: false,
            ..spec(&["libc.so.6"], &["GLIBC_2.4"])
        }),
        LIBSTATX.to_vec(),
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15;
    for image in &images {
        for len in 0..=image.len() {
            check_native("m.so", &image[..len], &target);
        }
        for _ in 0..3000 {
            let mut mutated = image.clone();
            for _ in 0..=noise(&mut state) % 6 {
                let at = usize::try_from(noise(&mut state)).unwrap() % mutated.len();
                let [byte, ..] = noise(&mut state).to_le_bytes();
                mutated[at] = if byte < 64 { 0xff } else { byte };
            }
            check_native("m.cpython-3x-?-linux-.so", &mutated, &target);
        }
    }
    for round in 0..2000 {
        let len = usize::try_from(noise(&mut state) % 512).unwrap();
        let mut bytes: Vec<u8> = (0..len)
            .map(|_| noise(&mut state).to_le_bytes()[0])
            .collect();
        let prefix: &[u8] = [
            &b"\x7fELF\x02\x01"[..],
            b"\x7fELF\x01\x02",
            b"MZ",
            &[0xca, 0xfe, 0xba, 0xbe],
            b"",
        ][round % 5];
        bytes.splice(0..0, prefix.iter().copied());
        check_native("x.so", &bytes, &target);
    }
}
