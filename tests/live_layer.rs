//! The live layer suite: real wheels from the default index, built into layers and imported by
//! this machine's Python the way Lambda's bootstrap does it. Ignored by a plain `cargo test`;
//! `.ci/run` runs it with `cargo test --test live_layer -- --ignored`.

use std::path::Path;
use std::process::Command;

fn build(dir: &Path, layout: &str, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .args([
            "build",
            "numpy",
            "pydantic",
            "orjson",
            "--runtime",
            "python3.11",
            "--arch",
            "x86_64",
        ])
        .args(["--layout", layout, "-o"])
        .arg(out)
        .env("WHEELBARROW_CACHE_DIR", dir.join("cache"))
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env_remove("PIP_FIND_LINKS")
        .env(
            "WHEELBARROW_DATA_DIR",
            std::env::temp_dir().join("wb-test-data"),
        )
        .env_remove("PIP_INDEX_URL")
        .status()
        .unwrap();
    assert!(
        status.success() || status.code() == Some(1),
        "build failed: {status}"
    );
}

/// Imports and uses the packages with `/opt` paths in front of `sys.path`, as the runtime's
/// bootstrap adds them with `site.addsitedir`.
const PROBE: &str = r#"
import site, sys
opt = sys.argv[1]
before = list(sys.path)
for d in (opt + "/python/lib/python3.11/site-packages", opt + "/python"):
    site.addsitedir(d)
sys.path[:] = [p for p in sys.path if p not in before] + before
import numpy, orjson, pydantic, pydantic_core
assert numpy.__file__.startswith(opt), numpy.__file__
assert int(numpy.arange(6).reshape(2, 3).sum()) == 15
assert orjson.loads(orjson.dumps({"a": [1, 2]})) == {"a": [1, 2]}
class Item(pydantic.BaseModel):
    n: int
assert Item(n="7").n == 7
print("imported", numpy.__version__, pydantic.__version__, pydantic_core.__version__, orjson.__version__)
"#;

#[test]
#[ignore = "live: downloads real wheels and runs python3"]
fn layers_import_their_native_packages_in_both_layouts() {
    let dir = std::env::temp_dir().join(format!("wb-live-layer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for layout in ["site-packages", "python"] {
        let zip_path = dir.join(format!("{layout}.zip"));
        build(&dir, layout, &zip_path);
        let opt = dir.join(format!("opt-{layout}"));
        zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap())
            .unwrap()
            .extract(&opt)
            .unwrap();
        let out = Command::new("python3")
            .arg("-I")
            .arg("-c")
            .arg(PROBE)
            .arg(&opt)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{layout}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // Built again: byte-identical.
        let again = dir.join(format!("{layout}-again.zip"));
        build(&dir, layout, &again);
        assert_eq!(
            std::fs::read(&zip_path).unwrap(),
            std::fs::read(&again).unwrap(),
            "{layout}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The seed recipe: one `python/` layer for three runtimes. Every wheel must load on each, so
/// charset-normalizer's portable wheel is taken over its compiled builds; the publish command
/// lists the three, and Python 3.11 imports from the unzipped layer.
#[test]
#[ignore = "live: downloads real wheels and runs python3.11"]
fn one_python_layer_for_three_runtimes_lists_them_and_imports_with_python_3_11() {
    let dir = std::env::temp_dir().join(format!("wb-live-portable-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let zip_path = dir.join("requests.zip");
    let out = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .args(["build", "requests", "--layout", "python", "--runtime"])
        .arg("python3.10,python3.11,python3.12")
        .arg("-o")
        .arg(&zip_path)
        .env("WHEELBARROW_CACHE_DIR", dir.join("cache"))
        .env("WHEELBARROW_DATA_DIR", dir.join("data"))
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env_remove("PIP_FIND_LINKS")
        .env_remove("PIP_INDEX_URL")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = std::fs::read_to_string(dir.join("requests.publish.sh")).unwrap();
    let runtimes = script
        .lines()
        .find_map(|l| l.trim().strip_prefix("--compatible-runtimes "))
        .unwrap_or_else(|| panic!("no --compatible-runtimes in {script}"));
    for runtime in ["python3.10", "python3.11", "python3.12"] {
        assert!(
            runtimes.split_whitespace().any(|r| r == runtime),
            "{script}"
        );
    }
    assert!(
        text.contains("One python/ tree for python3.10, python3.11, python3.12"),
        "{text}"
    );
    let opt = dir.join("opt");
    zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap())
        .unwrap()
        .extract(&opt)
        .unwrap();
    let probe = r#"
import site, sys
opt = sys.argv[1]
before = list(sys.path)
site.addsitedir(opt + "/python")
sys.path[:] = [p for p in sys.path if p not in before] + before
import requests, charset_normalizer
assert requests.__file__.startswith(opt), requests.__file__
assert charset_normalizer.__file__.startswith(opt), charset_normalizer.__file__
assert charset_normalizer.from_bytes("héllo wörld".encode("utf-8")).best().encoding == "utf_8"
print("imported", requests.__version__, charset_normalizer.__version__)
"#;
    let out = Command::new("python3.11")
        .arg("-I")
        .arg("-c")
        .arg(probe)
        .arg(&opt)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
