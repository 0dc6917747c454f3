//! The `check` and `runtimes` commands as a script or a newcomer would run them.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn wheelbarrow(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).unwrap();
    }
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn check_json_gives_one_array_with_filename_compatible_and_reason() {
    let out = wheelbarrow(
        &[
            "check",
            "--runtime",
            "python3.11",
            "--arch",
            "x86_64",
            "--json",
            "numpy-2.3.1-cp311-cp311-manylinux_2_28_x86_64.whl",
            "numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "one file is refused");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["compatible"], false);
    assert_eq!(
        rows[0]["reason"],
        "manylinux_2_28 needs glibc 2.28; python3.11 runs on Amazon Linux 2 with glibc 2.26"
    );
    assert_eq!(rows[1]["compatible"], true);
    assert_eq!(rows[1]["best_tag"], "cp311-cp311-manylinux_2_17_x86_64");
}

#[test]
fn check_reads_names_from_stdin_with_a_dash_and_exits_zero_when_all_load() {
    let input =
        "# a comment\nrequests-2.32.3-py3-none-any.whl\n\n  six-1.16.0-py2.py3-none-any.whl  \n";
    let out = wheelbarrow(&["check", "-", "--json", "-a", "aarch64"], Some(input));
    assert_eq!(out.status.code(), Some(0));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2);
}

#[test]
fn a_malformed_name_is_reported_not_a_panic_and_the_rest_still_checked() {
    let out = wheelbarrow(
        &[
            "check",
            "not-a-wheel.tar.gz",
            "requests-2.32.3-py3-none-any.whl",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(
        text.contains("'not-a-wheel.tar.gz' is not a wheel file name"),
        "{text}"
    );
    assert!(text.contains("✓ loads"), "{text}");
    assert!(
        text.contains("2 files: 1 loads, 0 refused, 1 malformed"),
        "{text}"
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn plain_output_is_uncoloured_when_piped_and_coloured_on_request() {
    let name = "numpy-2.3.1-cp311-cp311-manylinux_2_28_x86_64.whl";
    let piped = wheelbarrow(&["check", "--runtime", "3.11", name], None);
    assert!(!stdout(&piped).contains('\x1b'));
    let forced = wheelbarrow(
        &["check", "--runtime", "3.11", "--color", "always", name],
        None,
    );
    let text = stdout(&forced);
    // The glibc-too-new platform tag is red, the matching cp311 tags green.
    assert!(
        text.contains("\x1b[31mmanylinux_2_28_x86_64\x1b[0m"),
        "{text}"
    );
    assert!(text.contains("\x1b[32mcp311\x1b[0m"), "{text}");
}

#[test]
fn an_unknown_runtime_or_architecture_is_one_clear_line() {
    let out = wheelbarrow(
        &["check", "--runtime", "python2.7", "x-1-py3-none-any.whl"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unknown runtime 'python2.7'"), "{err}");
    let out = wheelbarrow(&["check", "-a", "mips", "x-1-py3-none-any.whl"], None);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Lambda has x86_64 and arm64"), "{err}");
}

#[test]
fn runtimes_lists_every_runtime_with_its_glibc_and_newest_manylinux() {
    let out = wheelbarrow(&["runtimes"], None);
    assert!(out.status.success());
    let text = stdout(&out);
    for line in [
        "python3.11  Amazon Linux 2     2.26   manylinux_2_26",
        "python3.12  Amazon Linux 2023  2.34   manylinux_2_34",
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
    let json = wheelbarrow(&["runtimes", "--json"], None);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["runtimes"].as_array().unwrap().len(), 6);
    assert_eq!(v["default_target"]["runtime"], "python3.14");
    assert_eq!(v["limits"]["unzipped_bytes"], 262_144_000);
}

#[test]
fn check_json_from_stdin_with_a_line_that_is_not_utf8_stays_whole_json_and_says_which_line() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .args(["check", "--runtime", "python3.12", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(b"six-1.17.0-py2.py3-none-any.whl\nbad-\xff\xfe-1.0-py3-none-any.whl\nidna-3.10-py3-none-any.whl\n")
        .unwrap();
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a malformed line exits 2");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[1]["malformed"], true);
    assert!(
        rows[1]["reason"]
            .as_str()
            .unwrap()
            .contains("line 2 of stdin is not UTF-8 text"),
        "{rows:?}"
    );
    assert_eq!(rows[2]["compatible"], true);
}
