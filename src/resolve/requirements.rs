//! Requirements as people write them: PEP 508 strings, pip requirements files, and
//! `pyproject.toml`'s `[project] dependencies`.

use std::path::{Path, PathBuf};

use super::direct::{DirectWheel, parse_direct};
use super::file_options::{FileOption, file_option, split_hashes};
use super::pep508::parse_pep508;
use crate::hint::{Hint, Hints};
use crate::index::FindLinks;
use pep508_rs::{Requirement, VersionOrUrl};

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

fn error(origin: &str, problem: impl Into<String>) -> RequirementError {
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
    let mut seen = Vec::new();
    read_file(path, &mut seen, None)
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
    let (mut seen, mut skipped) = (Vec::new(), Vec::new());
    let requested = read_file(path, &mut seen, Some(&mut skipped))?;
    Ok((requested, skipped))
}

/// Reads one file. With `skipped`, a line that cannot be used is recorded there and reading goes
/// on; without, it is the error.
#[allow(clippy::too_many_lines)] // one pass over the lines, each kind of line said where it is met
fn read_file(
    path: &Path,
    seen: &mut Vec<PathBuf>,
    mut skipped: Option<&mut Vec<RequirementError>>,
) -> Result<Vec<Requested>, RequirementError> {
    // A line that cannot be used: noted and skipped, or the answer.
    macro_rules! refuse {
        ($e:expr) => {{
            let e = $e;
            match skipped.as_deref_mut() {
                Some(list) => {
                    list.push(e);
                    continue;
                }
                None => return Err(e),
            }
        }};
    }
    let shown = path.display().to_string();
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if seen.contains(&canonical) {
        return Err(error(&shown, "includes itself (through -r)"));
    }
    seen.push(canonical);
    let bytes = std::fs::read(path).map_err(|e| error(&shown, format!("cannot be read: {e}")))?;
    let text = super::file_text::decode(&bytes).map_err(|why| error(&shown, why))?;
    let text = text.as_str();
    let mut out = Vec::new();
    let mut require_hashes = false;
    let mut pre = false;
    let mut find_links = Vec::new();
    let here = path.parent().unwrap_or(Path::new("."));
    let cwd = std::env::current_dir().unwrap_or_default();
    for (line_no, line) in logical_lines(text) {
        let origin = format!("{shown}:{line_no}");
        let line = strip_comment(&line);
        let line = match super::env_vars::expand(line.trim(), |n| std::env::var(n).ok()) {
            Ok(line) => line,
            Err(name) => refuse!(error(
                &origin,
                format!(
                    "${{{name}}} is not set; pip reads ${{NAME}} from the environment: set {name}, or write the value in the file"
                ),
            )),
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(include) = option_value(line, &["-r", "--requirement", "-c", "--constraint"]) {
            let target = path.parent().unwrap_or(Path::new(".")).join(include);
            if line.starts_with("-c") || line.starts_with("--constraint") {
                refuse!(error(
                    &origin,
                    "constraints files (-c) are not supported yet; put the pins in the requirements",
                ));
            }
            match read_file(&target, seen, skipped.as_deref_mut()) {
                Ok(more) => out.extend(more),
                Err(e) => refuse!(e),
            }
            continue;
        }
        if line.starts_with("-e") || line.starts_with("--editable") {
            refuse!(error(
                &origin,
                "editable installs (-e) cannot go into a layer; build a wheel and publish it to your index",
            ));
        }
        if line.starts_with("-i ")
            || matches!(option_name(line), Some("index-url" | "extra-index-url"))
        {
            refuse!(RequirementError {
                hint: Some(Hint::SetIndexUrl),
                ..error(
                    &origin,
                    "index options in requirements files are not read; wheelbarrow takes the index from its own settings",
                )
            });
        }
        if let Some(value) = option_value(line, &["-f", "--find-links"]) {
            let base = if here.join(value).exists() {
                here
            } else {
                &cwd
            };
            match FindLinks::parse(value, &origin, base) {
                Ok(location) => find_links.push(location),
                Err(problem) => refuse!(error(&origin, problem)),
            }
            continue;
        }
        if line == "--require-hashes" {
            require_hashes = true;
            continue;
        }
        if line.starts_with('-') {
            match file_option(line) {
                FileOption::Pre => pre = true,
                FileOption::Honoured => {}
                FileOption::Refused(problem) => refuse!(error(&origin, problem)),
            }
            continue;
        }
        let (requirement, hashes) = match split_hashes(line) {
            Ok(split) => split,
            Err(p) => refuse!(error(&origin, p)),
        };
        let mut requested = match parse_requirement(&requirement, &origin) {
            Ok(r) => r,
            Err(e) => refuse!(e),
        };
        requested.hashes = hashes;
        out.push(requested);
    }
    for r in &mut out {
        r.require_hashes |= require_hashes;
        r.pre |= pre;
        r.find_links.extend(find_links.iter().cloned());
    }
    Ok(out)
}

/// Joins backslash-continued lines, keeping the first line's number.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let (start, mut acc) = current.take().unwrap_or((i + 1, String::new()));
        if let Some(body) = raw.strip_suffix('\\') {
            acc.push_str(body);
            acc.push(' ');
            current = Some((start, acc));
        } else {
            acc.push_str(raw);
            out.push((start, acc));
        }
    }
    if let Some(last) = current {
        out.push(last);
    }
    out
}

/// Removes a `#` comment that starts a line or follows whitespace (as pip does).
fn strip_comment(line: &str) -> String {
    if line.trim_start().starts_with('#') {
        return String::new();
    }
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(i) => line[..i].to_string(),
        None => line.to_string(),
    }
}

fn option_value<'a>(line: &'a str, names: &[&str]) -> Option<&'a str> {
    for name in names {
        if let Some(rest) = line.strip_prefix(name) {
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            if rest.starts_with([' ', '\t']) || line.contains('=') {
                return Some(rest.trim());
            }
        }
    }
    None
}

/// Reads `[project] dependencies` from a `pyproject.toml`.
pub fn read_pyproject(path: &Path) -> Result<Vec<Requested>, RequirementError> {
    let shown = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| error(&shown, format!("cannot be read: {e}")))?;
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
    if super::lock::is_lock(path) {
        let (requested, _) =
            super::lock::read_lock(path, &super::lock::LockSelection::default(), &[])?;
        return Ok(requested);
    }
    if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        read_pyproject(path)
    } else {
        read_requirements_file(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
