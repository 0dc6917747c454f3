//! The runtime table a user can update: `runtimes.json` in the config folder adds a runtime and
//! moves a date for every command; a malformed one is refused in words once and the built-in
//! table used; the day is frozen (`WHEELBARROW_TODAY`), never the machine's.

mod support;

use support::cli::{Sandbox, TODAY, stderr, stdout};

fn runtimes_json(sandbox: &Sandbox, day: &str) -> (serde_json::Value, String) {
    let out = sandbox
        .offline(["runtimes", "--json"])
        .env("WHEELBARROW_TODAY", day)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    (serde_json::from_str(&stdout(&out)).unwrap(), stderr(&out))
}

fn runtime<'a>(json: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    json["runtimes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {json}"))
}

#[test]
fn a_user_runtimes_json_adds_python3_15_and_moves_a_date_for_every_command() {
    let sandbox = Sandbox::new("runtimes-override");
    sandbox.write(
        "config/wheelbarrow/runtimes.json",
        r#"{"as_of": "2027-05-01", "runtimes": [
            {"name": "python3.15", "os": "Amazon Linux 2023", "glibc": "2.34",
             "architectures": ["x86_64", "arm64"], "deprecation": "2031-06-30"},
            {"name": "python3.11", "deprecation": "2026-11-30"}]}"#,
    );
    let (json, err) = runtimes_json(&sandbox, TODAY);
    assert!(err.is_empty(), "{err}");
    assert_eq!(json["as_of"], "2027-05-01");
    assert_eq!(json["default_target"]["runtime"], "python3.15");
    assert_eq!(
        runtime(&json, "python3.15")["status"],
        "supported until 2031-06-30"
    );
    let eleven = runtime(&json, "python3.11");
    assert_eq!(eleven["deprecation"], "2026-11-30");
    assert!(
        eleven["status"]
            .as_str()
            .unwrap()
            .starts_with("deprecated since 2026-11-30"),
        "{eleven}"
    );
    assert!(
        json["user_file"]
            .as_str()
            .unwrap()
            .ends_with("runtimes.json")
    );

    // The table's other users see the same: a deprecation notice on resolve.
    let out = sandbox
        .command(["resolve", "app", "--runtime", "python3.11"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("python3.11 is deprecated since 2026-11-30"),
        "{err}"
    );
    assert!(
        err.contains("(AWS's dates as of 2027-05-01 (with "),
        "{err}"
    );
    assert!(
        err.contains("Supported runtimes: python3.15, python3.14"),
        "{err}"
    );
}

#[test]
fn a_malformed_runtimes_json_is_said_once_with_its_path_and_the_builtin_table_is_used() {
    let sandbox = Sandbox::new("runtimes-malformed");
    let path = sandbox.write(
        "config/wheelbarrow/runtimes.json",
        r#"{"runtimes": [{"name": "python3.11", "deprecaton": "2027-09-30"}]}"#,
    );
    let (json, err) = runtimes_json(&sandbox, TODAY);
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(err.contains("unknown field `deprecaton`"), "{err}");
    assert!(err.contains("Using the built-in runtime table"), "{err}");
    assert_eq!(runtime(&json, "python3.11")["deprecation"], "2027-06-30");
    assert!(json["user_file"].is_null());
}

#[test]
fn runtimes_says_the_day_of_its_dates_and_warns_when_they_are_old() {
    let sandbox = Sandbox::new("runtimes-stale");
    let out = sandbox.offline(["runtimes"]).output().unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("Dates: AWS's runtime table as of 2026-12-04"),
        "{text}"
    );
    assert!(!text.contains("may have moved"), "{text}");
    assert!(
        text.contains("Amazon Linux 2 reached end of life on 2026-06-30"),
        "{text}"
    );

    let out = sandbox
        .offline(["runtimes"])
        .env("WHEELBARROW_TODAY", "2027-07-01")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains(
            "the runtime dates are as of 2026-12-04 (209 days ago): AWS may have moved them since"
        ),
        "{text}"
    );
    let (json, _) = runtimes_json(&sandbox, "2027-07-01");
    assert!(json["stale"].as_str().unwrap().contains("209 days ago"));
    let (json, _) = runtimes_json(&sandbox, TODAY);
    assert!(json["stale"].is_null());
}

#[test]
fn runtimes_path_names_the_user_file_and_a_bad_day_is_refused() {
    let sandbox = Sandbox::new("runtimes-path");
    let out = sandbox.offline(["runtimes", "--path"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        stdout(&out).trim(),
        sandbox
            .dir
            .join("config/wheelbarrow/runtimes.json")
            .display()
            .to_string()
    );
    assert!(
        stderr(&out).contains("no file there yet"),
        "{}",
        stderr(&out)
    );

    let out = sandbox
        .offline(["runtimes"])
        .env("WHEELBARROW_TODAY", "31/12/2026")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a date: write it as YYYY-MM-DD"),
        "{}",
        stderr(&out)
    );
}
