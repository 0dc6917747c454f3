//! Cache folders written by earlier versions: records that hold an index URL with its
//! credentials (`https://user:token@host/simple/…`), and files readable by everyone.
//!
//! Credentials live in memory only; the cache keeps URLs without them. A folder written before
//! that is put right once, on the first run that uses it: every record whose URL carries
//! credentials is dropped with the body it describes (the next request fetches it again), and
//! every file is made readable by its owner only. A marker file records that it was done, so
//! later runs pay one `stat`.

use std::path::{Path, PathBuf};

use url::Url;

/// The marker's name in the cache folder.
const MARKER: &str = "scrubbed-v1";

/// Bigger records are not the cache's JSON records.
const MAX_RECORD_BYTES: u64 = 1 << 20;

/// Puts an older cache folder right (see the module's documentation), once.
pub(super) fn scrub_once(cache_dir: &Path) {
    let marker = cache_dir.join(MARKER);
    if marker.exists() {
        return;
    }
    // A new cache folder has nothing to put right: it is marked at once, so that what this
    // version writes is never looked at again.
    let mut dropped = 0usize;
    for path in cache_files(cache_dir) {
        make_private(&path);
        let is_record = path.extension().is_some_and(|e| e == "json");
        if is_record && record_has_credentials(&path) {
            // The record first, so a body never outlives the record pointing at it.
            let _ = std::fs::remove_file(&path);
            for sibling in ["body", "txt"] {
                let _ = std::fs::remove_file(path.with_extension(sibling));
            }
            dropped += 1;
        }
    }
    if dropped > 0 {
        tracing::info!(
            "dropped {dropped} cache records that held index credentials, from an older version"
        );
    }
    if let Err(e) = super::cache::write_private(&marker, b"") {
        tracing::warn!("could not write {}: {e}", marker.display());
    }
}

/// Whether the JSON record at `path` names a URL with a user name or password.
fn record_has_credentials(path: &Path) -> bool {
    let small = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= MAX_RECORD_BYTES);
    if !small {
        return false;
    }
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return false;
    };
    value
        .get("url")
        .and_then(serde_json::Value::as_str)
        .and_then(|u| Url::parse(u).ok())
        .is_some_and(|u| !u.username().is_empty() || u.password().is_some())
}

fn make_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// The files wheelbarrow writes in `cache_dir`: those under `http-v1/` and `wheels-v1/`, and
/// the name lists (`names-v1-*`). Nothing else there is touched: the folder may be shared.
fn cache_files(cache_dir: &Path) -> Vec<PathBuf> {
    let mut found = files_under(&cache_dir.join("http-v1"));
    found.extend(files_under(&cache_dir.join("wheels-v1")));
    for entry in std::fs::read_dir(cache_dir).into_iter().flatten().flatten() {
        let named = entry.file_name().to_string_lossy().starts_with("names-v1-");
        if named && entry.file_type().is_ok_and(|t| t.is_file()) {
            found.push(entry.path());
        }
    }
    found
}

/// Every regular file under `dir` (symbolic links are not followed).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                todo.push(entry.path());
            } else if kind.is_file() {
                found.push(entry.path());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_with_credentials_are_dropped_once_and_others_kept() {
        let dir = std::env::temp_dir().join(format!("wb-scrub-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let http = dir.join("http-v1").join("ab");
        std::fs::create_dir_all(&http).unwrap();
        let leak = r#"{"url":"http://me:s3cret@h.test/simple/x/","fetched_at":1}"#;
        std::fs::write(http.join("a.json"), leak).unwrap();
        std::fs::write(http.join("a.body"), "page").unwrap();
        std::fs::write(http.join("b.json"), r#"{"url":"http://h.test/simple/y/"}"#).unwrap();
        std::fs::write(http.join("b.body"), "page").unwrap();
        std::fs::write(
            dir.join("names-v1-k.json"),
            r#"{"url":"https://t@h.test/simple/"}"#,
        )
        .unwrap();
        std::fs::write(dir.join("names-v1-k.txt"), "names").unwrap();
        scrub_once(&dir);
        let left: Vec<String> = files_under(&dir)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(
            !left
                .iter()
                .any(|n| n.starts_with("a.") || n.starts_with("names")),
            "{left:?}"
        );
        assert!(left.contains(&"b.json".to_string()) && left.contains(&"b.body".to_string()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(http.join("b.body"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Done once: a record written later is not looked at again.
        std::fs::write(http.join("c.json"), leak).unwrap();
        scrub_once(&dir);
        assert!(http.join("c.json").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
