//! Building layers from a loopback index: the /opt layout, scripts, additions, a byte-identical
//! zip, and hostile wheels refused with nothing written anywhere.

mod support;

use support::rt;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use support::{IndexOptions, TestIndex, Wheel, WheelBuilder};
use tokio_util::sync::CancellationToken;
use wheelbarrow::RuntimeTable;
use wheelbarrow::index::{IndexClient, IndexSettings};
use wheelbarrow::layer::{self, Built, LayerError, LayerSpec, Layout, PlanOptions, Workspace};
use wheelbarrow::resolve::parse_requirement;
use wheelbarrow::work::Progress;

fn temp(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wb-layer-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn build(
    index: &TestIndex,
    dir: &Path,
    reqs: &[&str],
    options: &PlanOptions,
    out: &Path,
) -> Result<Built, LayerError> {
    let client =
        IndexClient::new(IndexSettings::for_index(&index.simple(), dir.join("cache")).unwrap())
            .unwrap();
    let target = RuntimeTable::builtin()
        .target(Some("python3.12"), Some("x86_64"))
        .unwrap();
    let workspace = Workspace::new(client, Arc::new(RuntimeTable::builtin()));
    let mut spec = LayerSpec::new(target);
    spec.picks = reqs
        .iter()
        .map(|r| parse_requirement(r, "test").unwrap())
        .collect();
    spec.plan = options.clone();
    let (none, cancel) = (Progress::none(), CancellationToken::new());
    rt().block_on(async {
        let resolution = workspace.resolve(&spec, &none, &cancel).await.unwrap();
        let plan = workspace.plan(&spec, &resolution, &none, &cancel).await?;
        let built = workspace
            .export(&spec, &resolution, out, &none, &cancel)
            .await?
            .built;
        // The plan made before downloading agrees with what was written.
        let planned: Vec<_> = plan.files.iter().map(|f| (&f.path, f.size)).collect();
        let written: Vec<_> = built.plan.files.iter().map(|f| (&f.path, f.size)).collect();
        assert_eq!(planned, written);
        Ok(built)
    })
}

fn good_index() -> TestIndex {
    let index = TestIndex::start(IndexOptions::default());
    index.add_wheel(
        &WheelBuilder::new("tool", "1.0")
            .file("tool/__init__.py", b"VALUE = 42\n")
            .file("tool/__pycache__/x.cpython-312.pyc", b"junk")
            .file("tool/tests/test_tool.py", b"def test(): pass\n")
            .file(
                "tool-1.0.data/scripts/tool-cli",
                b"#!python\nimport tool\nprint(tool.VALUE)\n",
            )
            .file("tool-1.0.data/platlib/tool/_native.py", b"NATIVE = True\n")
            .requires_dist("helper")
            .build(),
    );
    index.add_wheel(
        &WheelBuilder::new("helper", "2.0")
            .file("helper.py", b"def help(): return 'ok'\n")
            .build(),
    );
    index
}

fn zip_entries(path: &Path) -> Vec<(String, Option<u32>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let f = zip.by_index(i).unwrap();
            (f.name().unwrap().to_string(), f.unix_mode())
        })
        .collect()
}

fn read(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_site_packages_layout_puts_packages_scripts_and_additions_where_lambda_looks() {
    let index = good_index();
    let dir = temp("layout");
    std::fs::write(dir.join("libfoo.so.1"), b"\x7fELF fake").unwrap();
    let options = PlanOptions {
        additions: vec![
            format!("{}=lib/libfoo.so.1", dir.join("libfoo.so.1").display())
                .parse()
                .unwrap(),
        ],
        ..PlanOptions::default()
    };
    let out = dir.join("layer.zip");
    let built = build(&index, &dir, &["tool"], &options, &out).unwrap();
    let entries = zip_entries(&out);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    let site = "python/lib/python3.12/site-packages/";
    for expected in [
        format!("{site}tool/__init__.py"),
        format!("{site}tool/_native.py"),
        format!("{site}tool/tests/test_tool.py"),
        format!("{site}helper.py"),
        format!("{site}tool-1.0.dist-info/METADATA"),
        "bin/tool-cli".to_string(),
        "lib/libfoo.so.1".to_string(),
    ] {
        assert!(
            names.contains(&expected.as_str()),
            "{expected} missing from {names:?}"
        );
    }
    assert!(
        !names.iter().any(|n| n.contains("__pycache__")),
        "{names:?}"
    );
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "entries are sorted");
    for (name, mode) in &entries {
        let expected = if name.ends_with('/') {
            0o040_755
        } else if name == "bin/tool-cli" {
            0o100_755
        } else {
            0o100_644
        };
        assert_eq!(*mode, Some(expected), "{name}");
    }
    assert_eq!(
        read(&out, "bin/tool-cli"),
        "#!/var/lang/bin/python3.12\nimport tool\nprint(tool.VALUE)\n"
    );
    assert_eq!(
        built.files,
        names.iter().filter(|n| !n.ends_with('/')).count()
    );
}

#[test]
fn the_python_layout_and_test_trimming_work_too() {
    let index = good_index();
    let dir = temp("python-layout");
    let options = PlanOptions {
        layout: Layout::Python,
        trim: layer::Trim {
            pycache: true,
            tests: true,
        },
        ..PlanOptions::default()
    };
    let out = dir.join("layer.zip");
    build(&index, &dir, &["tool"], &options, &out).unwrap();
    let names: Vec<String> = zip_entries(&out).into_iter().map(|(n, _)| n).collect();
    assert!(
        names.contains(&"python/tool/__init__.py".to_string()),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.contains("/tests/")), "{names:?}");
    assert!(names.contains(&"python/tool-1.0.dist-info/METADATA".to_string()));
}

#[test]
fn building_twice_gives_byte_identical_zips() {
    let index = good_index();
    let dir = temp("twice");
    let a = build(
        &index,
        &dir,
        &["tool"],
        &PlanOptions::default(),
        &dir.join("a.zip"),
    )
    .unwrap();
    let b = build(
        &index,
        &dir,
        &["tool"],
        &PlanOptions::default(),
        &dir.join("b.zip"),
    )
    .unwrap();
    assert_eq!(a.sha256, b.sha256);
    assert_eq!(
        std::fs::read(&a.zip).unwrap(),
        std::fs::read(&b.zip).unwrap()
    );
}

/// Serves `wheel` as the only release of `evil` and builds it; returns the error.
fn refused(tag: &str, wheel: &Wheel, tamper: &dyn Fn(&TestIndex)) -> String {
    let index = TestIndex::start(IndexOptions::default());
    index.add_wheel(wheel);
    tamper(&index);
    let dir = temp(tag);
    let out = dir.join("out").join("layer.zip");
    let client =
        IndexClient::new(IndexSettings::for_index(&index.simple(), dir.join("cache")).unwrap())
            .unwrap();
    let target = RuntimeTable::builtin()
        .target(Some("python3.12"), Some("x86_64"))
        .unwrap();
    let workspace = Workspace::new(client, Arc::new(RuntimeTable::builtin()));
    let mut spec = LayerSpec::new(target);
    spec.picks = vec![parse_requirement("evil", "test").unwrap()];
    let (none, cancel) = (Progress::none(), CancellationToken::new());
    let err = rt().block_on(async {
        let resolution = workspace.resolve(&spec, &none, &cancel).await.unwrap();
        workspace
            .export(&spec, &resolution, &out, &none, &cancel)
            .await
            .map(|_| ())
            .unwrap_err()
    });
    let left: Vec<_> = std::fs::read_dir(dir.join("out"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{tag}: left behind {left:?}");
    err.to_string()
}

/// A hostile wheel, what the index does to it, and what the error must name.
type HostileCase<'a> = (&'a str, Wheel, &'a dyn Fn(&TestIndex), [&'a str; 2]);

#[test]
fn hostile_wheels_are_refused_and_nothing_is_written() {
    let evil = || WheelBuilder::new("evil", "1.0");
    let good = evil().build();
    let good_name = good.filename.clone();
    let no_tamper = |_: &TestIndex| {};
    // (case, wheel, what the index does to it, what the error must name)
    let cases: [HostileCase; 6] = [
        (
            "traversal",
            evil().raw_entry("../escape.py", b"x").build(),
            &no_tamper,
            ["evil-1.0-py3-none-any.whl", "'../escape.py'"],
        ),
        (
            "absolute",
            evil().raw_entry("/etc/evil.py", b"x").build(),
            &no_tamper,
            ["absolute path", "/etc/evil.py"],
        ),
        (
            "symlink",
            evil().symlink("evil/passwd", "/etc/passwd").build(),
            &no_tamper,
            ["symbolic link", "evil/passwd"],
        ),
        (
            "record",
            evil().raw_entry("evil/extra.py", b"import os").build(),
            &no_tamper,
            ["not listed in RECORD", "evil/extra.py"],
        ),
        (
            "hash",
            good,
            &|index: &TestIndex| index.wrong_sha256(&good_name),
            ["does not match its sha256", good_name.as_str()],
        ),
        (
            "bomb",
            bomb_wheel(),
            &no_tamper,
            ["evil/bomb.txt", "inflates to"],
        ),
    ];
    for (case, wheel, tamper, needles) in &cases {
        let err = refused(case, wheel, tamper);
        assert!(needles.iter().all(|n| err.contains(n)), "{case}: {err}");
    }
}

/// A wheel whose member inflates to far more than its headers declare.
fn bomb_wheel() -> Wheel {
    let contents = vec![b'A'; 1 << 20];
    let mut wheel = WheelBuilder::new("evil", "1.0")
        .file("evil/bomb.txt", &contents)
        .build();
    // Rewrite the declared uncompressed size (local header and central directory) to 100.
    let bytes = &mut wheel.bytes;
    let name = b"evil/bomb.txt";
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let sig = u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
        let (size_at, name_at) = match sig {
            0x0403_4b50 => (i + 22, i + 30),
            0x0201_4b50 => (i + 24, i + 46),
            _ => {
                i += 1;
                continue;
            }
        };
        if bytes.get(name_at..name_at + name.len()) == Some(&name[..]) {
            bytes[size_at..size_at + 4].copy_from_slice(&100u32.to_le_bytes());
        }
        i += 4;
    }
    wheel.sha256 = support::sha256_hex(&wheel.bytes);
    wheel
}

#[test]
fn an_add_that_is_not_path_equals_dest_says_how_to_write_it() {
    let err = "just-a-path".parse::<layer::Addition>().unwrap_err();
    assert!(err.contains("PATH=DEST"), "{err}");
    let err = "x=../outside".parse::<layer::Addition>().unwrap_err();
    assert!(err.contains("outside the layer"), "{err}");
}
