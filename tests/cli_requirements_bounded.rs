//! Requirement files that once aborted, hung or ran for minutes, given to `wheelbarrow resolve
//! -r` against a loopback index: a 5,000-deep chain of includes (a clear error at the depth
//! limit, no stack overflow), 100,000 repeats of one project (each with its own line in the
//! answer), and SIGTERM while a 2-million-line file is parsed by `resolve`, `build` (one target
//! and several runtimes) and `matrix` (heard: "cancelled", exit 2).

mod support;

use std::fmt::Write as _;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::WheelBuilder;
use support::cli::{Sandbox, stderr, stdout};

#[test]
fn resolve_r_on_a_5000_deep_chain_says_the_depth_limit_and_the_chain_and_exits_2() {
    let sb = Sandbox::new("deep-chain");
    for i in 0..5_000 {
        let next = if i + 1 < 5_000 {
            format!("-r r{}.txt\n", i + 1)
        } else {
            "app\n".into()
        };
        sb.write(&format!("chain/r{i}.txt"), &next);
    }
    let out = sb
        .command(["resolve", "--runtime", "python3.12", "-r", "chain/r0.txt"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for words in [
        "chain/r99.txt:1: -r r100.txt would be file 101 of a chain of -r includes",
        "chain/r0.txt → chain/r1.txt → chain/r2.txt → … 94 more →",
        "at most 100 files deep are read",
        "include the deepest files from a shallower one",
    ] {
        assert!(err.contains(words), "{words:?} missing in:\n{err}");
    }
    assert!(!err.contains("overflow"), "{err}");
}

fn with_goodpkg(tag: &str) -> Sandbox {
    let sb = Sandbox::new(tag);
    for v in ["0.5", "1.0", "2.0"] {
        sb.index.add_wheel(&WheelBuilder::new("goodpkg", v).build());
    }
    sb
}

/// 100,000 lines: `goodpkg>=0.N` on each, and `goodpkg<2` on line 3.
fn repeated_lines(sb: &Sandbox, last: &str) {
    let mut text = String::new();
    for n in 1..=100_000 {
        if n == 3 {
            text.push_str("goodpkg<2\n");
        } else {
            let _ = writeln!(text, "goodpkg>=0.{}", n % 10);
        }
    }
    text.push_str(last);
    sb.write("lines.txt", &text);
}

#[test]
fn a_hundred_thousand_repeats_of_one_project_are_merged_each_said_with_its_own_line() {
    let sb = with_goodpkg("repeats");
    repeated_lines(&sb, "");
    let out = sb
        .command([
            "resolve",
            "--runtime",
            "python3.12",
            "-r",
            "lines.txt",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let goodpkg = &doc["packages"][0];
    assert_eq!(goodpkg["version"], "1.0");
    let lines: Vec<&str> = goodpkg["required_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        lines.contains(&"requested: goodpkg<2 (lines.txt:3)"),
        "the bound on line 3 is said at line 3: {:?}",
        &lines[..lines.len().min(5)]
    );
    assert!(lines.contains(&"requested: goodpkg>=0.1 (lines.txt:1)"));
    assert!(lines.contains(&"requested: goodpkg>=0.0 (lines.txt:100000)"));
    assert_eq!(lines.len(), 100_000, "one line for each requirement");
}

#[test]
fn a_hundred_thousand_repeats_that_clash_are_explained_in_a_few_lines() {
    let sb = with_goodpkg("repeats-clash");
    repeated_lines(&sb, "goodpkg>=3\n");
    let out = sb
        .command(["resolve", "--runtime", "python3.12", "-r", "lines.txt"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.lines().count() < 30, "a short answer:\n{err}");
    assert!(err.contains("goodpkg"), "{err}");
    assert!(
        err.contains("more requirements"),
        "the rest counted:\n{err}"
    );
}

/// The resident memory of `pid` in kB, from `/proc`.
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[cfg(target_os = "linux")]
#[test]
fn sigterm_while_a_two_million_line_file_is_parsed_ends_it_with_cancelled() {
    let sb = two_million_lines("sigterm-parse");
    sigterm_while_parsing(
        &sb,
        &["resolve", "--runtime", "python3.12", "-r", "big.txt"],
    );
}

#[cfg(target_os = "linux")]
#[test]
fn sigterm_while_build_or_matrix_parses_a_two_million_line_file_ends_it_with_cancelled() {
    let sb = two_million_lines("sigterm-parse-build");
    let build = ["build", "-r", "big.txt", "-o", "layer.zip", "--runtime"];
    // One target, several runtimes (a site-packages tree each), and the matrix.
    sigterm_while_parsing(&sb, &[&build[..], &["python3.12"]].concat());
    sigterm_while_parsing(&sb, &[&build[..], &["python3.11,python3.12"]].concat());
    sigterm_while_parsing(&sb, &["matrix", "-r", "big.txt"]);
}

/// A sandbox with `goodpkg` and `big.txt`: two million requirements on it.
#[cfg(target_os = "linux")]
fn two_million_lines(tag: &str) -> Sandbox {
    let sb = with_goodpkg(tag);
    let mut text = String::with_capacity(2_000_000 * 16);
    for n in 0..2_000_000 {
        let _ = writeln!(text, "goodpkg>=0.{n}");
    }
    sb.write("big.txt", &text);
    sb
}

/// `args` (reading `big.txt`) gets SIGTERM once the file is in memory: it ends by its own exit,
/// "cancelled", status 2, with nothing on stdout and no layer written.
#[cfg(target_os = "linux")]
fn sigterm_while_parsing(sb: &Sandbox, args: &[&str]) {
    let bytes = std::fs::metadata(sb.dir.join("big.txt")).unwrap().len();
    let mut child = sb
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // The file is in memory (read, being parsed) once the process holds more than its size:
    // the signal handlers are in place before the file is read.
    let deadline = Instant::now() + Duration::from_secs(60);
    while rss_kb(pid) * 1024 < bytes {
        assert!(
            child.try_wait().unwrap().is_none(),
            "ended before the file was read"
        );
        assert!(Instant::now() < deadline, "the file was never read");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(child.try_wait().unwrap().is_none(), "still parsing");
    let signalled = Instant::now();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    let heard_after = signalled.elapsed();
    let err = stderr(&out);
    eprintln!("{args:?} ended {heard_after:?} after SIGTERM");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?} ended by its own exit:\n{err}"
    );
    assert!(err.contains("cancelled"), "{err}");
    assert!(
        stdout(&out).is_empty(),
        "nothing resolved:\n{}",
        stdout(&out)
    );
    assert!(!sb.dir.join("layer.zip").exists(), "no layer written");
}
