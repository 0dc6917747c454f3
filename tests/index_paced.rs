//! Downloads are bounded by how long nothing arrives, not by how long they take: a wheel that
//! comes slowly but steadily (longer in all than `WHEELBARROW_TIMEOUT`) is downloaded; one that
//! stops coming ends within the timeout, said as stopped, with how much had come.
//!
//! The index here is a few lines of its own (the shared loopback index answers at once): a
//! Simple API page for `paced`, and its wheel sent in 16 KB pieces, one every 100 ms, stopping
//! for good halfway when asked.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use support::cli::{Sandbox, stderr};
use support::silent::wait_within;
use support::wheel::{Wheel, WheelBuilder};

/// A wheel of 400 KB that does not compress: 25 pieces, 2.5 s at the index's pace.
fn paced_wheel() -> Wheel {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let noise: Vec<u8> = (0..400 * 1024 / 8)
        .flat_map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()
        })
        .collect();
    WheelBuilder::new("paced", "1.0")
        .file("paced/blob.bin", &noise)
        .stored()
        .build()
}

/// Starts the index; returns its Simple API root.
fn start(wheel: Wheel, stall_halfway: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let wheel = Arc::new(wheel);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let wheel = Arc::clone(&wheel);
            std::thread::spawn(move || answer(stream, &wheel, stall_halfway));
        }
    });
    format!("http://127.0.0.1:{port}/simple/")
}

fn answer(stream: TcpStream, wheel: &Wheel, stall_halfway: bool) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = stream;
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut range = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("range")
        {
            range = value.trim().strip_prefix("bytes=").map(String::from);
        }
    }
    let path = request.split(' ').nth(1).unwrap_or_default();
    if path == "/simple/paced/" {
        // The metadata is announced (PEP 658), so only the build downloads the wheel.
        let page = format!(
            "<a href=\"/files/{0}#sha256={1}\" data-dist-info-metadata=\"true\">{0}</a>",
            wheel.filename, wheel.sha256
        );
        let _ = write!(
            out,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
            page.len()
        );
        return;
    }
    if path == format!("/files/{}.metadata", wheel.filename) {
        let _ = write!(
            out,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
            wheel.metadata.len(),
            wheel.metadata
        );
        return;
    }
    if path != format!("/files/{}", wheel.filename) {
        let _ = write!(
            out,
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        return;
    }
    if let Some(range) = range {
        // Range requests (the wheel's file list) are answered at once: only the download is
        // paced.
        let len = wheel.bytes.len();
        let (from, to) = match range.split_once('-') {
            Some(("", n)) => (len - n.parse::<usize>().unwrap().min(len), len - 1),
            Some((a, b)) => (a.parse().unwrap(), b.parse::<usize>().unwrap().min(len - 1)),
            None => (0, len - 1),
        };
        let _ = write!(
            out,
            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {from}-{to}/{len}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            to + 1 - from
        );
        let _ = out.write_all(&wheel.bytes[from..=to]);
        return;
    }
    let _ = write!(
        out,
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        wheel.bytes.len()
    );
    for (i, piece) in wheel.bytes.chunks(16 * 1024).enumerate() {
        if stall_halfway && i * 2 >= wheel.bytes.len() / (16 * 1024) {
            // Connected, answering, and silent from here on.
            std::thread::sleep(Duration::from_secs(600));
            return;
        }
        if out.write_all(piece).and_then(|()| out.flush()).is_err() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn build(sandbox: &Sandbox, index: &str) -> std::process::Child {
    let mut cmd = sandbox.offline([
        "build",
        "paced",
        "--runtime",
        "python3.12",
        "-o",
        "out/paced.zip",
        "--index-url",
        index,
    ]);
    cmd.env("WHEELBARROW_TIMEOUT", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd.spawn().unwrap()
}

#[test]
fn a_wheel_that_comes_slowly_but_steadily_is_downloaded_though_it_takes_longer_than_the_timeout() {
    let sandbox = Sandbox::new("paced");
    let index = start(paced_wheel(), false);
    let mut child = build(&sandbox, &index);
    let (status, took) = wait_within(&mut child, Duration::from_secs(60), "build");
    let err = String::from_utf8_lossy(&child.wait_with_output().unwrap().stderr).into_owned();
    eprintln!("the paced download took {took:?}");
    assert!(status.success(), "{err}");
    assert!(
        took > Duration::from_secs(1),
        "longer than the timeout: {took:?}"
    );
    assert!(sandbox.out().join("paced.zip").is_file());
}

#[test]
fn a_wheel_that_stops_coming_ends_within_the_timeout_said_as_stopped() {
    let sandbox = Sandbox::new("stalled");
    let index = start(paced_wheel(), true);
    let mut child = build(&sandbox, &index);
    let (status, took) = wait_within(&mut child, Duration::from_secs(60), "build");
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    eprintln!("the stalled download ended after {took:?}");
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(
        err.contains("paced-1.0-py3-none-any.whl stopped sending after 212992 bytes (nothing came for 1 s); try again, or raise the timeout with WHEELBARROW_TIMEOUT"),
        "{err}"
    );
    assert!(!sandbox.out().join("paced.zip").exists());
}
