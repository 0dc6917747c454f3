//! `inspect` on layers built by other tools: wrong layouts, permissions and native extensions
//! that will not load, each said plainly.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use zip::write::SimpleFileOptions;

/// A real shared library needing `GLIBC_2.28` (see `tests/fixtures/native/libstatx.c`).
const NEEDS_GLIBC_2_28: &[u8] = include_bytes!("fixtures/native/libstatx.so");

fn layer(tag: &str, members: &[(&str, &[u8], u32)]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("wb-inspect-{tag}-{}.zip", std::process::id()));
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (name, data, mode) in members {
        zip.start_file(*name, SimpleFileOptions::default().unix_permissions(*mode))
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    path
}

fn inspect(path: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .arg("inspect")
        .arg(path)
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), report)
}

fn problems(report: &serde_json::Value) -> String {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn native_extensions_that_will_not_load_are_named_with_the_reason() {
    let site = "python/lib/python3.11/site-packages";
    let macho = [0xcf, 0xfa, 0xed, 0xfe, 0, 0, 0, 0];
    let path = layer(
        "native",
        &[
            (
                &format!("{site}/fast/_glibc.cpython-311-x86_64-linux-gnu.so"),
                NEEDS_GLIBC_2_28,
                0o644,
            ),
            (
                &format!("{site}/fast/_wrongpy.cpython-312-x86_64-linux-gnu.so"),
                NEEDS_GLIBC_2_28,
                0o644,
            ),
            (
                &format!("{site}/fast/_mac.cpython-311-darwin.so"),
                &macho,
                0o644,
            ),
            (
                &format!("{site}/fast-1.0.dist-info/METADATA"),
                b"Name: fast\nVersion: 1.0\n",
                0o644,
            ),
        ],
    );
    let (code, report) = inspect(&path, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        report["runtime"], "python3.11",
        "the runtime is read from the layout"
    );
    let text = problems(&report);
    for needle in [
        "_glibc.cpython-311-x86_64-linux-gnu.so: needs glibc 2.28",
        "python3.11 runs on Amazon Linux 2 with glibc 2.26",
        "_wrongpy.cpython-312-x86_64-linux-gnu.so: CPython 3.12 extension; this runtime is 3.11",
        "_mac.cpython-311-darwin.so: macOS binary",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    // The same layer checked for python3.12 (glibc 2.34): the glibc problem goes away.
    let (_, report) = inspect(&path, &["--runtime", "python3.12"]);
    assert!(
        !problems(&report).contains("needs glibc"),
        "{}",
        problems(&report)
    );
    assert_eq!(report["packages"][0]["name"], "fast");
    std::fs::remove_file(path).unwrap();
}

#[test]
fn packages_at_the_zip_root_and_private_files_are_problems() {
    let path = layer(
        "layout",
        &[
            ("requests/__init__.py", b"", 0o644),
            ("python/secret.py", b"", 0o600),
        ],
    );
    let (code, report) = inspect(&path, &["--runtime", "python3.12"]);
    assert_eq!(code, 1);
    let text = problems(&report);
    assert!(
        text.contains("requests at the zip's root land in /opt/"),
        "{text}"
    );
    assert!(
        text.contains("not readable by everyone") && text.contains("python/secret.py"),
        "{text}"
    );
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_clean_layer_passes_and_a_non_zip_is_one_clear_error() {
    let path = layer(
        "clean",
        &[(
            "python/lib/python3.12/site-packages/ok.py",
            b"x = 1\n",
            0o644,
        )],
    );
    let (code, report) = inspect(&path, &[]);
    assert_eq!(code, 0, "{report}");
    std::fs::remove_file(&path).unwrap();
    let not_zip =
        std::env::temp_dir().join(format!("wb-inspect-notzip-{}.zip", std::process::id()));
    std::fs::write(&not_zip, b"hello").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .arg("inspect")
        .arg(&not_zip)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("is not a readable zip file"), "{err}");
    std::fs::remove_file(not_zip).unwrap();
}

#[test]
fn duplicate_entries_an_empty_zip_and_a_header_only_elf_each_fail_inspect_in_words() {
    let site = "python/lib/python3.12/site-packages";
    let twin_a = format!("{site}/a.py");
    let twin_b = format!("{site}/b.py");
    let path = layer(
        "dup",
        &[(&twin_a, b"x = 1\n", 0o644), (&twin_b, b"x = 2\n", 0o644)],
    );
    // The zip writer refuses repeated names: store b.py, then rename it to a.py in place.
    let bytes = std::fs::read(&path).unwrap();
    let (from, to) = (twin_b.as_bytes(), twin_a.as_bytes());
    let mut renamed = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at..].starts_with(from) {
            renamed.extend_from_slice(to);
            at += from.len();
        } else {
            renamed.push(bytes[at]);
            at += 1;
        }
    }
    std::fs::write(&path, renamed).unwrap();
    let (code, report) = inspect(&path, &["--runtime", "python3.12"]);
    assert_eq!(code, 1, "{report}");
    assert!(
        problems(&report).contains(&format!("{twin_a} is stored 2 times in the zip")),
        "{report}"
    );
    std::fs::remove_file(&path).unwrap();

    let path = layer("empty", &[]);
    let (code, report) = inspect(&path, &["--runtime", "python3.12"]);
    assert_eq!(code, 1, "{report}");
    assert!(
        problems(&report).contains("the zip holds no files"),
        "{report}"
    );
    std::fs::remove_file(&path).unwrap();

    // The real library's first 64 bytes: a whole ELF header, nothing dlopen can map.
    let so = format!("{site}/fast/_x.cpython-312-x86_64-linux-gnu.so");
    let path = layer("header", &[(&so, &NEEDS_GLIBC_2_28[..64], 0o755)]);
    let (code, report) = inspect(&path, &["--runtime", "python3.12"]);
    assert_eq!(code, 1, "{report}");
    assert!(
        problems(&report)
            .contains("_x.cpython-312-x86_64-linux-gnu.so: too short to load: 64 bytes"),
        "{report}"
    );
    std::fs::remove_file(&path).unwrap();
}
