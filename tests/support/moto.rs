//! A real Lambda and S3 API on loopback: moto's server (`moto[server]` from the package index),
//! started on 127.0.0.1 on a free port, with fake credentials and `AWS_ENDPOINT_URL` pointing
//! at it. Found through `WHEELBARROW_MOTO`, then `moto_server` on `PATH`, then `.ci/venv`
//! (installed there with `python3 -m venv` and pip the first time a test needs it). When it
//! cannot be had the test fails and says how to install it: a publish test that silently skips
//! would prove nothing.

use std::ffi::OsString;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running moto server, stopped on drop.
pub struct Moto {
    child: Child,
    pub port: u16,
}

/// The `moto_server` executable, or a panic that says how to get one.
pub fn moto_executable() -> PathBuf {
    super::tool::Tool {
        variable: "WHEELBARROW_MOTO",
        executable: "moto_server",
        venv: ".ci/venv",
        requirement: "moto[server]",
        why: "the publish tests run against moto's Lambda and S3 on loopback",
    }
    .executable()
}

impl Moto {
    /// Starts moto on a free loopback port and waits (up to 60 s) until it answers.
    pub fn start() -> Moto {
        let exe = moto_executable();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&exe)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", exe.display()));
        let mut moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!("{} exited with {status} before answering", exe.display());
            }
            assert!(
                Instant::now() < deadline,
                "{} did not answer on port {port} within 60 s",
                exe.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        moto
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Points `cmd` at this server with fake credentials, and at nothing else: no profile,
    /// config file, instance or container role of this machine is read.
    pub fn env<'a>(&self, cmd: &'a mut Command, scratch: &Path) -> &'a mut Command {
        self.env_without_credentials(cmd, scratch)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
    }

    /// As [`Moto::env`], with no credentials anywhere.
    pub fn env_without_credentials<'a>(
        &self,
        cmd: &'a mut Command,
        scratch: &Path,
    ) -> &'a mut Command {
        let (removed, set) = self.variables(scratch, false);
        for var in removed {
            cmd.env_remove(var);
        }
        cmd.envs(set)
    }

    /// What [`Moto::env`] (with `credentials`) or [`Moto::env_without_credentials`] does to a
    /// child's environment, for launchers other than `Command` (a pty's `CommandBuilder`): the
    /// variables to remove, then those to set.
    pub fn variables(
        &self,
        scratch: &Path,
        credentials: bool,
    ) -> (Vec<&'static str>, Vec<(&'static str, OsString)>) {
        aws_variables(&self.url(), scratch, credentials)
    }

    /// Creates an S3 bucket (moto takes unsigned requests).
    pub fn create_bucket(&self, bucket: &str) {
        let answer = super::http::request("PUT", &format!("{}/{bucket}", self.url()), &[]);
        assert_eq!(
            answer.status,
            200,
            "creating bucket {bucket}: {}",
            answer.text()
        );
    }

    /// The layer versions moto holds for `name`, newest first, as Lambda's JSON lists them.
    pub fn layer_versions(&self, name: &str) -> Vec<serde_json::Value> {
        let url = format!("{}/2018-10-31/layers/{name}/versions", self.url());
        let answer = super::http::request("GET", &url, &[("Authorization", &auth("lambda"))]);
        assert_eq!(answer.status, 200, "{url}: {}", answer.text());
        answer.json()["LayerVersions"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The size of an object in moto's S3, when it is there.
    pub fn object_size(&self, bucket: &str, key: &str) -> Option<u64> {
        let url = format!("{}/{bucket}/{key}", self.url());
        let answer = super::http::request("HEAD", &url, &[("Authorization", &auth("s3"))]);
        (answer.status == 200).then(|| {
            answer
                .header("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        })
    }
}

/// The environment of a child that talks to AWS at `endpoint` only, with fake credentials when
/// `credentials`: the variables to remove, then those to set (see [`Moto::variables`]).
pub fn aws_variables(
    endpoint: &str,
    scratch: &Path,
    credentials: bool,
) -> (Vec<&'static str>, Vec<(&'static str, OsString)>) {
    let removed = vec![
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_DEFAULT_REGION",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ];
    let mut set: Vec<(&'static str, OsString)> = vec![
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_ENDPOINT_URL", endpoint.into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_CONFIG_FILE", scratch.join("no-aws-config").into()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            scratch.join("no-aws-credentials").into(),
        ),
    ];
    if credentials {
        set.push(("AWS_ACCESS_KEY_ID", "testing".into()));
        set.push(("AWS_SECRET_ACCESS_KEY", "testing".into()));
    }
    (removed, set)
}

/// moto routes a request by the service its Authorization header names (the signature is not
/// checked).
fn auth(service: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0"
    )
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
