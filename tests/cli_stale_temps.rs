//! Temporary files a killed run left (`.NAME.PID.N.tmp`) are removed by the next run: only
//! ours, by their name pattern, only when no live run can own them (see src/index/stale.rs).

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use support::cli::{Sandbox, stderr};

/// A PID above the kernel's largest (2^22): no process ever has it.
const DEAD_PID: u32 = 4_194_305;

/// Writes `path` and makes it look untouched for `age`.
fn left(path: &Path, age: Duration) -> PathBuf {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, b"half a file").unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
    path.to_path_buf()
}

#[test]
fn a_build_removes_what_killed_runs_left_and_nothing_a_live_run_or_anyone_else_owns() {
    let sandbox = Sandbox::new("stale");
    let cache = sandbox.dir.join("cache");
    let out = sandbox.out();
    let minutes = |m: u64| Duration::from_secs(m * 60);
    let me = std::process::id();

    let gone = [
        // The owner is dead and the file untouched for 20 minutes.
        left(
            &cache.join(format!("http-v1/ab/.abcd.body.{DEAD_PID}.0.tmp")),
            minutes(20),
        ),
        left(
            &cache.join(format!(
                "wheels-v1/.x-1.0-py3-none-any.whl.{DEAD_PID}.1.tmp"
            )),
            minutes(20),
        ),
        left(
            &cache.join(format!(
                "wheels-v1/0123/.x-1.0-py3-none-any.whl.{DEAD_PID}.2.tmp"
            )),
            minutes(20),
        ),
        left(
            &cache.join(format!("bytecode-v1/cd/.cdef.zip.{DEAD_PID}.3.tmp")),
            minutes(20),
        ),
        left(
            &cache.join(format!(".names-v1-0011.txt.{DEAD_PID}.4.tmp")),
            minutes(20),
        ),
        // A live PID (this test's) but untouched for two days: not its file any more.
        left(
            &cache.join(format!("http-v1/ab/.abcd.json.{me}.5.tmp")),
            minutes(48 * 60),
        ),
        // Beside the output: the zip's and the lock file's temporary files.
        left(&out.join(format!(".app.zip.{DEAD_PID}.6.tmp")), minutes(20)),
        left(
            &out.join(format!(".app.requirements.txt.{DEAD_PID}.7.tmp")),
            minutes(20),
        ),
    ];
    let kept = [
        // A dead owner, but written to 2 minutes ago: maybe a live run in another container.
        left(
            &cache.join(format!("http-v1/ab/.fresh.body.{DEAD_PID}.0.tmp")),
            minutes(2),
        ),
        // A live owner (this test), an hour ago.
        left(
            &cache.join(format!("wheels-v1/.y-1.0-py3-none-any.whl.{me}.0.tmp")),
            minutes(60),
        ),
        // Not our name pattern.
        left(&cache.join("wheels-v1/.notes.tmp"), minutes(48 * 60)),
        left(
            &cache.join(format!("http-v1/ab/abcd.body.{DEAD_PID}.0.tmp")),
            minutes(48 * 60),
        ),
        // The pattern, but at the top of the cache folder and not a file of ours.
        left(
            &cache.join(format!(".thesis.odt.{DEAD_PID}.0.tmp")),
            minutes(48 * 60),
        ),
        // The pattern beside the output, but not one of this build's outputs.
        left(
            &out.join(format!(".other.zip.{DEAD_PID}.0.tmp")),
            minutes(48 * 60),
        ),
    ];

    let built = sandbox.build(["app", "-o", "out/app.zip"]);
    assert!(built.status.success(), "{}", stderr(&built));
    for path in &gone {
        assert!(!path.exists(), "left behind: {}", path.display());
    }
    for path in &kept {
        assert!(path.exists(), "removed: {}", path.display());
    }
    assert!(out.join("app.zip").is_file());
}
