//! Publishing never waits forever: an AWS endpoint that accepts connections and never answers
//! ends the command within `WHEELBARROW_TIMEOUT`, in words; SIGTERM and Ctrl-C (SIGINT) while
//! it waits end it within a second, as cancelled. No moto needed: the endpoint is silent.

mod support;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::moto::aws_variables;
use support::silent::{Silent, wait_within};

/// A scratch folder with a small layer zip, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("wb-bounded-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut zip = zip::ZipWriter::new(std::fs::File::create(dir.join("layer.zip")).unwrap());
        zip.start_file("python/mod.py", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, b"X = 1\n").unwrap();
        zip.finish().unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `wheelbarrow publish layer.zip` against `endpoint` with fake credentials, stderr piped.
fn spawn_publish(endpoint: &Silent, scratch: &Scratch, timeout: &str) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"));
    cmd.args([
        "publish",
        "layer.zip",
        "--layer-name",
        "demo",
        "--compatible-runtimes",
        "python3.12",
        "--compatible-architectures",
        "x86_64",
    ])
    .current_dir(&scratch.0)
    .env("WHEELBARROW_TIMEOUT", timeout)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let (removed, set) = aws_variables(&endpoint.url(), &scratch.0, true);
    for var in removed {
        cmd.env_remove(var);
    }
    cmd.envs(set).spawn().unwrap()
}

fn stderr_of(child: Child) -> String {
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_publish_endpoint_that_never_answers_ends_within_the_timeout_saying_what_to_do() {
    let silent = Silent::start();
    let scratch = Scratch::new("hang");
    let mut child = spawn_publish(&silent, &scratch, "1");
    // Before: it waited until killed. 1 s for the call, retries included; the rest is start-up.
    let (status, took) = wait_within(&mut child, Duration::from_secs(20), "publish");
    eprintln!("publish against a silent endpoint ended after {took:?}");
    assert!(silent.wait_for_client(Duration::ZERO), "it did connect");
    assert_eq!(status.code(), Some(2));
    let err = stderr_of(child);
    assert!(
        err.starts_with(&format!(
            "error: no answer from {} for sts:GetCallerIdentity within 1 s: check the endpoint (AWS_ENDPOINT_URL",
            silent.url()
        )),
        "{err}"
    );
    assert!(
        err.contains("or raise the timeout with WHEELBARROW_TIMEOUT"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(!scratch.0.join("layer.published.json").exists());
}

#[test]
fn a_fractional_timeout_is_said_as_given() {
    let silent = Silent::start();
    let scratch = Scratch::new("fraction");
    let mut child = spawn_publish(&silent, &scratch, "0.5");
    let (status, _) = wait_within(&mut child, Duration::from_secs(20), "publish");
    assert_eq!(status.code(), Some(2));
    let err = stderr_of(child);
    assert!(err.contains("within 0.5 s"), "{err}");
}

#[test]
fn a_lambda_that_never_answers_publish_layer_version_ends_within_the_timeout() {
    let endpoint = Silent::until_publish();
    let scratch = Scratch::new("hang-publish");
    let mut child = spawn_publish(&endpoint, &scratch, "1");
    let (status, took) = wait_within(&mut child, Duration::from_secs(20), "publish");
    eprintln!("publish against a wedged PublishLayerVersion ended after {took:?}");
    assert!(endpoint.wait_for_client(Duration::ZERO), "it got that far");
    assert_eq!(status.code(), Some(2));
    let err = stderr_of(child);
    assert!(
        err.starts_with(&format!(
            "error: no answer from {} for lambda:PublishLayerVersion within 1 s",
            endpoint.url()
        )),
        "{err}"
    );
}

/// Sends `signal` (TERM, INT) to the child once it is waiting on `endpoint`, and returns how
/// long it took to end after that, its status and its stderr.
fn signalled_while_waiting(signal: &str, tag: &str) -> (Duration, Option<i32>, String) {
    signalled_while_waiting_on(&Silent::start(), signal, tag)
}

fn signalled_while_waiting_on(
    silent: &Silent,
    signal: &str,
    tag: &str,
) -> (Duration, Option<i32>, String) {
    let scratch = Scratch::new(tag);
    let mut child = spawn_publish(silent, &scratch, "600");
    assert!(
        silent.wait_for_client(Duration::from_secs(30)),
        "publish never connected to the endpoint"
    );
    // Connected, and its request sent or being sent: it now waits for an answer.
    std::thread::sleep(Duration::from_millis(200));
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -{signal} failed");
    let (status, took) = wait_within(
        &mut child,
        Duration::from_secs(10),
        "publish after a signal",
    );
    eprintln!("publish ended {took:?} after SIG{signal}");
    (took, status.code(), stderr_of(child))
}

#[test]
fn sigterm_while_waiting_on_aws_ends_publish_within_a_second_as_cancelled() {
    let (took, code, err) = signalled_while_waiting("TERM", "term");
    // The figure is printed above; the bound only tells "heard" from "waited out the 600 s".
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.trim(), "error: cancelled; nothing was published");
}

#[test]
fn ctrl_c_while_waiting_on_aws_ends_publish_within_a_second_as_cancelled() {
    let (took, code, err) = signalled_while_waiting("INT", "int");
    // The figure is printed above; the bound only tells "heard" from "waited out the 600 s".
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.trim(), "error: cancelled; nothing was published");
}

#[test]
fn sigterm_while_lambda_publishes_ends_within_a_second_saying_a_version_may_exist() {
    let (took, code, err) =
        signalled_while_waiting_on(&Silent::until_publish(), "TERM", "term-publish");
    // The figure is printed above; the bound only tells "heard" from "waited out the 600 s".
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(
        err.trim(),
        "error: cancelled while Lambda was publishing: a new version may exist; list the layer's versions to see"
    );
}
