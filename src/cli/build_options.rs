//! `build`'s options as the layer spec's: the layout, trimming, additions, bytecode, the zip's
//! timestamp (`SOURCE_DATE_EPOCH`) and the reserve, each refused in words when wrong.

use wheelbarrow::layer::bytecode::{BytecodeOptions, Invalidation};
use wheelbarrow::layer::{LayerSpec, PlanOptions, Trim, Workspace};

use super::BuildArgs;

/// Sets what `args` ask of the layer on `spec`.
pub fn apply(args: &BuildArgs, workspace: &Workspace, spec: &mut LayerSpec) -> anyhow::Result<()> {
    spec.plan = plan_options(args)?;
    spec.resolve.exclude_runtime_provided = args.exclude_runtime_provided;
    spec.reserve = reserve(args, workspace)?;
    Ok(())
}

/// `--reserve-mb` in bytes, refused at or over Lambda's unzipped limit.
fn reserve(args: &BuildArgs, workspace: &Workspace) -> anyhow::Result<u64> {
    wheelbarrow::layer::reserve_from_mb(args.reserve_mb, &workspace.table().limits)
        .map_err(|e| anyhow::anyhow!("--reserve-mb {}: {e}", args.reserve_mb))
}

/// The layout, trimming, additions and timestamp from the arguments and `SOURCE_DATE_EPOCH`.
fn plan_options(args: &BuildArgs) -> anyhow::Result<PlanOptions> {
    let timestamp = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v.trim().parse().map_err(|_| {
            anyhow::anyhow!("SOURCE_DATE_EPOCH={v} is not a number of seconds since 1970")
        })?,
        _ => 0,
    };
    Ok(PlanOptions {
        layout: args.layout.into(),
        trim: Trim {
            pycache: !args.keep_pycache,
            tests: args.strip_tests,
        },
        additions: args
            .add
            .iter()
            .map(|a| a.parse())
            .collect::<Result<_, String>>()
            .map_err(anyhow::Error::msg)?,
        timestamp,
        bytecode: bytecode_options(args)?,
    })
}

/// `--compile` with its `--python` and `--invalidation-mode` (refused without it).
fn bytecode_options(args: &BuildArgs) -> anyhow::Result<Option<BytecodeOptions>> {
    if !args.compile {
        anyhow::ensure!(
            args.python.is_empty() && args.invalidation_mode.is_none(),
            "--python and --invalidation-mode choose how bytecode is compiled; add --compile to compile it"
        );
        return Ok(None);
    }
    let invalidation = match &args.invalidation_mode {
        Some(mode) => mode.parse().map_err(anyhow::Error::msg)?,
        None => Invalidation::default(),
    };
    Ok(Some(BytecodeOptions {
        invalidation,
        python: args.python.clone(),
        also_for: Vec::new(),
    }))
}
