//! `wheelbarrow search` against a loopback index: the list is fetched once, then searched.

mod support;

use std::process::{Command, Output};

use support::{IndexOptions, SimpleFormat, TestIndex, WheelBuilder};

fn run(index: &TestIndex, cache: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .args(args)
        .args(["--index-url", &index.simple()])
        .env("WHEELBARROW_CACHE_DIR", cache)
        .env("WHEELBARROW_DATA_DIR", cache.join("data"))
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env_remove("PIP_FIND_LINKS")
        .env_remove("PIP_INDEX_URL")
        .output()
        .unwrap()
}

fn index(simple: SimpleFormat) -> TestIndex {
    let index = TestIndex::start(IndexOptions {
        simple,
        ..IndexOptions::default()
    });
    for name in [
        "requests",
        "req2",
        "requests-toolbelt",
        "PyYAML",
        "internal_tool",
    ] {
        index.add_wheel(&WheelBuilder::new(name, "1.0").build());
    }
    index
}

#[test]
fn the_project_list_is_fetched_once_and_searched_in_both_formats() {
    for format in [SimpleFormat::Json, SimpleFormat::HtmlOnly] {
        let index = index(format);
        let cache =
            std::env::temp_dir().join(format!("wb-cli-search-{}-{format:?}", std::process::id()));
        let out = run(&index, &cache, &["search", "req", "--json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let names: Vec<&str> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names[0], "requests", "{names:?}");
        assert!(
            names.contains(&"req2") && names.contains(&"requests-toolbelt"),
            "{names:?}"
        );
        // A second search uses the stored list: no request for it.
        index.clear_log();
        let out = run(&index, &cache, &["search", "internal-tool"]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("internal_tool"), "{text}");
        assert!(
            index.requests().iter().all(|r| r.path != "/simple/"),
            "{:?}",
            index.requests()
        );
        std::fs::remove_dir_all(cache).unwrap();
    }
}

#[test]
fn import_names_are_explained_and_no_match_exits_one() {
    let index = index(SimpleFormat::Json);
    let cache = std::env::temp_dir().join(format!("wb-cli-search-imports-{}", std::process::id()));
    let out = run(&index, &cache, &["search", "yaml"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("import yaml → PyYAML"), "{text}");
    let out = run(&index, &cache, &["search", "zzzzqqqq"]);
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_dir_all(cache).unwrap();
}

#[test]
fn offline_without_a_stored_list_still_finds_an_exact_cached_project() {
    let index = index(SimpleFormat::Json);
    let cache = std::env::temp_dir().join(format!("wb-cli-search-offline-{}", std::process::id()));
    // Cache one project page, but not the list.
    let out = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .args(["wheels", "internal_tool", "--index-url", &index.simple()])
        .env("WHEELBARROW_CACHE_DIR", &cache)
        .env("WHEELBARROW_DATA_DIR", cache.join("data"))
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env_remove("PIP_FIND_LINKS")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&index, &cache, &["search", "internal-tool", "--offline"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("project list is not cached"), "{err}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("internal-tool") || text.starts_with("internal_tool"),
        "{text}\n{err}"
    );
    std::fs::remove_dir_all(cache).unwrap();
}

#[test]
fn projects_named_in_earlier_commands_rank_first() {
    let index = index(SimpleFormat::Json);
    let cache = std::env::temp_dir().join(format!("wb-cli-search-picks-{}", std::process::id()));
    let first = |out: Output| {
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            rows[0]["name"].as_str().unwrap().to_string(),
            rows[0]["kind"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(
        first(run(&index, &cache, &["search", "tool", "--json"])).0,
        "requests-toolbelt"
    );
    let out = run(&index, &cache, &["wheels", "internal_tool"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        first(run(&index, &cache, &["search", "tool", "--json"])),
        ("internal_tool".to_string(), "known".to_string())
    );
    std::fs::remove_dir_all(cache).unwrap();
}
