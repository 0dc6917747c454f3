//! `/dev/zero` and a FIFO given to `wheelbarrow resolve -r` (or included from a file, or given
//! to `build -r` and `tui -r`): refused by what they are, exit 2, without being read. Run under
//! a 2 GB address-space limit (`ulimit -v`), so that reading the device (which once took 13.7 GB
//! in 30 s) would fail the test rather than fill the machine; a read that blocks (a FIFO opened
//! for reading) is killed after a patience and fails the test.

mod support;

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use support::cli::{Sandbox, stderr};

const PATIENCE: Duration = Duration::from_secs(30);

/// `wheelbarrow resolve -r FILE` under `ulimit -v 2000000`, killed after [`PATIENCE`].
fn resolve_r_bounded(sb: &Sandbox, file: &Path) -> Output {
    command_r_bounded(sb, "resolve", file)
}

/// `wheelbarrow COMMAND --runtime python3.12 -r FILE` under `ulimit -v 2000000`, killed after
/// [`PATIENCE`].
fn command_r_bounded(sb: &Sandbox, command: &str, file: &Path) -> Output {
    let mut args = vec![std::ffi::OsString::from(command)];
    if command == "build" {
        args.extend(["-o", "out/layer.zip"].map(Into::into));
    }
    args.extend(["--runtime", "python3.12", "-r"].map(Into::into));
    args.push(file.as_os_str().to_owned());
    let probe = sb.command(args);
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 2000000 && exec \"$@\"")
        .arg("sh")
        .arg(probe.get_program())
        .args(probe.get_args())
        .current_dir(&sb.dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in probe.get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    let mut child = cmd.spawn().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("still running after {PATIENCE:?}: {}", file.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn make_fifo(path: &Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.unwrap().success(), "mkfifo {}", path.display());
}

fn assert_refused(out: &Output, words: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(words), "{words:?} missing in:\n{err}");
    assert!(err.contains("name a text file of requirements"), "{err}");
}

#[test]
fn resolve_r_dev_zero_is_refused_as_a_character_device_with_exit_2() {
    let sb = Sandbox::new("dev-zero");
    let out = resolve_r_bounded(&sb, Path::new("/dev/zero"));
    assert_refused(
        &out,
        "/dev/zero: is a character device, not a requirements file",
    );
}

#[test]
fn resolve_r_of_a_fifo_is_refused_as_a_named_pipe_without_waiting_for_a_writer() {
    let sb = Sandbox::new("fifo");
    let fifo = sb.dir.join("reqs.txt");
    make_fifo(&fifo);
    let out = resolve_r_bounded(&sb, &fifo);
    assert_refused(
        &out,
        "reqs.txt: is a named pipe (FIFO), not a requirements file",
    );
}

#[test]
fn dev_zero_included_from_a_requirements_file_is_refused_at_the_include() {
    let sb = Sandbox::new("dev-zero-included");
    let top = sb.write("requirements.txt", "app\n-r /dev/zero\n");
    let out = resolve_r_bounded(&sb, &top);
    assert_refused(
        &out,
        "/dev/zero: is a character device, not a requirements file",
    );
}

#[test]
fn build_r_and_tui_r_refuse_dev_zero_and_a_fifo_the_same_way() {
    let sb = Sandbox::new("special-build-tui");
    let fifo = sb.dir.join("pipe.txt");
    make_fifo(&fifo);
    for command in ["build", "tui"] {
        let out = command_r_bounded(&sb, command, Path::new("/dev/zero"));
        assert_refused(
            &out,
            "/dev/zero: is a character device, not a requirements file",
        );
        let out = command_r_bounded(&sb, command, &fifo);
        assert_refused(
            &out,
            "pipe.txt: is a named pipe (FIFO), not a requirements file",
        );
    }
}
