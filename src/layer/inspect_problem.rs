//! What inspecting a layer finds wrong, and how its target was guessed, as data with words.

use std::fmt;

use serde::{Serialize, Serializer};

use super::lookalike::{LookAlike, is_nfc};
use crate::hint::{Hint, Hints};
use crate::text::clean;
use crate::units::human_bytes;

/// Names from the zip, each made visible (see [`clean`]) and joined with `, `.
fn shown(names: &[String]) -> String {
    names
        .iter()
        .map(|n| clean(n).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Something that will go wrong when Lambda extracts or loads the layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InspectProblem {
    /// An entry whose name could escape `/opt` or is otherwise unsafe.
    UnsafeEntry { problem: String },
    /// Folders at the zip's root that Python never looks in.
    StrayFolders { folders: Vec<String> },
    /// Entries not readable by the user Lambda runs code as (the first few).
    NotWorldReadable { entries: Vec<String> },
    /// A path that is a file and also holds files: the zip cannot be unzipped.
    FileAndFolder { path: String, inside: String },
    /// Packages in another Python version's site-packages, which the runtime never reads.
    OtherPython {
        folders: Vec<String>,
        runtime: String,
    },
    /// A member that alone is over Lambda's unzipped limit: not inflated to be checked.
    MemberTooBig { path: String, size: u64, limit: u64 },
    /// Over Lambda's unzipped limit.
    TooBig { unzipped: u64, limit: u64 },
    /// A member that cannot be read from the zip.
    Unreadable { path: String },
    /// A native file that will not load, with the native check's reason.
    Native { path: String, problem: String },
    /// The same name stored more than once: which copy an unzip keeps depends on the tool.
    Duplicate { path: String, copies: usize },
    /// A zip with no file in it: the layer adds nothing to /opt.
    Empty,
    /// Entries whose stored bytes overlap another entry's (`first` and `second` the first
    /// pair; `entries` how many overlap one before them): a zip bomb, not a layer.
    Overlapping {
        first: String,
        second: String,
        entries: usize,
    },
    /// Inflating `path` (claiming `size` bytes) would have taken what the inspection inflated
    /// past its budget (Lambda's unzipped `limit` plus a margin): it and the members after it
    /// were not inflated to be checked.
    InflateBudget {
        path: String,
        size: u64,
        spent: u64,
        budget: u64,
        limit: u64,
    },
    /// Two paths that look the same on screen but are different names.
    LookAlike {
        first: String,
        second: String,
        kind: LookAlike,
    },
}

impl fmt::Display for InspectProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InspectProblem::UnsafeEntry { problem } => {
                write!(f, "unsafe entry: {}", clean(problem))
            }
            InspectProblem::StrayFolders { folders } => write!(
                f,
                "{} at the zip's root land in /opt/, where Python does not look: packages belong under python/ (or python/lib/python3.X/site-packages/)",
                shown(folders)
            ),
            InspectProblem::NotWorldReadable { entries } => write!(
                f,
                "not readable by everyone (Lambda runs your code as another user): {}",
                shown(entries)
            ),
            InspectProblem::FileAndFolder { path, inside } => write!(
                f,
                "{} is a file and also a folder holding {}; the zip cannot be unzipped",
                clean(path),
                clean(inside)
            ),
            InspectProblem::OtherPython { folders, runtime } => write!(
                f,
                "{} {} read only by another Python version; {runtime} never looks there, so nothing in {} can be imported",
                shown(folders),
                if folders.len() == 1 { "is" } else { "are" },
                if folders.len() == 1 { "it" } else { "them" }
            ),
            InspectProblem::MemberTooBig { path, size, limit } => write!(
                f,
                "{} unzips to {}, alone over Lambda's {}; it was not inflated to be checked",
                clean(path),
                human_bytes(*size),
                human_bytes(*limit)
            ),
            InspectProblem::TooBig { unzipped, limit } => write!(
                f,
                "it unzips to {}, over Lambda's {} for the function and all its layers together",
                human_bytes(*unzipped),
                human_bytes(*limit)
            ),
            InspectProblem::Unreadable { path } => {
                write!(f, "{} cannot be read from the zip", clean(path))
            }
            InspectProblem::Native { path, problem } => {
                write!(f, "{}: {}", clean(path), clean(problem))
            }
            InspectProblem::Duplicate { path, copies } => write!(
                f,
                "{} is stored {copies} times in the zip; which copy ends up in /opt depends on the unzip tool, so what runs is not what a listing shows; rebuild the zip with each path once",
                clean(path)
            ),
            InspectProblem::Overlapping { .. } | InspectProblem::InflateBudget { .. } => {
                self.fmt_bomb(f)
            }
            InspectProblem::Empty => f.write_str(
                "the zip holds no files: the layer adds nothing to /opt; build it again with the packages in it",
            ),
            InspectProblem::LookAlike {
                first,
                second,
                kind,
            } => {
                let form = |p: &str| if is_nfc(p) { "NFC" } else { "NFD" };
                let why = match kind {
                    LookAlike::Normalization => format!(
                        "the same letters composed differently ({} and {})",
                        form(first),
                        form(second)
                    ),
                    LookAlike::Invisible => "they differ only by invisible characters".into(),
                };
                write!(
                    f,
                    "{} and {} look the same but are two different paths: {why}. Lambda extracts both, and which one Python imports is not the one a reader of the listing would guess; rename one",
                    clean(first),
                    clean(second)
                )
            }
        }
    }
}

impl InspectProblem {
    /// The words of the problems that a zip bomb shows.
    fn fmt_bomb(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InspectProblem::Overlapping {
                first,
                second,
                entries,
            } => write!(
                f,
                "{} and {} share their stored bytes ({entries} of the zip's entries overlap another): no zip tool writes this; it is how a small zip unzips to gigabytes (a zip bomb). Do not use this zip; build the layer again",
                clean(first),
                clean(second)
            ),
            InspectProblem::InflateBudget {
                path,
                size,
                spent,
                budget,
                limit,
            } => write!(
                f,
                "stopped inflating at {} (it claims {}, after {} inflated): inspect inflates at most {} of a zip in all (Lambda's {} unzipped limit plus {} for headers read twice), so it and the members after it were not checked",
                clean(path),
                human_bytes(*size),
                human_bytes(*spent),
                human_bytes(*budget),
                human_bytes(*limit),
                human_bytes(budget.saturating_sub(*limit))
            ),
            // Only the two above come here.
            _ => Ok(()),
        }
    }
}

impl Serialize for InspectProblem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// How the target was chosen when the caller did not give one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetGuess {
    /// `python3.12 on arm64`.
    pub target: String,
    /// Where the runtime came from.
    pub runtime_from: RuntimeFrom,
    /// The architecture came from the binaries (else x86_64).
    pub arch_from_binaries: bool,
}

/// What told the runtime a layer is for, when none was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeFrom {
    /// A `python/lib/python3.X/site-packages` folder.
    Folder,
    /// Extension modules named for one CPython (`*.cpython-311-x86_64-linux-gnu.so`), as
    /// `pip install -t python/` leaves them.
    Extensions,
    /// Nothing in the zip says: the newest runtime.
    Newest,
}

impl TargetGuess {
    /// The sentence with `choose` (how a front end says "choose the target") inside the
    /// parentheses; `Display` is this with nothing.
    pub fn render(&self, choose: &str) -> String {
        let runtime = match self.runtime_from {
            RuntimeFrom::Folder => "runtime from the site-packages folder",
            RuntimeFrom::Extensions => "runtime from the extension modules' CPython version",
            RuntimeFrom::Newest => "the newest runtime",
        };
        let arch = if self.arch_from_binaries {
            "architecture from the binaries"
        } else {
            "x86_64 by default"
        };
        format!("checked for {} ({runtime}, {arch}{choose})", self.target)
    }
}

impl fmt::Display for TargetGuess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(""))
    }
}

impl Serialize for TargetGuess {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Hints for TargetGuess {
    fn hints(&self) -> Vec<Hint> {
        vec![Hint::ChooseTarget]
    }
}
