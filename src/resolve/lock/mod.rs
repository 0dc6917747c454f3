//! Lock files as the requirements of a layer: `uv.lock`, `poetry.lock` (with the
//! `pyproject.toml` beside it) and `pylock.toml` (PEP 751), each read by what it is.
//!
//! A lock becomes requirements of two kinds ([`Locked`]): what the project asks for (its
//! dependencies in the groups and extras chosen, each pinned to the locked version with the
//! lock's hashes and the lock's marker), and a pin for every package of the lock (version and
//! hashes), which holds only if the resolution reaches that package. The resolver then walks the
//! chosen wheels' METADATA with the markers evaluated for the Lambda target, as an installer walks
//! a universal lock, in pip's hash-checking mode: a package the lock does not list, or a file
//! whose hash it does not list, is refused.
//!
//! What cannot go into a layer as it stands (your own project, path, editable, git and URL
//! sources) is named, never dropped: give its wheel beside the lock, or leave the project out
//! ([`LockSelection::no_project`]).

mod file;
mod local;
mod poetry;
mod pylock;
mod uv;

use std::fmt;
use std::path::Path;

pub use local::{LocalKind, LocalSource, vouch_for_given};

use super::requirements::{Requested, RequirementError};

/// The role of a requirement read from a lock file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locked {
    /// The project asks for it (a root of the resolution).
    Request,
    /// Only the version and hashes the lock holds, if the resolution reaches this project.
    Pin,
}

/// The lock formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockFormat {
    Uv,
    Poetry,
    Pylock,
}

impl LockFormat {
    /// The format a file's name says: `uv.lock`, `poetry.lock`, `pylock.toml` or
    /// `pylock.NAME.toml` (PEP 751's names).
    #[allow(clippy::case_sensitive_file_extension_comparisons)] // PEP 751 names them in lowercase
    pub fn of(path: &Path) -> Option<LockFormat> {
        let name = path.file_name()?.to_str()?;
        match name {
            "uv.lock" => Some(LockFormat::Uv),
            "poetry.lock" => Some(LockFormat::Poetry),
            _ if name == "pylock.toml"
                || (name.starts_with("pylock.")
                    && name.ends_with(".toml")
                    && name.len() > "pylock..toml".len()) =>
            {
                Some(LockFormat::Pylock)
            }
            _ => None,
        }
    }

    /// The command that writes this lock again.
    pub fn relock(self) -> &'static str {
        match self {
            LockFormat::Uv => "uv lock",
            LockFormat::Poetry => "poetry lock",
            LockFormat::Pylock => "uv export --format pylock.toml (or pip lock)",
        }
    }
}

impl fmt::Display for LockFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LockFormat::Uv => "uv.lock",
            LockFormat::Poetry => "poetry.lock",
            LockFormat::Pylock => "pylock.toml",
        })
    }
}

/// Which parts of a lock go into the layer. The default: the project's own dependencies only
/// (uv's and poetry's main dependencies; no dependency group, no extra).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // command-line switches, each a yes/no
pub struct LockSelection {
    /// Dependency groups to add (`--group NAME`).
    pub groups: Vec<String>,
    /// Every dependency group (`--all-groups`).
    pub all_groups: bool,
    /// Extras of the project to add (`--extra NAME`).
    pub extras: Vec<String>,
    /// Every extra of the project (`--all-extras`).
    pub all_extras: bool,
    /// Leave the lock's own project (and its workspace members) out instead of asking for its
    /// wheel (`--no-project`).
    pub no_project: bool,
}

/// A lock file read: the requirements, what cannot go in as it stands, and notes on what was
/// left out by the selection.
#[derive(Debug, Clone)]
pub struct LockRead {
    pub format: LockFormat,
    /// Requests and pins (see [`Locked`]).
    pub requested: Vec<Requested>,
    /// Packages the lock takes from your files or a repository, reached from what was chosen.
    pub local: Vec<LocalSource>,
    /// What the selection left out, in words (groups, extras, the project with `no_project`).
    pub notes: Vec<String>,
}

/// Whether `path` is a lock file by its name.
pub fn is_lock(path: &Path) -> bool {
    LockFormat::of(path).is_some()
}

/// Reads a lock file for `selection`. `given` are the other requirements of the same command:
/// a wheel named there (by path or URL) stands for the lock's local package of that name.
/// Returns the requirements and notes on what was left out.
pub fn read_lock(
    path: &Path,
    selection: &LockSelection,
    given: &[Requested],
) -> Result<(Vec<Requested>, Vec<String>), RequirementError> {
    let read = read_raw(path, selection)?;
    local::settle(read, selection, given)
}

/// Like [`read_lock`], but what cannot go in as it stands (your project, path and git
/// sources not given beside the lock) is returned beside the requirements that can, each with
/// its line, and so are the notes: for an interactive front end that loads what it can and says
/// what it could not.
pub fn read_lock_tolerant(
    path: &Path,
    selection: &LockSelection,
    given: &[Requested],
) -> Result<(Vec<Requested>, Vec<RequirementError>), RequirementError> {
    let read = read_raw(path, selection)?;
    let mut said = Vec::new();
    for source in &read.local {
        let problem = source.to_string();
        match local::settle_one(source, selection, given) {
            local::Settled::Given => {}
            local::Settled::LeftOut(note) => said.push(file::error(&source.origin, note)),
            local::Settled::Unmet => said.push(file::error(
                &source.origin,
                problem
                    .strip_prefix(&format!("{}: ", source.origin))
                    .unwrap_or(&problem),
            )),
        }
    }
    let shown = path.display().to_string();
    said.extend(
        read.notes
            .iter()
            .map(|n| file::error(&shown, n.strip_prefix(&format!("{shown}: ")).unwrap_or(n))),
    );
    Ok((read.requested, said))
}

/// The lock at `path` read for `selection`, by the reader its name says.
fn read_raw(path: &Path, selection: &LockSelection) -> Result<LockRead, RequirementError> {
    let shown = path.display().to_string();
    let format = LockFormat::of(path).ok_or_else(|| {
        file::error(
            &shown,
            "is not named as a lock file (uv.lock, poetry.lock, pylock.toml)",
        )
    })?;
    let text = file::read_text(path, format)?;
    match format {
        LockFormat::Uv => uv::read(&text, &shown, selection),
        LockFormat::Poetry => poetry::read(&text, path, selection),
        LockFormat::Pylock => pylock::read(&text, &shown, selection),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_files_are_known_by_their_names() {
        for (name, format) in [
            ("uv.lock", Some(LockFormat::Uv)),
            ("poetry.lock", Some(LockFormat::Poetry)),
            ("pylock.toml", Some(LockFormat::Pylock)),
            ("pylock.dev.toml", Some(LockFormat::Pylock)),
            ("pylock..toml", None),
            ("requirements.txt", None),
            ("pyproject.toml", None),
            ("Pipfile.lock", None),
        ] {
            assert_eq!(LockFormat::of(Path::new(name)), format, "{name}");
        }
    }

    #[test]
    fn lines_are_counted_from_one() {
        assert_eq!(file::line_of("a\nb\nc", 0), 1);
        assert_eq!(file::line_of("a\nb\nc", 2), 2);
        assert_eq!(file::line_of("a\nb\nc", 99), 3);
    }
}
