//! The runtimes a layer serves, from a resolution on the loopback index (`served_by`) and from
//! a finished zip (`served_by_zip`): the layout, every wheel's tags and `Requires-Python` decide
//! it, and the publish command lists exactly it.

mod support;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use support::cli::{Sandbox, stderr, stdout};
use support::{FileOptions, IndexOptions, TestIndex, WheelBuilder, resolve_on};
use wheelbarrow::layer::{Layout, Served, served_by, served_by_zip};
use wheelbarrow::resolve::ResolveOptions;
use wheelbarrow::{Arch, RuntimeTable};

const ALL: [&str; 6] = [
    "python3.9",
    "python3.10",
    "python3.11",
    "python3.12",
    "python3.13",
    "python3.14",
];

fn index_with(wheels: Vec<WheelBuilder>) -> TestIndex {
    let index = TestIndex::start(IndexOptions::default());
    for w in wheels {
        index.add_wheel(&w.build());
    }
    index
}

/// What `reqs` resolved for `runtime` on x86_64 serves in `layout`.
fn served(index: &TestIndex, reqs: &[&str], runtime: &str, layout: Layout) -> Served {
    let resolution = resolve_on(index, reqs, runtime, &ResolveOptions::default()).unwrap();
    let table = RuntimeTable::builtin();
    served_by(&resolution, layout, &resolution.target, &table)
}

fn reason_for<'a>(served: &'a Served, runtime: &str, arch: Arch) -> &'a str {
    served
        .left_out
        .iter()
        .find(|(t, _)| t.runtime.name == runtime && t.arch == arch)
        .map_or_else(
            || panic!("{runtime} on {arch} is not left out: {served:?}"),
            |(_, why)| why.as_str(),
        )
}

#[test]
fn pure_wheels_in_the_python_layout_serve_every_runtime_on_both_architectures() {
    let index = index_with(vec![
        WheelBuilder::new("app", "1.0").requires_dist("helper"),
        WheelBuilder::new("helper", "2.0").tag("py2.py3-none-any"),
    ]);
    let served = served(&index, &["app"], "python3.12", Layout::Python);
    assert_eq!(served.runtimes, ALL);
    assert_eq!(served.architectures, [Arch::X86_64, Arch::Arm64]);
    assert_eq!(served.targets.len(), 12);
    assert!(served.left_out.is_empty(), "{:?}", served.left_out);
    assert_eq!(
        served.summary(),
        "serves python3.9–python3.14 on x86_64 and arm64"
    );
}

#[test]
fn an_abi3_extension_serves_every_runtime_from_its_version_on_its_architecture_only() {
    let index = index_with(vec![
        WheelBuilder::new("fromnine", "1.0")
            .tag("cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64"),
        WheelBuilder::new("fromeleven", "1.0").tag("cp311-abi3-manylinux_2_17_x86_64"),
    ]);
    let nine = served(&index, &["fromnine"], "python3.12", Layout::Python);
    assert_eq!(nine.runtimes, ALL);
    assert_eq!(nine.architectures, [Arch::X86_64]);
    let arm = reason_for(&nine, "python3.12", Arch::Arm64);
    assert!(arm.starts_with("fromnine 1.0 does not load there"), "{arm}");
    assert!(arm.contains("x86_64"), "{arm}");

    let eleven = served(&index, &["fromeleven"], "python3.12", Layout::Python);
    assert_eq!(eleven.runtimes, ALL[2..]);
    let ten = reason_for(&eleven, "python3.10", Arch::X86_64);
    assert!(ten.contains("fromeleven-1.0-cp311-abi3"), "{ten}");
}

#[test]
fn a_cp312_extension_serves_python3_12_on_its_architecture_only() {
    let index = index_with(vec![
        WheelBuilder::new("fastlib", "2.0").tag("cp312-cp312-manylinux_2_17_x86_64"),
    ]);
    let served = served(&index, &["fastlib"], "python3.12", Layout::Python);
    assert_eq!(served.runtimes, ["python3.12"]);
    assert_eq!(served.architectures, [Arch::X86_64]);
    assert_eq!(served.summary(), "serves python3.12 on x86_64 only");
    assert_eq!(served.left_out.len(), 11);
    let thirteen = reason_for(&served, "python3.13", Arch::X86_64);
    assert!(thirteen.contains("3.12"), "{thirteen}");
}

#[test]
fn the_site_packages_layout_serves_only_its_python_version() {
    let index = index_with(vec![WheelBuilder::new("app", "1.0")]);
    let served = served(&index, &["app"], "python3.11", Layout::SitePackages);
    assert_eq!(served.runtimes, ["python3.11"]);
    assert_eq!(served.architectures, [Arch::X86_64, Arch::Arm64]);
    let twelve = reason_for(&served, "python3.12", Arch::X86_64);
    assert!(
        twelve.contains("does not read python/lib/python3.11/site-packages"),
        "{twelve}"
    );
}

#[test]
fn requires_python_of_a_chosen_file_bounds_the_runtimes() {
    let index = index_with(vec![
        WheelBuilder::new("modern", "1.0").requires_python(">=3.11"),
    ]);
    let served = served(&index, &["modern"], "python3.12", Layout::Python);
    assert_eq!(served.runtimes, ALL[2..]);
    let ten = reason_for(&served, "python3.10", Arch::Arm64);
    assert!(ten.contains(">=3.11"), "{ten}");
}

#[test]
fn requires_python_only_in_the_metadata_still_bounds_the_runtimes() {
    let index = TestIndex::start(IndexOptions::default());
    let wheel = WheelBuilder::new("quiet", "1.0")
        .requires_python(">=3.12")
        .build();
    let options = FileOptions {
        requires_python: None,
        ..FileOptions::for_wheel(&wheel)
    };
    index.add_file(
        "quiet",
        "1.0",
        options,
        &wheel.filename,
        wheel.bytes.clone(),
    );
    let served = served(&index, &["quiet"], "python3.13", Layout::Python);
    assert_eq!(served.runtimes, ALL[3..]);
    let eleven = reason_for(&served, "python3.11", Arch::X86_64);
    assert_eq!(
        eleven,
        "quiet 1.0 requires Python >=3.12 (its METADATA's Requires-Python)"
    );
}

#[test]
fn a_dependency_a_marker_left_out_excludes_the_runtimes_that_would_need_it() {
    let index = index_with(vec![
        WheelBuilder::new("tester", "8.0")
            .requires_dist("exceptiongroup>=1; python_version < \"3.11\"")
            .requires_dist("colorama; sys_platform == \"win32\""),
        WheelBuilder::new("exceptiongroup", "1.2"),
        WheelBuilder::new("colorama", "0.4"),
    ]);
    let served_12 = served(&index, &["tester"], "python3.12", Layout::Python);
    assert_eq!(served_12.runtimes, ALL[2..], "{:?}", served_12.left_out);
    assert_eq!(served_12.architectures, [Arch::X86_64, Arch::Arm64]);
    let ten = reason_for(&served_12, "python3.10", Arch::Arm64);
    assert!(
        ten.starts_with("tester 8.0 needs exceptiongroup>=1"),
        "{ten}"
    );
    assert!(
        ten.contains("its marker does not hold on python3.12 on x86_64"),
        "{ten}"
    );

    // Resolved on 3.10, exceptiongroup is in the layer, and harmless on newer runtimes.
    let served_10 = served(&index, &["tester"], "python3.10", Layout::Python);
    assert_eq!(served_10.runtimes, ALL);

    // The user's own requirement with a marker counts the same.
    let served_root = served(
        &index,
        &["exceptiongroup; python_version < '3.10'", "colorama"],
        "python3.12",
        Layout::Python,
    );
    assert_eq!(served_root.runtimes, ALL[1..]);
    let nine = reason_for(&served_root, "python3.9", Arch::X86_64);
    assert!(
        nine.starts_with("requested (test) needs exceptiongroup"),
        "{nine}"
    );
}

#[test]
fn the_build_lists_the_served_runtimes_in_its_publish_command_and_json_and_the_zip_agrees() {
    let sandbox = Sandbox::new("served-build");
    sandbox.index.add_wheel(
        &WheelBuilder::new("abilib", "1.0")
            .tag("cp310-abi3-manylinux_2_17_x86_64")
            .build(),
    );
    let zip = sandbox.out().join("layer.zip");
    let out = sandbox.build([
        "app",
        "abilib",
        "--layout",
        "python",
        "--json",
        "-o",
        zip.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let command = json["publish_command"].as_str().unwrap();
    assert!(
        command.contains(
            "--compatible-runtimes python3.10 python3.11 python3.12 python3.13 python3.14 \\\n"
        ),
        "{command}"
    );
    assert!(
        command.contains("--compatible-architectures x86_64\n"),
        "{command}"
    );
    assert!(
        command.contains("--description='abilib 1.0, app 1.0'"),
        "{command}"
    );
    assert_eq!(
        json["served_summary"],
        "serves python3.10–python3.14 on x86_64 only"
    );
    assert_eq!(
        json["served"]["architectures"],
        serde_json::json!(["x86_64"])
    );
    let left = json["served"]["left_out"].as_array().unwrap();
    assert!(
        left.iter()
            .any(|e| e["runtime"] == "python3.9" && e["arch"] == "x86_64"),
        "{left:?}"
    );
    let script = std::fs::read_to_string(sandbox.out().join("layer.publish.sh")).unwrap();
    assert!(script.ends_with(command), "{script}");

    let from_zip = served_by_zip(&zip, &RuntimeTable::builtin()).unwrap();
    assert_eq!(from_zip.runtimes, ALL[1..]);
    assert_eq!(from_zip.architectures, [Arch::X86_64]);
    assert_eq!(from_zip.targets.len(), 5);

    let text = sandbox.build(["app", "-o", "out/plain.zip"]);
    assert!(
        stdout(&text).contains("The layer serves python3.12 on x86_64 and arm64"),
        "{}",
        stdout(&text)
    );
}

/// A zip laid out as `pip install -t python/ ... && zip -r layer.zip python` leaves it:
/// directory entries, `.dist-info` with `INSTALLER`, `RECORD`, `WHEEL`, `METADATA`.
fn pip_style_zip(path: &Path, site: &str, dists: &[(&str, &str, &[&str], Option<&str>)]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    w.add_directory("python/", options).unwrap();
    for (name, version, tags, requires_python) in dists {
        let info = format!("{site}{name}-{version}.dist-info/");
        w.add_directory(format!("{site}{name}/"), options).unwrap();
        w.start_file(format!("{site}{name}/__init__.py"), options)
            .unwrap();
        w.write_all(b"X = 1\n").unwrap();
        w.add_directory(&info, options).unwrap();
        w.start_file(format!("{info}INSTALLER"), options).unwrap();
        w.write_all(b"pip\n").unwrap();
        w.start_file(format!("{info}WHEEL"), options).unwrap();
        let pure = tags.iter().all(|t| t.ends_with("-none-any"));
        let mut wheel = format!(
            "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.43.0)\nRoot-Is-Purelib: {pure}\n"
        );
        for t in *tags {
            let _ = writeln!(wheel, "Tag: {t}");
        }
        w.write_all(wheel.as_bytes()).unwrap();
        w.start_file(format!("{info}METADATA"), options).unwrap();
        let mut meta = format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n");
        if let Some(rp) = requires_python {
            let _ = writeln!(meta, "Requires-Python: {rp}");
        }
        meta.push_str("\nA long description.\n");
        w.write_all(meta.as_bytes()).unwrap();
    }
    w.finish().unwrap();
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wb-served-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_zip_made_by_pip_and_zip_serves_what_the_same_wheels_resolved_serve() {
    let dir = scratch("pip");
    let zip = dir.join("layer.zip");
    pip_style_zip(
        &zip,
        "python/",
        &[
            ("requests", "2.31.0", &["py3-none-any"], Some(">=3.7")),
            (
                "fastlib",
                "2.0",
                &[
                    "cp312-cp312-manylinux_2_17_x86_64",
                    "cp312-cp312-manylinux2014_x86_64",
                ],
                None,
            ),
        ],
    );
    let table = RuntimeTable::builtin();
    let from_zip = served_by_zip(&zip, &table).unwrap();

    let index = index_with(vec![
        WheelBuilder::new("requests", "2.31.0").requires_python(">=3.7"),
        WheelBuilder::new("fastlib", "2.0")
            .tag("cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64"),
    ]);
    let resolved = served(
        &index,
        &["requests", "fastlib"],
        "python3.12",
        Layout::Python,
    );
    assert_eq!(from_zip.runtimes, ["python3.12"]);
    assert_eq!(from_zip.runtimes, resolved.runtimes);
    assert_eq!(from_zip.architectures, resolved.architectures);
    assert_eq!(from_zip.targets, resolved.targets);
    let eleven = reason_for(&from_zip, "python3.11", Arch::X86_64);
    assert!(
        eleven.starts_with("fastlib 2.0 does not load there (tag cp312-cp312"),
        "{eleven}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_zip_read_from_disk_honours_requires_python_and_site_folders() {
    let dir = scratch("site");
    let zip = dir.join("layer.zip");
    pip_style_zip(
        &zip,
        "python/lib/python3.12/site-packages/",
        &[("modern", "1.0", &["py3-none-any"], Some(">=3.13"))],
    );
    let table = RuntimeTable::builtin();
    let served = served_by_zip(&zip, &table).unwrap();
    assert!(served.runtimes.is_empty(), "{served:?}");
    let twelve = reason_for(&served, "python3.12", Arch::X86_64);
    assert!(twelve.contains("requires Python >=3.13"), "{twelve}");
    let thirteen = reason_for(&served, "python3.13", Arch::X86_64);
    assert!(
        thirteen.contains("packages only in python/lib/python3.12/site-packages"),
        "{thirteen}"
    );

    pip_style_zip(
        &zip,
        "python/lib/python3.11/site-packages/",
        &[("app", "1.0", &["py3-none-any"], None)],
    );
    let served = served_by_zip(&zip, &table).unwrap();
    assert_eq!(served.runtimes, ["python3.11"]);
    assert_eq!(served.architectures, [Arch::X86_64, Arch::Arm64]);

    let not_a_zip = dir.join("layer.txt");
    std::fs::write(&not_a_zip, "hello").unwrap();
    let err = served_by_zip(&not_a_zip, &table).unwrap_err().to_string();
    assert!(err.contains("is not a readable zip file"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_dist_info_without_a_wheel_file_serves_nothing_and_says_why() {
    let dir = scratch("nowheel");
    let zip = dir.join("layer.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    w.start_file("python/odd/__init__.py", options).unwrap();
    w.start_file("python/odd-1.0.dist-info/METADATA", options)
        .unwrap();
    w.write_all(b"Metadata-Version: 2.1\nName: odd\nVersion: 1.0\n")
        .unwrap();
    w.finish().unwrap();
    let served = served_by_zip(&zip, &RuntimeTable::builtin()).unwrap();
    assert!(served.runtimes.is_empty());
    assert_eq!(served.left_out.len(), 12);
    let why = reason_for(&served, "python3.12", Arch::Arm64);
    assert_eq!(
        why,
        "odd 1.0 (in python/) has no WHEEL file, so where it loads is unknown"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
