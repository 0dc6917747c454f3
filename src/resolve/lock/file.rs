//! Reading a lock file's text: bounded in size, UTF-8, TOML, every problem with its line.

use std::path::Path;

use crate::config_file::LocalReadError;

use serde::de::DeserializeOwned;

use super::LockFormat;
use crate::resolve::requirements::RequirementError;

/// Larger lock files are refused unread: real ones are a few hundred kilobytes (a lock of 500
/// packages with wheels for every platform is some 2 MB).
pub const MAX_LOCK_BYTES: u64 = 16 * 1024 * 1024;

/// An error at `origin` (`uv.lock:12`, or the file alone).
pub fn error(origin: &str, problem: impl Into<String>) -> RequirementError {
    RequirementError {
        origin: origin.to_string(),
        problem: problem.into(),
        hint: None,
    }
}

/// The 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(0, |before| before.matches('\n').count())
        + 1
}

/// `file:line` for a byte offset.
pub fn at(shown: &str, text: &str, offset: usize) -> String {
    format!("{shown}:{}", line_of(text, offset))
}

/// The file's text: refused when it is larger than [`MAX_LOCK_BYTES`] or not UTF-8 (with the
/// line of the first byte that is not).
pub fn read_text(path: &Path, format: LockFormat) -> Result<String, RequirementError> {
    let shown = path.display().to_string();
    let bytes = match crate::config_file::read_regular(path, MAX_LOCK_BYTES) {
        Ok(bytes) => bytes,
        Err(LocalReadError::Io(e)) => return Err(error(&shown, format!("cannot be read: {e}"))),
        Err(LocalReadError::NotRegular { kind }) => {
            return Err(error(
                &shown,
                format!("is {kind}, not a {format}; name the lock file itself"),
            ));
        }
        Err(LocalReadError::TooLarge { .. }) => {
            return Err(error(
                &shown,
                format!(
                    "is larger than {} MB, more than any {format} wheelbarrow reads (real ones are a few hundred KB); is it the right file?",
                    MAX_LOCK_BYTES / (1024 * 1024)
                ),
            ));
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = std::str::from_utf8(&bytes[..valid])
                .map_or(0, |before| before.matches('\n').count())
                + 1;
            Err(error(
                &format!("{shown}:{line}"),
                format!(
                    "is not text: byte {valid} is not UTF-8; a {format} is TOML text (is this a binary file?)"
                ),
            ))
        }
    }
}

/// Parses TOML text into `T`; a syntax or shape error is said with its line.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    shown: &str,
    format: LockFormat,
) -> Result<T, RequirementError> {
    toml::from_str(text).map_err(|e| {
        let origin = e
            .span()
            .map_or_else(|| shown.to_string(), |span| at(shown, text, span.start));
        error(
            &origin,
            format!(
                "is not a valid {format}: {}",
                crate::text::clean(e.message().trim())
            ),
        )
    })
}
