//! Requirements as people write them: PEP 508 strings, pip requirements files, and
//! `pyproject.toml`'s `[project] dependencies`.

use std::path::Path;

use super::direct::{DirectWheel, parse_direct};
use super::pep508::parse_pep508;
use crate::hint::{Hint, Hints};
use crate::index::FindLinks;
use pep508_rs::{Requirement, VersionOrUrl};
use tokio_util::sync::CancellationToken;

/// A requirement and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requested {
    pub requirement: Requirement,
    /// `requirements.txt:3`, `pyproject.toml`, or `command line`.
    pub origin: String,
    /// The exact file the user chose for this project (its file name on the index): the
    /// resolver installs that file or says why it cannot.
    pub file: Option<String>,
    /// sha256 digests (lowercase hex) from `--hash` options: only a file with one of them is
    /// accepted. Any hash anywhere turns on pip's hash-checking mode for every requirement.
    pub hashes: Vec<String>,
    /// `--require-hashes` was given where this was written: hash-checking mode even without
    /// hashes.
    pub require_hashes: bool,
    /// `--pre` was given where this was written: pre-releases are chosen like final releases,
    /// for every project of the resolution (as pip's `--pre` does).
    pub pre: bool,
    /// The wheel named by URL or path (`name @ URL`, `./dist/x.whl`) instead of the index's
    /// choice; `file` is then its file name.
    pub direct: Option<DirectWheel>,
    /// `-f`/`--find-links` lines of the file this was written in: searched beside the index
    /// for the whole resolution, as pip does.
    pub find_links: Vec<FindLinks>,
    /// Written in a lock file: its version is the lock's, its hashes are enforced.
    pub locked: Option<super::lock::Locked>,
}

/// A requirement that cannot be used, said with where it is and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {problem}")]
pub struct RequirementError {
    pub origin: String,
    pub problem: String,
    /// What to do about it, for the front end to say in its own terms.
    pub hint: Option<Hint>,
}

pub(super) fn error(origin: &str, problem: impl Into<String>) -> RequirementError {
    RequirementError {
        origin: origin.to_string(),
        problem: problem.into(),
        hint: None,
    }
}

impl Hints for RequirementError {
    fn hints(&self) -> Vec<Hint> {
        self.hint.iter().cloned().collect()
    }
}

/// The name of a `--option` line in a requirements file (`index-url`), if it is one.
pub(super) fn option_name(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("--")?;
    Some(
        rest.split(|c: char| c == '=' || c.is_whitespace())
            .next()
            .unwrap_or(rest),
    )
}

/// Parses one PEP 508 requirement (`requests[socks]>=2.31; python_version >= "3.9"`), or a
/// direct reference to a wheel (`name @ URL`, a URL, a path from the current directory; see
/// `direct`).
pub fn parse_requirement(text: &str, origin: &str) -> Result<Requested, RequirementError> {
    let cwd = std::env::current_dir().unwrap_or_default();
    if let Some(direct) = parse_direct(text, origin, &cwd) {
        return direct;
    }
    let requirement = parse_pep508(text.trim()).map_err(|e| {
        error(
            origin,
            format!("'{}' is not a valid requirement: {e}", text.trim()),
        )
    })?;
    if let Some(VersionOrUrl::Url(url)) = &requirement.version_or_url {
        return Err(error(
            origin,
            format!(
                "'{}' points at a URL ({url}); wheelbarrow installs from the index only. Name a released version instead",
                requirement.name
            ),
        ));
    }
    Ok(Requested {
        requirement,
        origin: origin.to_string(),
        file: None,
        hashes: Vec::new(),
        require_hashes: false,
        pre: false,
        direct: None,
        find_links: Vec::new(),
        locked: None,
    })
}

impl Requested {
    /// A pick of one exact file: `name==version`, installed from `filename` and no other.
    pub fn exact_file(
        name: &str,
        version: &str,
        filename: &str,
        origin: &str,
    ) -> Result<Requested, RequirementError> {
        let mut requested = parse_requirement(&format!("{name}=={version}"), origin)?;
        requested.file = Some(filename.to_string());
        Ok(requested)
    }

    /// The PEP 503 name of the project this asks for.
    pub fn project(&self) -> String {
        crate::wheel::normalize_name(self.requirement.name.as_ref())
    }
}

/// Reads a pip requirements file: comments, line continuations, `-r`/`--requirement`
/// includes (relative to the file), `--hash` options and `--require-hashes` (pip's
/// hash-checking mode, enforced by the resolver), markers, wheel URLs and paths (from the
/// current directory, as pip reads them) and `-f`/`--find-links` (relative to the file when the
/// path exists there, else to the current directory, as pip does). Editable installs are
/// refused with the file and line.
pub fn read_requirements_file(path: &Path) -> Result<Vec<Requested>, RequirementError> {
    super::requirements_file::read_chain(path, None, &CancellationToken::new())
}

/// Like [`read_any`], but a line that cannot be used is returned beside the requirements that
/// can (with its file and line), not instead of them: for an interactive front end that loads
/// what it can and says what it could not.
pub fn read_any_tolerant(
    path: &Path,
) -> Result<(Vec<Requested>, Vec<RequirementError>), RequirementError> {
    if super::lock::is_lock(path) {
        let selection = super::lock::LockSelection::default();
        return super::lock::read_lock_tolerant(path, &selection, &[]);
    }
    if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        return read_pyproject(path).map(|r| (r, Vec::new()));
    }
    let mut skipped = Vec::new();
    let requested =
        super::requirements_file::read_chain(path, Some(&mut skipped), &CancellationToken::new())?;
    Ok((requested, skipped))
}

/// Reads `[project] dependencies` from a `pyproject.toml`.
pub fn read_pyproject(path: &Path) -> Result<Vec<Requested>, RequirementError> {
    let shown = path.display().to_string();
    let text = read_input_text(path, MAX_PYPROJECT_BYTES, "a pyproject.toml")?;
    let doc: toml::Table = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
        error(
            &shown,
            format!("is not valid TOML{at}: {}", e.message().trim()),
        )
    })?;
    let deps = doc
        .get("project")
        .and_then(|p| p.get("dependencies"))
        .ok_or_else(|| error(&shown, "has no [project] dependencies"))?
        .as_array()
        .ok_or_else(|| error(&shown, "[project] dependencies is not a list"))?;
    deps.iter()
        .map(|d| {
            let text = d.as_str().ok_or_else(|| {
                error(
                    &shown,
                    "[project] dependencies holds something other than strings",
                )
            })?;
            parse_requirement(text, &format!("{shown} [project] dependencies"))
        })
        .collect()
}

/// Reads a file given with `-r`: `pyproject.toml` and lock files (`uv.lock`, `poetry.lock`,
/// `pylock.toml`, with their default groups) by name, anything else as requirements.
pub fn read_any(path: &Path) -> Result<Vec<Requested>, RequirementError> {
    read_any_until(path, &CancellationToken::new())
}

/// [`read_any`] that stops when `cancel` fires (a requirements file is looked at every few
/// thousand lines): the error is then at the file being read, and the caller, who knows its
/// token was cancelled, says "cancelled".
pub fn read_any_until(
    path: &Path,
    cancel: &CancellationToken,
) -> Result<Vec<Requested>, RequirementError> {
    if super::lock::is_lock(path) {
        let (requested, _) =
            super::lock::read_lock(path, &super::lock::LockSelection::default(), &[])?;
        return Ok(requested);
    }
    if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        read_pyproject(path)
    } else {
        super::requirements_file::read_chain(path, None, cancel)
    }
}

/// Larger `pyproject.toml` files are refused unread (real ones are a few KB).
const MAX_PYPROJECT_BYTES: u64 = 4 * 1024 * 1024;

/// The UTF-8 text of an input file (`pyproject.toml`, a lock file): a regular file of at most
/// `limit` bytes, or the refusal in words, `what` naming the kind of file ("a uv.lock").
pub(super) fn read_input_text(
    path: &Path,
    limit: u64,
    what: &str,
) -> Result<String, RequirementError> {
    let shown = path.display().to_string();
    let bytes = crate::config_file::read_regular(path, limit).map_err(|e| {
        use crate::config_file::LocalReadError;
        match e {
            LocalReadError::Io(e) => error(&shown, format!("cannot be read: {e}")),
            LocalReadError::NotRegular { kind } => error(
                &shown,
                format!("is {kind}, not {what}; name the file itself"),
            ),
            LocalReadError::TooLarge { bytes, limit } => error(
                &shown,
                format!(
                    "is {bytes} bytes, larger than any {what} wheelbarrow reads ({} MiB); is it the right file?",
                    limit / (1024 * 1024)
                ),
            ),
        }
    })?;
    String::from_utf8(bytes).map_err(|e| {
        error(
            &shown,
            format!(
                "is not UTF-8 (byte {} is not part of a UTF-8 character); save it as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn temp(tag: &str) -> PathBuf {
        std::env::temp_dir().join(format!("wb-req-{tag}-{}", std::process::id()))
    }

    #[test]
    fn a_tolerant_read_keeps_the_good_lines_and_names_the_bad_ones() {
        let dir = temp("tolerant");
        let p = write(
            &dir,
            "requirements.txt",
            "requests>=2\nthis is (bad\n-e .\norjson\n",
        );
        assert!(
            read_requirements_file(&p).is_err(),
            "a strict read stops at the bad line"
        );
        let (read, bad) = read_any_tolerant(&p).unwrap();
        let names: Vec<_> = read
            .iter()
            .map(|r| r.requirement.name.to_string())
            .collect();
        assert_eq!(names, ["requests", "orjson"]);
        assert_eq!(bad.len(), 2);
        assert!(bad[0].origin.ends_with("requirements.txt:2"), "{}", bad[0]);
        assert!(
            bad[1].to_string().contains("editable installs"),
            "{}",
            bad[1]
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn pip_freeze_output_with_comments_continuations_hashes_and_includes_is_read() {
        let dir = temp("full");
        write(&dir, "base.txt", "six==1.16.0\n");
        let p = write(
            &dir,
            "requirements.txt",
            "# pinned\nrequests==2.32.3 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n-r base.txt\norjson>=3 ; python_version >= \"3.9\"  # fast json\n--only-binary :all:\n\n",
        );
        let reqs = read_requirements_file(&p).unwrap();
        let names: Vec<_> = reqs
            .iter()
            .map(|r| r.requirement.name.to_string())
            .collect();
        assert_eq!(names, ["requests", "six", "orjson"]);
        assert!(
            reqs[0].origin.ends_with("requirements.txt:2"),
            "{}",
            reqs[0].origin
        );
        assert!(reqs[1].origin.ends_with("base.txt:1"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn editables_sdists_and_missing_paths_are_refused_with_file_and_line() {
        let dir = temp("bad");
        for (line, expected) in [
            ("-e .", "editable installs"),
            ("--no-binary :all:", "wheelbarrow installs wheels only"),
            (
                "--no-binary=numpy",
                "asks for numpy to be built from source",
            ),
            (
                "--trusted-host example.test",
                "is not one wheelbarrow can honour",
            ),
            ("-f ./no-such-wheels", "does not exist"),
            ("./dist/pkg-1.0-py3-none-any.whl", "is not there"),
            ("https://example.test/pkg.tar.gz", "source distribution"),
            (
                "pkg @ https://example.test/pkg-1.0.tar.gz",
                "source distribution",
            ),
            ("not a requirement!", "is not a valid requirement"),
        ] {
            let p = write(&dir, "r.txt", &format!("requests\n{line}\n"));
            let err = read_requirements_file(&p).unwrap_err().to_string();
            assert!(err.contains("r.txt:2"), "{line}: {err}");
            assert!(err.contains(expected), "{line}: {err}");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn pyproject_dependencies_are_read() {
        let dir = temp("pyproject");
        let p = write(
            &dir,
            "pyproject.toml",
            "[project]\nname = \"app\"\ndependencies = [\"fastapi>=0.110\", \"pydantic[email]\"]\n",
        );
        let reqs = read_any(&p).unwrap();
        assert_eq!(reqs.len(), 2);
        assert_eq!(reqs[1].requirement.extras[0].to_string(), "email");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_self_including_file_is_an_error_not_a_loop() {
        let dir = temp("loop");
        let p = write(&dir, "r.txt", "-r r.txt\n");
        assert!(
            read_requirements_file(&p)
                .unwrap_err()
                .to_string()
                .contains("includes itself")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
