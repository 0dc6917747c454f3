//! Files the user names on this machine (a layer zip to inspect or open, a file to add to a
//! layer): read only when they are a regular file of a bounded size. A FIFO would block the
//! read forever, `/dev/zero` would never end, and a huge file would fill the memory; each is
//! refused in words that say what it is ("/dev/zero is a character device, not a layer zip").
//!
//! The metadata is checked before the file is opened (opening a FIFO blocks too), and again on
//! what was opened, which is opened without blocking, so that a FIFO swapped in between cannot
//! hang the read either.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What a path is when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotRegular {
    Folder,
    Fifo,
    CharDevice,
    BlockDevice,
    Socket,
    Other,
}

impl NotRegular {
    /// What it is, in words ("a named pipe (FIFO)").
    pub fn words(self) -> &'static str {
        match self {
            NotRegular::Folder => "a folder",
            NotRegular::Fifo => "a named pipe (FIFO)",
            NotRegular::CharDevice => "a character device",
            NotRegular::BlockDevice => "a block device",
            NotRegular::Socket => "a socket",
            NotRegular::Other => "a special file",
        }
    }
}

impl fmt::Display for NotRegular {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.words())
    }
}

/// What `meta` describes, when it is not a regular file (metadata that followed links).
pub fn not_regular(meta: &std::fs::Metadata) -> Option<NotRegular> {
    if meta.is_file() {
        return None;
    }
    if meta.is_dir() {
        return Some(NotRegular::Folder);
    }
    Some(special(meta))
}

#[cfg(unix)]
fn special(meta: &std::fs::Metadata) -> NotRegular {
    use std::os::unix::fs::FileTypeExt as _;
    let t = meta.file_type();
    if t.is_fifo() {
        NotRegular::Fifo
    } else if t.is_char_device() {
        NotRegular::CharDevice
    } else if t.is_block_device() {
        NotRegular::BlockDevice
    } else if t.is_socket() {
        NotRegular::Socket
    } else {
        NotRegular::Other
    }
}

#[cfg(not(unix))]
fn special(_: &std::fs::Metadata) -> NotRegular {
    NotRegular::Other
}

/// Why a local file was not read.
#[derive(Debug, thiserror::Error)]
pub enum LocalFileError {
    /// `/dev/zero is a character device, not a layer zip`.
    #[error("{} is {kind}, not {what}; name a regular file", .path.display())]
    NotRegular {
        path: PathBuf,
        kind: NotRegular,
        what: &'static str,
    },
    #[error(
        "{} is {size} bytes, more than {what} can be ({limit} bytes); not read",
        .path.display()
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
        what: &'static str,
    },
    #[error("{}: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl LocalFileError {
    fn io(path: &Path, error: std::io::Error) -> LocalFileError {
        LocalFileError::Io {
            path: path.to_path_buf(),
            error,
        }
    }
}

/// The metadata of the regular file at `path` (links followed); `what` names what it should
/// be ("a layer zip").
///
/// # Errors
/// It does not exist or cannot be read, or it is not a regular file.
pub fn regular(path: &Path, what: &'static str) -> Result<std::fs::Metadata, LocalFileError> {
    let meta = std::fs::metadata(path).map_err(|e| LocalFileError::io(path, e))?;
    match not_regular(&meta) {
        None => Ok(meta),
        Some(kind) => Err(LocalFileError::NotRegular {
            path: path.to_path_buf(),
            kind,
            what,
        }),
    }
}

/// The whole regular file at `path`, at most `limit` bytes.
///
/// # Errors
/// What [`regular`] refuses, a file over `limit` (also one that grew past it while read), or
/// an I/O error.
pub fn read_regular(
    path: &Path,
    limit: u64,
    what: &'static str,
) -> Result<Vec<u8>, LocalFileError> {
    regular(path, what)?;
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options
        .open(path)
        .map_err(|e| LocalFileError::io(path, e))?;
    let meta = file.metadata().map_err(|e| LocalFileError::io(path, e))?;
    if let Some(kind) = not_regular(&meta) {
        return Err(LocalFileError::NotRegular {
            path: path.to_path_buf(),
            kind,
            what,
        });
    }
    let too_large = |size: u64| LocalFileError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
        what,
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| LocalFileError::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_a_folder_and_a_file_too_large_are_refused_in_words() {
        let zero = read_regular(Path::new("/dev/zero"), 100, "a layer zip").unwrap_err();
        assert_eq!(
            zero.to_string(),
            "/dev/zero is a character device, not a layer zip; name a regular file"
        );
        let dir = std::env::temp_dir();
        let folder = read_regular(&dir, 100, "a layer zip").unwrap_err();
        assert!(
            folder.to_string().contains("is a folder, not a layer zip"),
            "{folder}"
        );
        let path = dir.join(format!("wb-local-file-{}", std::process::id()));
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(
            read_regular(&path, 10, "a layer zip").unwrap(),
            b"0123456789"
        );
        let large = read_regular(&path, 9, "a layer zip").unwrap_err();
        assert!(
            large
                .to_string()
                .ends_with("is 10 bytes, more than a layer zip can be (9 bytes); not read"),
            "{large}"
        );
        std::fs::remove_file(path).unwrap();
    }
}
