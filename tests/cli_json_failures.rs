//! With `--json`, every failure is one JSON object on stdout (`error.kind`, `error.message`,
//! `error.hints`) with the exit status the same command has without `--json`; the words go to
//! stderr as before.

mod support;

use serde_json::{Value, json};
use support::cli::{Sandbox, stderr, stdout};

/// Runs `cmd` with and without `--json`: the JSON object printed, checked to be the only thing
/// on stdout, and the exit status (the same both ways).
fn failure(sb: &Sandbox, args: &[&str], with_index: bool) -> (Value, i32) {
    let run = |json: bool| {
        let mut cmd = if with_index {
            sb.command(args)
        } else {
            sb.offline(args)
        };
        if json {
            cmd.arg("--json");
        }
        cmd.output().unwrap()
    };
    let plain = run(false);
    let out = run(true);
    let text = stdout(&out);
    let value: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("stdout is one JSON document ({e}):\n{text}"));
    assert_eq!(out.status.code(), plain.status.code(), "{}", stderr(&out));
    assert_ne!(out.status.code(), Some(0));
    assert!(stdout(&plain).is_empty(), "{}", stdout(&plain));
    // The words on stderr are the same with and without `--json`.
    assert_eq!(stderr(&out), stderr(&plain));
    let message = value["error"]["message"].as_str().unwrap();
    assert!(
        stderr(&out).contains(message.lines().next().unwrap()),
        "{message}"
    );
    (value, out.status.code().unwrap())
}

#[test]
fn an_unknown_runtime_is_a_json_object_with_its_kind_and_hint() {
    let sb = Sandbox::new("json-runtime");
    let (value, code) = failure(&sb, &["resolve", "app", "--runtime", "python2.7"], true);
    assert_eq!(code, 2);
    assert_eq!(value["error"]["kind"], "unknown-runtime");
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown runtime 'python2.7': Lambda's Python runtimes are python3.9, ")
    );
    assert_eq!(
        value["error"]["hints"],
        json!(["see `wheelbarrow runtimes`"])
    );
}

#[test]
fn an_unreachable_index_is_a_json_object_that_offers_the_cache() {
    let sb = Sandbox::new("json-unreachable");
    // A port that was free a moment ago: nothing answers there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/simple/");
    let args = [
        "resolve",
        "app",
        "--runtime",
        "python3.12",
        "--index-url",
        &url,
    ];
    let (value, code) = failure(&sb, &args, false);
    assert_eq!(code, 2);
    assert_eq!(value["error"]["kind"], "unreachable");
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("could not reach 127.0.0.1: ")
    );
    assert_eq!(
        value["error"]["hints"],
        json!(["`--offline` uses what is cached"])
    );
}

#[test]
fn nothing_fits_is_one_json_object_with_the_explanation_and_derivation() {
    let sb = Sandbox::new("json-nothing");
    let (value, code) = failure(
        &sb,
        &[
            "build",
            "app>=2",
            "--runtime",
            "python3.12",
            "-o",
            "out/l.zip",
        ],
        true,
    );
    assert_eq!(code, 2);
    assert_eq!(value["error"]["kind"], "no-solution");
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("no set of versions fits python3.12 on x86_64, because:")
    );
    assert!(
        value["explanation"]
            .as_array()
            .is_some_and(|e| !e.is_empty()),
        "{value}"
    );
    assert!(value["derivation"].is_string(), "{value}");
    assert!(!sb.out().join("l.zip").exists());
}

#[test]
fn a_bad_requirements_file_is_a_json_object_naming_the_file_and_line() {
    let sb = Sandbox::new("json-reqs");
    sb.write("reqs.txt", "app\nthis is not a requirement\n");
    let (value, code) = failure(
        &sb,
        &["resolve", "-r", "reqs.txt", "--runtime", "python3.12"],
        true,
    );
    assert_eq!(code, 2);
    assert_eq!(value["error"]["kind"], "requirement");
    let message = value["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("reqs.txt:2: 'this is not a requirement' is not a valid requirement"),
        "{message}"
    );
}

#[test]
fn a_missing_zip_for_inspect_is_a_json_object_naming_the_path() {
    let sb = Sandbox::new("json-inspect");
    let (value, code) = failure(&sb, &["inspect", "missing.zip"], false);
    assert_eq!(code, 2);
    assert_eq!(value["error"]["kind"], "io");
    assert_eq!(
        value["error"]["message"],
        "missing.zip: No such file or directory (os error 2)"
    );
}

#[test]
fn a_command_line_clap_refuses_is_a_json_usage_object_with_its_tips() {
    let sb = Sandbox::new("json-usage");
    let (value, code) = failure(&sb, &["resolve", "app", "--jsn"], false);
    assert_eq!(code, 2);
    assert_eq!(value["error"]["kind"], "usage");
    assert_eq!(
        value["error"]["message"],
        "unexpected argument '--jsn' found"
    );
    let hints = value["error"]["hints"].as_array().unwrap();
    assert!(
        hints.contains(&json!("a similar argument exists: '--json'")),
        "{hints:?}"
    );
}
