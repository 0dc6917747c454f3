//! Hostile wheels and layers, built here: a wheel holding both `x` and `x/y.py`, a path
//! component too long for a file system, a file name that disagrees with its METADATA; a
//! layer for another Python version, and a small zip whose member claims a gigabyte. `build`
//! refuses each (exit 2, nothing written), `inspect` flags each.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::cli::{Sandbox, files_under, stderr};
use support::{FileOptions, WheelBuilder};
use zip::write::SimpleFileOptions;

/// Serves `wheel` as `app 1.0` (its file named `app-1.0-py3-none-any.whl`), with an honest
/// METADATA file beside it, and builds `app` into `out/layer.zip`.
fn build_served_as_app(sb: &Sandbox, wheel: &support::Wheel) -> std::process::Output {
    let honest = WheelBuilder::new("app", "1.0").build();
    sb.index.add_file(
        "app",
        "1.0",
        FileOptions::for_wheel(&honest),
        "app-1.0-py3-none-any.whl",
        wheel.bytes.clone(),
    );
    sb.build(["app==1.0", "-o", "out/layer.zip"])
}

fn assert_refused(sb: &Sandbox, out: &std::process::Output, words: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(words), "{err}");
    assert!(err.contains("No zip was written"), "{err}");
    assert!(
        files_under(&sb.out()).is_empty(),
        "{:?}",
        files_under(&sb.out())
    );
}

#[test]
fn a_wheel_with_a_file_that_is_also_a_folder_is_refused_by_build() {
    let sb = Sandbox::new("file-and-folder");
    let wheel = WheelBuilder::new("app", "1.0")
        .file("app/x", b"a file\n")
        .file("app/x/y.py", b"Y = 1\n")
        .build();
    let out = build_served_as_app(&sb, &wheel);
    assert_refused(
        &sb,
        &out,
        "site-packages/app/x would be a file (from app) and also a folder holding python/lib/python3.12/site-packages/app/x/y.py (from app)",
    );
}

#[test]
fn a_wheel_with_a_path_component_over_255_bytes_is_refused_by_build() {
    let sb = Sandbox::new("long-name");
    let long = format!("app/{}.py", "a".repeat(300));
    let wheel = WheelBuilder::new("app", "1.0")
        .file(&long, b"X = 1\n")
        .build();
    let out = build_served_as_app(&sb, &wheel);
    assert_refused(&sb, &out, "has a path component of 303 bytes");
}

#[test]
fn a_wheel_whose_metadata_names_another_project_is_refused_by_build() {
    let sb = Sandbox::new("other-name");
    let wheel = WheelBuilder::new("evil", "1.0").build();
    let out = build_served_as_app(&sb, &wheel);
    assert_refused(
        &sb,
        &out,
        "refusing app-1.0-py3-none-any.whl: its file name says project app, but evil-1.0.dist-info/METADATA says Name: evil",
    );
}

#[test]
fn a_wheel_whose_metadata_gives_another_version_is_refused_by_build() {
    let sb = Sandbox::new("other-version");
    let wheel = WheelBuilder::new("app", "2.0").build();
    let out = build_served_as_app(&sb, &wheel);
    assert_refused(
        &sb,
        &out,
        "its file name says version 1.0, but app-2.0.dist-info/METADATA says Version: 2.0",
    );
}

fn layer(tag: &str, members: &[(&str, &[u8])]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("wb-hostile-{tag}-{}.zip", std::process::id()));
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (name, data) in members {
        zip.start_file(*name, SimpleFileOptions::default().unix_permissions(0o644))
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    path
}

/// `inspect --json` on `path`: the exit status and the problems, one a line.
fn inspect(path: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .arg("inspect")
        .arg(path)
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let _ = std::fs::remove_file(path);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let problems = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    (out.status.code(), problems)
}

const SITE_312: &str = "python/lib/python3.12/site-packages";

#[test]
fn inspect_flags_a_file_that_is_also_a_folder() {
    let x = format!("{SITE_312}/app/x");
    let y = format!("{SITE_312}/app/x/y.py");
    let path = layer("file-folder", &[(&x, b"file"), (&y, b"Y = 1\n")]);
    let (code, problems) = inspect(&path, &["--runtime", "python3.12"]);
    assert_eq!(code, Some(1), "{problems}");
    assert!(
        problems.contains(&format!(
            "{x} is a file and also a folder holding {y}; the zip cannot be unzipped"
        )),
        "{problems}"
    );
}

#[test]
fn inspect_flags_a_path_component_over_255_bytes() {
    let long = format!("{SITE_312}/app/{}.py", "b".repeat(256));
    let path = layer("long", &[(&long, b"X = 1\n")]);
    let (code, problems) = inspect(&path, &["--runtime", "python3.12"]);
    assert_eq!(code, Some(1), "{problems}");
    assert!(
        problems.contains("a path component of 259 bytes"),
        "{problems}"
    );
}

#[test]
fn inspect_flags_a_site_packages_folder_of_another_python_version() {
    let path = layer(
        "py311",
        &[(
            "python/lib/python3.11/site-packages/app/__init__.py",
            b"X = 1\n",
        )],
    );
    let (code, problems) = inspect(&path, &["--runtime", "python3.12"]);
    assert_eq!(code, Some(1), "{problems}");
    assert!(
        problems.contains("python/lib/python3.11/site-packages is read only by another Python version; python3.12 never looks there"),
        "{problems}"
    );
}

/// Sets the uncompressed size of every member, in its local header and in the central
/// directory, to `size`.
fn claim_size(zip: &mut [u8], size: u32) {
    let mut i = 0;
    while i + 30 <= zip.len() {
        let at = match &zip[i..i + 4] {
            [0x50, 0x4b, 0x03, 0x04] => Some(i + 22),
            [0x50, 0x4b, 0x01, 0x02] => Some(i + 24),
            _ => None,
        };
        if let Some(at) = at {
            zip[at..at + 4].copy_from_slice(&size.to_le_bytes());
        }
        i += 1;
    }
}

#[test]
fn inspect_does_not_inflate_a_member_that_claims_a_gigabyte() {
    let so = format!("{SITE_312}/app/_big.cpython-312-x86_64-linux-gnu.so");
    let path = layer("bomb", &[(&so, &[0u8; 4096])]);
    let mut bytes = std::fs::read(&path).unwrap();
    claim_size(&mut bytes, 1 << 30);
    std::fs::write(&path, &bytes).unwrap();
    let (code, problems) = inspect(&path, &["--runtime", "python3.12"]);
    assert_eq!(code, Some(1), "{problems}");
    assert!(
        problems.contains(&format!("{so} unzips to 1.0 GB, alone over Lambda's")),
        "{problems}"
    );
    assert!(problems.contains("it was not inflated"), "{problems}");
    assert!(!problems.contains("cannot be read"), "{problems}");
}

/// `app 1.0` with a RECORD whose line for `app/__init__.py` has empty hash and size fields.
fn wheel_with_empty_record_fields() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().unix_permissions(0o644);
    for (name, data) in [
        ("app/__init__.py", "X = 1\n"),
        (
            "app-1.0.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: app\nVersion: 1.0\n",
        ),
        (
            "app-1.0.dist-info/WHEEL",
            "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        ),
        (
            "app-1.0.dist-info/RECORD",
            "app/__init__.py,,\napp-1.0.dist-info/RECORD,,\n",
        ),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_record_line_with_empty_fields_is_refused_naming_the_entry() {
    let sb = Sandbox::new("empty-record");
    let honest = WheelBuilder::new("app", "1.0").build();
    sb.index.add_file(
        "app",
        "1.0",
        FileOptions::for_wheel(&honest),
        "app-1.0-py3-none-any.whl",
        wheel_with_empty_record_fields(),
    );
    let out = sb.build(["app==1.0", "-o", "out/layer.zip"]);
    assert_refused(
        &sb,
        &out,
        "entry 'app/__init__.py' has no hash in RECORD, so its contents cannot be checked",
    );
    assert!(!stderr(&out).contains("RECORD says ,"));
}
