//! `build` then `inspect` agree: every layout and target shape the CLI builds (one runtime in
//! site-packages, two runtimes side by side, the `python/` layout; x86_64 and arm64), with a
//! pure and a native wheel (its library needs glibc 2.28, so the runtimes are 3.12 and 3.13) from the loopback index, inspects with exit 0 and the runtimes the
//! zip serves, each `python3.X/site-packages` judged for its own runtime.

mod support;

use support::WheelBuilder;
use support::cli::{Sandbox, stderr};

/// A real x86_64 shared library (see `tests/fixtures/native/libstatx.c`).
const LIBRARY: &[u8] = include_bytes!("fixtures/native/libstatx.so");

/// The library with its ELF machine set to `machine` (62 x86_64, 183 aarch64).
fn library_for(machine: u16) -> Vec<u8> {
    let mut bytes = LIBRARY.to_vec();
    bytes[18..20].copy_from_slice(&machine.to_le_bytes());
    bytes
}

fn sandbox(tag: &str) -> Sandbox {
    let sb = Sandbox::new(tag);
    for minor in [12, 13] {
        for (platform, so, machine) in [
            ("manylinux_2_28_x86_64", "x86_64-linux-gnu", 62),
            ("manylinux_2_28_aarch64", "aarch64-linux-gnu", 183),
        ] {
            sb.index.add_wheel(
                &WheelBuilder::new("fastlib", "2.0")
                    .tag(&format!("cp3{minor}-cp3{minor}-{platform}"))
                    .file("fastlib/__init__.py", b"from . import _speed\n")
                    .file(
                        &format!("fastlib/_speed.cpython-3{minor}-{so}.so"),
                        &library_for(machine),
                    )
                    .build(),
            );
        }
    }
    sb.index.add_wheel(
        &WheelBuilder::new("purelib", "1.0")
            .file("purelib/__init__.py", b"X = 1\n")
            .build(),
    );
    sb
}

fn inspect(sb: &Sandbox, zip: &str) -> (i32, serde_json::Value) {
    let out = sb.offline(["inspect", zip, "--json"]).output().unwrap();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{zip}: {e}: {}", stderr(&out)));
    (out.status.code().unwrap(), report)
}

/// What is built, its build arguments, the runtimes judged, the runtimes served.
type Case = (&'static str, &'static [&'static str], Runtimes, Runtimes);
type Runtimes = &'static [&'static str];

fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_layout_and_target_shape_build_makes_inspects_clean_with_the_runtimes_it_serves() {
    let sb = sandbox("agree-shapes");
    let cases: [Case; 6] = [
        (
            "one",
            &["--runtime", "python3.12"],
            &["python3.12"],
            &["python3.12"],
        ),
        (
            "two",
            &["--runtime", "python3.12,python3.13"],
            &["python3.12", "python3.13"],
            &["python3.12", "python3.13"],
        ),
        (
            "two-arm",
            &["--runtime", "python3.12,python3.13", "--arch", "arm64"],
            &["python3.12", "python3.13"],
            &["python3.12", "python3.13"],
        ),
        (
            "one-arm",
            &["--runtime", "python3.13", "--arch", "arm64"],
            &["python3.13"],
            &["python3.13"],
        ),
        (
            "python",
            &["--runtime", "python3.12", "--layout", "python"],
            &["python3.12"],
            &["python3.12"],
        ),
        (
            "python-arm",
            &[
                "--runtime",
                "python3.13",
                "--layout",
                "python",
                "--arch",
                "arm64",
            ],
            &["python3.13"],
            &["python3.13"],
        ),
    ];
    for (what, args, judged, served) in cases {
        let zip = format!("out/{what}.zip");
        let out = sb
            .command(["build", "fastlib", "purelib", "-o", &zip])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{what}: {}", stderr(&out));
        let (code, report) = inspect(&sb, &zip);
        assert_eq!(code, 0, "{what}: {report:#}");
        assert!(
            strings(&report["problems"]).is_empty(),
            "{what}: {report:#}"
        );
        assert_eq!(strings(&report["runtimes"]), judged, "{what}");
        assert_eq!(strings(&report["served"]["runtimes"]), served, "{what}");
        let arch = if what.ends_with("arm") {
            "arm64"
        } else {
            "x86_64"
        };
        assert_eq!(
            strings(&report["served"]["architectures"]),
            [arch],
            "{what}: a native wheel for one architecture"
        );
        let natives = report["native"].as_array().unwrap();
        assert_eq!(
            natives.len(),
            judged.len(),
            "{what}: one extension per tree"
        );
    }
}

#[test]
fn inspect_says_each_tree_is_judged_for_its_runtime_and_what_the_zip_serves() {
    let sb = sandbox("agree-text");
    let out = sb
        .command([
            "build",
            "fastlib",
            "purelib",
            "-o",
            "out/two.zip",
            "--runtime",
            "python3.12,python3.13",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = sb.offline(["inspect", "out/two.zip"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("judged for its own runtime: python3.12, python3.13 on x86_64"),
        "{text}"
    );
    assert!(
        text.contains("The zip serves python3.12–python3.13 on x86_64 only."),
        "{text}"
    );
    assert!(
        text.contains("✓ nothing found that would fail on python3.12, python3.13 x86_64"),
        "{text}"
    );
    // A runtime none of the trees is for is still told it finds nothing there.
    let out = sb
        .offline(["inspect", "out/two.zip", "--runtime", "python3.14"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("read only by another Python version"),
        "{text}"
    );
}

#[test]
fn a_python_layout_with_a_script_is_listed_only_for_the_python_its_shebang_names() {
    let sb = Sandbox::new("agree-script");
    sb.index.add_wheel(
        &WheelBuilder::new("tool", "1.0")
            .file("tool/__init__.py", b"")
            .file("tool-1.0.data/scripts/tool-cli", b"#!python\nprint('hi')\n")
            .build(),
    );
    let out = sb
        .command([
            "build",
            "tool",
            "--layout",
            "python",
            "--runtime",
            "python3.12",
        ])
        .args(["-o", "out/tool.zip", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(strings(&report["served"]["runtimes"]), ["python3.12"]);
    let reasons: Vec<String> = report["served"]["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["runtime"] == "python3.13")
        .map(|l| l["reason"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        reasons[0],
        "its script bin/tool-cli starts with #!/var/lang/bin/python3.12, which python3.13 does not have"
    );
    let text = sb
        .command([
            "build",
            "tool",
            "--layout",
            "python",
            "--runtime",
            "python3.12",
        ])
        .args(["-o", "out/tool2.zip"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("bin/tool-cli starts with #!/var/lang/bin/python3.12: only python3.12 has that Python, so the layer is listed for python3.12 only"),
        "{text}"
    );
    // inspect reads the same from the zip.
    let (code, report) = inspect(&sb, "out/tool.zip");
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(strings(&report["served"]["runtimes"]), ["python3.12"]);
    // Without a script, the python/ layout is listed for every runtime it loads on.
    let out = sb
        .command([
            "build",
            "app",
            "--layout",
            "python",
            "--runtime",
            "python3.12",
        ])
        .args(["-o", "out/app.zip", "--json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        strings(&report["served"]["runtimes"]).len() > 1,
        "{report:#}"
    );
}
