//! Requirements a marker left out where a layer was resolved: on another runtime the marker may
//! hold, and the layer would lack that package there (`exceptiongroup; python_version < "3.11"`
//! resolved on python3.12 is missing on python3.10).

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::candidates::ProjectInfo;
use super::provider::{Pkg, Provider};
use crate::lambda::Target;

/// A requirement left out because its marker does not hold on the target resolved for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarkerSkip {
    /// Who asks for it: `requested (requirements.txt:3)`, or `pytest 8.3.0`.
    pub by: String,
    /// The requirement with its marker (`exceptiongroup>=1; python_version < "3.11"`).
    pub requirement: String,
    /// The extras its marker is evaluated with (those asked for of `by`).
    pub extras: Vec<String>,
}

/// The marker skips of the package versions chosen in `solution`, in its order, each once.
pub(super) fn of_solution(
    provider: &Provider,
    solution: &pubgrub::SelectedDependencies<Pkg, super::provider::SolverVersion>,
    projects: &HashMap<String, Arc<ProjectInfo>>,
) -> Vec<MarkerSkip> {
    let mut out = Vec::new();
    let skips = provider.marker_skips.borrow();
    for (pkg, version) in solution.iter() {
        let version = &version.version;
        let Some((requirements, extras)) = skips.get(&(pkg.clone(), version.clone())) else {
            continue;
        };
        let by = match pkg {
            Pkg::Root => continue,
            Pkg::Project(n) => format!("{} {version}", projects[n].project.name),
            Pkg::Extra(n, e) => format!("{}[{e}] {version}", projects[n].project.name),
        };
        for requirement in requirements {
            let skip = MarkerSkip {
                by: by.clone(),
                requirement: requirement.clone(),
                extras: extras.clone(),
            };
            if !out.contains(&skip) {
                out.push(skip);
            }
        }
    }
    out
}

/// The first requirement a marker left out where `resolution` was resolved that holds on
/// `target` and names a project the resolution lacks: the layer would miss it there. In words,
/// or `None` when there is none.
pub fn missing_on(resolution: &super::Resolution, target: &Target) -> Option<String> {
    let env = super::target_environment(target);
    let have = |name: &str| {
        let name = crate::wheel::normalize_name(name);
        resolution
            .packages
            .iter()
            .any(|p| crate::wheel::normalize_name(&p.name) == name)
    };
    resolution.marker_skips.iter().find_map(|skip| {
        let req = super::pep508::parse_pep508(&skip.requirement).ok()?;
        let extras: Vec<pep508_rs::ExtraName> = skip
            .extras
            .iter()
            .filter_map(|e| e.parse().ok())
            .collect();
        (req.marker.evaluate(&env, &extras) && !have(req.name.as_ref())).then(|| {
            format!(
                "{} needs {} there, which is not in the layer (its marker does not hold on {}, where the layer was resolved)",
                crate::text::clean(&skip.by),
                crate::text::clean(&skip.requirement),
                resolution.target
            )
        })
    })
}
