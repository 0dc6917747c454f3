//! What the TUI writes besides the layer: the picks saved as a requirements file with the lock
//! beside it (`s`), and the picked projects remembered for the search.

use wheelbarrow::search::History;

/// Records picked projects in the search history (best effort, as the CLI does).
pub fn remember(names: &[String]) {
    let Some(path) = History::default_path() else {
        return;
    };
    let mut history = History::load(&path);
    for name in names {
        if let Err(e) = history.record(name) {
            tracing::debug!("could not record {name} in {}: {e}", path.display());
            return;
        }
    }
}

/// Writes the picks and, when given, the locks beside them (`NAME.lock.txt` and PEP 751's
/// `pylock.NAME.toml`), refusing to write over one of the files the picks were read from.
pub fn save_picks(
    path: &std::path::Path,
    text: &str,
    locks: Option<&[String; 2]>,
    inputs: &[std::path::PathBuf],
) -> Result<(std::path::PathBuf, Option<std::path::PathBuf>), String> {
    let lock_path = wheelbarrow::layer::beside(path, "lock.txt");
    let pylock_path = wheelbarrow::layer::pylock_beside(path);
    for target in [path, lock_path.as_path(), pylock_path.as_path()] {
        if let Some(input) = wheelbarrow::layer::overwritten_input(target, inputs) {
            return Err(format!(
                "{} is where the picks were read from; choose another name",
                input.display()
            ));
        }
        if target.is_dir() {
            return Err(format!("{} is a folder; name a file", target.display()));
        }
    }
    let write = |p: &std::path::Path, contents: &str| {
        wheelbarrow::index::write_atomically(p, contents.as_bytes())
            .map_err(|e| format!("could not write {}: {e}", p.display()))
    };
    write(path, text)?;
    match locks {
        Some([lock, pylock]) => {
            write(&lock_path, lock)?;
            write(&pylock_path, pylock)?;
            Ok((path.to_path_buf(), Some(lock_path)))
        }
        None => Ok((path.to_path_buf(), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::save_picks;

    #[test]
    fn saving_writes_the_picks_and_the_lock_but_never_over_an_input() {
        let dir = std::env::temp_dir().join(format!("wb-tui-save-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("requirements.txt");
        std::fs::write(&input, "requests\n").unwrap();
        let err = save_picks(&input, "x\n", None, std::slice::from_ref(&input)).unwrap_err();
        assert!(err.contains("where the picks were read from"), "{err}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "requests\n");
        let out = dir.join("picks.txt");
        let locks = [
            "requests==2.34.2\n".to_string(),
            "lock-version = \"1.0\"\n".to_string(),
        ];
        let (path, lock) = save_picks(&out, "requests>=2\n", Some(&locks), &[input]).unwrap();
        assert!(
            std::fs::read_to_string(dir.join("pylock.picks.toml"))
                .unwrap()
                .starts_with("lock-version")
        );
        assert_eq!(std::fs::read_to_string(path).unwrap(), "requests>=2\n");
        assert_eq!(lock.as_deref(), Some(dir.join("picks.lock.txt").as_path()));
        assert!(
            std::fs::read_to_string(dir.join("picks.lock.txt"))
                .unwrap()
                .contains("requests==2.34.2")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
