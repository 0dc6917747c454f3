//! A layer for the targets asked, in one call: the workspace resolves, then plans and writes the
//! layer, or says of each resolution why it could not.
//!
//! ```text
//!  LayerSpec + targets ──for_targets()──▶ one spec per resolution:
//!     python/ (or one runtime): ONE, whose wheels load on every target (`also_for`)
//!     site-packages, several runtimes: one per runtime (each read by its own Python)
//!        │
//!        ├─ resolve each (several: a few at a time) ──▶ TargetOutcome … (each as it answers)
//!        ├─ a resolution fails ──▶ Unresolved: every answer kept, nothing written
//!        └─ all resolved ──▶ plan (one tree) ▶ export │ export_several ──▶ Written
//! ```
//!
//! Writing is as [`Workspace::export`]: the zip goes to a temporary file renamed into place,
//! then the lock files and the publish script, so a failure or a cancel leaves nothing
//! half-written.

use std::path::Path;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use super::{Exported, LayerError, LayerPlan, LayerSpec, Layout, TargetOutcome, Workspace};
use crate::lambda::Target;
use crate::resolve::portable::anchor_first;
use crate::resolve::{Resolution, ResolveError};
use crate::work::Progress;

/// What [`Workspace::build_targets`] tells its caller while it works.
#[derive(Debug)]
pub enum BuildEvent<'a> {
    /// One resolution answered (several answer in the order they finish).
    Resolved(&'a TargetOutcome),
    /// The one tree is planned from the wheels' file lists, before any download. (Trees side
    /// by side, one per runtime, are laid out as they are written: no event.)
    Planned {
        resolution: &'a Resolution,
        plan: &'a LayerPlan,
    },
}

/// What [`Workspace::build_targets`] did.
#[derive(Debug)]
pub enum TargetsBuilt {
    /// Every resolution answered and the layer was written.
    Written {
        /// One per spec of [`LayerSpec::for_targets`], in its order.
        resolutions: Vec<Arc<Resolution>>,
        /// The zip, lock files and publish script, with the targets the layer serves.
        exported: Box<Exported>,
    },
    /// At least one resolution found no set of wheels: nothing was written. Every answer, in
    /// the order of [`LayerSpec::for_targets`], each failure with its explanation.
    Unresolved(Vec<TargetOutcome>),
}

impl TargetsBuilt {
    /// The resolutions and what was written; or the first failure in the order asked.
    ///
    /// # Panics
    /// Never: a build is unresolved only when a resolution failed.
    pub fn written(self) -> Result<(Vec<Arc<Resolution>>, Exported), ResolveError> {
        match self {
            TargetsBuilt::Written {
                resolutions,
                exported,
            } => Ok((resolutions, *exported)),
            TargetsBuilt::Unresolved(outcomes) => Err(outcomes
                .into_iter()
                .find_map(|o| o.result.err())
                .expect("an unresolved build has a failed resolution")),
        }
    }
}

/// Why [`Workspace::build_targets`] stopped with neither a layer nor an answer per resolution.
#[derive(Debug, thiserror::Error)]
pub enum TargetsBuildError {
    /// Resolving stopped: cancelled (each resolution's own failure is in
    /// [`TargetsBuilt::Unresolved`]).
    #[error(transparent)]
    Resolve(ResolveError),
    /// Planning or writing the layer failed, or was cancelled; nothing was written.
    #[error(transparent)]
    Layer(#[from] LayerError),
}

impl LayerSpec {
    /// The specs of the resolutions a layer for `targets` is made of (the spec's own target
    /// when `targets` is empty). A `python/` tree is read by every runtime, and a
    /// `site-packages` tree of one runtime on both architectures: one resolution whose wheels
    /// load on every target. A `site-packages` tree is read by its own Python only: with
    /// several runtimes, one resolution per runtime (in the order first named). Each
    /// resolution's target is the newest runtime on the first architecture named (pip's
    /// preference is taken there); the others are its `also_for`.
    pub fn for_targets(&self, targets: &[Target]) -> Vec<LayerSpec> {
        let mut groups: Vec<Vec<Target>> = Vec::new();
        let per_runtime = self.plan.layout == Layout::SitePackages;
        for t in targets {
            let group = groups
                .iter_mut()
                .find(|g| !per_runtime || g[0].runtime.name == t.runtime.name);
            match group {
                Some(group) => group.push(t.clone()),
                None => groups.push(vec![t.clone()]),
            }
        }
        if groups.is_empty() {
            groups.push(vec![self.target.clone()]);
        }
        groups
            .into_iter()
            .filter_map(|group| {
                let mut targets = anchor_first(group).into_iter();
                let mut one = self.clone();
                one.target = targets.next()?;
                one.resolve.also_for = targets.collect();
                Some(one)
            })
            .collect()
    }
}

impl Workspace {
    /// Resolves `spec`'s picks for `targets` (see [`LayerSpec::for_targets`]; several
    /// resolutions run a few at a time, sharing the index client), then plans and writes the
    /// layer to `out` with its lock files and publish script. A resolution that fails leaves
    /// nothing written and is answered as [`TargetsBuilt::Unresolved`], beside the others.
    /// `each` hears every resolution as it answers and the plan of one tree; `progress` hears
    /// the work (one resolution's projects and versions, or "n of m targets"; then reading,
    /// downloading, checking, writing). A cancel stops it all; nothing is written.
    pub async fn build_targets(
        &self,
        spec: &LayerSpec,
        targets: &[Target],
        out: &Path,
        progress: &Progress,
        cancel: &CancellationToken,
        each: impl Fn(BuildEvent<'_>),
    ) -> Result<TargetsBuilt, TargetsBuildError> {
        let specs = spec.for_targets(targets);
        let outcomes = match specs.as_slice() {
            [one] => {
                let result = self.resolve(one, progress, cancel).await;
                if let Err(ResolveError::Cancelled) = result {
                    return Err(TargetsBuildError::Resolve(ResolveError::Cancelled));
                }
                let outcome = TargetOutcome {
                    target: one.target.clone(),
                    result,
                };
                each(BuildEvent::Resolved(&outcome));
                vec![outcome]
            }
            several => self
                .resolve_specs(several.to_vec(), progress, cancel, |_, outcome| {
                    each(BuildEvent::Resolved(outcome));
                })
                .await
                .map_err(TargetsBuildError::Resolve)?,
        };
        if outcomes.iter().any(|o| o.result.is_err()) {
            return Ok(TargetsBuilt::Unresolved(outcomes));
        }
        let resolutions: Vec<Arc<Resolution>> =
            outcomes.into_iter().filter_map(|o| o.result.ok()).collect();
        let exported = match (specs.as_slice(), resolutions.as_slice()) {
            ([one], [resolution]) => {
                let plan = self.plan(one, resolution, progress, cancel).await?;
                each(BuildEvent::Planned {
                    resolution,
                    plan: &plan,
                });
                self.export(one, resolution, out, progress, cancel).await?
            }
            _ => {
                self.export_several(&specs, &resolutions, out, progress, cancel)
                    .await?
            }
        };
        Ok(TargetsBuilt::Written {
            resolutions,
            exported: Box::new(exported),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::RuntimeTable;

    fn targets(table: &RuntimeTable, keys: &[(&str, &str)]) -> Vec<Target> {
        keys.iter()
            .map(|(r, a)| table.target(Some(r), Some(a)).unwrap())
            .collect()
    }

    fn keys(spec: &LayerSpec) -> (String, Vec<String>) {
        (
            spec.target.key(),
            spec.resolve.also_for.iter().map(Target::key).collect(),
        )
    }

    #[test]
    fn a_python_tree_is_one_resolution_anchored_on_the_newest_runtime_on_the_first_arch() {
        let table = RuntimeTable::builtin();
        let mut spec = LayerSpec::new(table.default_target());
        spec.plan.layout = Layout::Python;
        let asked = targets(
            &table,
            &[
                ("python3.11", "arm64"),
                ("python3.12", "arm64"),
                ("python3.11", "x86_64"),
                ("python3.12", "x86_64"),
            ],
        );
        let specs: Vec<_> = spec.for_targets(&asked).iter().map(keys).collect();
        assert_eq!(
            specs,
            [(
                "python3.12/arm64".to_string(),
                vec![
                    "python3.11/arm64".to_string(),
                    "python3.11/x86_64".to_string(),
                    "python3.12/x86_64".to_string()
                ]
            )]
        );
    }

    #[test]
    fn site_packages_trees_are_one_resolution_per_runtime_in_the_order_named() {
        let table = RuntimeTable::builtin();
        let spec = LayerSpec::new(table.default_target());
        let asked = targets(
            &table,
            &[
                ("python3.12", "x86_64"),
                ("python3.12", "arm64"),
                ("python3.11", "x86_64"),
                ("python3.11", "arm64"),
            ],
        );
        let specs: Vec<_> = spec.for_targets(&asked).iter().map(keys).collect();
        assert_eq!(
            specs,
            [
                (
                    "python3.12/x86_64".to_string(),
                    vec!["python3.12/arm64".to_string()]
                ),
                (
                    "python3.11/x86_64".to_string(),
                    vec!["python3.11/arm64".to_string()]
                ),
            ]
        );
        let none = spec.for_targets(&[]);
        assert_eq!(none.len(), 1);
        assert_eq!(none[0].target, table.default_target());
        assert!(none[0].resolve.also_for.is_empty());
    }
}
