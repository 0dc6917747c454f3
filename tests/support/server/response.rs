//! Responses: what a route answers and how it goes on the wire.

use std::fmt::Write as _;
use std::io::Write;
use std::net::TcpStream;
use std::time::SystemTime;

use serde_json::Value;

pub(super) struct Response {
    pub(super) status: u16,
    pub(super) content_type: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
    /// Seconds since the Unix epoch, for `Last-Modified`.
    pub(super) modified: Option<u64>,
    /// A representation that may carry validators (a 200 from a route).
    pub(super) cacheable: bool,
    /// A download that honours `Range`.
    pub(super) rangeable: bool,
    pub(super) close: bool,
}

impl Response {
    pub(super) fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Response {
            status,
            content_type: content_type.to_owned(),
            headers: Vec::new(),
            body,
            modified: None,
            cacheable: false,
            rangeable: false,
            close: false,
        }
    }

    pub(super) fn text(status: u16, body: &str) -> Self {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            body.as_bytes().to_vec(),
        )
    }

    pub(super) fn json(status: u16, value: &Value) -> Self {
        Response::new(status, "application/json", value.to_string().into_bytes())
    }

    pub(super) fn ok(content_type: &str, body: Vec<u8>, modified: u64) -> Self {
        let mut r = Response::new(200, content_type, body);
        r.modified = Some(modified);
        r.cacheable = true;
        r
    }

    pub(super) fn not_found() -> Self {
        Response::text(404, "Not Found\n")
    }

    pub(super) fn header(&mut self, name: &str, value: String) {
        self.headers.push((name.to_owned(), value));
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Writes the response; `head_only` leaves the body out but keeps its `Content-Length`.
pub(super) fn write_response(
    stream: &mut TcpStream,
    r: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
    let _ = write!(
        out,
        "Date: {}\r\n",
        httpdate::fmt_http_date(SystemTime::now())
    );
    if r.status != 304 {
        let _ = write!(out, "Content-Type: {}\r\n", r.content_type);
        let _ = write!(out, "Content-Length: {}\r\n", r.body.len());
    }
    for (name, value) in &r.headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    if r.close {
        out.push_str("Connection: close\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head_only && r.status != 304 {
        bytes.extend_from_slice(&r.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}
