//! What inspecting a layer finds wrong, and how its target was guessed, as data with words.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::hint::{Hint, Hints};
use crate::units::human_bytes;

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
}

impl fmt::Display for InspectProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InspectProblem::UnsafeEntry { problem } => write!(f, "unsafe entry: {problem}"),
            InspectProblem::StrayFolders { folders } => write!(
                f,
                "{} at the zip's root land in /opt/, where Python does not look: packages belong under python/ (or python/lib/python3.X/site-packages/)",
                folders.join(", ")
            ),
            InspectProblem::NotWorldReadable { entries } => write!(
                f,
                "not readable by everyone (Lambda runs your code as another user): {}",
                entries.join(", ")
            ),
            InspectProblem::FileAndFolder { path, inside } => write!(
                f,
                "{path} is a file and also a folder holding {inside}; the zip cannot be unzipped"
            ),
            InspectProblem::OtherPython { folders, runtime } => write!(
                f,
                "{} {} read only by another Python version; {runtime} never looks there, so nothing in {} can be imported",
                folders.join(", "),
                if folders.len() == 1 { "is" } else { "are" },
                if folders.len() == 1 { "it" } else { "them" }
            ),
            InspectProblem::MemberTooBig { path, size, limit } => write!(
                f,
                "{path} unzips to {}, alone over Lambda's {}; it was not inflated to be checked",
                human_bytes(*size),
                human_bytes(*limit)
            ),
            InspectProblem::TooBig { unzipped, limit } => write!(
                f,
                "it unzips to {}, over Lambda's {} for the function and all its layers together",
                human_bytes(*unzipped),
                human_bytes(*limit)
            ),
            InspectProblem::Unreadable { path } => write!(f, "{path} cannot be read from the zip"),
            InspectProblem::Native { path, problem } => write!(f, "{path}: {problem}"),
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
