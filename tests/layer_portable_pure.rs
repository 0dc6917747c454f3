//! Several targets prefer a pure-Python wheel even where a compiled build loads on all of them
//! (charset-normalizer ships a `cp37-abi3` build for x86_64 beside its `py3-none-any` wheel):
//! the pure one is taken and said; one target keeps pip's order and takes the compiled build.

mod support;

use support::WheelBuilder;
use support::cli::{Sandbox, stderr, stdout};

const ABI3: &str = "charset-3.4-cp37-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";

/// `charset 3.4` with an abi3 build for x86_64 (loads on every python3.x ≥ 3.7 there) listed
/// before its `py3-none-any` wheel.
fn abi3_sandbox(tag: &str) -> Sandbox {
    let sandbox = Sandbox::new(tag);
    sandbox.index.add_wheel(
        &WheelBuilder::new("charset", "3.4")
            .tag("cp37-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64")
            .file("charset/__init__.py", b"FAST = True\n")
            .build(),
    );
    sandbox.index.add_wheel(
        &WheelBuilder::new("charset", "3.4")
            .file("charset/__init__.py", b"FAST = False\n")
            .build(),
    );
    sandbox
}

/// `build charset --layout python --runtime RUNTIMES --arch x86_64 --json`: the JSON, and the
/// same build's words.
fn build(sandbox: &Sandbox, runtimes: &str) -> (serde_json::Value, String) {
    let zip = sandbox.out().join("layer.zip");
    let args = [
        "charset",
        "--layout",
        "python",
        "--runtime",
        runtimes,
        "--arch",
        "x86_64",
        "-o",
        zip.to_str().unwrap(),
    ];
    let out = sandbox
        .command(["build"])
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let out = sandbox.command(["build"]).args(args).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    (json, stdout(&out))
}

fn charset_file(json: &serde_json::Value) -> &str {
    json["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "charset")
        .unwrap_or_else(|| panic!("charset not in {json}"))["filename"]
        .as_str()
        .unwrap()
}

#[test]
fn several_runtimes_take_the_pure_wheel_over_an_abi3_build_that_loads_on_all_of_them() {
    let sandbox = abi3_sandbox("portable-abi3-several");
    let (json, text) = build(&sandbox, "python3.10,python3.11,python3.12");
    assert_eq!(charset_file(&json), "charset-3.4-py3-none-any.whl");
    let instead = &json["portable"]["instead"][0];
    assert_eq!(instead["project"], "charset");
    assert_eq!(instead["taken_tag"], "py3-none-any");
    assert_eq!(instead["preferred"], ABI3);
    assert!(
        text.contains("charset 3.4: its py3-none-any wheel instead of the cp37-abi3-manylinux_2_17_x86_64 build pip prefers on python3.12 on x86_64"),
        "{text}"
    );
}

#[test]
fn one_runtime_keeps_pips_order_and_takes_the_abi3_build() {
    let sandbox = abi3_sandbox("portable-abi3-one");
    let (json, text) = build(&sandbox, "python3.12");
    assert_eq!(charset_file(&json), ABI3);
    assert!(json.get("portable").is_none(), "{json}");
    assert!(!text.contains("instead of"), "{text}");
}
