//! `wheelbarrow publish` and `build --publish` against moto's Lambda and S3 on loopback (see
//! tests/support/moto.rs; these fail, not skip, when moto is missing).

mod support;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::cli::{Sandbox, stderr, stdout};
use support::moto::Moto;

/// A scratch folder with a small layer zip in it, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("wb-publish-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// A zip holding `python/NAME` with `bytes`, stored (not deflated) so its size is known.
    fn zip(&self, file: &str, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(file);
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(false);
        zip.start_file(format!("python/{name}"), options).unwrap();
        zip.write_all(bytes).unwrap();
        zip.finish().unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn publish(moto: &Moto, scratch: &Scratch, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"));
    cmd.arg("publish").args(args).current_dir(&scratch.0);
    moto.env(&mut cmd, &scratch.0).output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}\n{}", stdout(out), stderr(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

fn record(zip: &Path) -> serde_json::Value {
    let path = zip.with_file_name(format!(
        "{}.published.json",
        zip.file_stem().unwrap().to_string_lossy()
    ));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn the_same_zip_again_makes_no_new_version_and_force_makes_one() {
    let moto = Moto::start();
    let scratch = Scratch::new("again");
    let zip = scratch.zip("layer.zip", "mod.py", b"X = 1\n");
    let args = [
        "layer.zip",
        "--layer-name",
        "demo",
        "--compatible-runtimes",
        "python3.12",
        "python3.13",
        "--compatible-architectures",
        "arm64",
        "--json",
    ];
    let first = json(&publish(&moto, &scratch, &args));
    assert_eq!(first["version"], 1);
    assert_eq!(first["new_version"], true);
    assert_eq!(first["account"], "123456789012");
    assert_eq!(first["upload"]["kind"], "direct");
    let arn = first["layer_version_arn"].as_str().unwrap().to_string();
    assert!(arn.ends_with(":layer:demo:1"), "{arn}");
    // What Lambda holds is what was asked, and its CodeSha256 is ours.
    let held = moto.layer_versions("demo");
    assert_eq!(held.len(), 1);
    assert_eq!(
        held[0]["CompatibleRuntimes"],
        serde_json::json!(["python3.12", "python3.13"])
    );
    assert_eq!(
        held[0]["CompatibleArchitectures"],
        serde_json::json!(["arm64"])
    );
    // The record beside the zip says the same.
    assert_eq!(record(&zip)["layer_version_arn"], arn.as_str());

    let again = json(&publish(&moto, &scratch, &args));
    assert_eq!(again["new_version"], false);
    assert_eq!(again["version"], 1);
    assert_eq!(again["layer_version_arn"], arn.as_str());
    assert_eq!(again["upload"]["kind"], "none");
    assert_eq!(moto.layer_versions("demo").len(), 1, "no new version");

    // In words: unchanged, with the version and its ARN.
    let text = publish(&moto, &scratch, &args[..args.len() - 1]);
    assert!(text.status.success(), "{}", stderr(&text));
    let words = stdout(&text);
    assert!(
        words.starts_with("Unchanged, version 1 of demo in us-east-1"),
        "{words}"
    );
    assert!(words.contains(&arn), "{words}");

    // Other settings with the same bytes are a new version, said why.
    let mut other = args.to_vec();
    other[7] = "x86_64";
    let changed = json(&publish(&moto, &scratch, &other));
    assert_eq!(changed["version"], 2);
    assert_eq!(
        changed["reason"],
        "the same bytes as version 1, but other compatible architectures"
    );

    let mut forced = other.clone();
    forced.push("--force");
    let forced = json(&publish(&moto, &scratch, &forced));
    assert_eq!(forced["version"], 3);
    assert_eq!(forced["new_version"], true);
    assert_eq!(moto.layer_versions("demo").len(), 3);
    assert_eq!(record(&zip)["version"], 3);
}

#[test]
fn a_zip_over_50_mb_goes_through_s3_and_without_a_bucket_is_refused_saying_why() {
    let moto = Moto::start();
    let scratch = Scratch::new("big");
    // 51 MiB of xorshift noise, stored: over the 50 MB direct-upload limit.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let noise: Vec<u8> = (0..51 * 1024 * 1024 / 8)
        .flat_map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()
        })
        .collect();
    let zip = scratch.zip("big.zip", "blob.bin", &noise);
    drop(noise);
    let size = std::fs::metadata(&zip).unwrap().len();

    let refused = publish(
        &moto,
        &scratch,
        &[
            "big.zip",
            "--layer-name",
            "big",
            "--compatible-runtimes",
            "python3.12",
            "--compatible-architectures",
            "x86_64",
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    let err = stderr(&refused);
    assert!(
        err.contains("over the 50.0 MB Lambda takes in a direct upload"),
        "{err}"
    );
    assert!(err.contains("pass --s3-bucket BUCKET"), "{err}");
    assert!(moto.layer_versions("big").is_empty());

    moto.create_bucket("layers-bucket");
    let published = json(&publish(
        &moto,
        &scratch,
        &[
            "big.zip",
            "--layer-name",
            "big",
            "--s3-bucket",
            "layers-bucket",
            "--compatible-runtimes",
            "python3.12",
            "--compatible-architectures",
            "x86_64",
            "--json",
        ],
    ));
    assert_eq!(published["version"], 1);
    assert_eq!(published["upload"]["kind"], "s3");
    let key = published["upload"]["key"].as_str().unwrap();
    // Content-addressed: the same bytes go to the same key.
    let sha = support::sha256_hex(&std::fs::read(&zip).unwrap());
    assert_eq!(key, format!("layers/big/{sha}.zip"));
    assert_eq!(moto.object_size("layers-bucket", key), Some(size));
    // Lambda took the bytes from S3: its CodeSha256 is the zip's (checked by publish too).
    let held = &moto.layer_versions("big")[0];
    assert!(
        held["LayerVersionArn"]
            .as_str()
            .unwrap()
            .ends_with(":layer:big:1")
    );
    drop(zip);
}

#[test]
fn build_publish_lists_the_runtimes_the_layer_serves() {
    let moto = Moto::start();
    let sandbox = Sandbox::new("publish-served");
    let mut cmd = sandbox.command([
        "build",
        "app",
        "--runtime",
        "python3.12",
        "-o",
        "out/app.zip",
        "--publish",
        "--layer-name",
        "app-layer",
        "--json",
    ]);
    let out = moto.env(&mut cmd, &sandbox.dir).output().unwrap();
    let report = json(&out);
    // site-packages for 3.12 is read only by python3.12; a pure wheel loads on both architectures.
    assert_eq!(
        report["served"]["runtimes"],
        serde_json::json!(["python3.12"])
    );
    let published = &report["published"];
    assert_eq!(
        published["compatible_runtimes"],
        serde_json::json!(["python3.12"])
    );
    assert_eq!(
        published["compatible_architectures"],
        serde_json::json!(["x86_64", "arm64"])
    );
    let held = &moto.layer_versions("app-layer")[0];
    assert_eq!(
        held["CompatibleRuntimes"],
        serde_json::json!(["python3.12"])
    );
    assert_eq!(
        held["CompatibleArchitectures"],
        serde_json::json!(["x86_64", "arm64"])
    );
    assert!(sandbox.out().join("app.published.json").is_file());

    // And `publish` alone reads the same set from the zip.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"));
    cmd.args([
        "publish",
        "out/app.zip",
        "--layer-name",
        "app-layer",
        "--force",
    ])
    .arg("--json")
    .current_dir(&sandbox.dir);
    let again = json(&moto.env(&mut cmd, &sandbox.dir).output().unwrap());
    assert_eq!(
        again["compatible_runtimes"],
        serde_json::json!(["python3.12"])
    );
    assert_eq!(
        again["compatible_architectures"],
        serde_json::json!(["x86_64", "arm64"])
    );
}

#[test]
fn missing_credentials_say_what_to_set() {
    let moto = Moto::start();
    let scratch = Scratch::new("nocreds");
    scratch.zip("layer.zip", "mod.py", b"X = 1\n");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"));
    cmd.args(["publish", "layer.zip", "--layer-name", "demo"])
        .current_dir(&scratch.0);
    let out = moto
        .env_without_credentials(&mut cmd, &scratch.0)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "error: no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        ),
        "{err}"
    );
    assert!(err.contains("or pass --profile NAME"), "{err}");
    assert!(moto.layer_versions("demo").is_empty());
}

#[test]
fn an_invalid_layer_name_character_is_refused_before_any_request() {
    let moto = Moto::start();
    let scratch = Scratch::new("badname");
    let zip = scratch.zip("layer.zip", "mod.py", b"X = 1\n");
    let out = publish(&moto, &scratch, &["layer.zip", "--layer-name", "my.layer"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim(),
        "error: the layer name 'my.layer' has '.' at position 3; Lambda allows only letters, digits, '-' and '_'"
    );
    assert!(moto.layer_versions("my.layer").is_empty());
    assert!(!zip.with_file_name("layer.published.json").exists());
}

#[test]
fn build_options_for_publishing_are_refused_without_publish() {
    let sandbox = Sandbox::new("publish-flags");
    let out = sandbox.build([
        "app",
        "-o",
        "out/app.zip",
        "--layer-name",
        "x",
        "--s3-bucket",
        "b",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim(),
        "error: --layer-name, --s3-bucket only apply with --publish; add --publish to publish the layer after building it"
    );
    assert!(
        !sandbox.out().join("app.zip").exists(),
        "refused before building"
    );
}
