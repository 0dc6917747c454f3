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

use serde::Serialize;

use super::filename::WheelName;
use super::tags::{Abi, AbiTag, Platform, PlatformTag, Python, PythonTag, legacy_manylinux};
use crate::lambda::Target;

/// The answer for one wheel file on one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub compatible: bool,
    /// Why, in plain words.
    pub reason: String,
    /// The most preferred fitting tag (`cp312-cp312-manylinux_2_17_x86_64`), when it fits.
    pub best_tag: Option<String>,
    /// Position of `best_tag` in pip's order of preference (0 = first choice).
    pub rank: Option<usize>,
    /// For each tag in the file name's three fields: whether that part is right for the target.
    #[serde(skip)]
    pub fits: TagFits,
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

#[derive(Debug, Clone, Copy)]
enum PlatformFit {
    Any,
    /// `index` is the position in the manylinux platform list P.
    Manylinux {
        index: usize,
        glibc_minor: u32,
    },
}

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
        let mut best: Option<(usize, String, String)> = None;
        let mut fewest_problems: Option<Vec<String>> = None;
        for py in &self.python {
            for abi in &self.abi {
                for plat in &self.platform {
                    match check(py, abi, plat, target) {
                        Ok((rank, why)) => {
                            if best.as_ref().is_none_or(|(r, _, _)| rank < *r) {
                                best = Some((rank, format!("{py}-{abi}-{plat}"), why));
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
            Some((rank, tag, why)) => Verdict {
                compatible: true,
                reason: why,
                best_tag: Some(tag),
                rank: Some(rank),
                fits,
            },
            None => Verdict {
                compatible: false,
                reason: fewest_problems.unwrap_or_default().join(" — and "),
                best_tag: None,
                rank: None,
                fits,
            },
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
) -> Result<(usize, String), Vec<String>> {
    let interp = interpreter_fit(py, abi, target);
    let platform = platform_fit(plat, target);
    let (interp, platform) = match (interp, platform) {
        (Ok(i), Ok(p)) => (i, p),
        (i, p) => {
            let mut problems = i.err().unwrap_or_default();
            problems.extend(p.err());
            return Err(problems);
        }
    };
    let x = target.runtime.python_minor as usize;
    let n = platform_count(target);
    let rank = match (interp, platform) {
        (InterpreterFit::CpExact | InterpreterFit::Abi3 { .. }, PlatformFit::Any) => {
            return Err(vec![format!(
                "{py}-{abi}-any names a CPython ABI but no platform, a combination pip never installs"
            )]);
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
) -> Result<InterpreterFit, Vec<String>> {
    let x = target.runtime.python_minor;
    match (py.kind, &abi.kind) {
        (Python::PyPy, _) => Err(vec![format!("PyPy build ({py}); Lambda runs CPython")]),
        (Python::Other, _) => Err(vec![format!(
            "built for another Python implementation ({py}); Lambda runs CPython"
        )]),
        (Python::Generic { major: 2, .. } | Python::CPython { major: 2, .. }, _) => {
            Err(vec![format!("Python 2 only ({py})")])
        }
        (Python::Generic { major, minor }, Abi::None) => match (major, minor) {
            (3, None) => Ok(InterpreterFit::Generic { index: 1 }),
            (3, Some(m)) if m == x => Ok(InterpreterFit::Generic { index: 0 }),
            (3, Some(m)) if m < x => Ok(InterpreterFit::Generic {
                index: 2 + (x - 1 - m) as usize,
            }),
            (3, Some(m)) => Err(vec![format!(
                "tagged for Python 3.{m} ({py}); this runtime is 3.{x}"
            )]),
            _ => Err(vec![format!("tagged for Python {major} ({py})")]),
        },
        (Python::Generic { .. }, _) => Err(vec![format!(
            "{py}-{abi} pairs a generic Python tag with a compiled ABI, a combination pip never installs"
        )]),
        (Python::CPython { minor: None, .. }, _) => {
            Err(vec![format!("{py} names no Python 3 minor version")])
        }
        (
            Python::CPython {
                major,
                minor: Some(m),
            },
            abi_kind,
        ) => {
            if major != 3 {
                return Err(vec![format!("tagged for Python {major} ({py})")]);
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
) -> Result<InterpreterFit, Vec<String>> {
    match abi_kind {
        Abi::None if m == x => Ok(InterpreterFit::CpNone),
        Abi::None => Err(vec![format!(
            "CPython 3.{m} build ({py}); this runtime is 3.{x}"
        )]),
        Abi::Abi3 if m > x => Err(vec![format!(
            "stable-ABI (abi3) build for CPython 3.{m} and newer; this runtime is 3.{x}"
        )]),
        Abi::Abi3 if m < 2 => Err(vec![format!(
            "{py}-abi3: the stable ABI starts at CPython 3.2"
        )]),
        Abi::Abi3 => Ok(InterpreterFit::Abi3 { minor: m }),
        Abi::CPython {
            major,
            minor,
            flags,
        } => {
            let mut problems = Vec::new();
            if flags.contains('t') {
                problems.push(format!(
                    "free-threaded build ({abi}); Lambda's Python is the standard build"
                ));
            } else if flags.contains('d') {
                problems.push(format!("debug build of CPython ({abi})"));
            }
            if (*major, *minor) != (3, x) {
                problems.push(format!(
                    "CPython {major}.{minor} extension; this runtime is 3.{x}"
                ));
            } else if m != x {
                problems.push(format!("the python tag {py} does not match the ABI {abi}"));
            } else if problems.is_empty() && !flags.is_empty() {
                problems.push(format!(
                    "ABI {abi} is not the standard CPython 3.{x} ABI (cp3{x})"
                ));
            }
            if problems.is_empty() {
                Ok(InterpreterFit::CpExact)
            } else {
                Err(problems)
            }
        }
        Abi::Abi3Threaded => Err(vec![format!(
            "free-threaded stable-ABI build ({abi}); Lambda's Python is the standard build"
        )]),
        Abi::Other => Err(vec![format!(
            "ABI {abi} is not CPython's; Lambda runs CPython"
        )]),
    }
}

/// Number of manylinux platforms pip accepts on the target (the list P).
fn platform_count(target: &Target) -> usize {
    let g = target.runtime.glibc.minor;
    let oldest = target.arch.oldest_manylinux_minor();
    if target.runtime.glibc.major != 2 || g < oldest {
        return 0;
    }
    let aliases = legacy_manylinux()
        .iter()
        .filter(|(_, l)| (oldest..=g).contains(l))
        .count();
    (g - oldest + 1) as usize + aliases
}

/// Position of manylinux 2.`minor` in the list P: newest glibc first, each legacy alias right
/// after the perennial tag of the same glibc.
fn platform_index(target: &Target, minor: u32, legacy: bool) -> usize {
    let g = target.runtime.glibc.minor;
    let aliases_before = legacy_manylinux()
        .iter()
        .filter(|(_, l)| *l > minor && *l <= g)
        .count();
    (g - minor) as usize + aliases_before + usize::from(legacy)
}

fn platform_fit(plat: &PlatformTag, target: &Target) -> Result<PlatformFit, String> {
    let runtime = &target.runtime;
    match &plat.kind {
        Platform::Any => Ok(PlatformFit::Any),
        Platform::Manylinux {
            glibc_major,
            glibc_minor,
            arch,
            legacy,
        } => {
            let wanted = target.arch.wheel_name();
            let needs = (*glibc_major, *glibc_minor);
            let mut problems = Vec::new();
            if arch != wanted {
                problems.push(arch_problem(arch, target));
            }
            let have = (runtime.glibc.major, runtime.glibc.minor);
            let oldest = target.arch.oldest_manylinux_minor();
            if needs > have {
                problems.push(format!(
                    "{} needs glibc {}.{}; {} runs on {} with glibc {}",
                    legacy.unwrap_or(&format!("manylinux_{glibc_major}_{glibc_minor}")),
                    glibc_major,
                    glibc_minor,
                    runtime.name,
                    runtime.os,
                    runtime.glibc
                ));
            } else if problems.is_empty() && needs < (2, oldest) {
                problems.push(format!(
                    "{plat} predates the oldest glibc pip accepts for {wanted} (2.{oldest})"
                ));
            }
            if problems.is_empty() {
                Ok(PlatformFit::Manylinux {
                    index: platform_index(target, *glibc_minor, legacy.is_some()),
                    glibc_minor: *glibc_minor,
                })
            } else {
                Err(problems.join(" — and "))
            }
        }
        Platform::Musllinux { .. } => Err(format!(
            "musllinux is for musl libc (Alpine), not glibc; Lambda uses glibc ({plat})"
        )),
        Platform::Linux { .. } => Err(format!(
            "{plat} is not a portable tag: built against one machine's libraries, which Lambda may not have"
        )),
        Platform::MacOs => Err(format!("macOS build ({plat}); Lambda runs Linux")),
        Platform::Windows => Err(format!("Windows build ({plat}); Lambda runs Linux")),
        Platform::Other => Err(format!(
            "built for {plat}; Lambda needs a manylinux or pure-Python wheel"
        )),
    }
}

fn arch_problem(arch: &str, target: &Target) -> String {
    let lambda = target.arch.lambda_name();
    let wheel = target.arch.wheel_name();
    if lambda == wheel {
        format!("built for {arch}; this function is {lambda}")
    } else {
        format!("built for {arch}; this function is {lambda} ({wheel})")
    }
}

/// A fitting combination in words: "CPython 3.12 extension for x86_64 Linux with glibc 2.17 or
/// newer (python3.12 has 2.34)".
fn describe_fit(
    py: &PythonTag,
    interp: InterpreterFit,
    plat: &PlatformTag,
    platform: PlatformFit,
    target: &Target,
) -> String {
    let x = target.runtime.python_minor;
    let what = match (interp, platform) {
        (InterpreterFit::Generic { .. }, PlatformFit::Any) => {
            return format!("pure Python ({py}), loads on any platform");
        }
        (InterpreterFit::CpExact, _) => format!("CPython 3.{x} extension"),
        (InterpreterFit::Abi3 { minor }, _) => {
            format!("stable-ABI (abi3) build for CPython 3.{minor} and newer")
        }
        (InterpreterFit::CpNone, _) => format!("CPython 3.{x} build"),
        (InterpreterFit::Generic { .. }, _) => format!("Python-version-independent build ({py})"),
    };
    match platform {
        PlatformFit::Any => format!("{what}, any platform"),
        PlatformFit::Manylinux { glibc_minor, .. } => format!(
            "{what} for {} Linux with glibc 2.{glibc_minor} or newer ({plat}); {} has glibc {}",
            target.arch.wheel_name(),
            target.runtime.name,
            target.runtime.glibc
        ),
    }
}
