//! `file://` URLs read as the index's files are: a local wheel (pip's `./dist/x.whl`,
//! `name @ file:///…`), a file of a find-links folder, or a find-links page on disk. The
//! fetcher sends these here instead of over HTTP, so the index client's callers (metadata, the
//! file list, downloads) need not know where a file lives.
//!
//! A local file is bounded like a download (`max_download_bytes`; a page like a document), is
//! read again each time rather than cached (a wheel rebuilt at the same path must be read
//! afresh), and is readable offline.

use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

use url::Url;

use super::error::IndexError;
use super::http::too_large;
use super::requests::RangeAnswer;

/// The path a `file://` URL names, or `None` for any other URL.
pub(super) fn path_of(url: &Url) -> Option<PathBuf> {
    (url.scheme() == "file").then(|| url.to_file_path().ok())?
}

/// Whether `url` names a local file.
pub fn is_local(url: &Url) -> bool {
    url.scheme() == "file"
}

fn open(url: &Url) -> Result<(std::fs::File, PathBuf, u64), IndexError> {
    let path = path_of(url).ok_or_else(|| IndexError::Malformed {
        url: url.to_string(),
        expected: "a file:// URL naming a local path",
        detail: "it has a host or is not an absolute path".into(),
    })?;
    // Only regular files: a FIFO would block the read forever, a device would never end.
    // Checked before opening (opening a FIFO blocks too), and again on what was opened, which
    // is opened without blocking so that a FIFO swapped in between cannot hang it either.
    let before = std::fs::metadata(&path).map_err(|e| IndexError::io(&path, e))?;
    not_regular(&path, &before)?;
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(&path).map_err(|e| IndexError::io(&path, e))?;
    let meta = file.metadata().map_err(|e| IndexError::io(&path, e))?;
    not_regular(&path, &meta)?;
    Ok((file, path, meta.len()))
}

/// An error for anything but a regular file, saying what it is.
fn not_regular(path: &std::path::Path, meta: &std::fs::Metadata) -> Result<(), IndexError> {
    use crate::local_file::NotRegular;
    let kind = match crate::local_file::not_regular(meta) {
        None => return Ok(()),
        Some(NotRegular::CharDevice | NotRegular::BlockDevice) => "a device",
        Some(other) => other.words(),
    };
    Err(IndexError::io(
        path,
        std::io::Error::other(format!(
            "is {kind}, not a regular file; only regular files are read as wheels or pages"
        )),
    ))
}

/// The whole file, at most `limit` bytes; `Ok(None)` when it does not exist (as a 404 would).
pub(super) fn read_all(url: &Url, limit: u64) -> Result<Option<Vec<u8>>, IndexError> {
    let (file, path, len) = match open(url) {
        Err(IndexError::Io { error, .. }) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(None);
        }
        other => other?,
    };
    if len > limit {
        return Err(too_large(url, limit));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| IndexError::io(&path, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(url, limit));
    }
    Ok(Some(bytes))
}

/// A byte range as HTTP's `Range: bytes=SPEC` would give it (`-N`: the last N bytes; `A-B`:
/// bytes A to B inclusive). The file itself must be within `limit`.
pub(super) fn read_range(url: &Url, spec: &str, limit: u64) -> Result<RangeAnswer, IndexError> {
    let (mut file, path, total) = open(url)?;
    if total > limit {
        return Err(too_large(url, limit));
    }
    let bad = || IndexError::Malformed {
        url: url.to_string(),
        expected: "a byte range",
        detail: format!("cannot read the range {spec:?}"),
    };
    let (start, end) = if let Some(last) = spec.strip_prefix('-') {
        let n: u64 = last.parse().map_err(|_| bad())?;
        (total.saturating_sub(n), total)
    } else {
        let (a, b) = spec.split_once('-').ok_or_else(bad)?;
        let a: u64 = a.parse().map_err(|_| bad())?;
        let b: u64 = b.parse().map_err(|_| bad())?;
        (a.min(total), b.saturating_add(1).min(total))
    };
    let mut bytes = vec![0; usize::try_from(end.saturating_sub(start)).unwrap_or(0)];
    file.seek(SeekFrom::Start(start))
        .and_then(|_| file.read_exact(&mut bytes))
        .map_err(|e| IndexError::io(&path, e))?;
    Ok(RangeAnswer::Partial {
        start,
        total,
        bytes,
    })
}

/// Streams the file into `sink` in chunks, as a download would arrive; at most `limit` bytes.
pub(super) fn stream(
    url: &Url,
    sink: &mut impl FnMut(&[u8]) -> std::io::Result<()>,
    progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
    limit: u64,
) -> Result<u64, IndexError> {
    let (mut file, path, total) = open(url)?;
    if total > limit {
        return Err(too_large(url, limit));
    }
    let mut buf = vec![0; 1 << 16];
    let mut received = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| IndexError::io(&path, e))?;
        if n == 0 {
            break;
        }
        received += n as u64;
        if received > limit {
            return Err(too_large(url, limit));
        }
        sink(&buf[..n]).map_err(|e| IndexError::io(&path, e))?;
        progress(received, Some(total));
    }
    Ok(received)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_of_a_local_file_read_as_http_ranges_would() {
        let dir = std::env::temp_dir().join(format!("wb-local-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.bin");
        std::fs::write(&path, b"0123456789").unwrap();
        let url = Url::from_file_path(&path).unwrap();
        let RangeAnswer::Partial {
            start,
            total,
            bytes,
        } = read_range(&url, "-4", 100).unwrap()
        else {
            panic!("a local range is partial");
        };
        assert_eq!((start, total, bytes.as_slice()), (6, 10, &b"6789"[..]));
        let RangeAnswer::Partial { bytes, .. } = read_range(&url, "2-4", 100).unwrap() else {
            panic!("a local range is partial");
        };
        assert_eq!(bytes, b"234");
        assert!(matches!(
            read_range(&url, "-4", 5),
            Err(IndexError::TooLarge { .. })
        ));
        assert!(matches!(
            read_all(&url, 5),
            Err(IndexError::TooLarge { .. })
        ));
        let missing = Url::from_file_path(dir.join("nope")).unwrap();
        assert!(read_all(&missing, 100).unwrap().is_none());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
