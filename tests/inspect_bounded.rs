//! `inspect` under hostile input: a device or a FIFO in place of a zip is refused in words
//! (exit 2) without reading it; a zip of 200 entries that share one deflate stream (each
//! claiming 249 MiB) is reported as overlapping and stops at the one inflate budget, named in
//! the problem; SIGTERM while it inflates ends it as cancelled. The figures (time, memory) are
//! `scripts/bench-inspect-bounded.sh`'s.

mod support;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// How long a refusal may take before the test calls it a hang (a debug build on a busy
/// machine; the benchmark script measures the real time).
const HANG: Duration = Duration::from_secs(60);

fn inspect(args: &[&std::ffi::OsStr]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .arg("inspect")
        .args(args)
        .env("WHEELBARROW_TODAY", support::cli::TODAY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The child's output, or a failure if it has not ended after [`HANG`] (it is killed).
fn finish(mut child: Child) -> Output {
    let deadline = Instant::now() + HANG;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("inspect did not end within {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn scratch(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wb-inspect-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn inspect_refuses_dev_zero_as_a_character_device_with_status_2() {
    let out = finish(inspect(&["/dev/zero".as_ref()]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("/dev/zero is a character device, not a layer zip; name a regular file"),
        "{err}"
    );
}

#[test]
fn inspect_refuses_a_fifo_without_waiting_for_a_writer_and_says_so_in_json_too() {
    let dir = scratch("fifo");
    let fifo = dir.join("layer.zip");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let out = finish(inspect(&[fifo.as_os_str(), "--json".as_ref()]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let words = format!("{} is a named pipe (FIFO), not a layer zip", fifo.display());
    assert!(err.contains(&words), "{err}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.to_string().contains(&words), "{json}");
    std::fs::remove_dir_all(dir).unwrap();
}

fn write_bomb(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("bomb.zip");
    std::fs::write(&path, support::bomb::overlapping_zip(200)).unwrap();
    path
}

#[test]
fn entries_sharing_one_deflate_stream_are_reported_and_inflating_stops_at_the_named_budget() {
    let dir = scratch("bomb");
    let path = write_bomb(&dir);
    let zipped = std::fs::metadata(&path).unwrap().len();
    assert!(zipped < 400_000, "a small zip: {zipped} bytes");
    let out = finish(inspect(&[path.as_os_str(), "--json".as_ref()]));
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let all = problems.join("\n");
    let (first, second) = (support::bomb::member(0), support::bomb::member(1));
    assert!(
        all.contains(&format!(
            "{first} and {second} share their stored bytes (199 of the zip's entries overlap another)"
        )),
        "{all}"
    );
    assert!(all.contains("(a zip bomb)"), "{all}");
    // One member inflated (249 MiB), the second refused: the budget is Lambda's limit + 16 MB.
    assert!(
        all.contains(&format!(
            "stopped inflating at {second} (it claims 249.0 MB, after 249.0 MB inflated): inspect inflates at most 266.0 MB of a zip in all (Lambda's 250.0 MB unzipped limit plus 16.0 MB for headers read twice), so it and the members after it were not checked"
        )),
        "{all}"
    );
    assert_eq!(
        report["native"].as_array().unwrap().len(),
        1,
        "only the first member was inflated and checked"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[test]
fn sigterm_while_inflating_ends_inspect_as_cancelled() {
    let dir = scratch("sigterm");
    let path = write_bomb(&dir);
    let child = inspect(&[path.as_os_str()]);
    // Reading and inflating the first 249 MiB takes seconds in a debug build.
    std::thread::sleep(Duration::from_millis(400));
    let sent = Instant::now();
    terminate(child.id());
    let out = finish(child);
    let took = sent.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cancelled"), "{err}");
    eprintln!("inspect ended {took:?} after SIGTERM");
    std::fs::remove_dir_all(dir).unwrap();
}

/// `kill -TERM pid` (a command: `libc::kill` would need `unsafe`).
fn terminate(pid: u32) {
    let sent = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}
