//! Whether a platform tag fits the target, and where it falls in pip's list of manylinux
//! platforms (newest glibc first).

use super::refusal::Refusal;
use super::tags::{Platform, PlatformTag, legacy_manylinux};
use super::verdict::Problems;
use crate::lambda::{Glibc, Target};

#[derive(Debug, Clone, Copy)]
pub(super) enum PlatformFit {
    Any,
    /// `index` is the position in the manylinux platform list P.
    Manylinux {
        index: usize,
        glibc_minor: u32,
    },
}

/// Number of manylinux platforms pip accepts on the target (the list P).
pub(super) fn platform_count(target: &Target) -> usize {
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

pub(super) fn platform_fit(plat: &PlatformTag, target: &Target) -> Result<PlatformFit, Problems> {
    let runtime = &target.runtime;
    let platform = || plat.to_string();
    match &plat.kind {
        Platform::Any => Ok(PlatformFit::Any),
        Platform::Manylinux {
            glibc_major,
            glibc_minor,
            arch,
            legacy,
        } => {
            let needs = Glibc {
                major: *glibc_major,
                minor: *glibc_minor,
            };
            let mut problems = Vec::new();
            if arch != target.arch.wheel_name() {
                problems.push(Refusal::WrongArch {
                    built: arch.clone(),
                    function: target.arch,
                });
            }
            let oldest = Glibc {
                major: 2,
                minor: target.arch.oldest_manylinux_minor(),
            };
            if needs > runtime.glibc {
                problems.push(Refusal::GlibcTooOld {
                    tag: legacy.map_or_else(
                        || format!("manylinux_{glibc_major}_{glibc_minor}"),
                        str::to_string,
                    ),
                    needs,
                    runtime: runtime.name.clone(),
                    os: runtime.os.clone(),
                    has: runtime.glibc,
                });
            } else if problems.is_empty() && needs < oldest {
                problems.push(Refusal::GlibcPredatesArch {
                    platform: platform(),
                    arch: target.arch,
                    oldest,
                });
            }
            if problems.is_empty() {
                Ok(PlatformFit::Manylinux {
                    index: platform_index(target, *glibc_minor, legacy.is_some()),
                    glibc_minor: *glibc_minor,
                })
            } else {
                Err(problems)
            }
        }
        Platform::Musllinux { .. } => Err(vec![Refusal::Musl {
            platform: platform(),
        }]),
        Platform::Linux { .. } => Err(vec![Refusal::NotPortable {
            platform: platform(),
        }]),
        Platform::MacOs => Err(vec![Refusal::MacOs {
            platform: platform(),
        }]),
        Platform::Windows => Err(vec![Refusal::Windows {
            platform: platform(),
        }]),
        Platform::Other => Err(vec![Refusal::OtherPlatform {
            platform: platform(),
        }]),
    }
}
