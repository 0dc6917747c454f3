//! One resolution for several targets: a `python/` layer that every runtime asked for reads.
//!
//! Every Python runtime reads a layer's `python/` folder, so one set of wheels serves several
//! runtimes and both architectures when each wheel loads on all of them. Given the other
//! targets ([`super::ResolveOptions::also_for`]), the resolver
//!
//! - takes a file only when it loads on every target (tags, glibc, architecture, the index's
//!   `Requires-Python`), and a release only when its METADATA's `Requires-Python` admits every
//!   target's Python; among such files, a pure-Python wheel (`py3-none-any`) over any compiled
//!   build, even one (abi3) that loads on every target, then pip's preference on the
//!   resolution's own target;
//! - follows a requirement when its marker holds on any target (the union of what each needs),
//!   and says which packages only some targets need ([`PartialNeed`]);
//! - says where a portable wheel was taken instead of the build pip prefers on the
//!   resolution's own target ([`PortableChoice`]);
//! - when no file of a project loads on all the targets, says which project narrows the set
//!   and how far its wheels reach ([`NotPortable`]).
//!
//! With one target nothing here applies: pip's preference (a compiled build) stands.

use std::fmt;

use pep440_rs::Version;
use pep508_rs::{ExtraName, MarkerEnvironment, Requirement};
use serde::Serialize;

use super::provider::{ProjectInfo, Provider};
use crate::index::{DistFile, FileKind};
use crate::lambda::Target;
use crate::text::clean;
use crate::wheel::requires_python_allows;

mod narrowing;
mod notes;

pub(super) use narrowing::narrowing;
pub use narrowing::{Narrows, NotPortable, Split};
pub(super) use notes::{compare, notes};

/// What resolving for several targets at once changed, beside the resolution.
#[derive(Debug, Clone, Serialize)]
pub struct Portable {
    /// Every target the resolution was made for, its own first.
    pub targets: Vec<Target>,
    /// Projects whose portable wheel was taken instead of pip's choice for one target.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub instead: Vec<PortableChoice>,
    /// Packages only some of the targets need (by their markers), in the layer for all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub partial: Vec<PartialNeed>,
    /// Packages at another version than the resolution's own target alone gets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub older: Vec<OtherVersion>,
}

/// A package whose version differs from what the resolution's own target alone gets, and the
/// packages of that resolution that do not serve every target (why, as far as it is known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherVersion {
    pub project: String,
    pub version: String,
    /// The version the target alone gets, and the target (`python3.12 on x86_64`).
    pub alone: String,
    pub alone_on: String,
    /// The target-alone version itself does not serve every target (its wheels or its
    /// `Requires-Python`).
    pub itself: bool,
    /// Other packages of the target-alone resolution that load on some targets only, and that
    /// the portable resolution does not have at that version: `pydantic-core 2.41.5`.
    pub not_everywhere: Vec<String>,
}

impl fmt::Display for OtherVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} instead of {}, which {} alone gets",
            clean(&self.project),
            clean(&self.version),
            clean(&self.alone),
            self.alone_on
        )?;
        if self.itself {
            return write!(
                f,
                ": {} does not serve every target (its wheels or its Requires-Python leave some out)",
                clean(&self.alone)
            );
        }
        match self.not_everywhere.as_slice() {
            [] => f.write_str(": that release and its dependencies do not serve every target"),
            [one] => write!(
                f,
                ": with it comes {}, which has no wheel that loads on every target",
                clean(one)
            ),
            many => write!(
                f,
                ": with it come {}, which have no wheel that loads on every target",
                clean(&many.join(", "))
            ),
        }
    }
}

/// A wheel taken because it loads on every target, where pip on the resolution's own target
/// would take another build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortableChoice {
    pub project: String,
    pub version: String,
    /// The file taken, and its tag that fits (`py3-none-any`).
    pub taken: String,
    pub taken_tag: String,
    /// The file pip prefers on `preferred_on` alone, and its tag (`cp312-cp312-manylinux…`).
    pub preferred: String,
    pub preferred_tag: String,
    /// `python3.12 on x86_64`.
    pub preferred_on: String,
}

impl fmt::Display for PortableChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: its {} wheel instead of the {} build pip prefers on {} ({})",
            clean(&self.project),
            clean(&self.version),
            clean(&self.taken_tag),
            clean(&self.preferred_tag),
            self.preferred_on,
            clean(&self.preferred)
        )
    }
}

/// A package the markers ask for on some targets only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartialNeed {
    pub project: String,
    pub version: String,
    /// The targets that need it.
    pub needed_on: Vec<Target>,
    /// In words: those targets (`python3.10`, or `python3.10 on arm64`).
    pub needed_on_text: String,
    /// Who asks for it there, with the marker as written: `anyio 4.4.0 asks for exceptiongroup;
    /// python_version < "3.11"`.
    pub by: String,
}

impl fmt::Display for PartialNeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} is needed on {} only: {}. It is in the layer for every target, unused on the others",
            clean(&self.project),
            clean(&self.version),
            self.needed_on_text,
            clean(&self.by)
        )
    }
}
/// `targets`, each once, with the one a resolution for all of them is made for first (the
/// newest runtime, on the first target's architecture when it has it); the rest in their order.
#[must_use]
pub fn anchor_first(targets: Vec<Target>) -> Vec<Target> {
    let mut all: Vec<Target> = Vec::new();
    for t in targets {
        if !all.contains(&t) {
            all.push(t);
        }
    }
    let first_arch = all.first().map(|t| t.arch);
    let anchor = all
        .iter()
        .enumerate()
        .max_by_key(|(i, t)| {
            (
                t.runtime.python_minor,
                Some(t.arch) == first_arch,
                std::cmp::Reverse(*i),
            )
        })
        .map(|(i, _)| i);
    if let Some(at) = anchor {
        let anchor = all.remove(at);
        all.insert(0, anchor);
    }
    all
}

/// The marker environments of `targets`.
pub(super) fn environments(targets: &[Target]) -> Vec<MarkerEnvironment> {
    targets
        .iter()
        .map(crate::resolve::target_environment)
        .collect()
}

/// Whether `req` applies on the target (`env`) or on any of the others.
pub(super) fn holds_on_any(
    req: &Requirement,
    env: &MarkerEnvironment,
    also: &[MarkerEnvironment],
    extras: &[ExtraName],
) -> bool {
    req.marker.evaluate(env, extras) || also.iter().any(|e| req.marker.evaluate(e, extras))
}

impl Provider {
    /// Whether a requirement applies on any of the targets (one target: on it).
    pub(super) fn holds(&self, req: &Requirement, extras: &[ExtraName]) -> bool {
        holds_on_any(req, &self.env, &self.also_env, extras)
    }

    /// The first target whose Python `Requires-Python` excludes, if any.
    pub(super) fn refused_by(&self, spec: &str) -> Option<&Target> {
        std::iter::once(&self.target)
            .chain(&self.also)
            .find(|t| requires_python_allows(spec, t) == Ok(false))
    }

    fn all_targets(&self) -> Vec<Target> {
        std::iter::once(&self.target)
            .chain(&self.also)
            .cloned()
            .collect()
    }
}

/// `python3.10, python3.11 on x86_64 and arm64` when every runtime named has the same
/// architectures, else each runtime with its own (`python3.10 on x86_64, python3.12 on x86_64
/// and arm64`); oldest runtime first.
pub fn targets_text(of: &[Target]) -> String {
    let mut runtimes: Vec<(u32, &str, Vec<&'static str>)> = Vec::new();
    for t in of {
        match runtimes
            .iter_mut()
            .find(|(_, name, _)| *name == t.runtime.name)
        {
            Some((_, _, archs)) if !archs.contains(&t.arch.lambda_name()) => {
                archs.push(t.arch.lambda_name());
            }
            Some(_) => {}
            None => runtimes.push((
                t.runtime.python_minor,
                &t.runtime.name,
                vec![t.arch.lambda_name()],
            )),
        }
    }
    runtimes.sort_by_key(|(minor, ..)| *minor);
    for (_, _, archs) in &mut runtimes {
        archs.sort_by_key(|a| *a != "x86_64");
    }
    let same = runtimes.windows(2).all(|w| w[0].2 == w[1].2);
    if same && let Some((_, _, archs)) = runtimes.first() {
        let names: Vec<&str> = runtimes.iter().map(|(_, n, _)| *n).collect();
        return format!("{} on {}", names.join(", "), archs.join(" and "));
    }
    runtimes
        .iter()
        .map(|(_, name, archs)| format!("{name} on {}", archs.join(" and ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The wheels of `version` that are not yanked.
pub(super) fn files_of<'a>(
    info: &'a ProjectInfo,
    version: &'a Version,
) -> impl Iterator<Item = &'a DistFile> {
    info.project.files.iter().filter(move |f| {
        f.kind == FileKind::Wheel
            && f.yanked.is_none()
            && f.version
                .as_deref()
                .and_then(|v| v.parse::<Version>().ok())
                .as_ref()
                == Some(version)
    })
}
