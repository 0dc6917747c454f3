//! An index that lies, through the real binary against a loopback index: a `.metadata` file
//! that is not the wheel's METADATA, digests in other algorithms than sha256 that do not match,
//! links to files on this machine, and local "wheels" that are FIFOs or devices. Each is
//! refused in words, with exit 2 and no zip.

mod support;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use support::cli::{Sandbox, files_under, stderr};
use support::{FileOptions, WheelBuilder, hex};

/// Registers `liarpkg 1.0` (which requires `goodpkg`) with `metadata` as the index's
/// `.metadata` file, and `goodpkg 1.0`.
fn serve_liar(sb: &Sandbox, metadata: &str) {
    let wheel = WheelBuilder::new("liarpkg", "1.0")
        .requires_dist("goodpkg")
        .build();
    sb.index
        .add_wheel(&WheelBuilder::new("goodpkg", "1.0").build());
    let options = FileOptions {
        metadata: Some(metadata.to_string()),
        ..FileOptions::for_wheel(&wheel)
    };
    sb.index.add_file(
        "liarpkg",
        "1.0",
        options,
        &wheel.filename,
        wheel.bytes.clone(),
    );
}

fn assert_refused(sb: &Sandbox, out: &Output, words: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for w in words {
        assert!(err.contains(w), "missing {w:?} in:\n{err}");
    }
    assert!(
        files_under(&sb.out()).is_empty(),
        "{:?}",
        files_under(&sb.out())
    );
}

#[test]
fn a_metadata_file_that_leaves_out_a_dependency_refuses_the_build_naming_both_sources() {
    let sb = Sandbox::new("liar-deps");
    serve_liar(
        &sb,
        "Metadata-Version: 2.1\nName: liarpkg\nVersion: 1.0\n\n",
    );
    let out = sb.build(["liarpkg", "-o", "out/layer.zip"]);
    assert_refused(
        &sb,
        &out,
        &[
            "refusing liarpkg-1.0-py3-none-any.whl",
            "the index's metadata for liarpkg 1.0 leaves out Requires-Dist: goodpkg that the wheel declares",
            "No zip was written",
        ],
    );
}

#[test]
fn a_metadata_file_naming_another_version_is_refused() {
    let sb = Sandbox::new("liar-version");
    serve_liar(
        &sb,
        "Metadata-Version: 2.1\nName: liarpkg\nVersion: 9.0\nRequires-Dist: goodpkg\n\n",
    );
    let out = sb.build(["liarpkg", "-o", "out/layer.zip"]);
    assert_refused(
        &sb,
        &out,
        &[
            "liarpkg-1.0-py3-none-any.whl.metadata, the index's metadata for liarpkg-1.0-py3-none-any.whl, says Name: liarpkg, Version: 9.0 (the file is liarpkg 1.0)",
        ],
    );
}

#[test]
fn a_metadata_file_naming_another_project_with_another_dependency_is_refused() {
    let sb = Sandbox::new("liar-name");
    sb.index
        .add_wheel(&WheelBuilder::new("evilpkg", "1.0").build());
    serve_liar(
        &sb,
        "Metadata-Version: 2.1\nName: otherpkg\nVersion: 1.0\nRequires-Dist: evilpkg\n\n",
    );
    let out = sb.build(["liarpkg", "-o", "out/layer.zip"]);
    assert_refused(
        &sb,
        &out,
        &["says Name: otherpkg, Version: 1.0 (the file is liarpkg 1.0)"],
    );
}

#[test]
fn an_honest_metadata_file_builds() {
    let sb = Sandbox::new("honest");
    let wheel = WheelBuilder::new("liarpkg", "1.0")
        .requires_dist("goodpkg")
        .build();
    serve_liar(&sb, &wheel.metadata);
    let out = sb.build(["liarpkg", "-o", "out/layer.zip"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(sb.out().join("layer.zip").is_file());
}

/// Serves `hashpkg 1.0` from a page of our own whose link carries `fragment`.
fn serve_with_fragment(sb: &Sandbox, fragment: &str) {
    let wheel = WheelBuilder::new("hashpkg", "1.0").build();
    sb.index.add_loose_wheel(&wheel);
    sb.index.add_page(
        "/simple/hashpkg/",
        &format!(
            "<html><body><a href=\"/files/{0}#{fragment}\">{0}</a></body></html>",
            wheel.filename
        ),
    );
}

fn digest(algorithm: &str, bytes: &[u8]) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            &format!("import hashlib,sys; print(hashlib.{algorithm}(sys.stdin.buffer.read()).hexdigest())"),
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(bytes)?;
            child.wait_with_output()
        })
        .expect("python3 computes the oracle digest");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn a_wrong_md5_or_sha512_fragment_refuses_the_download() {
    for algorithm in ["md5", "sha512", "sha1", "sha384", "sha224"] {
        let sb = Sandbox::new(&format!("frag-{algorithm}"));
        let wrong = "0".repeat(if algorithm == "md5" { 32 } else { 64 });
        serve_with_fragment(&sb, &format!("{algorithm}={wrong}"));
        let out = sb.build(["hashpkg", "-o", "out/layer.zip"]);
        assert_refused(
            &sb,
            &out,
            &[
                &format!("hashpkg-1.0-py3-none-any.whl from {}", sb.index.url()),
                &format!("does not match its {algorithm}: the index says {wrong}, the file is"),
            ],
        );
    }
}

#[test]
fn a_right_md5_or_sha512_fragment_builds() {
    let wheel = WheelBuilder::new("hashpkg", "1.0").build();
    for algorithm in ["md5", "sha512"] {
        let sb = Sandbox::new(&format!("frag-ok-{algorithm}"));
        serve_with_fragment(
            &sb,
            &format!("{algorithm}={}", digest(algorithm, &wheel.bytes)),
        );
        let out = sb.build(["hashpkg", "-o", "out/layer.zip"]);
        assert_eq!(out.status.code(), Some(0), "{algorithm}: {}", stderr(&out));
    }
}

#[test]
fn an_unknown_digest_algorithm_alone_is_refused_in_words() {
    let sb = Sandbox::new("frag-unknown");
    serve_with_fragment(&sb, &format!("blake2b={}", hex(&[0xab; 32])));
    let out = sb.build(["hashpkg", "-o", "out/layer.zip"]);
    assert_refused(
        &sb,
        &out,
        &[
            "comes with only blake2b digest, which wheelbarrow cannot check (it checks sha256, sha384, sha512, sha224, sha1, md5); it was not downloaded",
        ],
    );
}

#[test]
fn a_remote_page_linking_a_local_wheel_is_refused_and_the_wheel_never_read() {
    let sb = Sandbox::new("file-link");
    let local = WheelBuilder::new("localpkg", "1.0").build();
    let path = sb.dir.join(&local.filename);
    std::fs::write(&path, &local.bytes).unwrap();
    for target in [
        format!("file://{}", path.display()),
        "file:///etc/shadow".into(),
    ] {
        sb.index.add_page(
            "/simple/localpkg/",
            &format!("<a href=\"{target}\">{}</a>", local.filename),
        );
        let out = sb.build(["localpkg", "-o", "out/layer.zip"]);
        assert_refused(
            &sb,
            &out,
            &[
                &format!(
                    "it links {target}, a file: URL, and a page served over http(s) may link only http(s) files"
                ),
                "nothing was read from this machine",
            ],
        );
    }
}

/// Runs `cmd`, killing it if it has not ended within `limit`.
fn run_bounded(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}: a read hung");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
#[test]
fn a_wheel_that_is_a_fifo_or_a_device_is_refused_at_once() {
    let sb = Sandbox::new("fifo");
    let fifo = sb.dir.join("pipe-1.0-py3-none-any.whl");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let device = sb.dir.join("zero-1.0-py3-none-any.whl");
    std::os::unix::fs::symlink("/dev/zero", &device).unwrap();
    // A page of links on disk, named by the user as find-links, may link local files: these
    // are not regular files, so neither is read.
    sb.write(
        "links.html",
        "<a href=\"pipe-1.0-py3-none-any.whl\">pipe-1.0-py3-none-any.whl</a>\n<a href=\"zero-1.0-py3-none-any.whl\">zero-1.0-py3-none-any.whl</a>\n",
    );
    for (project, path, kind) in [
        ("pipe", &fifo, "a named pipe (FIFO)"),
        ("zero", &device, "a device"),
    ] {
        sb.write("req.txt", &format!("-f links.html\n{project}\n"));
        let mut cmd = sb.command(["build", "--runtime", "python3.12"]);
        cmd.args(["-r", "req.txt", "-o", "out/layer.zip"]);
        let out = run_bounded(cmd, Duration::from_secs(60));
        assert_refused(
            &sb,
            &out,
            &[&format!(
                "{}: is {kind}, not a regular file; only regular files are read",
                path.display()
            )],
        );
        // Named directly, it is refused before anything is opened.
        let mut cmd = sb.command(["build", "--runtime", "python3.12"]);
        cmd.args([path.to_str().unwrap(), "-o", "out/layer.zip"]);
        let out = run_bounded(cmd, Duration::from_secs(60));
        assert_refused(&sb, &out, &["is not a regular file"]);
    }
}

#[test]
fn a_direct_reference_with_a_wrong_md5_is_refused_and_a_right_sha512_builds() {
    let sb = Sandbox::new("direct-md5");
    let wheel = WheelBuilder::new("private", "1.0").build();
    sb.index.add_loose_wheel(&wheel);
    let url = sb.index.file_url(&wheel.filename);
    let wrong = "0".repeat(32);
    let out = sb.build([
        format!("private @ {url}#md5={wrong}").as_str(),
        "-o",
        "out/layer.zip",
    ]);
    assert_refused(
        &sb,
        &out,
        &[&format!(
            "{} from {url} has md5:{}, which is not the one given (md5:{wrong}); it was not used",
            wheel.filename,
            digest("md5", &wheel.bytes)
        )],
    );
    let right = digest("sha512", &wheel.bytes);
    let out = sb.build([
        format!("private @ {url}#sha512={right}").as_str(),
        "-o",
        "out/layer.zip",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_metadata_file_whose_md5_does_not_match_is_refused() {
    let sb = Sandbox::new("meta-md5");
    let wheel = WheelBuilder::new("metapkg", "1.0").build();
    sb.index.add_wheel(&wheel);
    let wrong = "0".repeat(32);
    sb.index.add_page(
        "/simple/metapkg/",
        &format!(
            "<a href=\"/files/{0}\" data-core-metadata=\"md5={wrong}\">{0}</a>",
            wheel.filename
        ),
    );
    let out = sb.build(["metapkg", "-o", "out/layer.zip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "{}.metadata from {}.metadata does not match its md5: the index says {wrong}",
            wheel.filename,
            sb.index.file_url(&wheel.filename)
        )),
        "{err}"
    );
}
