//! The live matrix: `wheelbarrow matrix pandas pydantic` on all 12 targets against the real
//! default index agrees, target by target, with 12 `wheelbarrow resolve` runs. Ignored by a
//! plain `cargo test`; `.ci/run` runs it with `cargo test --test live_matrix -- --ignored`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn wheelbarrow(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .args(args)
        .env("WHEELBARROW_CACHE_DIR", cache)
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env_remove("PIP_INDEX_URL")
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
#[ignore = "needs the real default index (network)"]
fn the_matrix_of_pandas_and_pydantic_on_all_12_targets_agrees_with_12_resolve_runs() {
    let cache = std::env::temp_dir().join(format!("wb-live-matrix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    let out = wheelbarrow(&cache, &["matrix", "pandas", "pydantic", "--json"]);
    let doc = json(&out);
    let targets = doc["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 12);
    for (i, t) in targets.iter().enumerate() {
        let (runtime, arch) = (t["runtime"].as_str().unwrap(), t["arch"].as_str().unwrap());
        let alone = wheelbarrow(
            &cache,
            &[
                "resolve",
                "pandas",
                "pydantic",
                "--json",
                "--runtime",
                runtime,
                "--arch",
                arch,
            ],
        );
        let resolved = json(&alone);
        assert_eq!(
            t["resolves"].as_bool().unwrap(),
            alone.status.success(),
            "{runtime} on {arch}: {resolved}"
        );
        if !alone.status.success() {
            assert_eq!(t["failure"]["error"]["kind"], resolved["error"]["kind"]);
            continue;
        }
        let from_resolve: BTreeMap<String, String> = resolved["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().into(),
                    p["version"].as_str().unwrap().into(),
                )
            })
            .collect();
        let from_matrix: BTreeMap<String, String> = doc["packages"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| {
                Some((
                    p["name"].as_str()?.into(),
                    p["versions"][i].as_str()?.into(),
                ))
            })
            .collect();
        assert_eq!(from_matrix, from_resolve, "{runtime} on {arch}");
    }
    assert_eq!(
        out.status.code(),
        Some(i32::from(doc["all_resolve"] != true)),
        "exit status 0 when every target resolves, 1 when some do not"
    );
    let _ = std::fs::remove_dir_all(&cache);
}
