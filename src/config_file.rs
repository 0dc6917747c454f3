//! The user's own settings files (`runtimes.json`, `keymap.toml`): read only when they are a
//! regular file of a bounded size, so that a FIFO, a device or a huge file in their place can
//! neither hang the program before its first frame nor fill its memory.

use std::io::Read;
use std::path::Path;

/// The text of the file at `path`, if there is one: only a regular file (the metadata is
/// checked before the file is opened, so a FIFO is never opened), at most `limit` bytes, UTF-8.
/// `what` names the kind of file in the refusal ("a keymap").
///
/// # Errors
/// Why the file cannot be used, as the end of a sentence that starts with its path: "is not a
/// regular file", "is 2000000 bytes, more than a keymap can be (65536 bytes)".
pub fn read_config_file(path: &Path, limit: u64, what: &str) -> Result<Option<String>, String> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot be read ({e})")),
    };
    if !meta.is_file() {
        return Err("is not a regular file".into());
    }
    let too_large =
        |bytes: u64| format!("is {bytes} bytes, more than {what} can be ({limit} bytes)");
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be read ({e})"))?;
    // The file may have grown since its metadata was read: never more than `limit` + 1 bytes.
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read ({e})"))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "is not UTF-8 text".into())
}
