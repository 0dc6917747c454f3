//! The live lock suite: a uv.lock made by `uv lock` against the default index for requests,
//! pydantic and boto3, built into a layer whose versions are those `uv export` gives, imported
//! by this machine's Python. Ignored by a plain `cargo test`; run it with
//! `cargo test --test live_locks -- --ignored`.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn uv(dir: &Path, args: &[&str]) {
    let out = Command::new(support::uv::uv_executable())
        .args(args)
        .current_dir(dir)
        .env("UV_CACHE_DIR", dir.join("uv-cache"))
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("UV_NO_CONFIG", "1")
        .env_remove("UV_INDEX_URL")
        .env_remove("UV_DEFAULT_INDEX")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "uv {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The `name==version` lines of a `uv export` whose markers hold on python3.11 x86_64.
fn exported(text: &str) -> BTreeMap<String, String> {
    let table = wheelbarrow::RuntimeTable::builtin();
    let target = table.target(Some("python3.11"), Some("x86_64")).unwrap();
    let env = wheelbarrow::resolve::target_environment(&target);
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\\').trim_end();
        if line.is_empty() || line.starts_with([' ', '#', '-', '.']) {
            continue;
        }
        let r = wheelbarrow::resolve::parse_requirement(line, "export").unwrap();
        if !r.requirement.marker.evaluate(&env, &[]) {
            continue;
        }
        let head = line.split_once(" ;").map_or(line, |(l, _)| l);
        let (name, version) = head.split_once("==").unwrap();
        out.insert(
            wheelbarrow::normalize_name(name.trim()),
            version.trim().to_string(),
        );
    }
    out
}

const PROBE: &str = r#"
import site, sys
opt = sys.argv[1]
before = list(sys.path)
site.addsitedir(opt + "/python/lib/python3.11/site-packages")
sys.path[:] = [p for p in sys.path if p not in before] + before
import boto3, pydantic, pydantic_core, requests
assert requests.__file__.startswith(opt), requests.__file__
class Item(pydantic.BaseModel):
    n: int
assert Item(n="7").n == 7
print("imported", requests.__version__, pydantic.__version__, boto3.__version__)
"#;

#[test]
#[ignore = "live: locks with uv against the real index, downloads real wheels, runs python3"]
fn a_uv_lock_of_requests_pydantic_and_boto3_builds_what_uv_export_gives_and_imports() {
    let dir = std::env::temp_dir().join(format!("wb-live-locks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("pyproject.toml"),
        "[project]\nname = \"live\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = [\"requests\", \"pydantic\", \"boto3\"]\n",
    )
    .unwrap();
    uv(&dir, &["lock"]);
    uv(
        &dir,
        &[
            "export",
            "--frozen",
            "--no-hashes",
            "--no-default-groups",
            "-o",
            "export.txt",
        ],
    );
    let want = exported(&std::fs::read_to_string(dir.join("export.txt")).unwrap());
    let out = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .args([
            "build",
            "-r",
            "uv.lock",
            "--runtime",
            "python3.11",
            "--arch",
        ])
        .args(["x86_64", "-o", "layer.zip", "--json"])
        .current_dir(&dir)
        .env("WHEELBARROW_CACHE_DIR", dir.join("cache"))
        .env("WHEELBARROW_DATA_DIR", dir.join("data"))
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env_remove("PIP_FIND_LINKS")
        .env_remove("PIP_INDEX_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: BTreeMap<String, String> = report["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                wheelbarrow::normalize_name(p["name"].as_str().unwrap()),
                p["version"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got, want, "the layer's versions are uv export's");
    let opt = dir.join("opt");
    zip::ZipArchive::new(std::fs::File::open(dir.join("layer.zip")).unwrap())
        .unwrap()
        .extract(&opt)
        .unwrap();
    let run = Command::new("python3")
        .arg("-I")
        .arg("-c")
        .arg(PROBE)
        .arg(&opt)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
