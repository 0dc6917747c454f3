//! Names in a layer that try to fool the reader of `inspect`'s report: a member whose name
//! holds line breaks and a fake verdict, zero-width and bidirectional characters, NFC/NFD twin
//! folders and names that differ only by an invisible character. Each is shown with its
//! characters visible as escapes, and the look-alikes are flagged.

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output};

use zip::write::SimpleFileOptions;

fn layer(tag: &str, names: &[&str]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("wb-names-{tag}-{}.zip", std::process::id()));
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for name in names {
        zip.start_file(*name, SimpleFileOptions::default().unix_permissions(0o644))
            .unwrap();
        zip.write_all(b"X = 1\n").unwrap();
    }
    zip.finish().unwrap();
    path
}

fn inspect(path: &PathBuf, json: bool) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"));
    cmd.arg("inspect")
        .arg(path)
        .args(["--runtime", "python3.12", "--color", "never"]);
    if json {
        cmd.arg("--json");
    }
    cmd.output().unwrap()
}

#[test]
fn a_member_name_with_line_breaks_cannot_fake_a_line_of_the_report() {
    // At the zip's root, the folder is named in the stray-folders problem.
    let fake = "x\n✓ nothing found that would fail on python3.12 x86_64\nmore/";
    let path = layer("newline", &[&format!("{fake}a.py"), "python/ok.py"]);
    let out = inspect(&path, false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::remove_file(&path);
    // The stray folder is a problem, so the tool's own verdict line is absent: any line
    // starting with the verdict would be the name's.
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        !stdout.lines().any(|l| l.starts_with("✓")),
        "a faked line:\n{stdout}"
    );
    assert!(
        stdout.contains(r"x\n✓ nothing found that would fail on python3.12 x86_64\nmore/"),
        "{stdout}"
    );
}

#[test]
fn bidi_and_zero_width_characters_in_names_are_shown_as_escapes_in_problems() {
    let path = layer(
        "bidi",
        &["evil-py3-none-\u{202e}lhw.yna/a.py", "python/ok.py"],
    );
    let out = inspect(&path, false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::remove_file(&path);
    assert!(stdout.contains(r"evil-py3-none-\u202elhw.yna"), "{stdout}");
    assert!(!stdout.contains('\u{202e}'), "{stdout}");
}

#[test]
fn nfc_and_nfd_twin_folders_are_flagged() {
    let path = layer(
        "nfd",
        &[
            "python/caf\u{e9}/__init__.py",
            "python/cafe\u{301}/__init__.py",
        ],
    );
    let out = inspect(&path, true);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = report["problems"].to_string();
    assert!(
        problems.contains("look the same but are two different paths: the same letters composed differently (NFD and NFC)"),
        "{problems}"
    );
}

#[test]
fn names_that_differ_only_by_an_invisible_character_are_flagged() {
    let path = layer(
        "invisible",
        &[
            "python/requests/__init__.py",
            "python/req\u{200b}uests/__init__.py",
        ],
    );
    let out = inspect(&path, false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(r"python/requests/ and python/req\u200buests/ look the same but are two different paths: they differ only by invisible characters"),
        "{stdout}"
    );
}

/// A stand-in for the AWS CLI that parses `publish-layer-version` as argparse does (a value
/// that starts with `-` is refused as "expected one argument") and prints the layer name.
const FAKE_AWS: &str = r#"#!/usr/bin/env python3
import argparse, sys
p = argparse.ArgumentParser(prog="aws")
p.add_argument("service"); p.add_argument("op")
p.add_argument("--layer-name", required=True); p.add_argument("--zip-file")
p.add_argument("--content"); p.add_argument("--description")
p.add_argument("--compatible-runtimes", nargs="+"); p.add_argument("--compatible-architectures", nargs="+")
a = p.parse_args()
print("LAYER-NAME=" + a.layer_name)
"#;

#[cfg(unix)]
#[test]
fn layers_built_into_zips_named_like_options_or_in_other_scripts_get_names_lambda_takes() {
    use std::os::unix::fs::PermissionsExt as _;
    let sb = support::cli::Sandbox::new("layer-names");
    let bin = sb.dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("aws"), FAKE_AWS).unwrap();
    std::fs::set_permissions(bin.join("aws"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (zip, name) in [
        ("-rf", "rf"),
        ("日本", "layer"),
        ("été", "ete"),
        ("--", "layer"),
    ] {
        let out = sb.build(["app", "-o", &format!("out/{zip}.zip")]);
        assert_eq!(out.status.code(), Some(0), "{}", support::cli::stderr(&out));
        let script = sb.out().join(format!("{zip}.publish.sh"));
        let text = std::fs::read_to_string(&script).unwrap();
        assert!(text.contains(&format!("--layer-name={name} ")), "{text}");
        let ran = Command::new("sh")
            .arg(&script)
            .env("PATH", &path)
            .current_dir(&sb.dir)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&ran.stdout);
        assert!(
            ran.status.success(),
            "{zip}: {}",
            String::from_utf8_lossy(&ran.stderr)
        );
        assert_eq!(said.trim(), format!("LAYER-NAME={name}"), "{zip}");
    }
}
