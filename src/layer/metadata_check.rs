//! The metadata a resolution used against the wheel's own METADATA.
//!
//! The resolver reads a release's dependencies from the index's `.metadata` file (PEP 658)
//! when the index serves one, without downloading the wheel. That file is the index's word,
//! not the wheel's: one that leaves out a `Requires-Dist`, or describes another project, gives
//! a layer that lacks what the wheel needs while pip (which reads the wheel) would install it.
//! So once a wheel is downloaded, its METADATA must say what the resolution was told: the same
//! name, version, `Requires-Dist` and `Requires-Python`. Any difference refuses the build,
//! naming both sides; the two are never mixed.

use std::collections::BTreeSet;

use super::wheel_check::same_version;
use crate::index::CoreMetadata;
use crate::resolve::ResolvedPackage;
use crate::text::clean;
use crate::wheel::normalize_name;

/// Every way `used` (what the resolution was told) differs from `wheel` (the wheel's own
/// METADATA), in words; empty when they agree.
pub(super) fn differences(
    package: &str,
    version: &str,
    used: &CoreMetadata,
    wheel: &CoreMetadata,
) -> Vec<String> {
    let who = format!("the index's metadata for {package} {version}");
    let mut out = Vec::new();
    if normalize_name(&used.name) != normalize_name(&wheel.name) {
        out.push(format!(
            "{who} says Name: {}, the wheel's METADATA says Name: {}",
            clean(&used.name),
            clean(&wheel.name)
        ));
    }
    if !same_version(&used.version, &wheel.version) {
        out.push(format!(
            "{who} says Version: {}, the wheel's METADATA says Version: {}",
            clean(&used.version),
            clean(&wheel.version)
        ));
    }
    let used_deps: BTreeSet<String> = used.requires_dist.iter().map(|r| canonical(r)).collect();
    let wheel_deps: BTreeSet<String> = wheel.requires_dist.iter().map(|r| canonical(r)).collect();
    for missing in wheel_deps.difference(&used_deps) {
        out.push(format!(
            "{who} leaves out Requires-Dist: {} that the wheel declares",
            clean(missing)
        ));
    }
    for added in used_deps.difference(&wheel_deps) {
        out.push(format!(
            "{who} adds Requires-Dist: {} that the wheel does not declare",
            clean(added)
        ));
    }
    let rp = |m: &CoreMetadata| {
        m.requires_python
            .as_deref()
            .map(canonical)
            .filter(|s| !s.is_empty())
    };
    if rp(used) != rp(wheel) {
        let say =
            |v: Option<String>| v.map_or_else(|| "none".to_string(), |v| clean(&v).into_owned());
        out.push(format!(
            "{who} says Requires-Python: {}, the wheel's METADATA says {}",
            say(rp(used)),
            say(rp(wheel))
        ));
    }
    out
}

/// The build's check: `Err` with the differences when the wheel's METADATA is not what the
/// resolution of `package` used (a package resolved without metadata has nothing to compare).
pub(super) fn agrees(package: &ResolvedPackage, wheel: &CoreMetadata) -> Result<(), String> {
    let Some(used) = &package.metadata else {
        return Ok(());
    };
    let found = differences(&package.name, &package.version, used, wheel);
    if found.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}. The resolution was made from the index's metadata, the layer would hold the wheel: the index serves metadata that does not describe its wheel; report it to the index's operators, or use another index",
        found.join("; ")
    ))
}

/// A requirement as a comparable text: parsed and written back when it parses (so spacing and
/// quoting do not count), otherwise without whitespace.
fn canonical(text: &str) -> String {
    match crate::resolve::parse_pep508(text) {
        Ok(r) => r.to_string(),
        Err(_) => text.split_whitespace().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(name: &str, version: &str, deps: &[&str], rp: Option<&str>) -> CoreMetadata {
        CoreMetadata {
            name: name.into(),
            version: version.into(),
            requires_python: rp.map(String::from),
            requires_dist: deps.iter().map(|d| (*d).to_string()).collect(),
            ..CoreMetadata::default()
        }
    }

    #[test]
    fn the_same_metadata_written_differently_agrees() {
        let used = meta(
            "Liar_Pkg",
            "1.0",
            &["goodpkg >= 1.0 ; extra == 'x'"],
            Some(">=3.8"),
        );
        let wheel = meta(
            "liar-pkg",
            "1.0.0",
            &["goodpkg>=1.0; extra == \"x\""],
            Some(" >=3.8"),
        );
        assert_eq!(
            differences("liar-pkg", "1.0", &used, &wheel),
            Vec::<String>::new()
        );
    }

    #[test]
    fn every_difference_is_named_with_both_sides() {
        let used = meta("other", "2.0", &["extra-dep"], None);
        let wheel = meta("liarpkg", "1.0", &["goodpkg"], Some(">=3.9"));
        let found = differences("liarpkg", "1.0", &used, &wheel).join("\n");
        for expected in [
            "the index's metadata for liarpkg 1.0 says Name: other, the wheel's METADATA says Name: liarpkg",
            "says Version: 2.0, the wheel's METADATA says Version: 1.0",
            "leaves out Requires-Dist: goodpkg that the wheel declares",
            "adds Requires-Dist: extra-dep that the wheel does not declare",
            "says Requires-Python: none, the wheel's METADATA says >=3.9",
        ] {
            assert!(found.contains(expected), "{expected}\n{found}");
        }
    }
}
