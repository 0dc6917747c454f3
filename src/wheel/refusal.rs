//! Why a file does not load, as data: one variant per cause, with the versions involved.
//!
//! The variants are declared from the closest to loading to the furthest, so the derived `Ord`
//! reads "how far from loading" (uv's `IncompatibleTag` is the model): a wrong operating system
//! or platform is furthest, then the wrong architecture, then the wrong Python or ABI, then a
//! glibc or `Requires-Python` that is just too new. [`Refusal::distance`] names the band a cause
//! falls in; front ends colour or sort by it, and the resolver's "closest wheel" is chosen by
//! it. `Display` says the cause in plain words, the words `wheelbarrow check` shows.

use std::fmt;

use crate::lambda::{Arch, Glibc};

/// How far a refused file is from loading, closest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Distance {
    /// Yanked by its maintainers: it loads, but only when pinned.
    Yanked,
    /// Only a version is off: the runtime's glibc, or the release's `Requires-Python`.
    Version,
    /// The Python implementation, version or ABI is wrong.
    Interpreter,
    /// Built for the other architecture.
    Architecture,
    /// The operating system, C library or platform is wrong.
    Platform,
    /// Not a wheel at all: nothing to judge.
    NotAWheel,
}

/// One reason a file does not load on a target. Tag fields hold the tag as the file name
/// writes it (`manylinux_2_28_x86_64`, `cp313t`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Refusal {
    // --- Distance::Yanked
    /// The file loads, but its maintainers withdrew it; `reason` is theirs, possibly empty.
    Yanked { reason: String },

    // --- Distance::Version
    /// The release's `Requires-Python` excludes the runtime's Python.
    RequiresPython { spec: String, runtime_minor: u32 },
    /// The manylinux tag needs a newer glibc than the runtime has.
    GlibcTooOld {
        /// `manylinux_2_28`, or a legacy alias such as `manylinux2014`.
        tag: String,
        needs: Glibc,
        runtime: String,
        os: String,
        has: Glibc,
    },
    /// A manylinux tag older than any pip accepts for the architecture.
    GlibcPredatesArch {
        platform: String,
        arch: Arch,
        oldest: Glibc,
    },

    // --- Distance::Interpreter
    /// `cp3X-cp3X`-style extension for another CPython version.
    WrongCPython {
        major: u32,
        minor: u32,
        runtime_minor: u32,
    },
    /// `cp3Y-none` for another CPython version.
    WrongCPythonBuild {
        python: String,
        minor: u32,
        runtime_minor: u32,
    },
    /// `py3Y-none` with 3.Y newer than the runtime.
    PythonTooNew {
        python: String,
        minor: u32,
        runtime_minor: u32,
    },
    /// `cp3Y-abi3` with 3.Y newer than the runtime.
    Abi3TooNew { minor: u32, runtime_minor: u32 },
    /// `cp3Y-abi3` with 3.Y before the stable ABI existed (3.2).
    Abi3BeforeStableAbi { python: String },
    /// `cp3Xt`: free-threaded CPython.
    FreeThreaded { abi: String },
    /// `abi3t`: the stable ABI of free-threaded CPython.
    FreeThreadedAbi3 { abi: String },
    /// `cp3Xd`: a debug build of CPython.
    DebugBuild { abi: String },
    /// Another ABI flag (`cp37m` on a newer runtime, ...).
    NonStandardAbi { abi: String, runtime_minor: u32 },
    /// The python tag and the ABI name different CPython versions.
    PythonAbiMismatch { python: String, abi: String },
    /// A CPython tag without a minor version (`cp3`).
    NoMinorVersion { python: String },
    /// A major version that is neither 2 nor 3.
    OtherPythonMajor { python: String, major: u32 },
    /// Python 2 only.
    Python2 { python: String },
    /// A generic python tag with a compiled ABI (`py3-cp312`).
    GenericWithCompiledAbi { python: String, abi: String },
    /// A CPython ABI with the `any` platform (`cp312-cp312-any`).
    CompiledAbiWithoutPlatform {
        python: String,
        abi: String,
        platform: String,
    },
    /// Another interpreter's ABI (`pypy39_pp73` with a CPython tag, ...).
    OtherAbi { abi: String },
    /// `pp310`: PyPy.
    PyPy { python: String },
    /// Another Python implementation (`ip27`, `graalpy311`, malformed tags).
    OtherImplementation { python: String },

    // --- Distance::Architecture
    /// Built for the other architecture (`aarch64` on an `x86_64` function).
    WrongArch { built: String, function: Arch },

    // --- Distance::Platform
    /// `linux_x86_64`: built against one machine's libraries.
    NotPortable { platform: String },
    /// `musllinux_*`: for musl libc.
    Musl { platform: String },
    /// `macosx_*`.
    MacOs { platform: String },
    /// `win*`.
    Windows { platform: String },
    /// android, ios, emscripten, BSDs...
    OtherPlatform { platform: String },

    // --- Distance::NotAWheel
    /// A source distribution: wheelbarrow never builds one.
    SourceDistribution,
    /// An old installer or egg format.
    NotAWheel,
    /// Listed as a wheel, but the file name does not parse; `problem` says why.
    BadFileName { problem: String },
}

impl Refusal {
    /// How far from loading this cause is.
    pub fn distance(&self) -> Distance {
        use Refusal as R;
        match self {
            R::Yanked { .. } => Distance::Yanked,
            R::RequiresPython { .. } | R::GlibcTooOld { .. } | R::GlibcPredatesArch { .. } => {
                Distance::Version
            }
            R::WrongArch { .. } => Distance::Architecture,
            R::NotPortable { .. }
            | R::Musl { .. }
            | R::MacOs { .. }
            | R::Windows { .. }
            | R::OtherPlatform { .. } => Distance::Platform,
            R::SourceDistribution | R::NotAWheel | R::BadFileName { .. } => Distance::NotAWheel,
            _ => Distance::Interpreter,
        }
    }

    /// A short stable name for the cause (`glibc_too_old`), for JSON and logs.
    pub fn kind(&self) -> &'static str {
        use Refusal as R;
        match self {
            R::Yanked { .. } => "yanked",
            R::RequiresPython { .. } => "requires_python",
            R::GlibcTooOld { .. } => "glibc_too_old",
            R::GlibcPredatesArch { .. } => "glibc_predates_arch",
            R::WrongCPython { .. } => "wrong_cpython",
            R::WrongCPythonBuild { .. } => "wrong_cpython_build",
            R::PythonTooNew { .. } => "python_too_new",
            R::Abi3TooNew { .. } => "abi3_too_new",
            R::Abi3BeforeStableAbi { .. } => "abi3_before_stable_abi",
            R::FreeThreaded { .. } => "free_threaded",
            R::FreeThreadedAbi3 { .. } => "free_threaded_abi3",
            R::DebugBuild { .. } => "debug_build",
            R::NonStandardAbi { .. } => "non_standard_abi",
            R::PythonAbiMismatch { .. } => "python_abi_mismatch",
            R::NoMinorVersion { .. } => "no_minor_version",
            R::OtherPythonMajor { .. } => "other_python_major",
            R::Python2 { .. } => "python2",
            R::GenericWithCompiledAbi { .. } => "generic_with_compiled_abi",
            R::CompiledAbiWithoutPlatform { .. } => "compiled_abi_without_platform",
            R::OtherAbi { .. } => "other_abi",
            R::PyPy { .. } => "pypy",
            R::OtherImplementation { .. } => "other_implementation",
            R::WrongArch { .. } => "wrong_arch",
            R::NotPortable { .. } => "not_portable",
            R::Musl { .. } => "musl",
            R::MacOs { .. } => "macos",
            R::Windows { .. } => "windows",
            R::OtherPlatform { .. } => "other_platform",
            R::SourceDistribution => "source_distribution",
            R::NotAWheel => "not_a_wheel",
            R::BadFileName { .. } => "bad_file_name",
        }
    }
}

/// How far a set of causes (one combination's problems) is from loading: its bands, furthest
/// first. Compared lexicographically, one cause in a further band outweighs any number in
/// closer ones, and more bands are further than fewer.
pub fn distance_of<'a>(refusals: impl IntoIterator<Item = &'a Refusal>) -> Vec<Distance> {
    let mut bands: Vec<Distance> = refusals.into_iter().map(Refusal::distance).collect();
    bands.sort_unstable_by(|a, b| b.cmp(a));
    bands.dedup();
    bands
}

/// Renders causes joined the way a verdict's reason joins them.
pub fn join(refusals: &[Refusal]) -> String {
    refusals
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" — and ")
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(test)]
        if reworded::active() {
            return write!(f, "<{} cause, reworded>", self.kind());
        }
        super::refusal_words::write(self, f)
    }
}

/// A test-only switch that renders every cause in other words, to show that nothing decides
/// anything from the words.
#[cfg(test)]
pub(crate) mod reworded {
    use std::cell::Cell;

    thread_local! {
        static ACTIVE: Cell<bool> = const { Cell::new(false) };
    }

    pub(crate) fn active() -> bool {
        ACTIVE.with(Cell::get)
    }

    /// Runs `f` with every cause reworded on this thread.
    pub(crate) fn with<T>(f: impl FnOnce() -> T) -> T {
        ACTIVE.with(|a| a.set(true));
        let out = f();
        ACTIVE.with(|a| a.set(false));
        out
    }
}
