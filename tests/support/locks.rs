//! The index the lock-file fixtures were made against (`scripts/make_lock_fixtures.sh` runs
//! uv and Poetry against it), and the fixtures' folder. The wheels are deterministic, so the
//! hashes in the committed locks match the wheels every test's index serves.
//!
//! The project (`tests/fixtures/locks/project/`): `myapp` depends on `alpha`, `fastnum` and
//! `mylib` (a path dependency of its own); extra `speed` adds `gamma`; groups `dev` (`devtool`)
//! and `docs` (`docgen`). `alpha 1.1` needs `beta` on Python 3.12 and later and `winonly` on
//! Windows. `fastnum 2.0` has only `manylinux_2_28` wheels (loads on python3.12, not on
//! python3.11's glibc 2.26), `fastnum 1.0` manylinux2014 ones.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use super::cli::{Sandbox, stderr, stdout};

use super::server::{IndexOptions, TestIndex};
use super::wheel::{Wheel, WheelBuilder};

/// Where the generated fixtures are.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/locks")
}

/// Every wheel of the fixture index.
pub fn wheels() -> Vec<Wheel> {
    let pure = |name: &str, version: &str| WheelBuilder::new(name, version).build();
    let mut out = vec![
        pure("alpha", "1.0"),
        WheelBuilder::new("alpha", "1.1")
            .requires_dist("beta>=1.0; python_version >= \"3.12\"")
            .requires_dist("winonly; sys_platform == \"win32\"")
            .build(),
        pure("beta", "1.0"),
        pure("winonly", "1.0"),
        pure("gamma", "1.0"),
        pure("devtool", "1.0"),
        pure("docgen", "1.0"),
    ];
    for (version, platform) in [("1.0", "manylinux2014"), ("2.0", "manylinux_2_28")] {
        for py in ["cp311", "cp312"] {
            for arch in ["x86_64", "aarch64"] {
                out.push(
                    WheelBuilder::new("fastnum", version)
                        .tag(&format!("{py}-{py}-{platform}_{arch}"))
                        .file(
                            "fastnum/__init__.py",
                            format!("# fastnum {version} for {py} on {platform}_{arch}\n")
                                .as_bytes(),
                        )
                        .build(),
                );
            }
        }
    }
    out
}

/// The wheel of the fixture project's own `mylib` (path dependency), as its user would build it.
pub fn mylib_wheel() -> Wheel {
    WheelBuilder::new("mylib", "0.2.0")
        .requires_dist("beta")
        .build()
}

/// A loopback index serving [`wheels`] and `oldsdist 1.0`, a project with a source
/// distribution only ([`oldsdist`]).
pub fn index() -> TestIndex {
    let index = TestIndex::start(IndexOptions::default());
    for w in wheels() {
        index.add_wheel(&w);
    }
    let (filename, bytes) = oldsdist();
    index.add_file(
        "oldsdist",
        "1.0",
        super::server::FileOptions::default(),
        &filename,
        bytes,
    );
    index
}

/// `oldsdist-1.0.tar.gz`: a real source distribution (a ustar archive, gzipped) whose
/// `PKG-INFO` is static core metadata (2.2, nothing dynamic), so a locker reads it without
/// building; no wheel of it exists.
pub fn oldsdist() -> (String, Vec<u8>) {
    use std::io::Write as _;
    let files: [(&str, &str); 3] = [
        (
            "oldsdist-1.0/PKG-INFO",
            "Metadata-Version: 2.2\nName: oldsdist\nVersion: 1.0\nSummary: only a source distribution\n",
        ),
        (
            "oldsdist-1.0/pyproject.toml",
            "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"oldsdist\"\nversion = \"1.0\"\n",
        ),
        ("oldsdist-1.0/oldsdist/__init__.py", "X = 1\n"),
    ];
    let mut tar = Vec::new();
    for (path, text) in files {
        tar.extend(ustar_header(path, text.len()));
        tar.extend(text.as_bytes());
        tar.resize(tar.len().div_ceil(512) * 512, 0);
    }
    tar.resize(tar.len() + 1024, 0);
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).expect("writing to memory");
    (
        "oldsdist-1.0.tar.gz".into(),
        gz.finish().expect("finishing gzip"),
    )
}

/// A ustar header for a regular file (mode 0644, owner 0, time 0).
fn ustar_header(path: &str, size: usize) -> [u8; 512] {
    let mut h = [0u8; 512];
    let mut put = |at: usize, bytes: &[u8]| h[at..at + bytes.len()].copy_from_slice(bytes);
    put(0, path.as_bytes());
    put(100, b"0000644\0");
    put(108, b"0000000\0");
    put(116, b"0000000\0");
    put(124, format!("{size:011o}\0").as_bytes());
    put(136, b"00000000000\0");
    put(148, b"        ");
    put(156, b"0");
    put(257, b"ustar\0");
    put(263, b"00");
    let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

/// A sandbox on the lock fixtures' index, with the fixtures copied in and the user's own
/// `mylib` wheel built in `dist/`.
pub fn sandbox(tag: &str) -> Sandbox {
    let dir = std::env::temp_dir().join(format!("wb-locks-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("dist")).unwrap();
    for kind in ["uv", "poetry"] {
        copy_dir(&fixtures().join(kind), &dir.join(kind));
    }
    let mylib = mylib_wheel();
    std::fs::write(dir.join("dist").join(&mylib.filename), &mylib.bytes).unwrap();
    Sandbox {
        index: index(),
        dir,
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

pub fn mylib() -> String {
    format!("./dist/{}", mylib_wheel().filename)
}

pub fn resolve(sb: &Sandbox, runtime: &str, args: &[&str]) -> Output {
    let mut cmd = sb.command([
        "resolve",
        "--json",
        "--runtime",
        runtime,
        "--arch",
        "x86_64",
    ]);
    cmd.args(args);
    cmd.output().unwrap()
}

/// name -> version of a successful `resolve --json`.
pub fn versions(out: &Output) -> BTreeMap<String, String> {
    assert!(
        out.status.success(),
        "resolve failed:\n{}\n{}",
        stderr(out),
        stdout(out)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["version"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
