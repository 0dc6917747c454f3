//! One zip for several runtimes on the loopback index (`build --runtime python3.11,python3.12`):
//! each runtime resolved on its own and written to its own site-packages, the budget counting
//! both trees, what could not be shared said with its cost, and the publish command and lock
//! file covering both.

mod support;

use std::io::Read as _;

use support::WheelBuilder;
use support::cli::{Sandbox, stderr, stdout};
use wheelbarrow::layer::served_by_zip;
use wheelbarrow::{Arch, RuntimeTable};

fn names_in(zip: &std::path::Path) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
        .collect()
}

fn member(zip: &std::path::Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// `wheelbarrow build ARGS...` (without the sandbox's default runtime).
fn run(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    sandbox.command(["build"]).args(args).output().unwrap()
}

fn sandbox(tag: &str) -> Sandbox {
    let sandbox = Sandbox::new(tag);
    for tag in [
        "cp311-cp311-manylinux_2_17_x86_64",
        "cp312-cp312-manylinux_2_17_x86_64",
    ] {
        sandbox
            .index
            .add_wheel(&WheelBuilder::new("fastlib", "2.0").tag(tag).build());
    }
    sandbox.index.add_wheel(
        &WheelBuilder::new("tool", "1.0")
            .file("tool/__init__.py", b"")
            .file("tool-1.0.data/scripts/tool-cli", b"#!python\nprint('hi')\n")
            .build(),
    );
    sandbox
}

#[test]
fn two_runtimes_get_their_own_site_packages_in_one_zip_with_the_cost_and_the_publish_command() {
    let sandbox = sandbox("several-two");
    let zip = sandbox.out().join("both.zip");
    let out = run(
        &sandbox,
        &[
            "--runtime",
            "python3.11,python3.12",
            "app",
            "fastlib",
            "tool",
            "--json",
            "-o",
            zip.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let names = names_in(&zip);
    for minor in [11, 12] {
        let site = format!("python/lib/python3.{minor}/site-packages");
        assert!(
            names.contains(&format!("{site}/app/__init__.py")),
            "{names:?}"
        );
        let wheel = member(&zip, &format!("{site}/fastlib-2.0.dist-info/WHEEL"));
        assert!(
            wheel.contains(&format!("Tag: cp3{minor}-cp3{minor}-manylinux_2_17_x86_64")),
            "{wheel}"
        );
    }
    // The budget counts both trees: every byte written.
    assert_eq!(json["budget"]["unzipped"], json["unzipped"]);
    let sizes: u64 = json["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["unzipped"].as_u64().unwrap())
        .sum();
    assert_eq!(json["packages"].as_array().unwrap().len(), 6);
    // Both trees counted in full; only bin/tool-cli is one file for both (the older copy is
    // dropped, as the warning below says).
    let script = b"#!python\nprint('hi')\n".len() as u64;
    assert_eq!(json["unzipped"].as_u64().unwrap(), sizes - script);

    let warnings: Vec<String> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect();
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "python3.12 and python3.11 read only their own site-packages, so nothing is shared between them: app 1.0, tool 1.0 are stored once for each"
        )),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w == "bin/tool-cli is written for python3.12 (a script starts one Python); on python3.11 it will not run"),
        "{warnings:?}"
    );
    assert!(member(&zip, "bin/tool-cli").starts_with("#!/var/lang/bin/python3.12\n"));

    let command = json["publish_command"].as_str().unwrap();
    assert!(
        command.contains("--compatible-runtimes python3.11 python3.12 \\\n"),
        "{command}"
    );
    assert!(
        command.contains("--compatible-architectures x86_64\n"),
        "{command}"
    );
    assert!(
        command.contains("--description='app 1.0, fastlib 2.0, tool 1.0'"),
        "{command}"
    );
    let lock = std::fs::read_to_string(sandbox.out().join("both.requirements.txt")).unwrap();
    assert!(
        lock.contains("app==1.0 ; python_version == \"3.11\""),
        "{lock}"
    );
    assert!(
        lock.contains("fastlib==2.0 ; python_version == \"3.12\""),
        "{lock}"
    );

    let from_zip = served_by_zip(&zip, &RuntimeTable::builtin()).unwrap();
    assert_eq!(from_zip.runtimes, ["python3.11", "python3.12"]);
    assert_eq!(from_zip.architectures, [Arch::X86_64]);
}

#[test]
fn the_text_summary_names_both_runtimes_and_what_they_serve() {
    let sandbox = sandbox("several-text");

    let text = run(
        &sandbox,
        &[
            "--runtime",
            "python3.11,python3.12",
            "app",
            "-o",
            "out/t.zip",
        ],
    );
    assert!(text.status.success(), "{}", stderr(&text));
    let text = stdout(&text);
    assert!(
        text.starts_with("One zip for python3.11 and python3.12, each in its own site-packages."),
        "{text}"
    );
    assert!(
        text.contains("The layer serves python3.11–python3.12 on x86_64 and arm64"),
        "{text}"
    );
}

#[test]
fn several_runtimes_in_the_python_layout_share_one_tree_or_say_which_project_narrows_them() {
    let sandbox = sandbox("several-python");
    let args = [
        "--runtime",
        "python3.11,python3.12",
        "--layout",
        "python",
        "-o",
        "out/x.zip",
    ];
    // Pure wheels: one python/ tree every runtime asked for reads.
    let out = run(&sandbox, &[&args[..], &["app", "--json"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let runtimes = json["served"]["runtimes"].as_array().unwrap();
    assert!(
        runtimes.iter().any(|r| r == "python3.11") && runtimes.iter().any(|r| r == "python3.12")
    );
    assert!(names_in(&sandbox.out().join("x.zip")).contains(&"python/app/__init__.py".to_string()));
    std::fs::remove_file(sandbox.out().join("x.zip")).unwrap();
    // fastlib has a build per Python and none for both: it is named, and no zip is written.
    let out = run(&sandbox, &[&args[..], &["fastlib"]].concat());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("fastlib 2.0 narrows the set"), "{err}");
    assert!(err.contains("--layout site-packages"), "{err}");
    assert!(!sandbox.out().join("x.zip").exists());
}

#[cfg(feature = "publish")]
#[test]
fn several_runtimes_refuse_publish_options_without_publish_as_one_runtime_does() {
    let sandbox = sandbox("several-publish-flags");
    let args = [
        "--runtime",
        "python3.11,python3.12",
        "app",
        "-o",
        "out/p.zip",
    ];
    let out = run(&sandbox, &[&args[..], &["--layer-name", "x"]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim(),
        "error: --layer-name only apply with --publish; add --publish to publish the layer after building it"
    );
    let out = run(&sandbox, &[&args[..], &["--publish"]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--publish is not taken with several runtimes yet"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_dir(sandbox.out()).unwrap().count(),
        0,
        "refused before building"
    );
}
