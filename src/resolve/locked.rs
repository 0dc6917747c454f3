//! Requirements read from a lock file, in the resolver: each locked project is chosen at its
//! locked version only, and a locked version without a wheel that loads is refused with the
//! file closest to loading and the nearest version that loads.

use std::collections::HashMap;
use std::str::FromStr;

use pep440_rs::Version;
use pep508_rs::VersionOrUrl;

use super::candidates::ProjectInfo;
use super::error::LockedRefusal;
use super::hashes::HashProblem;
use super::lock::Locked;
use super::requirements::Requested;
use crate::index::FileKind;
use crate::lambda::Target;
use crate::wheel::{file_verdict, normalize_name, release_verdicts};

/// The versions a lock holds for one project, and where.
#[derive(Debug, Clone)]
pub struct LockPin {
    pub versions: Vec<Version>,
    pub origin: String,
    /// The lock's sha256 digests for the project.
    pub hashes: Vec<String>,
}

/// Project -> its lock pin, from the requirements read from lock files.
pub fn pins(requested: &[Requested]) -> HashMap<String, LockPin> {
    let mut out: HashMap<String, LockPin> = HashMap::new();
    for r in requested.iter().filter(|r| r.locked.is_some()) {
        let Some(VersionOrUrl::VersionSpecifier(s)) = &r.requirement.version_or_url else {
            continue;
        };
        let Some(version) = s.iter().next().map(|s| s.version().clone()) else {
            continue;
        };
        let pin = out.entry(r.project()).or_insert_with(|| LockPin {
            versions: Vec::new(),
            origin: r.origin.clone(),
            hashes: Vec::new(),
        });
        if !pin.versions.contains(&version) {
            pin.versions.push(version);
        }
        for h in &r.hashes {
            if !pin.hashes.contains(h) {
                pin.hashes.push(h.clone());
            }
        }
    }
    out
}

/// Whether a requirement is the root of the resolution (a lock's pin is not).
pub fn is_root(r: &Requested) -> bool {
    r.locked != Some(Locked::Pin)
}

/// Why no locked version of a project loads on `target`.
pub fn refusal(info: &ProjectInfo, pin: &LockPin, target: &Target) -> LockedRefusal {
    // The locked release's wheels the lock vouches for, closest to loading first.
    let closest = pin.versions.iter().find_map(|v| {
        release_verdicts(&*info.project, &v.to_string(), target)
            .files
            .into_iter()
            .filter(|f| f.file.kind == FileKind::Wheel)
            .find(|f| super::hashes::accepts(&pin.hashes, f.file.sha256.as_deref()))
            .map(|f| (f.file.filename.clone(), Box::new(f.verdict)))
    });
    let nearest = nearest_loading(info, &pin.versions, target);
    let nearest_hashes = nearest
        .as_deref()
        .and_then(|n| Version::from_str(n).ok())
        .map(|n| {
            info.project
                .files
                .iter()
                .filter(|f| {
                    f.version
                        .as_deref()
                        .and_then(|x| Version::from_str(x).ok())
                        .is_some_and(|x| x == n)
                })
                .filter_map(|f| f.sha256.clone())
                .collect()
        })
        .unwrap_or_default();
    LockedRefusal {
        project: info.project.name.clone(),
        version: pin
            .versions
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" / "),
        origin: pin.origin.clone(),
        target: target.clone(),
        closest,
        nearest,
        nearest_hashes,
    }
}

/// The version nearest the locked ones with a wheel that loads (not yanked): the newest below
/// the newest locked version, else the oldest above it.
fn nearest_loading(info: &ProjectInfo, locked: &[Version], target: &Target) -> Option<String> {
    let loads = |v: &Version| {
        info.project.files.iter().any(|f| {
            f.yanked.is_none()
                && f.version
                    .as_deref()
                    .and_then(|x| Version::from_str(x).ok())
                    .is_some_and(|x| &x == v)
                && file_verdict(f, target).compatible
        })
    };
    let locked = locked.iter().max()?;
    let final_or = |v: &&Version| !v.any_prerelease() || locked.any_prerelease();
    info.versions
        .iter()
        .rev()
        .filter(|v| *v < locked)
        .filter(final_or)
        .find(|v| loads(v))
        .or_else(|| {
            info.versions
                .iter()
                .filter(|v| *v > locked)
                .filter(final_or)
                .find(|v| loads(v))
        })
        .map(ToString::to_string)
}

/// In a resolution from a lock, the packages it reached that the lock does not list.
pub fn not_in_lock(
    resolution: &super::Resolution,
    pins: &HashMap<String, LockPin>,
    requested: &[Requested],
) -> Option<HashProblem> {
    let lock = requested.iter().find(|r| r.locked.is_some()).map(|r| {
        r.origin
            .rsplit_once(':')
            .map_or(r.origin.clone(), |(f, _)| f.to_string())
    })?;
    let named: Vec<String> = requested.iter().map(Requested::project).collect();
    let lines: Vec<String> = resolution
        .packages
        .iter()
        .filter(|p| {
            let key = normalize_name(&p.name);
            !pins.contains_key(&key) && !named.contains(&key)
        })
        .map(|p| {
            format!(
                "{} {} (needed by {})",
                p.name,
                p.version,
                p.required_by.join("; ")
            )
        })
        .collect();
    (!lines.is_empty()).then_some(HashProblem::NotInLock { lock, lines })
}
