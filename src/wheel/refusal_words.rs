//! The plain words for each [`Refusal`], as `wheelbarrow check` prints them.

use std::fmt;

use super::refusal::Refusal;

pub(super) fn write(refusal: &Refusal, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    use Refusal as R;
    match refusal {
        R::Yanked { reason } if reason.is_empty() => f.write_str("yanked by its maintainers"),
        R::Yanked { reason } => write!(f, "yanked by its maintainers ({reason})"),
        R::RequiresPython {
            spec,
            runtime_minor,
        } => write!(
            f,
            "needs Python {spec} (Requires-Python); this runtime is 3.{runtime_minor}"
        ),
        R::GlibcTooOld {
            tag,
            needs,
            runtime,
            os,
            has,
        } => write!(
            f,
            "{tag} needs glibc {needs}; {runtime} runs on {os} with glibc {has}"
        ),
        R::GlibcPredatesArch {
            platform,
            arch,
            oldest,
        } => write!(
            f,
            "{platform} predates the oldest glibc pip accepts for {} ({oldest})",
            arch.wheel_name()
        ),
        R::WrongArch { built, function } => {
            let (lambda, wheel) = (function.lambda_name(), function.wheel_name());
            if lambda == wheel {
                write!(f, "built for {built}; this function is {lambda}")
            } else {
                write!(f, "built for {built}; this function is {lambda} ({wheel})")
            }
        }
        R::NotPortable { platform } => write!(
            f,
            "{platform} is not a portable tag: built against one machine's libraries, which Lambda may not have"
        ),
        R::Musl { platform } => write!(
            f,
            "musllinux is for musl libc (Alpine), not glibc; Lambda uses glibc ({platform})"
        ),
        R::MacOs { platform } => write!(f, "macOS build ({platform}); Lambda runs Linux"),
        R::Windows { platform } => write!(f, "Windows build ({platform}); Lambda runs Linux"),
        R::OtherPlatform { platform } => write!(
            f,
            "built for {platform}; Lambda needs a manylinux or pure-Python wheel"
        ),
        R::SourceDistribution => f.write_str(
            "source distribution: wheelbarrow never builds these, because a build here would target this machine, not Lambda",
        ),
        R::NotAWheel => f.write_str("not a wheel (an old installer or egg format)"),
        R::BadFileName { problem } => f.write_str(problem),
        _ => interpreter(refusal, f),
    }
}

/// The words for the causes in the interpreter band.
fn interpreter(refusal: &Refusal, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    use Refusal as R;
    match refusal {
        R::WrongCPython {
            major,
            minor,
            runtime_minor,
        } => write!(
            f,
            "CPython {major}.{minor} extension; this runtime is 3.{runtime_minor}"
        ),
        R::WrongCPythonBuild {
            python,
            minor,
            runtime_minor,
        } => write!(
            f,
            "CPython 3.{minor} build ({python}); this runtime is 3.{runtime_minor}"
        ),
        R::PythonTooNew {
            python,
            minor,
            runtime_minor,
        } => write!(
            f,
            "tagged for Python 3.{minor} ({python}); this runtime is 3.{runtime_minor}"
        ),
        R::Abi3TooNew {
            minor,
            runtime_minor,
        } => write!(
            f,
            "stable-ABI (abi3) build for CPython 3.{minor} and newer; this runtime is 3.{runtime_minor}"
        ),
        R::Abi3BeforeStableAbi { python } => {
            write!(f, "{python}-abi3: the stable ABI starts at CPython 3.2")
        }
        R::FreeThreaded { abi } => write!(
            f,
            "free-threaded build ({abi}); Lambda's Python is the standard build"
        ),
        R::FreeThreadedAbi3 { abi } => write!(
            f,
            "free-threaded stable-ABI build ({abi}); Lambda's Python is the standard build"
        ),
        R::DebugBuild { abi } => write!(f, "debug build of CPython ({abi})"),
        R::NonStandardAbi { abi, runtime_minor } => write!(
            f,
            "ABI {abi} is not the standard CPython 3.{runtime_minor} ABI (cp3{runtime_minor})"
        ),
        R::PythonAbiMismatch { python, abi } => {
            write!(f, "the python tag {python} does not match the ABI {abi}")
        }
        R::NoMinorVersion { python } => write!(f, "{python} names no Python 3 minor version"),
        R::OtherPythonMajor { python, major } => {
            write!(f, "tagged for Python {major} ({python})")
        }
        R::Python2 { python } => write!(f, "Python 2 only ({python})"),
        R::GenericWithCompiledAbi { python, abi } => write!(
            f,
            "{python}-{abi} pairs a generic Python tag with a compiled ABI, a combination pip never installs"
        ),
        R::CompiledAbiWithoutPlatform {
            python,
            abi,
            platform,
        } => write!(
            f,
            "{python}-{abi}-{platform} names a CPython ABI but no platform, a combination pip never installs"
        ),
        R::OtherAbi { abi } => write!(f, "ABI {abi} is not CPython's; Lambda runs CPython"),
        R::PyPy { python } => write!(f, "PyPy build ({python}); Lambda runs CPython"),
        R::OtherImplementation { python } => write!(
            f,
            "built for another Python implementation ({python}); Lambda runs CPython"
        ),
        // Every other cause has its words in `write`.
        other => f.write_str(other.kind()),
    }
}
