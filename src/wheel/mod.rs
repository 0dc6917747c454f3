//! Wheel file names, their tags, and whether a wheel loads on a Lambda target.
//!
//! ```
//! use wheelbarrow::{RuntimeTable, WheelName};
//!
//! let table = RuntimeTable::builtin();
//! let target = table.target(Some("python3.11"), Some("x86_64")).unwrap();
//! let wheel = WheelName::parse("numpy-2.3.1-cp311-cp311-manylinux_2_28_x86_64.whl").unwrap();
//! let verdict = wheel.verdict(&target);
//! assert!(!verdict.compatible);
//! assert_eq!(
//!     verdict.reason,
//!     "manylinux_2_28 needs glibc 2.28; python3.11 runs on Amazon Linux 2 with glibc 2.26"
//! );
//! ```

mod filename;
mod fit;
mod listing_facts;
mod platform_fit;
mod refusal;
#[cfg(test)]
mod refusal_tests;
mod refusal_words;
mod release;
mod tags;
mod verdict;

pub use filename::{BuildTag, WheelName, WheelNameError, WheelNameParts};
pub use fit::{Build, Fit, FitPlatform};
pub use listing_facts::{FactsCell, Judge, ListingFacts, Loads};
#[cfg(test)]
pub(crate) use refusal::reworded;
pub use refusal::{Distance, Refusal, distance_of};
pub use release::{
    FileKind, FileVerdict, ListedFile, Listing, ReleaseVerdicts, file_verdict, newest_loadable,
    newest_release, release_verdicts, requires_python_allows,
};
pub use tags::{Abi, AbiTag, Platform, PlatformTag, Python, PythonTag, Tag, legacy_manylinux};
pub use verdict::{TagFits, Verdict, best_wheel};

pub use crate::name::normalize_name;
