//! A reader that goes away ends the command quietly: no panic, nothing on stderr, and the
//! status a shell gives a program ended by a closed pipe (141).

mod support;

use std::io::Write as _;
use std::process::{Command, Stdio};

use support::cli::{Sandbox, stderr};

const NAME: &str = "numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.whl";

#[test]
fn check_from_stdin_piped_into_head_ends_quietly() {
    let sandbox = Sandbox::new("closed-head");
    let names = sandbox.write("names.txt", &format!("{NAME}\n").repeat(50_000));
    // The shell's own pipeline: head takes two lines and leaves.
    let script = format!(
        "\"$0\" check - < '{}' | head -n 2 > /dev/null; echo \"status=${{PIPESTATUS[0]}}\"",
        names.display()
    );
    // The sandbox's environment, with bash as the program and the binary as its $0.
    let sandboxed = sandbox.offline(["unused"]);
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_wheelbarrow"))
        .current_dir(&sandbox.dir);
    for (key, value) in sandboxed.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    let out = cmd.output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(said.trim(), "status=141", "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "nothing on stderr, no panic");
}

#[test]
fn every_printing_command_ends_quietly_when_stdout_is_closed_before_it_writes() {
    let sandbox = Sandbox::new("closed-early");
    let cases: [&[&str]; 9] = [
        &["check", NAME],
        &["check", "--json", NAME],
        &["check", "-"],
        &["runtimes"],
        &["runtimes", "--json"],
        &["runtimes", "--path"],
        // Against the sandbox's loopback index: `app` resolves on every target.
        &["matrix", "app"],
        &["matrix", "--json", "app"],
        &["matrix", "--markdown", "app"],
    ];
    for args in cases {
        let mut command = if args[0] == "matrix" {
            sandbox.command(args)
        } else {
            sandbox.offline(args)
        };
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The read end closed before the first write: every write finds no reader.
        drop(child.stdout.take());
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(format!("{NAME}\n").repeat(1000).as_bytes());
        }
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(141), "{args:?}: {err}");
        // `runtimes --path` says where the file goes on stdout and its state on stderr; with
        // stdout gone it stops before that second line.
        assert_eq!(err, "", "{args:?}");
    }
}
