//! The one place that decides where an export writes: the zip, the lock file and the publish
//! script beside it. It refuses, before anything is downloaded, an output that is a folder or
//! that would overwrite one of the command's own inputs.

use std::path::{Path, PathBuf};

use super::LayerError;

/// Where an export writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outputs {
    pub zip: PathBuf,
    /// `OUT.requirements.txt`.
    pub lock: PathBuf,
    /// `OUT.publish.sh`.
    pub publish: PathBuf,
    /// `pylock.OUT.toml` (PEP 751, whose installers take only `pylock.toml` and
    /// `pylock.NAME.toml`, NAME without dots).
    pub pylock: PathBuf,
}

impl Outputs {
    /// The outputs for a zip at `zip`, checked against `inputs` (requirements files, added
    /// files and folders): none may be a folder, and none may be an input.
    pub fn for_zip(zip: &Path, inputs: &[PathBuf]) -> Result<Outputs, LayerError> {
        let outputs = Outputs {
            zip: zip.to_path_buf(),
            lock: beside(zip, "requirements.txt"),
            publish: beside(zip, "publish.sh"),
            pylock: pylock_beside(zip),
        };
        for (what, path) in outputs.named() {
            if path.is_dir() {
                return Err(LayerError::Output(format!(
                    "{} is a folder; name the {what} to write, e.g. {}",
                    path.display(),
                    path.join("layer.zip").display()
                )));
            }
            if let Some(input) = overwritten_input(path, inputs) {
                return Err(LayerError::Output(format!(
                    "writing the {what} to {} would overwrite {}, one of this build's inputs; choose another output name",
                    path.display(),
                    input.display()
                )));
            }
        }
        // What a killed run left of these files (`.NAME.PID.N.tmp`) goes now.
        let record = beside(zip, "published.json");
        let mut ours: Vec<&Path> = outputs.named().iter().map(|(_, p)| *p).collect();
        ours.push(&record);
        crate::index::stale::sweep_beside(&ours);
        Ok(outputs)
    }

    fn named(&self) -> [(&'static str, &Path); 4] {
        [
            ("zip", &self.zip),
            ("lock file", &self.lock),
            ("publish script", &self.publish),
            ("PEP 751 lock file", &self.pylock),
        ]
    }
}

/// The input (a file, or a folder holding it) that writing `output` would overwrite, if any:
/// the one check every front end's writer makes before it writes.
pub fn overwritten_input<'a>(output: &Path, inputs: &'a [PathBuf]) -> Option<&'a PathBuf> {
    inputs.iter().find(|i| same_file(i, output))
}

/// `out.zip` -> `pylock.out.toml` beside it (PEP 751's name; dots in the stem become `-`).
pub fn pylock_beside(zip: &Path) -> PathBuf {
    let stem = zip
        .file_stem()
        .map_or_else(|| "layer".into(), |s| s.to_string_lossy().replace('.', "-"));
    let stem = if stem.is_empty() {
        "layer".into()
    } else {
        stem
    };
    zip.with_file_name(format!("pylock.{stem}.toml"))
}

/// `out.zip` + `requirements.txt` -> `out.requirements.txt`.
pub fn beside(zip: &Path, suffix: &str) -> PathBuf {
    let stem = zip
        .file_stem()
        .map_or_else(|| "layer".into(), |s| s.to_string_lossy().into_owned());
    zip.with_file_name(format!("{stem}.{suffix}"))
}

/// Whether two paths name the same file (or would: an output that does not exist yet is
/// compared by its folder's real path and its name).
fn same_file(input: &Path, output: &Path) -> bool {
    let real = |p: &Path| {
        p.canonicalize().ok().or_else(|| {
            let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
            let dir = parent.unwrap_or(Path::new(".")).canonicalize().ok()?;
            Some(dir.join(p.file_name()?))
        })
    };
    match (real(input), real(output)) {
        (Some(a), Some(b)) => a == b || b.starts_with(&a),
        _ => input == output,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_that_is_an_input_or_a_folder_is_refused() {
        let dir = std::env::temp_dir().join(format!("wb-outputs-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let reqs = dir.join("layer.requirements.txt");
        std::fs::write(&reqs, "idna\n").unwrap();
        let err = Outputs::for_zip(&dir.join("layer.zip"), std::slice::from_ref(&reqs))
            .unwrap_err()
            .to_string();
        assert!(err.contains("writing the lock file to"), "{err}");
        assert!(err.contains("one of this build's inputs"), "{err}");
        let err = Outputs::for_zip(&reqs, std::slice::from_ref(&reqs))
            .unwrap_err()
            .to_string();
        assert!(err.contains("writing the zip to"), "{err}");
        let err = Outputs::for_zip(&dir.join("sub"), &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("is a folder; name the zip to write"), "{err}");
        // An added folder must not receive the zip either.
        let err = Outputs::for_zip(&dir.join("sub/x.zip"), &[dir.join("sub")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("would overwrite"), "{err}");
        assert!(Outputs::for_zip(&dir.join("other.zip"), &[reqs]).is_ok());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
