//! Will this wheel load on this target, and why (not)?
//!
//! A wheel fits when at least one (python, abi, platform) combination of its tags fits. Each
//! combination is checked part by part so that a refusal can say which part is wrong, in words a
//! newcomer understands. A fitting combination also gets its *rank*: its position in the ordered
//! list of tags pip would accept on the target (pypa/packaging's `cpython_tags` followed by
//! `compatible_tags`, with the manylinux platforms packaging generates for the runtime's glibc).
//! Rank 0 is pip's first choice; the best file of a release is the one with the lowest rank.
//!
//! The order, for CPython 3.X and the N manylinux platforms P (newest glibc first):
//!
//! ```text
//! cp3X-cp3X-P   cp3X-abi3-P   cp3X-none-P   cp3(X-1)-abi3-P ... cp32-abi3-P
//! py3X-none-P   py3-none-P    py3(X-1)-none-P ... py30-none-P
//! cp3X-none-any py3X-none-any py3-none-any  py3(X-1)-none-any ... py30-none-any
//! ```

use serde::{Serialize, Serializer};

use super::filename::WheelName;
use super::fit::{Build, Fit, FitPlatform};
use super::platform_fit::{PlatformFit, platform_count, platform_fit};
use super::refusal::{self, Refusal};
use super::tags::{Abi, AbiTag, PlatformTag, Python, PythonTag};
use crate::lambda::{Glibc, Target};

/// The answer for one wheel file on one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub compatible: bool,
    /// Why, in plain words: the rendering of `fit` and `refusals`, for people and JSON.
    /// Decide nothing from it; use `fit` and `refusals`.
    pub reason: String,
    /// The most preferred fitting tag (`cp312-cp312-manylinux_2_17_x86_64`), when it fits.
    pub best_tag: Option<String>,
    /// Position of `best_tag` in pip's order of preference (0 = first choice).
    pub rank: Option<usize>,
    /// Why it loads, when it does.
    #[serde(skip)]
    pub fit: Option<Fit>,
    /// Why it does not load (the problems of the combination closest to loading), with
    /// [`Refusal::Yanked`] first for a yanked file: alone when the file otherwise loads (pip
    /// takes it only when pinned). Empty for a file that loads and was not yanked.
    #[serde(
        rename = "causes",
        serialize_with = "cause_kinds",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub refusals: Vec<Refusal>,
    /// For each tag in the file name's three fields: whether that part is right for the target.
    #[serde(skip)]
    pub fits: TagFits,
}

fn cause_kinds<S: Serializer>(refusals: &[Refusal], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(refusals.iter().map(Refusal::kind))
}

impl Verdict {
    /// A file that loads, described by `fit`.
    pub fn loads(fit: Fit, best_tag: String, rank: usize, fits: TagFits) -> Verdict {
        Verdict {
            compatible: true,
            reason: fit.to_string(),
            best_tag: Some(best_tag),
            rank: Some(rank),
            fit: Some(fit),
            refusals: Vec::new(),
            fits,
        }
    }

    /// A file that does not load, for these causes.
    pub fn refused(refusals: Vec<Refusal>, fits: TagFits) -> Verdict {
        Verdict {
            compatible: false,
            reason: refusal::join(&refusals),
            best_tag: None,
            rank: None,
            fit: None,
            refusals,
            fits,
        }
    }

    /// The same verdict for a file its maintainers yanked (`reason` is theirs, maybe empty).
    #[must_use]
    pub fn yanked(mut self, reason: &str) -> Verdict {
        let yanked = Refusal::Yanked {
            reason: reason.to_string(),
        };
        self.reason = format!("{yanked}; {}", self.reason);
        self.refusals.insert(0, yanked);
        self
    }

    /// How far this file is from loading (empty when it loads and is not yanked).
    pub fn distance(&self) -> Vec<refusal::Distance> {
        refusal::distance_of(&self.refusals)
    }
}

/// Per-tag flags, in the order the tags appear in the file name: whether the tag is right for
/// the target on its own (a python or ABI tag in some pairing with the other field, a platform
/// tag by itself), so that output can point at the part of a name that is wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagFits {
    pub python: Vec<bool>,
    pub abi: Vec<bool>,
    pub platform: Vec<bool>,
}

/// How the python and ABI tags fit: which block of pip's order they fall in.
#[derive(Debug, Clone, Copy)]
enum InterpreterFit {
    /// `cp3X-cp3X`: an extension module built for exactly this Python.
    CpExact,
    /// `cp3Y-abi3` with 3.Y at most the runtime's.
    Abi3 { minor: u32 },
    /// `cp3X-none`.
    CpNone,
    /// `py3X-none`, `py3-none`, ...; `index` is the position in [py3X, py3, py3(X-1), ..., py30].
    Generic { index: usize },
}

pub(super) type Problems = Vec<Refusal>;

impl WheelName {
    /// The verdict for this wheel on `target`.
    pub fn verdict(&self, target: &Target) -> Verdict {
        let mut fits = TagFits {
            python: vec![false; self.python.len()],
            abi: vec![false; self.abi.len()],
            platform: self
                .platform
                .iter()
                .map(|p| platform_fit(p, target).is_ok())
                .collect(),
        };
        for (pi, py) in self.python.iter().enumerate() {
            for (ai, abi) in self.abi.iter().enumerate() {
                if interpreter_fit(py, abi, target).is_ok() {
                    fits.python[pi] = true;
                    fits.abi[ai] = true;
                }
            }
        }
        let mut best: Option<(usize, String, Fit)> = None;
        let mut fewest_problems: Option<Problems> = None;
        for py in &self.python {
            for abi in &self.abi {
                for plat in &self.platform {
                    match check(py, abi, plat, target) {
                        Ok((rank, fit)) => {
                            if best.as_ref().is_none_or(|(r, _, _)| rank < *r) {
                                best = Some((rank, format!("{py}-{abi}-{plat}"), fit));
                            }
                        }
                        Err(problems) => {
                            if fewest_problems
                                .as_ref()
                                .is_none_or(|p| problems.len() < p.len())
                            {
                                fewest_problems = Some(problems);
                            }
                        }
                    }
                }
            }
        }
        match best {
            Some((rank, tag, fit)) => Verdict::loads(fit, tag, rank, fits),
            None => Verdict::refused(fewest_problems.unwrap_or_default(), fits),
        }
    }
}

/// The best file among `files` for `target`, as pip would choose: the lowest rank, then the
/// largest build tag. Returns its index and verdict.
pub fn best_wheel<'a, I>(files: I, target: &Target) -> Option<(usize, Verdict)>
where
    I: IntoIterator<Item = &'a WheelName>,
{
    let mut best: Option<(usize, &WheelName, Verdict)> = None;
    for (i, wheel) in files.into_iter().enumerate() {
        let verdict = wheel.verdict(target);
        let Some(rank) = verdict.rank else { continue };
        let better = match &best {
            None => true,
            Some((_, w, v)) => {
                let current = v.rank.unwrap_or(usize::MAX);
                rank < current || (rank == current && wheel.build > w.build)
            }
        };
        if better {
            best = Some((i, wheel, verdict));
        }
    }
    best.map(|(i, _, v)| (i, v))
}

/// One combination: its rank and a description when it fits, the problems when not.
fn check(
    py: &PythonTag,
    abi: &AbiTag,
    plat: &PlatformTag,
    target: &Target,
) -> Result<(usize, Fit), Problems> {
    let interp = interpreter_fit(py, abi, target);
    let platform = platform_fit(plat, target);
    let (interp, platform) = match (interp, platform) {
        (Ok(i), Ok(p)) => (i, p),
        (i, p) => {
            let mut problems = i.err().unwrap_or_default();
            problems.extend(p.err().unwrap_or_default());
            return Err(problems);
        }
    };
    let x = target.runtime.python_minor as usize;
    let n = platform_count(target);
    let rank = match (interp, platform) {
        (InterpreterFit::CpExact | InterpreterFit::Abi3 { .. }, PlatformFit::Any) => {
            return Err(vec![Refusal::CompiledAbiWithoutPlatform {
                python: py.to_string(),
                abi: abi.to_string(),
                platform: plat.to_string(),
            }]);
        }
        (InterpreterFit::CpExact, PlatformFit::Manylinux { index, .. }) => index,
        (InterpreterFit::Abi3 { minor }, PlatformFit::Manylinux { index, .. }) => {
            let minor = minor as usize;
            if minor == x {
                n + index
            } else {
                3 * n + (x - 1 - minor) * n + index
            }
        }
        (InterpreterFit::CpNone, PlatformFit::Manylinux { index, .. }) => 2 * n + index,
        (InterpreterFit::Generic { index: v }, PlatformFit::Manylinux { index, .. }) => {
            (x + 1) * n + v * n + index
        }
        (InterpreterFit::CpNone, PlatformFit::Any) => (x + 1) * n + (x + 2) * n,
        (InterpreterFit::Generic { index: v }, PlatformFit::Any) => {
            (x + 1) * n + (x + 2) * n + 1 + v
        }
    };
    Ok((rank, describe_fit(py, interp, plat, platform, target)))
}

fn interpreter_fit(
    py: &PythonTag,
    abi: &AbiTag,
    target: &Target,
) -> Result<InterpreterFit, Problems> {
    let x = target.runtime.python_minor;
    let python = || py.to_string();
    match (py.kind, &abi.kind) {
        (Python::PyPy, _) => Err(vec![Refusal::PyPy { python: python() }]),
        (Python::Other, _) => Err(vec![Refusal::OtherImplementation { python: python() }]),
        (Python::Generic { major: 2, .. } | Python::CPython { major: 2, .. }, _) => {
            Err(vec![Refusal::Python2 { python: python() }])
        }
        (Python::Generic { major, minor }, Abi::None) => match (major, minor) {
            (3, None) => Ok(InterpreterFit::Generic { index: 1 }),
            (3, Some(m)) if m == x => Ok(InterpreterFit::Generic { index: 0 }),
            (3, Some(m)) if m < x => Ok(InterpreterFit::Generic {
                index: 2 + (x - 1 - m) as usize,
            }),
            (3, Some(m)) => Err(vec![Refusal::PythonTooNew {
                python: python(),
                minor: m,
                runtime_minor: x,
            }]),
            _ => Err(vec![Refusal::OtherPythonMajor {
                python: python(),
                major,
            }]),
        },
        (Python::Generic { .. }, _) => Err(vec![Refusal::GenericWithCompiledAbi {
            python: python(),
            abi: abi.to_string(),
        }]),
        (Python::CPython { minor: None, .. }, _) => {
            Err(vec![Refusal::NoMinorVersion { python: python() }])
        }
        (
            Python::CPython {
                major,
                minor: Some(m),
            },
            abi_kind,
        ) => {
            if major != 3 {
                return Err(vec![Refusal::OtherPythonMajor {
                    python: python(),
                    major,
                }]);
            }
            cpython_abi_fit(py, m, abi, abi_kind, x)
        }
    }
}

fn cpython_abi_fit(
    py: &PythonTag,
    m: u32,
    abi: &AbiTag,
    abi_kind: &Abi,
    x: u32,
) -> Result<InterpreterFit, Problems> {
    let abi_text = || abi.to_string();
    match abi_kind {
        Abi::None if m == x => Ok(InterpreterFit::CpNone),
        Abi::None => Err(vec![Refusal::WrongCPythonBuild {
            python: py.to_string(),
            minor: m,
            runtime_minor: x,
        }]),
        Abi::Abi3 if m > x => Err(vec![Refusal::Abi3TooNew {
            minor: m,
            runtime_minor: x,
        }]),
        Abi::Abi3 if m < 2 => Err(vec![Refusal::Abi3BeforeStableAbi {
            python: py.to_string(),
        }]),
        Abi::Abi3 => Ok(InterpreterFit::Abi3 { minor: m }),
        Abi::CPython {
            major,
            minor,
            flags,
        } => {
            let mut problems = Vec::new();
            if flags.contains('t') {
                problems.push(Refusal::FreeThreaded { abi: abi_text() });
            } else if flags.contains('d') {
                problems.push(Refusal::DebugBuild { abi: abi_text() });
            }
            if (*major, *minor) != (3, x) {
                problems.push(Refusal::WrongCPython {
                    major: *major,
                    minor: *minor,
                    runtime_minor: x,
                });
            } else if m != x {
                problems.push(Refusal::PythonAbiMismatch {
                    python: py.to_string(),
                    abi: abi_text(),
                });
            } else if problems.is_empty() && !flags.is_empty() {
                problems.push(Refusal::NonStandardAbi {
                    abi: abi_text(),
                    runtime_minor: x,
                });
            }
            if problems.is_empty() {
                Ok(InterpreterFit::CpExact)
            } else {
                Err(problems)
            }
        }
        Abi::Abi3Threaded => Err(vec![Refusal::FreeThreadedAbi3 { abi: abi_text() }]),
        Abi::Other => Err(vec![Refusal::OtherAbi { abi: abi_text() }]),
    }
}

/// A fitting combination as data: "CPython 3.12 extension for x86_64 Linux with glibc 2.17 or
/// newer (python3.12 has 2.34)" when rendered.
fn describe_fit(
    py: &PythonTag,
    interp: InterpreterFit,
    plat: &PlatformTag,
    platform: PlatformFit,
    target: &Target,
) -> Fit {
    let x = target.runtime.python_minor;
    let build = match (interp, platform) {
        (InterpreterFit::Generic { .. }, PlatformFit::Any) => {
            return Fit::PurePython {
                python: py.to_string(),
            };
        }
        (InterpreterFit::CpExact, _) => Build::Extension { minor: x },
        (InterpreterFit::Abi3 { minor }, _) => Build::StableAbi { minor },
        (InterpreterFit::CpNone, _) => Build::CPython { minor: x },
        (InterpreterFit::Generic { .. }, _) => Build::VersionIndependent {
            python: py.to_string(),
        },
    };
    let platform = match platform {
        PlatformFit::Any => FitPlatform::Any,
        PlatformFit::Manylinux { glibc_minor, .. } => FitPlatform::Manylinux {
            platform: plat.to_string(),
            arch: target.arch.wheel_name().to_string(),
            needs: Glibc {
                major: 2,
                minor: glibc_minor,
            },
            runtime: target.runtime.name.clone(),
            has: target.runtime.glibc,
        },
    };
    Fit::Build { build, platform }
}
