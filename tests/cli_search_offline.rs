//! `search --offline` with no project list cached: a project whose page is cached (from an
//! earlier resolve) is found by its exact name, as the notice promises; one that is not is said
//! to be unknown offline rather than silently missing.

mod support;

use support::WheelBuilder;
use support::cli::{Sandbox, stderr, stdout};

#[test]
fn offline_without_a_list_an_exact_name_whose_page_is_cached_is_found() {
    let sb = Sandbox::new("search-offline");
    sb.index
        .add_wheel(&WheelBuilder::new("internal-tool", "1.0").build());
    let out = sb
        .command(["resolve", "internal-tool", "--runtime", "python3.12"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    sb.index.clear_log();

    let out = sb
        .command(["search", "Internal_Tool", "--offline", "--json"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(rows[0]["name"], "internal-tool", "{rows}");
    assert_eq!(rows[0]["kind"], "exact", "{rows}");
    assert!(
        err.contains("only a project whose page is cached can be found, by its exact name"),
        "{err}"
    );
    assert!(sb.index.requests().is_empty(), "offline asked the index");
}

#[test]
fn offline_without_a_list_a_name_whose_page_is_not_cached_is_said_so() {
    let sb = Sandbox::new("search-offline-miss");
    let out = sb
        .command(["search", "never-seen", "--offline", "--json"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "never-seen: its project page is not cached either, so it cannot be looked up offline"
        ),
        "{err}"
    );
}
