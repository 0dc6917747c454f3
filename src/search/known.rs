//! What ranks a name first besides the match itself: the curated well-known projects, the
//! projects this user picked before, and the import names that error messages show.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::names::key_of;

const WELL_KNOWN: &str = include_str!("../../assets/well-known.txt");
const IMPORT_NAMES: &str = include_str!("../../assets/import-names.tsv");

/// Projects that rank above other matches: curated ones and the user's own picks.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// (name as spelled, search key), curated first, then picks not already curated.
    pub projects: Vec<(String, Vec<u8>)>,
    /// Lowercase import name -> (import name as written, project).
    pub imports: HashMap<String, (String, String)>,
}

fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Known {
    /// The curated lists from `assets/`, plus `picked` (the user's history).
    pub fn builtin(picked: &[String]) -> Known {
        let mut known = Known::default();
        for name in data_lines(WELL_KNOWN)
            .map(str::to_string)
            .chain(picked.iter().cloned())
        {
            let key = key_of(&name);
            if !known.projects.iter().any(|(_, k)| *k == key) {
                known.projects.push((name, key));
            }
        }
        for line in data_lines(IMPORT_NAMES) {
            if let Some((import, project)) = line.split_once('\t') {
                known.imports.insert(
                    import.trim().to_ascii_lowercase(),
                    (import.trim().to_string(), project.trim().to_string()),
                );
            }
        }
        known
    }

    pub fn is_known(&self, key: &[u8]) -> bool {
        self.projects.iter().any(|(_, k)| k == key)
    }
}

/// The projects this user picked before, most recent first, kept in the user's data directory.
#[derive(Debug, Clone)]
pub struct History {
    path: PathBuf,
    pub picked: Vec<String>,
}

const HISTORY_LIMIT: usize = 200;

impl History {
    /// The history file in the user's data directory (or `WHEELBARROW_DATA_DIR`).
    pub fn default_path() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("WHEELBARROW_DATA_DIR").filter(|d| !d.is_empty()) {
            return Some(PathBuf::from(dir).join("picked.txt"));
        }
        directories::ProjectDirs::from("", "", "wheelbarrow")
            .map(|d| d.data_dir().join("picked.txt"))
    }

    /// Reads the history; a missing or unreadable file is an empty history.
    pub fn load(path: &Path) -> History {
        let picked = std::fs::read_to_string(path)
            .map(|t| data_lines(&t).map(str::to_string).collect())
            .unwrap_or_default();
        History {
            path: path.to_path_buf(),
            picked,
        }
    }

    /// Puts `name` first and saves.
    pub fn record(&mut self, name: &str) -> std::io::Result<()> {
        let key = key_of(name);
        self.picked.retain(|p| key_of(p) != key);
        self.picked.insert(0, name.to_string());
        self.picked.truncate(HISTORY_LIMIT);
        let mut text = self.picked.join("\n");
        text.push('\n');
        crate::index::write_atomically(&self.path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curated_lists_hold_the_projects_people_mean() {
        let known = Known::builtin(&[]);
        assert!(known.projects.len() >= 300, "{}", known.projects.len());
        for name in [
            "requests", "pydantic", "numpy", "boto3", "pyyaml", "fastapi",
        ] {
            assert!(known.is_known(&key_of(name)), "{name}");
        }
        assert_eq!(known.imports["yaml"].1, "PyYAML");
        assert_eq!(known.imports["sklearn"].1, "scikit-learn");
        assert_eq!(
            known.imports["pil"],
            ("PIL".to_string(), "pillow".to_string())
        );
    }

    #[test]
    fn picks_join_the_known_projects_and_history_keeps_the_latest_first() {
        let path =
            std::env::temp_dir().join(format!("wb-history-{}/picked.txt", std::process::id()));
        let mut h = History::load(&path);
        assert!(h.picked.is_empty());
        h.record("my-internal-lib").unwrap();
        h.record("requests").unwrap();
        h.record("My_Internal_Lib").unwrap();
        let h = History::load(&path);
        assert_eq!(h.picked, ["My_Internal_Lib", "requests"]);
        let known = Known::builtin(&h.picked);
        assert!(known.is_known(b"my-internal-lib"));
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}
