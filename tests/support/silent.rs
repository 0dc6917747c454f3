//! An endpoint that accepts connections and never answers: a TCP listener on loopback whose
//! accepted connections are held open, never read from or written to. What a firewall that
//! swallows packets, or a wedged proxy, looks like to a client. [`Silent::until_publish`] answers
//! what publishing asks first (whose credentials, which versions) and goes silent only at
//! PublishLayerVersion: what a wedged Lambda looks like.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ExitStatus};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A silent endpoint; it lives as long as the test process (its thread blocks in `accept`).
pub struct Silent {
    pub port: u16,
    /// Told each time a client is left waiting.
    accepted: Receiver<()>,
}

impl Silent {
    /// Accepts every connection and never answers.
    pub fn start() -> Silent {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, accepted) = channel();
        std::thread::spawn(move || {
            let mut held: Vec<TcpStream> = Vec::new();
            for stream in listener.incoming().flatten() {
                held.push(stream);
                let _ = tx.send(());
            }
        });
        Silent { port, accepted }
    }

    /// Answers sts:GetCallerIdentity (account 123456789012) and lambda:ListLayerVersions (no
    /// versions); holds PublishLayerVersion, and anything else, unanswered.
    pub fn until_publish() -> Silent {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, accepted) = channel();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let tx = tx.clone();
                std::thread::spawn(move || serve_until_publish(stream, &tx));
            }
        });
        Silent { port, accepted }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits until a client has connected (up to `within`); false when none did.
    pub fn wait_for_client(&self, within: Duration) -> bool {
        self.accepted.recv_timeout(within).is_ok()
    }
}

/// Waits for `child` to end, up to `within`: its status and how long it took, or a panic (the
/// child killed first) saying it was still running.
pub fn wait_within(child: &mut Child, within: Duration, what: &str) -> (ExitStatus, Duration) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, started.elapsed());
        }
        if started.elapsed() > within {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {within:?}; killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One connection of [`Silent::until_publish`]: requests answered in turn until one is held.
fn serve_until_publish(stream: TcpStream, waiting: &std::sync::mpsc::Sender<()>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let length = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let body = String::from_utf8_lossy(&body);
        let (content_type, answer) = if head.contains("GetCallerIdentity") {
            // STS over the JSON protocol (the operation in X-Amz-Target).
            (
                "application/x-amz-json-1.0",
                r#"{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/test","UserId":"AIDTEST"}"#.to_string(),
            )
        } else if body.contains("Action=GetCallerIdentity") {
            (
                "text/xml",
                concat!(
                    r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">"#,
                    "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/test</Arn>",
                    "<UserId>AIDTEST</UserId><Account>123456789012</Account></GetCallerIdentityResult>",
                    "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
                )
                .to_string(),
            )
        } else if head.starts_with("GET ") && head.contains("/versions") {
            ("application/json", r#"{"LayerVersions":[]}"#.to_string())
        } else {
            // PublishLayerVersion (or anything else): held, never answered.
            let _ = waiting.send(());
            loop {
                std::thread::sleep(Duration::from_secs(3600));
            }
        };
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nx-amzn-RequestId: 1\r\n\r\n{answer}",
            answer.len()
        );
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}
