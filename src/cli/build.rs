//! `wheelbarrow build`: the layer workspace resolves for the targets asked (one `python/` tree
//! for all of them, or one `site-packages` tree per runtime), plans, downloads, checks and writes
//! a byte-identical zip with its lock files and publish script, in one call; this reads the
//! arguments, says on stderr what the work finds, and prints what was built.

use std::process::ExitCode;

use wheelbarrow::layer::{BuildEvent, TargetsBuildError};

use super::BuildArgs;
use super::build_targets::Asked;
use super::paint::Paint;
use super::progress::Line;
use super::resolve::{Failure, answered, warn_deprecated, workspace_until};

pub fn run(args: &BuildArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    let table = super::runtime_table();
    // Every runtime on every architecture asked, in the order named; the engine makes one
    // resolution of them, or one per runtime.
    let targets = Asked::of(&args.target)?.targets(&table)?;
    let first = super::TargetArgs {
        runtime: Some(targets[0].runtime.name.clone()),
        arch: Some(targets[0].arch.lambda_name().to_string()),
    };
    super::block_on(async {
        // The signals are heard from here on: while the requirements are read, then the rest.
        let cancel = super::ctrl_c_token();
        let (workspace, mut spec) = workspace_until(&first, &args.reqs, &args.index, &cancel)?;
        super::build_options::apply(args, &workspace, &mut spec)?;
        let resolving = spec.for_targets(&targets);
        #[cfg(feature = "publish")]
        let after = {
            anyhow::ensure!(
                !args.publish || resolving.len() == 1,
                "--publish is not taken with several runtimes yet: build the zip, then `wheelbarrow publish {}` (it lists every runtime the zip serves)",
                args.output.display()
            );
            super::publish::before_build(args, workspace.table())?
        };
        for one in &resolving {
            warn_deprecated(&workspace, &one.target);
        }
        let failure = Failure {
            verbose: args.verbose,
            json: args.json,
        };
        let line = Line::new(None);
        let heard = |event: BuildEvent<'_>| {
            line.clear();
            match event {
                BuildEvent::Resolved(outcome) => answered(&outcome.result, failure),
                BuildEvent::Planned { resolution, plan } => {
                    super::build_print::planned(resolution, plan);
                }
            }
        };
        let built = workspace
            .build_targets(&spec, &targets, &args.output, &line.sink(), &cancel, heard)
            .await;
        line.clear();
        // Each failure as the engine typed it, so that main words it (and its hints) as ever.
        let (resolutions, exported) = match built {
            Ok(built) => built.written()?,
            Err(TargetsBuildError::Resolve(e)) => return Err(e.into()),
            Err(TargetsBuildError::Layer(e)) => return Err(e.into()),
        };
        #[cfg(feature = "publish")]
        let published = match &after {
            Some(after) => Some(
                after
                    .publish(&exported, &resolutions[0], workspace.table(), &cancel)
                    .await?,
            ),
            None => None,
        };
        #[cfg(not(feature = "publish"))]
        let published: Option<super::build_print::Published> = None;
        super::build_print::report(
            &resolutions,
            &exported,
            published.as_ref(),
            args.json,
            paint,
        )
    })
}
