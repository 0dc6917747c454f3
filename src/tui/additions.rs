//! Files of your own under /opt, for the add dialog: where one goes when you do not say (a
//! shared library to `lib/`, an executable to `bin/`, a folder's contents to `lib/`), and path
//! completion. The runner calls these (they read the file system); `update` never does.

use std::path::Path;
use std::str::FromStr;

use wheelbarrow::layer::Addition;

/// `PATH=DEST` as the CLI's `--add` takes it, or `PATH` alone with its destination decided;
/// refused before it is added when it could not go into a layer (missing, a FIFO, a device,
/// a link, a folder holding one), so that the layer is never left unexportable.
pub fn addition(text: &str) -> Result<Addition, String> {
    let addition = destined(text)?;
    wheelbarrow::layer::check_addition(&addition)?;
    Ok(addition)
}

fn destined(text: &str) -> Result<Addition, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("type the path of a file or folder to add".into());
    }
    let (source, explicit) = match text.split_once('=') {
        Some((source, _)) => (source.trim(), true),
        None => (text, false),
    };
    let meta = std::fs::symlink_metadata(source)
        .map_err(|e| format!("{source}: {e}; type the path of a file or folder to add"))?;
    if explicit {
        return Addition::from_str(text);
    }
    let name = Path::new(source)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dest = if meta.is_dir() {
        "lib".to_string()
    } else if name.contains(".so") {
        format!("lib/{name}")
    } else if is_executable(&meta) {
        format!("bin/{name}")
    } else {
        return Err(format!(
            "{source} is neither a shared library nor an executable: say where it goes under /opt, as {source}=DEST"
        ));
    };
    Addition::from_str(&format!("{source}={dest}"))
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.is_file() && meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    false
}

/// After a plan failed: the first addition that cannot go into a layer any more (deleted, or
/// replaced by a FIFO since it was added), at its destination, and why. A panic is the job's
/// (the runner answers it).
pub async fn broken(additions: Vec<Addition>) -> Option<(String, String)> {
    super::runner::blocking(move || {
        additions.iter().find_map(|a| {
            let why = wheelbarrow::layer::check_addition(a).err()?;
            Some((a.dest.clone(), why))
        })
    })
    .await
}

/// The path at the start of `text` completed from the folder it names: the one match (a
/// folder gets its `/`), or what all matches share; `text` itself when nothing matches.
pub fn complete(text: &str) -> String {
    if text.contains('=') {
        return text.to_string();
    }
    let (dir, prefix) = match text.rfind('/') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text),
    };
    let listing = if dir.is_empty() { "." } else { dir };
    let Ok(entries) = std::fs::read_dir(listing) else {
        return text.to_string();
    };
    let mut matches: Vec<(String, bool)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            name.starts_with(prefix).then_some((name, is_dir))
        })
        .collect();
    matches.sort();
    match matches.as_slice() {
        [] => text.to_string(),
        [(name, is_dir)] => format!("{dir}{name}{}", if *is_dir { "/" } else { "" }),
        [(first, _), rest @ ..] => {
            let mut common = first.clone();
            for (name, _) in rest {
                while !name.starts_with(&common) {
                    common.pop();
                }
            }
            format!("{dir}{common}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_goes_where_lambda_looks_for_its_kind_and_paths_complete() {
        let dir = std::env::temp_dir().join(format!("wb-tui-add-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("instantclient")).unwrap();
        let so = dir.join("libpq.so.5");
        std::fs::write(&so, b"\x7fELF").unwrap();
        let tool = dir.join("tool");
        std::fs::write(&tool, b"#!/bin/sh\n").unwrap();
        let text = dir.join("notes.txt");
        std::fs::write(&text, b"hi").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let d = dir.display();
        assert_eq!(
            addition(&format!("{d}/libpq.so.5")).unwrap().dest,
            "lib/libpq.so.5"
        );
        #[cfg(unix)]
        assert_eq!(addition(&format!("{d}/tool")).unwrap().dest, "bin/tool");
        assert_eq!(addition(&format!("{d}/instantclient")).unwrap().dest, "lib");
        assert_eq!(
            addition(&format!("{d}/notes.txt=share/notes.txt"))
                .unwrap()
                .dest,
            "share/notes.txt"
        );
        let err = addition(&format!("{d}/notes.txt")).unwrap_err();
        assert!(err.contains("say where it goes under /opt"), "{err}");
        let err = addition(&format!("{d}/missing.so")).unwrap_err();
        assert!(err.contains("missing.so"), "{err}");
        assert_eq!(complete(&format!("{d}/libp")), format!("{d}/libpq.so.5"));
        assert_eq!(
            complete(&format!("{d}/inst")),
            format!("{d}/instantclient/")
        );
        assert_eq!(complete(&format!("{d}/nothing")), format!("{d}/nothing"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
