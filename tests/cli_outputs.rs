//! Where `wheelbarrow build` writes, as a user runs it against a loopback index: the publish
//! script runs `aws` with exactly the zip's path whatever that path holds; an output that is a
//! folder or one of the build's inputs is refused before anything is written; a SIGTERM in the
//! middle of the work leaves nothing behind.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::cli::{Sandbox, files_under, stderr};

#[test]
fn the_publish_script_passes_a_hostile_zip_path_to_aws_exactly_and_runs_nothing_in_it() {
    let sb = Sandbox::new("publish");
    let name = "it's \"my\" layer $(touch PWNED1) `touch PWNED2` ; touch PWNED3.zip";
    let zip = sb.out().join(name);
    let out = sb.build([std::ffi::OsStr::new("app"), "-o".as_ref(), zip.as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let script = sb
        .out()
        .join(format!("{}.publish.sh", &name[..name.len() - 4]));
    assert!(script.is_file(), "{:?}", files_under(&sb.out()));

    // A stub `aws`, first on PATH, that records each argument on its own NUL-ended record.
    let bin = sb.dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let stub = bin.join("aws");
    std::fs::write(
        &stub,
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"$AWS_ARGS\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    let args_file = sb.dir.join("aws-args");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let ran = std::process::Command::new("sh")
        .arg(&script)
        .current_dir(&sb.dir)
        .env("PATH", path)
        .env("AWS_ARGS", &args_file)
        .output()
        .unwrap();
    assert!(ran.status.success(), "{}", stderr(&ran));

    let recorded = std::fs::read(&args_file).unwrap();
    let args: Vec<String> = recorded
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let at = args
        .iter()
        .position(|a| a == "--zip-file")
        .expect("--zip-file");
    assert_eq!(
        args[at + 1],
        format!("fileb://{}", zip.display()),
        "{args:?}"
    );
    assert_eq!(&args[..2], ["lambda", "publish-layer-version"]);
    for marker in ["PWNED1", "PWNED2", "PWNED3.zip"] {
        assert!(!sb.dir.join(marker).exists(), "{marker} was created");
        assert!(!sb.out().join(marker).exists(), "{marker} was created");
    }
}

#[test]
fn an_output_that_is_a_folder_is_refused_and_nothing_is_written() {
    let sb = Sandbox::new("out-dir");
    let out = sb.build([
        std::ffi::OsStr::new("app"),
        "-o".as_ref(),
        sb.out().as_os_str(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "{} is a folder; name the zip to write",
            sb.out().display()
        )),
        "{err}"
    );
    assert!(
        files_under(&sb.out()).is_empty(),
        "{:?}",
        files_under(&sb.out())
    );
}

#[test]
fn a_build_that_would_overwrite_its_requirements_file_is_refused_and_writes_nothing() {
    let sb = Sandbox::new("inputs");
    for (reqs, zip, what) in [
        ("out/layer.requirements.txt", "out/layer.zip", "lock file"),
        ("out/reqs.txt", "out/reqs.txt", "zip"),
    ] {
        let written = if what == "zip" { zip } else { reqs };
        let path = sb.write(reqs, "app==1.0\n");
        let before = std::fs::read(&path).unwrap();
        let out = sb.build(["-r", reqs, "-o", zip]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!(
                "writing the {what} to {written} would overwrite {reqs}"
            )),
            "{err}"
        );
        assert!(
            err.contains("one of this build's inputs; choose another output name"),
            "{err}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), before, "{reqs} was changed");
        assert_eq!(
            files_under(&sb.out()),
            std::slice::from_ref(&path),
            "only the input is there"
        );
        std::fs::remove_file(&path).unwrap();
    }
}

/// Waits until a request whose path starts with `prefix` has reached the index.
fn wait_for_request(sb: &Sandbox, prefix: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !sb.index.arrivals().iter().any(|p| p.starts_with(prefix)) {
        assert!(
            Instant::now() < deadline,
            "no request for {prefix} within a minute"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn temp_files(dir: &Path) -> Vec<std::path::PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.ends_with(".tmp") || name.ends_with(".zip") || name.ends_with(".whl")
        })
        .collect()
}

#[test]
fn sigterm_during_a_build_leaves_no_temporary_file_or_partial_zip() {
    let sb = Sandbox::new("sigterm");
    // Downloads hang until the index is dropped, so the signal lands while one is under way.
    sb.index.delay_downloads(Duration::from_secs(120));
    let child = sb
        .command([
            "build",
            "--runtime",
            "python3.12",
            "app",
            "-o",
            "out/layer.zip",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_request(&sb, "/files/");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(30), "it kept going");
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("cancelled"), "{err}");
    assert!(
        temp_files(&sb.out()).is_empty(),
        "{:?}",
        files_under(&sb.out())
    );
    assert!(
        temp_files(&sb.dir.join("cache")).is_empty(),
        "{:?}",
        files_under(&sb.dir.join("cache"))
    );
}

#[test]
fn a_folder_where_the_lock_file_goes_is_refused_before_the_zip_is_written() {
    let sb = Sandbox::new("lock-dir");
    std::fs::create_dir_all(sb.out().join("layer.requirements.txt")).unwrap();
    let out = sb.build(["app", "-o", "out/layer.zip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("out/layer.requirements.txt is a folder; name the lock file to write"),
        "{err}"
    );
    assert!(
        files_under(&sb.out()).is_empty(),
        "{:?}",
        files_under(&sb.out())
    );
}
