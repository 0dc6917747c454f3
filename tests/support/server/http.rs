//! HTTP/1.1 framing: the listener, the keep-alive connection loop, request parsing, and the
//! per-request pipeline (delay, fault, route, validators, log, write).

use std::io::{ErrorKind, Read};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::Ordering as AtomicOrdering;
use std::thread;
use std::time::Duration;

use super::super::wheel::normalize;
use super::faults::{self, FaultAction};
use super::files::{download, finish};
use super::response::{Response, write_response};
use super::routes_json::json_api;
use super::routes_simple::{simple_project, simple_root};
use super::util::percent_decode;
use super::{RequestLog, Shared, lock};

/// How often blocked connection threads look at the shutdown flag.
const POLL: Duration = Duration::from_millis(25);
/// The largest request head accepted.
const MAX_HEAD: usize = 64 * 1024;

pub(super) fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.shutdown.load(AtomicOrdering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            thread::sleep(Duration::from_millis(5));
            continue;
        };
        let for_thread = Arc::clone(shared);
        let spawned = thread::Builder::new()
            .name("test-index-conn".to_owned())
            .spawn(move || serve_connection(stream, &for_thread));
        if let Ok(handle) = spawned {
            let mut connections = lock(&shared.connections);
            connections.retain(|h| !h.is_finished());
            connections.push(handle);
        }
    }
}

pub(super) struct Request {
    method: String,
    target: String,
    keep_alive: bool,
    headers: Vec<(String, String)>,
}

impl Request {
    pub(super) fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        if values.is_empty() {
            None
        } else {
            Some(values.join(", "))
        }
    }
}

enum Head {
    Request(Vec<u8>),
    TooLarge,
    /// A TLS handshake on this plain-HTTP port: answered 400 in plain text, as web servers do.
    Tls,
    Closed,
}

fn serve_connection(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(POLL));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        let head = match read_head(&mut stream, &mut buf, shared) {
            Head::Request(head) => head,
            Head::TooLarge => {
                reject(&mut stream, shared, 431);
                return;
            }
            Head::Tls => {
                reject(&mut stream, shared, 400);
                return;
            }
            Head::Closed => return,
        };
        let Some(request) = parse_head(&head) else {
            reject(&mut stream, shared, 400);
            return;
        };
        if request
            .header("transfer-encoding")
            .is_some_and(|v| !v.trim().eq_ignore_ascii_case("identity"))
        {
            reject(&mut stream, shared, 400);
            return;
        }
        if let Some(length) = request.header("content-length") {
            let Ok(length) = length.trim().parse::<usize>() else {
                reject(&mut stream, shared, 400);
                return;
            };
            if !discard_body(&mut stream, &mut buf, length, shared) {
                return;
            }
        }
        if !handle(&mut stream, &request, shared) {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Reads until a blank line ends a request head; returns the head and keeps the rest in `buf`.
fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>, shared: &Shared) -> Head {
    let mut chunk = [0u8; 8192];
    loop {
        // Blank lines before a request are allowed (RFC 9112 section 2.2).
        let leading = buf
            .iter()
            .take_while(|b| **b == b'\r' || **b == b'\n')
            .count();
        buf.drain(..leading);
        if buf.first() == Some(&0x16) {
            return Head::Tls;
        }
        if let Some(end) = head_end(buf) {
            return Head::Request(buf.drain(..end).collect());
        }
        if buf.len() > MAX_HEAD {
            return Head::TooLarge;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Head::Closed,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) => {
                if shared.shutdown.load(AtomicOrdering::SeqCst) {
                    return Head::Closed;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Head::Closed,
        }
    }
}

/// The index just past the blank line ending the head (`\r\n\r\n` or a lenient `\n\n`).
fn head_end(buf: &[u8]) -> Option<usize> {
    for i in 0..buf.len() {
        if buf[i] != b'\n' {
            continue;
        }
        match buf.get(i + 1) {
            Some(b'\n') => return Some(i + 2),
            Some(b'\r') if buf.get(i + 2) == Some(&b'\n') => return Some(i + 3),
            _ => {}
        }
    }
    None
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

fn discard_body(stream: &mut TcpStream, buf: &mut Vec<u8>, length: usize, shared: &Shared) -> bool {
    let mut left = length;
    let from_buf = left.min(buf.len());
    buf.drain(..from_buf);
    left -= from_buf;
    let mut chunk = [0u8; 8192];
    while left > 0 {
        match stream.read(&mut chunk[..left.min(8192)]) {
            Ok(0) => return false,
            Ok(n) => left -= n,
            Err(e) if is_timeout(&e) => {
                if shared.shutdown.load(AtomicOrdering::SeqCst) {
                    return false;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    true
}

fn parse_head(head: &[u8]) -> Option<Request> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let mut first = lines.next()?.split(' ').filter(|s| !s.is_empty());
    let (method, target, version) = (first.next()?, first.next()?, first.next()?);
    if first.next().is_some() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let minor = version.strip_prefix("HTTP/1.")?;
    if minor != "0" && minor != "1" {
        return None;
    }
    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        if name.is_empty() || name.contains([' ', '\t']) {
            return None;
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut request = Request {
        method: method.to_owned(),
        target: target.to_owned(),
        keep_alive: false,
        headers,
    };
    let connection = request.header("connection").unwrap_or_default();
    let has = |token: &str| {
        connection
            .split(',')
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    };
    request.keep_alive = if minor == "1" {
        !has("close")
    } else {
        has("keep-alive")
    };
    Some(request)
}

fn reject(stream: &mut TcpStream, shared: &Shared, status: u16) {
    lock(&shared.state).log.push(RequestLog {
        method: String::new(),
        path: String::new(),
        range: None,
        accept: None,
        if_none_match: None,
        if_modified_since: None,
        authorization: None,
        status,
        body_bytes: 0,
    });
    let mut response = Response::text(status, "bad request\n");
    response.close = true;
    let _ = write_response(stream, &response, true);
    let _ = stream.shutdown(Shutdown::Both);
}

/// Answers one request; false when the connection should close.
fn handle(stream: &mut TcpStream, req: &Request, shared: &Shared) -> bool {
    let path = origin_form(&req.target);
    let mut entry = RequestLog {
        method: req.method.clone(),
        path: path.clone(),
        range: req.header("range"),
        accept: req.header("accept"),
        if_none_match: req.header("if-none-match"),
        if_modified_since: req.header("if-modified-since"),
        authorization: req.header("authorization"),
        status: 0,
        body_bytes: 0,
    };

    let whole_download = req.method == "GET"
        && path.starts_with("/files/")
        && std::path::Path::new(&path)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("whl"))
        && req.header("range").is_none();
    if !faults::wait_out_delay(shared, &path, whole_download) {
        return false;
    }

    let fault = faults::take_fault(shared, &path);
    let head_only = req.method == "HEAD";
    let mut response = match fault {
        Some(FaultAction::Drop) => {
            lock(&shared.state).log.push(entry);
            return false;
        }
        Some(FaultAction::Status(status, retry_after)) => {
            let mut r = Response::text(status, "injected failure\n");
            if let Some(secs) = retry_after {
                r.header("Retry-After", secs.to_string());
            }
            r
        }
        None if req.method != "GET" && !head_only => {
            let mut r = Response::text(405, "Method Not Allowed\n");
            r.header("Allow", "GET, HEAD".to_owned());
            r
        }
        None => {
            let mut r = route(shared, &path, req);
            finish(shared, &path, req, &mut r);
            r
        }
    };
    response.close = response.close || !req.keep_alive;

    entry.status = response.status;
    entry.body_bytes = if head_only || response.status == 304 {
        0
    } else {
        response.body.len()
    };
    lock(&shared.state).log.push(entry);

    write_response(stream, &response, head_only).is_ok() && !response.close
}

/// `http://host/path?q` becomes `/path?q`; anything else is left alone.
fn origin_form(target: &str) -> String {
    for scheme in ["http://", "https://"] {
        if let Some(rest) = target.strip_prefix(scheme) {
            return match rest.find('/') {
                Some(i) => rest[i..].to_owned(),
                None => "/".to_owned(),
            };
        }
    }
    target.to_owned()
}

/// Dispatches a request path (query and fragment ignored) to the document or file it names.
fn route(shared: &Shared, path: &str, req: &Request) -> Response {
    let path_only = path.split(['?', '#']).next().unwrap_or_default();
    let Some(rest) = path_only.strip_prefix('/') else {
        return Response::not_found();
    };
    let segments: Vec<String> = rest.split('/').map(percent_decode).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let state = lock(&shared.state);
    if let Some(html) = state.pages.get(path_only) {
        return Response::ok("text/html; charset=utf-8", html.clone().into_bytes(), 1);
    }
    match segments.as_slice() {
        ["pypi", project, "json"] => json_api(shared, &state, project, None),
        ["pypi", project, version, "json"] => json_api(shared, &state, project, Some(version)),
        ["simple", ""] => simple_root(shared, &state, req),
        ["simple", project, ""] => simple_project(shared, &state, project, req),
        ["simple", project] if state.projects.contains_key(&normalize(project)) => {
            let mut r = Response::text(301, "Moved Permanently\n");
            r.header("Location", format!("/simple/{}/", normalize(project)));
            r
        }
        ["files", filename] => download(shared, &state, filename),
        _ => Response::not_found(),
    }
}
