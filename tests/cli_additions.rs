//! `build --add PATH=DEST`: a DEST ending in `/` is a folder, an addition never silently
//! replaces a wheel's file, and a symbolic link inside an added folder is refused, not dropped.

mod support;

use support::cli::{Sandbox, files_under, stderr};

fn zip_names(path: &std::path::Path) -> Vec<String> {
    let file = std::fs::File::open(path).unwrap();
    let zip = zip::ZipArchive::new(file).unwrap();
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}

#[test]
fn a_destination_ending_in_a_slash_puts_the_file_inside_that_folder() {
    let sb = Sandbox::new("add-folder");
    sb.write("tool", "#!/bin/sh\necho hi\n");
    let out = sb.build(["app", "--add", "tool=bin/", "-o", "out/layer.zip"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let names = zip_names(&sb.out().join("layer.zip"));
    assert!(names.iter().any(|n| n == "bin/tool"), "{names:?}");
    assert!(!names.iter().any(|n| n == "bin"), "{names:?}");
}

#[test]
fn an_addition_onto_a_wheels_file_is_refused_and_nothing_is_written() {
    let sb = Sandbox::new("add-over");
    sb.write("mine.py", "X = 2\n");
    let out = sb.build([
        "app",
        "--add",
        "mine.py=python/lib/python3.12/site-packages/app/__init__.py",
        "-o",
        "out/layer.zip",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("mine.py would replace python/lib/python3.12/site-packages/app/__init__.py, a file of app; choose another destination"),
        "{err}"
    );
    assert!(files_under(&sb.out()).is_empty());
}

#[test]
fn a_symbolic_link_inside_an_added_folder_is_refused_not_dropped() {
    let sb = Sandbox::new("add-link");
    sb.write("extra/real.txt", "real\n");
    std::os::unix::fs::symlink("real.txt", sb.dir.join("extra/link.txt")).unwrap();
    let out = sb.build(["app", "--add", "extra=share/extra", "-o", "out/layer.zip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("extra/link.txt inside the added folder extra is a symbolic link"),
        "{err}"
    );
    assert!(files_under(&sb.out()).is_empty());
}

#[test]
fn a_library_of_your_own_that_needs_a_newer_glibc_is_said_not_to_load_on_the_target() {
    let sb = Sandbox::new("add-glibc");
    std::fs::write(
        sb.dir.join("libclient.so.1"),
        include_bytes!("fixtures/native/libstatx.so"),
    )
    .unwrap();
    // python3.11 runs on Amazon Linux 2 (glibc 2.26); the library needs 2.28.
    let out = sb
        .command(["build", "--runtime", "python3.11"])
        .args(["app", "--add", "libclient.so.1=lib/", "-o", "out/old.zip"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains(
            "lib/libclient.so.1 (yours) will not load on python3.11 on x86_64: needs glibc 2.28"
        ),
        "{summary}"
    );
    // python3.12 runs on Amazon Linux 2023 (glibc 2.34): nothing to say.
    let out = sb.build(["app", "--add", "libclient.so.1=lib/", "-o", "out/new.zip"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(!summary.contains("(yours) will not load"), "{summary}");
}
