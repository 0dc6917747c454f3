//! Downloads (`/files/<name>` and PEP 658 `.metadata`), validators with conditional
//! requests (304), and byte ranges.

use std::time::{Duration, UNIX_EPOCH};

use super::super::wheel::sha256_hex;
use super::faults::corrupt_if_malformed;
use super::http::Request;
use super::response::Response;
use super::util::{http_date, modified};
use super::{Shared, State};

pub(super) fn download(shared: &Shared, state: &State, filename: &str) -> Response {
    let files = state.projects.values().flat_map(|p| p.files.iter());
    if let Some(f) = files.clone().find(|f| f.filename == filename) {
        let mut r = Response::ok(
            "application/octet-stream",
            f.bytes.as_ref().clone(),
            modified(f.serial),
        );
        r.rangeable = true;
        return r;
    }
    if let Some(bytes) = state.loose.get(filename) {
        let mut r = Response::ok("application/octet-stream", bytes.as_ref().clone(), 1);
        r.rangeable = true;
        return r;
    }
    let metadata = filename.strip_suffix(".metadata").and_then(|stem| {
        files
            .clone()
            .find(|f| f.filename == stem)
            .filter(|_| shared.options.metadata_files)
            .and_then(|f| Some((f.options.metadata.clone()?, f.serial)))
    });
    match metadata {
        Some((text, serial)) => Response::ok(
            "application/octet-stream",
            text.into_bytes(),
            modified(serial),
        ),
        None => Response::not_found(),
    }
}

/// Malformed bodies, validators, conditional requests and ranges, in that order.
pub(super) fn finish(shared: &Shared, path: &str, req: &Request, r: &mut Response) {
    corrupt_if_malformed(shared, path, r);
    let options = &shared.options;
    if r.rangeable && options.range_requests {
        r.header("Accept-Ranges", "bytes".to_owned());
    }
    if !(r.cacheable && r.status == 200 && options.validators) {
        return;
    }
    let etag = format!("\"{}\"", sha256_hex(&r.body));
    r.header("ETag", etag.clone());
    if let Some(modified) = r.modified {
        r.header("Last-Modified", http_date(modified));
    }
    if let Some(inm) = req.header("if-none-match") {
        if etag_matches(&inm, &etag) {
            r.status = 304;
            r.body.clear();
            return;
        }
    } else if let (Some(ims), Some(modified)) = (req.header("if-modified-since"), r.modified)
        && let Ok(ims) = httpdate::parse_http_date(&ims)
        && UNIX_EPOCH + Duration::from_secs(modified) <= ims
    {
        r.status = 304;
        r.body.clear();
        return;
    }
    if r.rangeable
        && options.range_requests
        && let Some(range) = req.header("range")
    {
        apply_range(r, &range);
    }
}

fn etag_matches(header: &str, etag: &str) -> bool {
    header.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == etag
    })
}

/// One `bytes=` range: 206 with the slice, 416 when unsatisfiable, unchanged when unparsable or
/// a multi-range (a server may ignore those).
fn apply_range(r: &mut Response, range: &str) {
    let len = r.body.len();
    let Some(spec) = range.trim().strip_prefix("bytes=") else {
        return;
    };
    if spec.contains(',') {
        return;
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return;
    };
    let (start, end) = (start.trim(), end.trim());
    let bounds = if start.is_empty() {
        let Ok(suffix) = end.parse::<usize>() else {
            return;
        };
        (suffix > 0 && len > 0).then(|| (len - suffix.min(len), len - 1))
    } else {
        let Ok(first) = start.parse::<usize>() else {
            return;
        };
        let last = if end.is_empty() {
            usize::MAX
        } else {
            let Ok(last) = end.parse::<usize>() else {
                return;
            };
            if last < first {
                return;
            }
            last
        };
        (first < len).then(|| (first, last.min(len - 1)))
    };
    if let Some((first, last)) = bounds {
        r.status = 206;
        r.header("Content-Range", format!("bytes {first}-{last}/{len}"));
        r.body = r.body[first..=last].to_vec();
    } else {
        r.status = 416;
        r.header("Content-Range", format!("bytes */{len}"));
        r.body.clear();
    }
}
