//! Reading a downloaded wheel and checking it before any of it goes into a layer: safe member
//! names, no symlinks, sizes as declared (no zip bombs), every member listed in RECORD with the
//! right sha256 and size, and a `.dist-info` whose METADATA names the project and version the
//! file name does (PEP 427; pip refuses a wheel that disagrees).

use std::collections::HashMap;
use std::path::Path;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::LayerError;
use super::paths::check_member_name;
use crate::index::{CoreMetadata, ZipEntry, zipdir};
use crate::lambda::Limits;
use crate::wheel::{WheelName, normalize_name};

/// A downloaded wheel, read and checked.
pub(super) struct OpenWheel {
    pub(super) bytes: Vec<u8>,
    pub(super) entries: Vec<ZipEntry>,
    /// The wheel's own `.dist-info/METADATA`.
    pub(super) metadata: CoreMetadata,
}

/// Reads a wheel and checks it: safe member names, no symlinks, sizes as declared (no zip
/// bombs), and every member listed in RECORD with the right sha256 and size.
pub(super) fn open_wheel(
    path: &Path,
    filename: &str,
    limits: &Limits,
) -> Result<OpenWheel, LayerError> {
    let unsafe_wheel = |problem: String| LayerError::Unsafe {
        wheel: filename.to_string(),
        problem,
    };
    let bytes = std::fs::read(path).map_err(|e| LayerError::io(path, e))?;
    let entries =
        zipdir::list_whole(&bytes).map_err(|e| unsafe_wheel(format!("not a readable zip: {e}")))?;
    let declared: u64 = entries.iter().map(|e| e.size).sum();
    if declared > limits.unzipped_bytes {
        return Err(unsafe_wheel(format!(
            "it declares {declared} bytes unzipped, more than Lambda's whole limit ({})",
            limits.unzipped_bytes
        )));
    }
    let record_entry = entries
        .iter()
        .find(|e| e.name.ends_with(".dist-info/RECORD") && e.name.matches('/').count() == 1)
        .ok_or_else(|| unsafe_wheel("it has no .dist-info/RECORD".into()))?;
    let metadata = check_dist_info(filename, &bytes, &entries).map_err(unsafe_wheel)?;
    let record_text = zipdir::read_member(&bytes, record_entry).map_err(unsafe_wheel)?;
    let record_text = String::from_utf8_lossy(&record_text);
    let record = parse_record(&record_text);
    for entry in &entries {
        check_member_name(&entry.name).map_err(unsafe_wheel)?;
        if entry.is_symlink() {
            return Err(unsafe_wheel(format!(
                "entry '{}' is a symbolic link",
                crate::text::clean(&entry.name)
            )));
        }
        if entry.is_dir() {
            continue;
        }
        let contents =
            zipdir::read_member(&bytes, entry).map_err(|e| unsafe_wheel(format!("entry {e}")))?;
        let base = entry.name.rsplit('/').next().unwrap_or_default();
        if entry.name.contains(".dist-info/")
            && matches!(base, "RECORD" | "RECORD.jws" | "RECORD.p7s")
        {
            continue;
        }
        let Some((hash, size)) = record.get(entry.name.as_str()) else {
            return Err(unsafe_wheel(format!(
                "entry '{}' is not listed in RECORD",
                crate::text::clean(&entry.name)
            )));
        };
        let digest =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(&contents));
        if hash.is_empty() {
            return Err(unsafe_wheel(format!(
                "entry '{}' has no hash in RECORD, so its contents cannot be checked",
                crate::text::clean(&entry.name)
            )));
        }
        if hash.strip_prefix("sha256=") != Some(digest.as_str()) {
            return Err(unsafe_wheel(format!(
                "entry '{}' does not match its RECORD hash (RECORD says {hash}, the contents are sha256={digest})",
                crate::text::clean(&entry.name)
            )));
        }
        if size.is_some_and(|s| s != contents.len() as u64) {
            return Err(unsafe_wheel(format!(
                "entry '{}' does not have the size RECORD gives",
                crate::text::clean(&entry.name)
            )));
        }
    }
    Ok(OpenWheel {
        bytes,
        entries,
        metadata,
    })
}

/// RECORD: `path,hash,size` lines (paths with commas are quoted).
fn parse_record(text: &str) -> HashMap<&str, (String, Option<u64>)> {
    let mut out = HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (path, rest) = if let Some(quoted) = line.strip_prefix('"') {
            match quoted.split_once("\",") {
                Some((p, r)) => (p, r),
                None => continue,
            }
        } else {
            match line.split_once(',') {
                Some((p, r)) => (p, r),
                None => continue,
            }
        };
        let mut fields = rest.rsplitn(2, ',');
        let size = fields.next().and_then(|s| s.trim().parse().ok());
        let hash = fields.next().unwrap_or_default().trim().to_string();
        out.insert(path, (hash, size));
    }
    out
}

/// The wheel's `.dist-info` and its METADATA agree with its file name: the same project (as
/// normalised names) and the same version (as PEP 440 versions), as pip requires. Returns the
/// METADATA read.
fn check_dist_info(
    filename: &str,
    bytes: &[u8],
    entries: &[ZipEntry],
) -> Result<CoreMetadata, String> {
    let metadata = entries
        .iter()
        .find(|e| e.name.ends_with(".dist-info/METADATA") && e.name.matches('/').count() == 1)
        .ok_or("it has no .dist-info/METADATA")?;
    let text = zipdir::read_member(bytes, metadata)?;
    let core = CoreMetadata::parse(&String::from_utf8_lossy(&text))
        .ok_or_else(|| format!("{} has no Name and Version fields", metadata.name))?;
    let Ok(wheel) = WheelName::parse(filename) else {
        return Ok(core); // the file name was checked when it was chosen
    };
    if normalize_name(&core.name) != wheel.normalized {
        return Err(format!(
            "its file name says project {}, but {} says Name: {}",
            wheel.project,
            metadata.name,
            crate::text::clean(&core.name)
        ));
    }
    if !same_version(&core.version, &wheel.version) {
        return Err(format!(
            "its file name says version {}, but {} says Version: {}",
            wheel.version,
            metadata.name,
            crate::text::clean(&core.version)
        ));
    }
    Ok(core)
}

pub(super) fn same_version(a: &str, b: &str) -> bool {
    match (
        a.parse::<pep440_rs::Version>(),
        b.parse::<pep440_rs::Version>(),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_record;

    #[test]
    fn record_lines_give_hash_and_size_even_with_commas_in_paths() {
        let r =
            parse_record("a/b.py,sha256=xyz,12\n\"a/c,d.py\",sha256=abc,3\nx.dist-info/RECORD,,\n");
        assert_eq!(r["a/b.py"], ("sha256=xyz".to_string(), Some(12)));
        assert_eq!(r["a/c,d.py"], ("sha256=abc".to_string(), Some(3)));
        assert_eq!(r["x.dist-info/RECORD"], (String::new(), None));
    }
}
