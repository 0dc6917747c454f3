//! The layer's requests: resolve, plan, export, and the matrix's resolutions on several
//! targets, each one engine call with its steps reported as messages.

use std::path::PathBuf;
use std::sync::Arc;

use wheelbarrow::Target;
use wheelbarrow::layer::{Answer, Column, Exported, LayerSpec, TargetOutcome};
use wheelbarrow::resolve::Resolution;
use wheelbarrow::work::{Progress, Step};

use super::super::failure::{Broken, Failure};
use super::super::msg::{ExportSummary, Msg};
use super::{Job, Runner, Slot};

impl Runner {
    /// `Workspace::resolve`, its steps reported for the status line; a failure carries what
    /// it offers instead and why nothing fits.
    pub(super) fn resolve(&mut self, generation: u64, spec: LayerSpec) {
        let (workspace, progress) = (self.workspace.clone(), self.layer_progress(generation));
        self.jobs.spawn(
            Job::new(Slot::Layer, "resolving"),
            move |cancel| async move {
                let result = workspace.resolve(&spec, &progress, &cancel).await;
                let result = result.map_err(|e| Failure::resolve(&e));
                Msg::Resolved { generation, result }
            },
            move |e| Msg::Resolved {
                generation,
                result: Err(e),
            },
        );
    }

    /// `Workspace::resolve_targets`: each target's column sent as it answers.
    pub(super) fn resolve_targets(
        &mut self,
        generation: u64,
        spec: LayerSpec,
        targets: Vec<Target>,
    ) {
        let (workspace, tx) = (self.workspace.clone(), self.jobs.sender().clone());
        self.jobs.spawn(
            Job::new(Slot::Targets, "resolving on each target"),
            move |cancel| async move {
                let each = |at: usize, outcome: &TargetOutcome| {
                    let column = match &outcome.result {
                        Ok(r) => Column::Resolved(Answer::of(r)),
                        Err(e) => Column::Failed(wheelbarrow::layer::Failure::of(e)),
                    };
                    let _ = tx.send(Msg::TargetAnswered {
                        generation,
                        at,
                        column,
                    });
                };
                let result = workspace
                    .resolve_targets(&spec, &targets, &Progress::none(), &cancel, each)
                    .await
                    .map(|_| ())
                    .map_err(|e| Failure::of(&e));
                Msg::TargetsFinished { generation, result }
            },
            move |e| Msg::TargetsFinished {
                generation,
                result: Err(e),
            },
        );
    }

    /// `Workspace::plan` then `Workspace::budget`; a failure names the addition of the
    /// user's own that cannot go into a layer any more, when one is why.
    pub(super) fn plan(&mut self, generation: u64, spec: LayerSpec, resolution: Arc<Resolution>) {
        let (workspace, progress) = (self.workspace.clone(), self.layer_progress(generation));
        self.jobs.spawn(
            Job::new(Slot::Layer, "planning the layer"),
            move |cancel| async move {
                let result = match workspace.plan(&spec, &resolution, &progress, &cancel).await {
                    Ok(plan) => {
                        let budget = workspace.budget(&spec, &plan);
                        Ok((plan, budget))
                    }
                    Err(e) => {
                        let additions = spec.plan.additions.clone();
                        let broken = super::super::additions::broken(additions).await;
                        Err(Failure {
                            broken: broken.map(|(dest, why)| Broken { dest, why }),
                            ..Failure::of(&e)
                        })
                    }
                };
                Msg::Planned { generation, result }
            },
            move |e| Msg::Planned {
                generation,
                result: Err(e),
            },
        );
    }

    /// `Workspace::export`. Unlike the other requests it answers after a cancel too, so the
    /// dialog leaves its progress bar ("cancelled; nothing was written").
    pub(super) fn export(
        &mut self,
        generation: u64,
        spec: LayerSpec,
        resolution: Arc<Resolution>,
        path: PathBuf,
    ) {
        let workspace = self.workspace.clone();
        let progress_tx = self.jobs.sender().clone();
        let progress = Progress::new(move |step: &Step| {
            let _ = progress_tx.send(Msg::ExportProgress {
                generation,
                step: step.clone(),
            });
        });
        self.jobs.spawn(
            Job::new(Slot::Export, "exporting").answering_cancel(),
            move |cancel| async move {
                let result = workspace
                    .export(&spec, &resolution, &path, &progress, &cancel)
                    .await
                    .map(|e| summary(&e, &resolution, &workspace.table().limits))
                    .map_err(|e| Failure::of(&e));
                Msg::Exported { generation, result }
            },
            move |e| Msg::Exported {
                generation,
                result: Err(e),
            },
        );
    }

    /// Steps of the resolution or plan of `generation`, for the status line.
    fn layer_progress(&self, generation: u64) -> Progress {
        let tx = self.jobs.sender().clone();
        Progress::new(move |step: &Step| {
            let _ = tx.send(Msg::LayerProgress {
                generation,
                step: step.clone(),
            });
        })
    }
}

/// What the export dialog's summary shows.
fn summary(
    exported: &Exported,
    resolution: &Resolution,
    limits: &wheelbarrow::Limits,
) -> ExportSummary {
    ExportSummary {
        zip: exported.built.zip.clone(),
        sha256: exported.built.sha256.clone(),
        unzipped: exported.built.unzipped,
        zipped: exported.built.zipped,
        lock: exported.lock_path.clone(),
        publish_script: exported.publish_path.clone(),
        publish_command: exported.publish_command.clone(),
        served: exported.served.summary(),
        runtimes: exported.served.runtimes.clone(),
        architectures: exported.served.architectures.clone(),
        description: wheelbarrow::layer::layer_description(resolution, limits),
        fits: exported.budget.fits,
        bytecode: exported.built.plan.bytecode.clone().map(Box::new),
    }
}
