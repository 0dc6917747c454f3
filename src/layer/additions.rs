//! Local files and folders the user adds to a layer (`PATH=DEST`, DEST under `/opt`): where
//! each lands, and what is refused rather than dropped (links, sockets and the like).

use std::path::PathBuf;

use serde::Serialize;

use super::LayerError;
use crate::local_file::NotRegular;

/// A local file or folder the user adds (`PATH=DEST`, DEST relative to `/opt`). A DEST ending
/// in `/` is a folder to put PATH in, as `cp` reads it: `./tool=bin/` lands at `bin/tool`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Addition {
    pub source: PathBuf,
    pub dest: String,
}

impl std::str::FromStr for Addition {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (source, dest) = s.split_once('=').ok_or_else(|| {
            format!("an addition is PATH=DEST (DEST under /opt, e.g. ./libpq.so.5=lib/libpq.so.5), not '{s}'")
        })?;
        let source = PathBuf::from(source.trim());
        let dest = dest.trim().trim_start_matches("/opt/");
        let dest = if dest.ends_with('/') || dest.is_empty() {
            let name = source
                .file_name()
                .ok_or_else(|| {
                    format!(
                        "addition {s}: {} has no file name to keep under {dest}",
                        source.display()
                    )
                })?
                .to_string_lossy();
            format!("{}/{name}", dest.trim_matches('/'))
        } else {
            dest.to_string()
        };
        let dest = dest.trim_matches('/').to_string();
        super::paths::check_member_name(&dest).map_err(|e| format!("addition {s}: {e}"))?;
        Ok(Addition { source, dest })
    }
}

/// The files of an addition: the file itself, or every file under a folder (sorted). A
/// symbolic link, or anything that is neither file nor folder, is refused: a layer holds
/// neither, and dropping it would leave the layer silently short.
pub(super) fn walk_addition(addition: &Addition) -> Result<Vec<(PathBuf, String)>, LayerError> {
    let meta = std::fs::symlink_metadata(&addition.source)
        .map_err(|e| LayerError::io(&addition.source, e))?;
    if meta.file_type().is_symlink() {
        return Err(LayerError::Addition(format!(
            "{} is a symbolic link; add the file it points to",
            addition.source.display()
        )));
    }
    if meta.is_file() {
        return Ok(vec![(addition.source.clone(), addition.dest.clone())]);
    }
    if let Some(kind) = crate::local_file::not_regular(&meta).filter(|k| *k != NotRegular::Folder) {
        return Err(LayerError::Addition(format!(
            "{} is {kind}, not a file or folder to add; name a regular file or a folder",
            addition.source.display()
        )));
    }
    let mut out = Vec::new();
    let mut stack = vec![(addition.source.clone(), addition.dest.clone())];
    while let Some((dir, dest)) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| LayerError::io(&dir, e))?
            .flatten()
            .collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| LayerError::io(&path, e))?;
            if kind.is_dir() {
                stack.push((path, format!("{dest}/{name}")));
            } else if kind.is_file() {
                out.push((path, format!("{dest}/{name}")));
            } else {
                let special = entry
                    .metadata()
                    .ok()
                    .and_then(|m| crate::local_file::not_regular(&m));
                let what = match special {
                    _ if kind.is_symlink() => {
                        "a symbolic link (a layer cannot hold links)".to_string()
                    }
                    Some(kind) => format!("{kind}, neither a file nor a folder"),
                    None => "neither a file nor a folder".to_string(),
                };
                return Err(LayerError::Addition(format!(
                    "{} inside the added folder {} is {what}; replace it with the file it stands for, or remove it",
                    path.display(),
                    addition.source.display()
                )));
            }
        }
    }
    Ok(out)
}

/// Whether `addition` can go into a layer as it stands: every file under it a regular file
/// (no link, FIFO or device), readable. The TUI asks before it adds one, so that an addition
/// that would stop every plan and export is refused in the status line instead.
///
/// # Errors
/// Why not, in words that start with the path.
pub fn check_addition(addition: &Addition) -> Result<(), String> {
    let refused = |e: LayerError| match e {
        LayerError::Addition(why) => why,
        other => other.to_string(),
    };
    for (source, _) in walk_addition(addition).map_err(refused)? {
        crate::local_file::regular(&source, "a file to add").map_err(|e| e.to_string())?;
        std::fs::File::open(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    }
    Ok(())
}

/// The bytes `path` (of `size` bytes) takes in the zip: deflated as the zip writer deflates it
/// ([`super::zipwrite::ZipOut::add_contents`]), or stored when that is not smaller. Read in
/// chunks, so a large file costs no memory; the figure is the writer's to the byte.
pub(super) fn stored_size(path: &std::path::Path, size: u64) -> Result<u64, LayerError> {
    /// Counts what the encoder writes, and keeps none of it.
    struct Count(u64);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let io = |e| LayerError::io(path, e);
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut encoder = flate2::write::DeflateEncoder::new(Count(0), flate2::Compression::default());
    // No further than its size when it was planned, even if it grows meanwhile.
    std::io::copy(&mut std::io::Read::take(&mut file, size), &mut encoder).map_err(io)?;
    let deflated = encoder.finish().map_err(io)?.0;
    Ok(if deflated < size { deflated } else { size })
}

#[cfg(unix)]
pub(super) fn is_executable(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
pub(super) fn is_executable(_: &std::path::Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dest(text: &str) -> String {
        text.parse::<Addition>().unwrap().dest
    }

    #[test]
    fn a_destination_ending_in_a_slash_is_a_folder_to_put_the_file_in() {
        assert_eq!(dest("./tool=bin/"), "bin/tool");
        assert_eq!(dest("./tool=/opt/bin/"), "bin/tool");
        assert_eq!(dest("libs/libpq.so.5=lib/libpq.so.5"), "lib/libpq.so.5");
        assert_eq!(dest("./tool=bin"), "bin");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_a_device_a_missing_file_and_a_folder_holding_a_fifo_are_refused_before_they_are_added()
     {
        let dir = std::env::temp_dir().join(format!("wb-additions-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("folder")).unwrap();
        let fifo = dir.join("folder/fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let file = dir.join("notes.txt");
        std::fs::write(&file, b"mine\n").unwrap();
        let check = |source: &std::path::Path, dest: &str| {
            check_addition(&Addition {
                source: source.to_path_buf(),
                dest: dest.into(),
            })
        };
        assert_eq!(check(&file, "share/notes.txt"), Ok(()));
        let err = check(&fifo, "lib/fifo").unwrap_err();
        assert_eq!(
            err,
            format!(
                "{} is a named pipe (FIFO), not a file or folder to add; name a regular file or a folder",
                fifo.display()
            )
        );
        let err = check(std::path::Path::new("/dev/zero"), "lib/zero").unwrap_err();
        assert!(
            err.starts_with("/dev/zero is a character device, not a file or folder"),
            "{err}"
        );
        let err = check(&dir.join("missing"), "lib/missing").unwrap_err();
        assert!(err.contains("missing"), "{err}");
        let err = check(&dir.join("folder"), "lib").unwrap_err();
        assert!(
            err.contains("fifo inside the added folder")
                && err.contains("a named pipe (FIFO), neither a file nor a folder"),
            "{err}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
