//! Small helpers: file URLs, wheel file names, dates, HTML escaping and percent-encoding.

use std::fmt::Write as _;
use std::time::{Duration, UNIX_EPOCH};

use super::{Shared, UrlStyle};

/// 2024-01-01T00:00:00Z; serial `n` happened `n` minutes later.
const EPOCH_SECS: u64 = 1_704_067_200;

/// A file's URL as seen from a document `depth` directories below the root
/// (`/pypi/x/json` and `/simple/x/` are 2, `/pypi/x/1.0/json` is 3).
pub(super) fn url_for(shared: &Shared, depth: usize, filename: &str) -> String {
    let encoded = encode_segment(filename);
    match shared.options.url_style {
        UrlStyle::Absolute => format!("{}/files/{encoded}", shared.base),
        UrlStyle::Relative => format!("{}files/{encoded}", "../".repeat(depth)),
    }
}

/// The python tag of a wheel file name (`cp312` in `x-1.0-cp312-cp312-linux_x86_64.whl`).
pub(super) fn python_tag(filename: &str) -> String {
    let parts: Vec<&str> = filename.trim_end_matches(".whl").split('-').collect();
    if parts.len() >= 5 {
        parts[parts.len() - 3].to_owned()
    } else {
        String::new()
    }
}

pub(super) fn is_wheel(filename: &str) -> bool {
    std::path::Path::new(filename)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("whl"))
}

pub(super) fn modified(serial: u64) -> u64 {
    EPOCH_SECS + serial * 60
}

pub(super) fn http_date(secs: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(secs))
}

/// `2024-01-01T00:01:00.000000Z`, from the HTTP date `Mon, 01 Jan 2024 00:01:00 GMT`.
pub(super) fn iso8601(secs: u64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date = http_date(secs);
    let fields: Vec<&str> = date.split(' ').collect();
    let month = MONTHS
        .iter()
        .position(|m| Some(m) == fields.get(2))
        .map_or(1, |i| i + 1);
    format!(
        "{}-{month:02}-{}T{}.000000Z",
        fields.get(3).unwrap_or(&"2024"),
        fields.get(1).unwrap_or(&"01"),
        fields.get(4).unwrap_or(&"00:00:00"),
    )
}

pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a path segment, keeping unreserved characters and `+` and `!`.
pub(super) fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~+!".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

pub(super) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
            && let Ok(byte) = u8::try_from(h * 16 + l)
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
