//! Why a file loads, as data: which kind of build it is and which platform it targets.

use std::fmt;

use crate::lambda::Glibc;

/// A fitting combination of tags, described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit {
    /// `py3-none-any` and the like.
    PurePython { python: String },
    /// Anything else that fits: a kind of build on a platform.
    Build { build: Build, platform: FitPlatform },
}

/// The python and ABI tags of a fitting combination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Build {
    /// `cp3X-cp3X`.
    Extension { minor: u32 },
    /// `cp3Y-abi3`.
    StableAbi { minor: u32 },
    /// `cp3X-none`.
    CPython { minor: u32 },
    /// `py3X-none`, `py3-none` on a platform.
    VersionIndependent { python: String },
}

/// The platform tag of a fitting combination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FitPlatform {
    Any,
    Manylinux {
        /// The tag as written (`manylinux_2_17_x86_64`).
        platform: String,
        /// The architecture as wheel tags name it.
        arch: String,
        needs: Glibc,
        runtime: String,
        has: Glibc,
    },
}

impl fmt::Display for Fit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (build, platform) = match self {
            Fit::PurePython { python } => {
                return write!(f, "pure Python ({python}), loads on any platform");
            }
            Fit::Build { build, platform } => (build, platform),
        };
        match build {
            Build::Extension { minor } => write!(f, "CPython 3.{minor} extension")?,
            Build::StableAbi { minor } => {
                write!(f, "stable-ABI (abi3) build for CPython 3.{minor} and newer")?;
            }
            Build::CPython { minor } => write!(f, "CPython 3.{minor} build")?,
            Build::VersionIndependent { python } => {
                write!(f, "Python-version-independent build ({python})")?;
            }
        }
        match platform {
            FitPlatform::Any => f.write_str(", any platform"),
            FitPlatform::Manylinux {
                platform,
                arch,
                needs,
                runtime,
                has,
            } => write!(
                f,
                " for {arch} Linux with glibc {needs} or newer ({platform}); {runtime} has glibc {has}"
            ),
        }
    }
}
