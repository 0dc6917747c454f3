//! What ranks a name first besides the match itself: how much a project is downloaded
//! (`assets/popularity.txt`, made by `scripts/make_popularity.py` from a public monthly dump of
//! the most-downloaded projects), the projects this user picked before, and the import names
//! that error messages show.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::names::key_of;

const POPULARITY: &str = include_str!("../../assets/popularity.txt");

/// How many of the most-downloaded projects a typo or letters in order find among the
/// known ones (`pydntic` → pydantic). Every listed project ranks above unlisted ones when the
/// query is its prefix or part of its name; the fuzzy grades cost each keystroke a score per
/// project, so they stop here (the benchmark's budget).
pub const POPULAR: usize = 500;
const IMPORT_NAMES: &str = include_str!("../../assets/import-names.tsv");

/// Projects that rank above other matches (the user's own picks and the most downloaded), and
/// the download rank of every project in the popularity list.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// (name as spelled, search key): the user's picks first, then every project of the
    /// popularity list, most downloaded first.
    pub projects: Vec<(String, Vec<u8>)>,
    /// How many of `projects` (from the first) a typo or letters in order may find: the picks
    /// and the [`POPULAR`] most downloaded.
    pub fuzzy_end: usize,
    /// How many of `projects` (from the first) are the user's picks.
    pub picks: usize,
    /// Search key -> download rank (1 = most downloaded) for every project in the list.
    pub ranks: HashMap<Vec<u8>, u32>,
    /// The popularity list's date (`last_update` of the dump it was made from).
    pub ranks_as_of: String,
    /// Lowercase import name -> (import name as written, project).
    pub imports: HashMap<String, (String, String)>,
}

fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Known {
    /// The lists from `assets/`, with `picked` (the user's history) first.
    pub fn builtin(picked: &[String]) -> Known {
        let mut known = Known {
            ranks_as_of: POPULARITY
                .lines()
                .find_map(|l| l.split("last_update ").nth(1))
                .and_then(|rest| rest.get(..10))
                .unwrap_or("unknown")
                .to_string(),
            ..Known::default()
        };
        let mut listed = Vec::new();
        for name in data_lines(POPULARITY) {
            let key = key_of(name);
            if known.ranks.contains_key(&key) {
                continue;
            }
            let rank = u32::try_from(listed.len() + 1).unwrap_or(u32::MAX);
            known.ranks.insert(key.clone(), rank);
            listed.push((name.to_string(), key));
        }
        let mut seen = std::collections::HashSet::new();
        let mut popular_seen = 0;
        for (name, key) in picked.iter().map(|n| (n.clone(), key_of(n))) {
            if seen.insert(key.clone()) {
                known.projects.push((name, key));
            }
        }
        known.picks = known.projects.len();
        known.fuzzy_end = known.projects.len();
        for (name, key) in listed {
            if seen.insert(key.clone()) {
                known.projects.push((name, key));
                if popular_seen < POPULAR {
                    known.fuzzy_end += 1;
                }
            }
            popular_seen += 1;
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

    /// The project's download rank (1 = most downloaded), if it is in the popularity list.
    pub fn rank(&self, key: &[u8]) -> Option<u32> {
        self.ranks.get(key).copied()
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
    fn known_projects_are_the_listed_ones_most_downloaded_first_each_with_its_rank() {
        let known = Known::builtin(&[]);
        assert_eq!(known.fuzzy_end, POPULAR);
        assert_eq!(known.projects.len(), known.ranks.len());
        for name in [
            "requests", "pydantic", "numpy", "boto3", "pyyaml", "fastapi",
        ] {
            assert!(known.is_known(&key_of(name)), "{name}");
        }
        assert_eq!(known.rank(b"boto3"), Some(1));
        assert!(known.rank(b"pandas-stubs") < known.rank(b"pandasql"));
        assert!(known.ranks.len() >= 10_000, "{}", known.ranks.len());
        assert!(known.rank(b"no-such-project-here").is_none());
        assert_eq!(known.ranks_as_of.len(), 10, "{}", known.ranks_as_of);
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
        assert_eq!(known.projects[0].1, b"my-internal-lib", "picks come first");
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}
