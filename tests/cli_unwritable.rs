//! A cache folder that cannot be written (mounted read-only, or full) is worked around with
//! one warning naming it; a folder with no room is named in the error, for downloads and for
//! the output zip, and nothing half-written is left.
//!
//! The tests run as root (so does CI), and root writes through permission bits: read-only and
//! full folders are made with real mounts, a read-only bind mount and tiny tmpfs, in a mount
//! namespace of the command's own (`unshare -m`). When that cannot be done the test fails and
//! says why: a skipped test would prove nothing.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::cli::{Sandbox, files_under, stderr};
use support::wheel::WheelBuilder;

/// The status the namespace script exits with when it cannot set up its mounts.
const SETUP_FAILED: i32 = 97;

/// Runs `cmd` in a mount namespace of its own after the shell commands `mounts`.
fn with_mounts(cmd: &Command, mounts: &str) -> Output {
    with_mounts_then(cmd, mounts, "true")
}

/// [`with_mounts`], then the shell commands `after` in the same namespace (the command's
/// status is kept).
fn with_mounts_then(cmd: &Command, mounts: &str, after: &str) -> Output {
    let script = format!(
        "{{ {mounts}; }} || {{ echo 'test setup: could not make the mounts (needs root and unshare -m)' >&2; exit {SETUP_FAILED}; }}; \"$0\" \"$@\"; status=$?; {after}; exit $status"
    );
    let mut outer = Command::new("unshare");
    outer
        .args(["-m", "--propagation", "private", "sh", "-c", &script])
        .arg(cmd.get_program())
        .args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        outer.current_dir(dir);
    }
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => outer.env(key, value),
            None => outer.env_remove(key),
        };
    }
    let out = outer
        .output()
        .unwrap_or_else(|e| panic!("cannot run unshare: {e}"));
    assert_ne!(out.status.code(), Some(SETUP_FAILED), "{}", stderr(&out));
    out
}

/// `mount -t tmpfs` of `size` at `dir`.
fn tmpfs(dir: &Path, size: &str) -> String {
    format!("mount -t tmpfs -o size={size} tmpfs '{}'", dir.display())
}

/// A read-only bind mount of `dir` on itself.
fn read_only(dir: &Path) -> String {
    format!(
        "mount --bind '{0}' '{0}' && mount -o remount,bind,ro '{0}'",
        dir.display()
    )
}

/// A sandbox whose index also has `big 1.0`, a wheel of 400 KB that does not compress, and
/// whose temporary folder is its own `tmp/`.
fn sandbox(tag: &str) -> Sandbox {
    let sandbox = Sandbox::new(tag);
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let noise: Vec<u8> = (0..400 * 1024 / 8)
        .flat_map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()
        })
        .collect();
    sandbox.index.add_wheel(
        &WheelBuilder::new("big", "1.0")
            .file("big/blob.bin", &noise)
            .build(),
    );
    std::fs::create_dir_all(sandbox.dir.join("tmp")).unwrap();
    std::fs::create_dir_all(sandbox.dir.join("cache")).unwrap();
    sandbox
}

fn build(sandbox: &Sandbox, projects: &str) -> Command {
    let mut cmd = sandbox.command(["build"]);
    cmd.args(projects.split(' '))
        .args(["--runtime", "python3.12", "-o", "out/app.zip"]);
    cmd.env("TMPDIR", sandbox.dir.join("tmp"));
    cmd
}

/// Temporary files (`.NAME.PID.N.tmp`) and run folders left anywhere in the sandbox.
fn leftovers(sandbox: &Sandbox) -> Vec<String> {
    let mut left: Vec<String> = files_under(&sandbox.dir)
        .iter()
        .filter_map(|p| p.file_name()?.to_str().map(String::from))
        .filter(|n| n.starts_with('.') && Path::new(n).extension().is_some_and(|e| e == "tmp"))
        .collect();
    for entry in std::fs::read_dir(sandbox.dir.join("tmp"))
        .unwrap()
        .flatten()
    {
        left.push(entry.path().display().to_string());
    }
    left
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn a_read_only_cache_folder_is_read_and_the_build_goes_on_with_one_warning() {
    let sandbox = sandbox("ro-cache");
    let cache = sandbox.dir.join("cache");
    // Once with a writable cache: it now holds the index's answers and app's wheel.
    let first = build(&sandbox, "app").output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let held = files_under(&cache);

    // Read-only: app comes from the cache, big is downloaded to the run's own folder.
    std::fs::remove_file(sandbox.out().join("app.zip")).unwrap();
    let out = with_mounts(&build(&sandbox, "app big"), &read_only(&cache));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let warning = format!(
        "warning: the cache folder {} is on a read-only file system: working without a cache this run",
        cache.display()
    );
    assert_eq!(count(&err, &warning), 1, "one warning: {err}");
    assert_eq!(count(&err, "warning:"), 1, "{err}");
    assert!(sandbox.out().join("app.zip").is_file());
    assert_eq!(files_under(&cache), held, "nothing written to the cache");
    assert_eq!(leftovers(&sandbox), Vec::<String>::new());
}

#[test]
fn an_empty_read_only_cache_folder_still_builds() {
    let sandbox = sandbox("ro-empty");
    let cache = sandbox.dir.join("cache");
    let out = with_mounts(&build(&sandbox, "app"), &read_only(&cache));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(count(&err, "warning: the cache folder"), 1, "{err}");
    assert!(files_under(&cache).is_empty());
    assert_eq!(leftovers(&sandbox), Vec::<String>::new());
}

#[test]
fn a_full_cache_folder_degrades_to_no_cache_with_one_warning_naming_it() {
    let sandbox = sandbox("full-cache");
    let cache = sandbox.dir.join("cache");
    // 64 KB: the index's pages fit, big's wheel does not.
    let out = with_mounts(&build(&sandbox, "big"), &tmpfs(&cache, "64k"));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let warning = format!(
        "warning: the cache folder {} has no space left: working without a cache this run",
        cache.display()
    );
    assert_eq!(count(&err, &warning), 1, "{err}");
    assert!(sandbox.out().join("app.zip").is_file());
    assert_eq!(leftovers(&sandbox), Vec::<String>::new());
}

#[test]
fn a_full_cache_and_a_full_temporary_folder_name_the_folder_that_is_full() {
    let sandbox = sandbox("full-both");
    let (cache, tmp) = (sandbox.dir.join("cache"), sandbox.dir.join("tmp"));
    let mounts = format!("{} && {}", tmpfs(&cache, "64k"), tmpfs(&tmp, "64k"));
    let out = with_mounts(&build(&sandbox, "big"), &mounts);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let said = format!("error: {}/wheelbarrow-", tmp.display());
    assert!(err.contains(&said), "{err}");
    assert!(
        err.contains("(this run's temporary folder, used because the cache folder cannot be written) has no space left while writing big-1.0-py3-none-any.whl"),
        "{err}"
    );
    assert!(
        err.contains("set TMPDIR to a folder on a disk with room"),
        "{err}"
    );
    assert_eq!(count(&err, "warning: the cache folder"), 1, "{err}");
    assert!(!sandbox.out().join("app.zip").exists());
    assert_eq!(leftovers(&sandbox), Vec::<String>::new());
}

#[test]
fn a_full_output_folder_is_named_and_no_partial_zip_is_left() {
    let sandbox = sandbox("full-out");
    let out_dir = sandbox.out();
    let out = with_mounts(&build(&sandbox, "big"), &tmpfs(&out_dir, "64k"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(
        err.lines().last().unwrap_or_default(),
        "error: the output folder out has no space left while writing the layer zip out/app.zip (No space left on device (os error 28)); the partial zip was removed. Free space there, or write the zip to another folder"
    );
    assert!(!err.contains("warning:"), "the cache was fine: {err}");
    // What is left on the tmpfs, listed before the namespace (and the tmpfs) goes.
    let listing = sandbox.dir.join("listing.txt");
    let out = with_mounts_then(
        &build(&sandbox, "big"),
        &tmpfs(&out_dir, "64k"),
        &format!("ls -A '{}' > '{}'", out_dir.display(), listing.display()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&listing).unwrap(),
        "",
        "nothing left"
    );
}

#[test]
fn search_with_a_read_only_cache_folder_finds_names_with_one_warning() {
    let sandbox = sandbox("ro-search");
    let cache = sandbox.dir.join("cache");
    let out = with_mounts(
        &sandbox.command(["search", "app", "--json"]),
        &read_only(&cache),
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found[0]["name"], "app", "{found}");
    // The warning, and nothing else: the list of every name was fetched and used.
    let warning = format!(
        "warning: the cache folder {} is on a read-only file system",
        cache.display()
    );
    assert!(err.starts_with(&warning), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(files_under(&cache).is_empty());
}
