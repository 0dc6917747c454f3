//! Local files read whole: the user's own settings files (`runtimes.json`, `keymap.toml`) and
//! the inputs a command is given (requirements, constraints, `pyproject.toml`, lock files).
//! Each is read only when it is a regular file of a bounded size, so that a FIFO, a device or a
//! huge file in its place can neither hang the program nor fill its memory.

use std::path::Path;

/// Why a local file was not read.
#[derive(Debug)]
pub enum LocalReadError {
    /// It could not be looked at or opened (missing, no permission, ...).
    Io(std::io::Error),
    /// It is not a regular file: `kind` says what it is ("a character device").
    NotRegular { kind: &'static str },
    /// It holds more than the limit (`bytes` is its size, or the limit + 1 when it grew).
    TooLarge { bytes: u64, limit: u64 },
}

/// The bytes of the regular file at `path`, at most `limit` of them: [`crate::local_file`]'s
/// reader (the metadata checked before the file is opened and again on what was opened, which
/// is opened without blocking), its refusals in this module's terms.
///
/// # Errors
/// What the file is when it is not a regular one, its size when it is too large, or the I/O
/// error.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, LocalReadError> {
    use crate::local_file::LocalFileError;
    crate::local_file::read_regular(path, limit, "a file").map_err(|e| match e {
        LocalFileError::Io { error, .. } => LocalReadError::Io(error),
        LocalFileError::NotRegular { kind, .. } => {
            LocalReadError::NotRegular { kind: kind.words() }
        }
        LocalFileError::TooLarge { size, limit, .. } => {
            LocalReadError::TooLarge { bytes: size, limit }
        }
    })
}

/// The text of the file at `path`, if there is one: only a regular file (the metadata is
/// checked before the file is opened, so a FIFO is never opened), at most `limit` bytes, UTF-8.
/// `what` names the kind of file in the refusal ("a keymap").
///
/// # Errors
/// Why the file cannot be used, as the end of a sentence that starts with its path: "is not a
/// regular file", "is 2000000 bytes, more than a keymap can be (65536 bytes)".
pub fn read_config_file(path: &Path, limit: u64, what: &str) -> Result<Option<String>, String> {
    let bytes = match read_regular(path, limit) {
        Ok(bytes) => bytes,
        Err(LocalReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(LocalReadError::Io(e)) => return Err(format!("cannot be read ({e})")),
        Err(LocalReadError::NotRegular { .. }) => return Err("is not a regular file".into()),
        Err(LocalReadError::TooLarge { bytes, limit }) => {
            return Err(format!(
                "is {bytes} bytes, more than {what} can be ({limit} bytes)"
            ));
        }
    };
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "is not UTF-8 text".into())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_device_and_a_folder_are_refused_by_what_they_are_before_any_byte_is_read() {
        for (path, kind) in [("/dev/zero", "a character device"), ("/", "a folder")] {
            match read_regular(Path::new(path), 1024) {
                Err(LocalReadError::NotRegular { kind: got }) => assert_eq!(got, kind, "{path}"),
                other => panic!("{path}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_file_larger_than_the_limit_is_refused_with_its_size() {
        let path = std::env::temp_dir().join(format!("wb-config-big-{}", std::process::id()));
        std::fs::write(&path, vec![b'x'; 2048]).unwrap();
        let read = read_regular(&path, 1024);
        std::fs::remove_file(&path).unwrap();
        assert!(
            matches!(
                read,
                Err(LocalReadError::TooLarge {
                    bytes: 2048,
                    limit: 1024
                })
            ),
            "{read:?}"
        );
    }
}
