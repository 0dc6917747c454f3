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
