//! One set on many targets: the workspace resolves a spec's picks for each runtime ×
//! architecture asked, a few at a time, every answer kept by the workspace (so switching to one
//! of those targets afterwards is instant) and every failure kept with its explanation.
//!
//! ```text
//!  LayerSpec ─┬─ python3.9 on x86_64 ──resolve()──▶ Resolution │ ResolveError
//!             ├─ python3.9 on arm64  ──resolve()──▶ …          │  (each as it finishes:
//!             ⋮    (TARGETS_AT_ONCE at a time)                 │   `each`, "n of m")
//!             └─ python3.14 on arm64 ──resolve()──▶ …
//! ```
//!
//! The resolutions share the index client: its on-disk cache, its connection pool, and one
//! request in flight per URL, so twelve targets asking for the same project page ask the index
//! once. The grid the front ends draw from the answers is [`super::TargetGrid`].

use std::sync::Arc;

use futures_util::StreamExt as _;
use tokio_util::sync::CancellationToken;

use super::{LayerSpec, Workspace};
use crate::lambda::{RuntimeTable, Target, TargetError};
use crate::resolve::{Resolution, ResolveError};
use crate::work::{Phase, Progress, Step};

/// How many targets are resolved at once: enough to keep the network busy while a solver
/// thinks, few enough that twelve solvers do not fight over a small machine's cores.
pub const TARGETS_AT_ONCE: usize = 4;

/// One target's answer.
#[derive(Debug)]
pub struct TargetOutcome {
    pub target: Target,
    pub result: Result<Arc<Resolution>, ResolveError>,
}

/// Every target of the runtime table: each runtime (oldest first) on each architecture it is
/// offered on (x86_64 first).
pub fn every_target(table: &RuntimeTable) -> Vec<Target> {
    let mut out = Vec::new();
    for runtime in &table.runtimes {
        let mut arches = runtime.architectures.clone();
        arches.sort_by_key(|a| *a != crate::lambda::Arch::X86_64);
        for arch in arches {
            out.push(Target {
                runtime: runtime.clone(),
                arch,
            });
        }
    }
    out
}

/// The targets `--runtime A,B` and `--arch X,Y` name (each may be absent: then every runtime,
/// or every architecture, the runtime is offered on). A runtime or architecture named that
/// Lambda does not have is refused; one a named runtime is not offered on is left out unless
/// it leaves nothing.
pub fn targets_named(
    table: &RuntimeTable,
    runtimes: &[String],
    arches: &[String],
) -> Result<Vec<Target>, TargetError> {
    let mut wanted_runtimes = Vec::new();
    for name in runtimes {
        let runtime = table.runtime(name)?;
        if !wanted_runtimes.contains(&runtime.name) {
            wanted_runtimes.push(runtime.name.clone());
        }
    }
    let mut wanted_arches = Vec::new();
    for name in arches {
        let arch: crate::lambda::Arch = name.parse()?;
        if !wanted_arches.contains(&arch) {
            wanted_arches.push(arch);
        }
    }
    let targets: Vec<Target> = every_target(table)
        .into_iter()
        .filter(|t| wanted_runtimes.is_empty() || wanted_runtimes.contains(&t.runtime.name))
        .filter(|t| wanted_arches.is_empty() || wanted_arches.contains(&t.arch))
        .collect();
    if targets.is_empty() {
        // Only possible when every named runtime lacks every named architecture.
        let runtime = wanted_runtimes.first().cloned().unwrap_or_default();
        return Err(TargetError::ArchNotOffered {
            runtime,
            arch: wanted_arches[0],
        });
    }
    Ok(targets)
}

impl Workspace {
    /// Resolves `spec`'s picks on each of `targets` (its own target is ignored), at most
    /// [`TARGETS_AT_ONCE`] at a time. Each answer is kept by the workspace and handed to
    /// `each` (with its place in `targets`) as soon as it is known; `progress` hears "n of m
    /// targets". Returns the answers in the order of `targets`; a cancel stops every
    /// resolution and returns [`ResolveError::Cancelled`].
    pub async fn resolve_targets(
        &self,
        spec: &LayerSpec,
        targets: &[Target],
        progress: &Progress,
        cancel: &CancellationToken,
        each: impl Fn(usize, &TargetOutcome),
    ) -> Result<Vec<TargetOutcome>, ResolveError> {
        let specs = targets
            .iter()
            .map(|target| {
                let mut one = spec.clone();
                one.target = target.clone();
                one
            })
            .collect();
        self.resolve_specs(specs, progress, cancel, each).await
    }

    /// The same for specs that differ in more than their target (each runtime of a build with
    /// the architectures it must also load on): answers in the order of `specs`, each named
    /// by its spec's target.
    pub(super) async fn resolve_specs(
        &self,
        specs: Vec<LayerSpec>,
        progress: &Progress,
        cancel: &CancellationToken,
        each: impl Fn(usize, &TargetOutcome),
    ) -> Result<Vec<TargetOutcome>, ResolveError> {
        let total = specs.len() as u64;
        // Each page parsed once for all the targets (while this call lasts).
        let workspace = self.sharing_pages();
        let workspace = &workspace;
        progress.report(&Step::new(Phase::ResolvingTargets, 0, Some(total)));
        let mut outcomes: Vec<Option<TargetOutcome>> = specs.iter().map(|_| None).collect();
        // Owned items: a future that borrows the stream's items would not be `Send`.
        let mut answers = futures_util::stream::iter(specs.into_iter().enumerate())
            .map(|(at, one)| async move {
                let result = workspace.resolve(&one, &Progress::none(), cancel).await;
                (at, one.target, result)
            })
            .buffer_unordered(TARGETS_AT_ONCE);
        let mut done = 0;
        while let Some((at, target, result)) = answers.next().await {
            if cancel.is_cancelled() || matches!(result, Err(ResolveError::Cancelled)) {
                return Err(ResolveError::Cancelled);
            }
            done += 1;
            let outcome = TargetOutcome { target, result };
            progress.report(
                &Step::new(Phase::ResolvingTargets, done, Some(total)).about(outcome.target.key()),
            );
            each(at, &outcome);
            outcomes[at] = Some(outcome);
        }
        Ok(outcomes.into_iter().flatten().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_is_each_runtime_on_each_of_its_architectures() {
        let table = RuntimeTable::builtin();
        let all = every_target(&table);
        let offered: usize = table.runtimes.iter().map(|r| r.architectures.len()).sum();
        assert_eq!(all.len(), offered);
        assert_eq!(all[0].runtime, table.runtimes[0]);
        assert_eq!(all[0].arch.lambda_name(), "x86_64");
    }

    #[test]
    fn named_runtimes_and_architectures_narrow_the_targets() {
        let table = RuntimeTable::builtin();
        let two = targets_named(&table, &["python3.12".into(), "3.11".into()], &[]).unwrap();
        let keys: Vec<String> = two.iter().map(Target::key).collect();
        assert_eq!(
            keys,
            [
                "python3.11/x86_64",
                "python3.11/arm64",
                "python3.12/x86_64",
                "python3.12/arm64"
            ]
        );
        let arm = targets_named(&table, &[], &["aarch64".into()]).unwrap();
        assert!(arm.iter().all(|t| t.arch.lambda_name() == "arm64"));
        assert_eq!(arm.len(), table.runtimes.len());
    }

    #[test]
    fn an_unknown_runtime_or_architecture_is_refused_in_words() {
        let table = RuntimeTable::builtin();
        let runtime = targets_named(&table, &["python2.7".into()], &[]).unwrap_err();
        assert!(runtime.to_string().contains("unknown runtime 'python2.7'"));
        let arch = targets_named(&table, &[], &["sparc".into()]).unwrap_err();
        assert!(arch.to_string().contains("unknown architecture 'sparc'"));
    }
}
