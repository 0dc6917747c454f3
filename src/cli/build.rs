//! `wheelbarrow build`: the layer workspace resolves, plans, downloads, checks and writes a
//! byte-identical zip with its lock file and publish script; this prints what it did.

use super::out::say;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::process::ExitCode;

use serde_json::json;
use wheelbarrow::layer::bytecode::{BytecodeOptions, Invalidation};
use wheelbarrow::layer::{Exported, PlanOptions, Trim};
use wheelbarrow::units::human_bytes;

use super::BuildArgs;
use super::build_targets::{Asked, portable_text};
use super::paint::Paint;
use super::progress::Line;
use super::resolve::{Failure, resolve_with_progress, workspace_until};
use super::tree::tree_preview;

pub fn run(args: &BuildArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    let asked = Asked::of(&args.target)?;
    // A site-packages tree is read by one runtime: several runtimes get a tree each.
    if asked.runtimes.len() > 1 && args.layout == super::LayoutArg::SitePackages {
        return run_several(args, paint, &asked);
    }
    // One runtime, or a python/ tree every runtime reads: one resolution whose wheels load on
    // every target asked for (pip's own preference when there is one target).
    let table = super::runtime_table();
    let mut targets = asked.targets(&table)?.into_iter();
    let anchor = targets.next().expect("a target is always asked for");
    let target = super::TargetArgs {
        runtime: Some(anchor.runtime.name.clone()),
        arch: Some(anchor.arch.lambda_name().to_string()),
    };
    super::block_on(async {
        // The signals are heard from here on: while the requirements are read, then the rest.
        let cancel = super::ctrl_c_token();
        let (workspace, mut spec) = workspace_until(&target, &args.reqs, &args.index, &cancel)?;
        spec.plan = plan_options(args)?;
        spec.resolve.exclude_runtime_provided = args.exclude_runtime_provided;
        spec.resolve.also_for = targets.collect();
        spec.reserve = reserve(args, &workspace)?;
        #[cfg(feature = "publish")]
        let after = super::publish::before_build(args, workspace.table())?;
        let failure = Failure {
            verbose: args.verbose,
            json: args.json,
        };
        let resolution = resolve_with_progress(&workspace, &spec, &cancel, failure).await?;
        let line = Line::new(None);
        let planned = workspace
            .plan(&spec, &resolution, &line.sink(), &cancel)
            .await;
        line.clear();
        let planned = planned?;
        if std::io::stderr().is_terminal() {
            say!(
                "Planned: {} files, {} unzipped, about {} zipped; downloading {}.",
                planned.files.len(),
                human_bytes(planned.unzipped()),
                human_bytes(planned.zipped()),
                super::resolve::sizes_total(resolution.included().map(|p| p.size))
            );
            if let Some(cost) = &planned.bytecode {
                say!("{}", super::bytecode::planned_text(cost));
            }
        }
        let exported = workspace
            .export(&spec, &resolution, &args.output, &line.sink(), &cancel)
            .await;
        line.clear();
        let exported = exported?;
        #[cfg(feature = "publish")]
        let published = match &after {
            Some(after) => Some(
                after
                    .publish(&exported, &resolution, workspace.table(), &cancel)
                    .await?,
            ),
            None => None,
        };
        #[cfg(not(feature = "publish"))]
        let published: Option<std::convert::Infallible> = None;
        if args.json {
            let mut value = exported_json(&exported, &spec);
            value["runtime"] = json!(spec.target.runtime.name);
            value["deprecated"] = json!(resolution.deprecated);
            if let Some(portable) = &resolution.portable {
                value["portable"] = json!(portable);
            }
            if let Some(published) = &published {
                value["published"] = published_json(published);
            }
            super::out::println(&serde_json::to_string_pretty(&value)?)?;
        } else {
            let portable = resolution
                .portable
                .as_ref()
                .map_or_else(String::new, |p| portable_text(p, &exported.served, paint));
            let text = format!(
                "{portable}{}{}",
                summary(&exported, paint),
                left_out_line(&resolution, paint)
            );
            super::out::print(&paint.screen(&text))?;
            if let Some(published) = &published {
                super::out::print(&format!(
                    "\n{}",
                    paint.screen(&published_text(published, paint))
                ))?;
            }
        }
        Ok(if exported.budget.fits {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

/// `--runtime python3.11,python3.12`: each runtime resolved on its own, its site-packages side
/// by side in one zip; with several `--arch`, each runtime's wheels load on every one of them.
fn run_several(args: &BuildArgs, paint: Paint, asked: &Asked) -> anyhow::Result<ExitCode> {
    let names: Vec<String> = asked.runtimes.iter().flatten().cloned().collect();
    #[cfg(feature = "publish")]
    anyhow::ensure!(
        !args.publish,
        "--publish is not taken with several runtimes yet: build the zip, then `wheelbarrow publish {}` (it lists every runtime the zip serves)",
        args.output.display()
    );
    let first = super::TargetArgs {
        runtime: names.first().cloned(),
        arch: asked.archs.first().cloned().flatten(),
    };
    super::block_on(async {
        // The signals are heard from here on: while the requirements are read, then the rest.
        let cancel = super::ctrl_c_token();
        let (workspace, mut spec) = workspace_until(&first, &args.reqs, &args.index, &cancel)?;
        spec.plan = plan_options(args)?;
        spec.resolve.exclude_runtime_provided = args.exclude_runtime_provided;
        spec.reserve = reserve(args, &workspace)?;
        let mut specs = Vec::new();
        for name in &names {
            let mut one = spec.clone();
            let mut targets = asked
                .targets_of(workspace.table(), &[Some(name.clone())])?
                .into_iter();
            one.target = targets.next().expect("a target is always asked for");
            one.resolve.also_for = targets.collect();
            specs.push(one);
        }
        let failure = Failure {
            verbose: args.verbose,
            json: args.json,
        };
        let mut resolutions = Vec::new();
        for one in &specs {
            resolutions.push(resolve_with_progress(&workspace, one, &cancel, failure).await?);
        }
        let line = Line::new(None);
        let exported = workspace
            .export_several(&specs, &resolutions, &args.output, &line.sink(), &cancel)
            .await;
        line.clear();
        let exported = exported?;
        if args.json {
            let mut value = exported_json(&exported, &spec);
            value["runtimes"] = json!(names);
            value["deprecated"] = json!(
                resolutions
                    .iter()
                    .filter_map(|r| r.deprecated.as_ref())
                    .collect::<Vec<_>>()
            );
            super::out::println(&serde_json::to_string_pretty(&value)?)?;
        } else {
            let mut text = format!(
                "One zip for {}, each in its own site-packages.\n",
                names.join(" and ")
            );
            text.push_str(&summary(&exported, paint));
            for r in &resolutions {
                text.push_str(&left_out_line(r, paint));
            }
            super::out::print(&paint.screen(&text))?;
        }
        Ok(if exported.budget.fits {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

/// `--reserve-mb` in bytes, refused at or over Lambda's unzipped limit.
fn reserve(args: &BuildArgs, workspace: &wheelbarrow::layer::Workspace) -> anyhow::Result<u64> {
    wheelbarrow::layer::reserve_from_mb(args.reserve_mb, &workspace.table().limits)
        .map_err(|e| anyhow::anyhow!("--reserve-mb {}: {e}", args.reserve_mb))
}

#[cfg(feature = "publish")]
use super::publish::{as_json as published_json, summary as published_text};

// Without the feature nothing is ever published, so these are never called.
#[cfg(not(feature = "publish"))]
fn published_json(never: &std::convert::Infallible) -> serde_json::Value {
    match *never {}
}

#[cfg(not(feature = "publish"))]
fn published_text(never: &std::convert::Infallible, _: Paint) -> String {
    match *never {}
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

/// The packages left out because the runtime has them, as one line (empty when none).
fn left_out_line(resolution: &wheelbarrow::resolve::Resolution, paint: Paint) -> String {
    let left_out: Vec<String> = resolution
        .packages
        .iter()
        .filter(|p| p.excluded)
        .map(|p| wheelbarrow::text::clean(&format!("{} {}", p.name, p.version)).into_owned())
        .collect();
    if left_out.is_empty() {
        return String::new();
    }
    format!(
        "{}\n",
        paint.muted(format_args!(
            "Left out because the runtime already has them: {}.",
            left_out.join(", ")
        ))
    )
}

fn summary(exported: &Exported, paint: Paint) -> String {
    let mut out = String::new();
    let built = &exported.built;
    let budget = &exported.budget;
    let plan = &built.plan;
    let _ = writeln!(
        out,
        "{}",
        paint.strong(format_args!(
            "Built {}: {} packages, {} files, {} unzipped, {} zipped",
            built.zip.display(),
            plan.packages.len(),
            built.files,
            human_bytes(built.unzipped),
            human_bytes(built.zipped)
        ))
    );
    let _ = writeln!(
        out,
        "{}",
        paint.muted(format_args!("sha256 {}", built.sha256))
    );
    let _ = writeln!(
        out,
        "The layer {} (what the publish command lists).",
        exported.served.summary()
    );
    if plan.layout == wheelbarrow::layer::Layout::Python
        && let Some((path, minor)) = built.scripts.first()
    {
        let _ = writeln!(
            out,
            "{}",
            paint.warning(format_args!(
                "⚠ {}{} {} with #!/var/lang/bin/python3.{minor}: only python3.{minor} has that Python, so the layer is listed for python3.{minor} only; the site-packages layout, or one build per runtime, serves the others",
                wheelbarrow::text::clean(path),
                match built.scripts.len() {
                    1 => String::new(),
                    n => format!(" and {} other script{}", n - 1, if n == 2 { "" } else { "s" }),
                },
                if built.scripts.len() == 1 { "starts" } else { "start" }
            ))
        );
    }
    if let Some(cost) = &plan.bytecode {
        out.push_str(&super::bytecode::built_text(cost, paint));
    }
    let _ = writeln!(out, "\n/opt ({}):", plan.target);
    out.push_str(&tree_preview(plan));
    out.push('\n');
    for note in &budget.notes {
        let note = super::hints::budget_note(note);
        let painted = if budget.fits && budget.fits_direct_upload {
            paint.muted(&note)
        } else {
            paint.warning(&note)
        };
        let _ = writeln!(out, "{painted}");
    }
    for w in &plan.warnings {
        let _ = writeln!(out, "{}", paint.warning(w));
    }
    let _ = writeln!(
        out,
        "\nLock file (pip installs the same wheels from it): {}",
        exported.lock_path.display()
    );
    let _ = writeln!(
        out,
        "PEP 751 lock (uv pip install -r, or any PEP 751 installer): {}",
        exported.pylock_path.display()
    );
    let _ = writeln!(
        out,
        "Publish (also in {}):\n{}",
        exported.publish_path.display(),
        exported.publish_command
    );
    out
}

/// What `--json` says of an exported layer, one runtime or several (the caller adds `runtime`
/// or `runtimes`).
fn exported_json(exported: &Exported, spec: &wheelbarrow::layer::LayerSpec) -> serde_json::Value {
    let built = &exported.built;
    json!({
        "zip": built.zip,
        "sha256": built.sha256,
        "zipped": built.zipped,
        "unzipped": built.unzipped,
        "files": built.files,
        "arch": spec.target.arch,
        "layout": spec.plan.layout,
        "packages": built.plan.packages,
        "budget": exported.budget,
        "warnings": built.plan.warnings,
        "bytecode": built.plan.bytecode,
        "lock_file": exported.lock_path,
        "pylock_file": exported.pylock_path,
        "publish_command": exported.publish_command,
        "served": exported.served,
        "served_summary": exported.served.summary(),
    })
}
