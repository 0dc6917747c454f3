//! Opening a layer zip made by another tool (`pip install -t python/ … && zip -r`): the files
//! attributed to their packages through each RECORD, the runtime read from the extension
//! modules, and the problems `inspect` finds, for the target it was read for or one given.

use std::io::Write;
use std::path::PathBuf;

use wheelbarrow::RuntimeTable;
use wheelbarrow::layer::inspect::RuntimeFrom;
use wheelbarrow::layer::{Layout, UNRECORDED, open_layer};
use zip::write::SimpleFileOptions;

/// A real x86_64 shared library needing `GLIBC_2.28` (see `tests/fixtures/native/libstatx.c`).
const NEEDS_GLIBC_2_28: &[u8] = include_bytes!("fixtures/native/libstatx.so");

fn zip_of(tag: &str, members: &[(&str, &[u8])]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("wb-opened-{tag}-{}.zip", std::process::id()));
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (name, data) in members {
        let mode = if name.contains("/bin/") || name.starts_with("bin/") {
            0o755
        } else {
            0o644
        };
        zip.start_file(*name, SimpleFileOptions::default().unix_permissions(mode))
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    path
}

/// What `pip install -t python/ fast && zip -r layer.zip python` leaves on a laptop with
/// CPython 3.11: the package, its extension, its dist-info with RECORD, and a stray file.
fn pip_target_layer(tag: &str) -> PathBuf {
    let so = "fast/_speed.cpython-311-x86_64-linux-gnu.so";
    let record = format!(
        "fast/__init__.py,sha256=x,6\n{so},sha256=y,{}\nfast-1.0.dist-info/METADATA,,\nfast-1.0.dist-info/RECORD,,\n",
        NEEDS_GLIBC_2_28.len()
    );
    zip_of(
        tag,
        &[
            ("python/fast/__init__.py", b"x = 1\n"),
            (&format!("python/{so}"), NEEDS_GLIBC_2_28),
            (
                "python/fast-1.0.dist-info/METADATA",
                b"Metadata-Version: 2.1\nName: fast\nVersion: 1.0\n",
            ),
            ("python/fast-1.0.dist-info/RECORD", record.as_bytes()),
            ("python/notes.txt", b"left here by hand\n"),
        ],
    )
}

#[test]
fn a_pip_target_layer_is_read_for_the_python_its_extensions_were_built_for() {
    let table = RuntimeTable::builtin();
    let path = pip_target_layer("infer");
    let opened = open_layer(&path, None, &table).unwrap();
    let guess = opened.inspection.target_note.as_ref().unwrap();
    assert_eq!(guess.runtime_from, RuntimeFrom::Extensions, "{guess}");
    assert!(guess.arch_from_binaries, "{guess}");
    assert_eq!(opened.plan.target.runtime.name, "python3.11");
    assert_eq!(opened.plan.target.arch.lambda_name(), "x86_64");
    assert_eq!(opened.plan.layout, Layout::Python);
    // python3.11 runs on Amazon Linux 2 (glibc 2.26): the extension needs 2.28.
    let problems: Vec<String> = opened
        .inspection
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("GLIBC_2.28"), "{problems:?}");
    assert!(problems[0].contains("_speed.cpython-311"), "{problems:?}");

    // Every file is owned by the package whose RECORD lists it; the rest are said to be in none.
    let owner = |p: &str| {
        opened
            .plan
            .files
            .iter()
            .find(|f| f.path == p)
            .map(|f| f.owner.clone())
    };
    assert_eq!(owner("python/fast/__init__.py").as_deref(), Some("fast"));
    assert_eq!(
        owner("python/fast-1.0.dist-info/RECORD").as_deref(),
        Some("fast")
    );
    assert_eq!(owner("python/notes.txt").as_deref(), Some(UNRECORDED));
    let names: Vec<(&str, usize)> = opened
        .plan
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.files))
        .collect();
    assert_eq!(names, [("fast", 4), (UNRECORDED, 1)]);
    let listed: u64 = opened.plan.packages.iter().map(|p| p.unzipped).sum();
    assert_eq!(listed, opened.inspection.unzipped);
    assert_eq!(opened.plan.unzipped(), opened.inspection.unzipped);
}

#[test]
fn a_target_given_is_the_one_checked() {
    let table = RuntimeTable::builtin();
    let path = pip_target_layer("given");
    let target = table.target(Some("python3.12"), Some("x86_64")).unwrap();
    let opened = open_layer(&path, Some(&target), &table).unwrap();
    assert!(opened.inspection.target_note.is_none());
    assert_eq!(opened.plan.target, target);
    let problems: Vec<String> = opened
        .inspection
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("CPython 3.11 extension; this runtime is 3.12")),
        "{problems:?}"
    );
}

#[test]
fn record_paths_climbing_to_bin_are_owned_and_the_site_packages_layout_is_seen() {
    let table = RuntimeTable::builtin();
    let site = "python/lib/python3.12/site-packages";
    let path = zip_of(
        "site",
        &[
            (&format!("{site}/tool/__init__.py"), b"" as &[u8]),
            (
                &format!("{site}/tool-2.0.dist-info/METADATA"),
                b"Metadata-Version: 2.1\nName: tool\nVersion: 2.0\n",
            ),
            (
                &format!("{site}/tool-2.0.dist-info/RECORD"),
                b"tool/__init__.py,,\ntool-2.0.dist-info/METADATA,,\ntool-2.0.dist-info/RECORD,,\n../../../../bin/tool,,\n../../../../../escape,,\n",
            ),
            ("bin/tool", b"#!/bin/sh\n"),
        ],
    );
    let opened = open_layer(&path, None, &table).unwrap();
    assert_eq!(opened.plan.layout, Layout::SitePackages);
    assert_eq!(opened.plan.target.runtime.name, "python3.12");
    let bin = opened
        .plan
        .files
        .iter()
        .find(|f| f.path == "bin/tool")
        .unwrap();
    assert_eq!(bin.owner, "tool");
    assert!(bin.executable);
    assert!(opened.plan.packages.iter().all(|p| p.name != UNRECORDED));
}

#[test]
fn what_is_not_a_zip_is_refused_in_words() {
    let table = RuntimeTable::builtin();
    let path = std::env::temp_dir().join(format!("wb-opened-notzip-{}.zip", std::process::id()));
    std::fs::write(&path, b"not a zip at all").unwrap();
    let err = open_layer(&path, None, &table).unwrap_err().to_string();
    assert!(err.contains("is not a readable zip file"), "{err}");
    let missing = open_layer(std::path::Path::new("/nonexistent/layer.zip"), None, &table)
        .unwrap_err()
        .to_string();
    assert!(missing.contains("/nonexistent/layer.zip"), "{missing}");
}
