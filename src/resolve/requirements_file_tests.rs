use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tokio_util::sync::CancellationToken;

use super::{MAX_INCLUDE_DEPTH, read_chain};
use crate::resolve::{read_any_tolerant, read_requirements_file};

fn temp(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wb-reqfile-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `r0.txt` includes `r1.txt`, … down to `r{depth-1}.txt`, which asks for `six`; each file
/// asks for `pkgN` too.
fn chain(dir: &Path, depth: usize) -> PathBuf {
    for i in 0..depth {
        let next = if i + 1 < depth {
            format!("-r r{}.txt\n", i + 1)
        } else {
            "six\n".to_string()
        };
        std::fs::write(dir.join(format!("r{i}.txt")), format!("pkg{i}\n{next}")).unwrap();
    }
    dir.join("r0.txt")
}

#[test]
fn a_chain_of_5000_includes_is_refused_at_the_depth_limit_with_the_chain_and_what_to_do() {
    let dir = temp("deep");
    let top = chain(&dir, 5_000);
    // Run on a small stack: the reader must not recurse on input.
    let err = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || read_requirements_file(&top).unwrap_err().to_string())
        .unwrap()
        .join()
        .unwrap();
    assert!(
        err.contains(&format!("r{}.txt:2", MAX_INCLUDE_DEPTH - 1)),
        "at the line that would go deeper: {err}"
    );
    for words in [
        "-r r100.txt would be file 101 of a chain of -r includes",
        "/r0.txt → ",
        "/r2.txt → … 94 more → ",
        "/r99.txt); at most",
        "at most 100 files deep are read",
        "include the deepest files from a shallower one",
    ] {
        assert!(err.contains(words), "{words:?} missing in: {err}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_tolerant_read_of_a_deep_chain_keeps_the_first_hundred_files_and_says_where_it_stopped() {
    let dir = temp("deep-tolerant");
    let top = chain(&dir, 5_000);
    let (read, skipped) = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || read_any_tolerant(&top).unwrap())
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(read.len(), MAX_INCLUDE_DEPTH);
    assert_eq!(read[0].requirement.name.to_string(), "pkg0");
    assert!(
        read[99].origin.ends_with("r99.txt:1"),
        "{}",
        read[99].origin
    );
    assert_eq!(skipped.len(), 1);
    assert!(
        skipped[0].to_string().contains("at most 100 files deep"),
        "{}",
        skipped[0]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_chain_within_the_limit_is_read_whole_with_each_files_options_for_its_own_and_below() {
    let dir = temp("options");
    std::fs::write(dir.join("top.txt"), "a\n-r mid.txt\nb\n").unwrap();
    std::fs::write(dir.join("mid.txt"), "--pre\nc\n-r low.txt\n").unwrap();
    std::fs::write(
        dir.join("low.txt"),
        "--require-hashes\nd==1 --hash=sha256:aa\n",
    )
    .unwrap();
    let read = read_requirements_file(&dir.join("top.txt")).unwrap();
    let seen: Vec<(String, bool, bool)> = read
        .iter()
        .map(|r| (r.requirement.name.to_string(), r.pre, r.require_hashes))
        .collect();
    let expected = [
        ("a", false, false),
        ("c", true, false),
        ("d", true, true),
        ("b", false, false),
    ];
    let expected: Vec<(String, bool, bool)> = expected
        .iter()
        .map(|(n, p, h)| ((*n).to_string(), *p, *h))
        .collect();
    assert_eq!(seen, expected);
    assert!(read[2].origin.ends_with("low.txt:2"), "{}", read[2].origin);
    assert!(read[3].origin.ends_with("top.txt:3"), "{}", read[3].origin);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_file_that_includes_itself_through_another_is_a_loop_but_one_included_twice_is_not() {
    let dir = temp("loops");
    std::fs::write(dir.join("a.txt"), "-r b.txt\n").unwrap();
    std::fs::write(dir.join("b.txt"), "-r a.txt\n").unwrap();
    let err = read_requirements_file(&dir.join("a.txt")).unwrap_err();
    assert!(err.to_string().contains("includes itself"), "{err}");
    std::fs::write(dir.join("top.txt"), "-r one.txt\n-r one.txt\n").unwrap();
    std::fs::write(dir.join("one.txt"), "six\n").unwrap();
    assert_eq!(
        read_requirements_file(&dir.join("top.txt")).unwrap().len(),
        2
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_device_and_a_fifo_are_refused_by_what_they_are_without_being_read() {
    let dir = temp("special");
    let fifo = dir.join("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for (path, words) in [
        (
            PathBuf::from("/dev/zero"),
            "/dev/zero: is a character device, not a requirements file",
        ),
        (
            fifo.clone(),
            "pipe.txt: is a named pipe (FIFO), not a requirements file",
        ),
    ] {
        let err = read_requirements_file(&path).unwrap_err().to_string();
        assert!(err.contains(words), "{err}");
        assert!(err.contains("name a text file of requirements"), "{err}");
    }
    // Included, the refusal is the same, at the included file.
    std::fs::write(dir.join("top.txt"), "six\n-r /dev/zero\n").unwrap();
    let err = read_requirements_file(&dir.join("top.txt"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("/dev/zero: is a character device"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn repeats_of_one_project_are_each_read_with_their_own_line() {
    let dir = temp("repeats");
    let mut text = String::new();
    for n in 0..100_000 {
        let _ = writeln!(text, "goodpkg>=0.{n}");
    }
    text.push_str("goodpkg<2\n");
    std::fs::write(dir.join("lines.txt"), text).unwrap();
    let read = read_requirements_file(&dir.join("lines.txt")).unwrap();
    assert_eq!(read.len(), 100_001);
    assert!(
        read[2].origin.ends_with("lines.txt:3"),
        "{}",
        read[2].origin
    );
    assert!(read[100_000].origin.ends_with("lines.txt:100001"));
    assert_eq!(read[100_000].requirement.to_string(), "goodpkg<2");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_cancelled_token_stops_a_long_file_with_an_error_at_it() {
    let dir = temp("cancel");
    std::fs::write(dir.join("long.txt"), "six\n".repeat(50_000)).unwrap();
    let cancel = CancellationToken::new();
    cancel.cancel();
    let err = read_chain(&dir.join("long.txt"), None, &cancel).unwrap_err();
    assert!(
        err.to_string().contains("long.txt: reading was cancelled"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
