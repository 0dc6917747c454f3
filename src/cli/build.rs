//! `wheelbarrow build`: resolve, plan the /opt tree within the budget, download, check, and
//! write a byte-identical layer zip with its lock file and publish command beside it.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use serde_json::json;
use tokio_util::sync::CancellationToken;
use wheelbarrow::RuntimeTable;
use wheelbarrow::index::IndexClient;
use wheelbarrow::layer::{self, BuildEvent, Built, PlanOptions, Trim};
use wheelbarrow::resolve::{ResolveOptions, resolve};
use wheelbarrow::units::human_bytes;

use super::BuildArgs;
use super::paint::Paint;
use super::resolve::{clear_progress, gather, resolve_progress};

pub fn run(args: &BuildArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    let table = RuntimeTable::builtin();
    let target = args.target.resolve(&table)?;
    let requested = gather(&args.reqs)?;
    let client = IndexClient::new(args.index.settings()?)?;
    let options = plan_options(args)?;
    super::block_on(async {
        let cancel = CancellationToken::new();
        let progress = resolve_progress(&cancel);
        let resolve_options = ResolveOptions {
            exclude_runtime_provided: args.exclude_runtime_provided,
        };
        let resolution = resolve(
            &client,
            requested,
            &target,
            &resolve_options,
            progress,
            cancel.clone(),
        )
        .await;
        clear_progress();
        let resolution = resolution?;
        super::resolve::remember_requested(&resolution);
        let planned = layer::plan(&client, &resolution, &target, &options).await?;
        let reserve = args.reserve_mb * 1024 * 1024;
        if std::io::stderr().is_terminal() {
            eprintln!(
                "Planned: {} files, {} unzipped, about {} zipped; downloading {}.",
                planned.files.len(),
                human_bytes(planned.unzipped()),
                human_bytes(planned.zipped()),
                human_bytes(resolution.included().filter_map(|p| p.size).sum())
            );
        }
        let built = layer::build(
            &client,
            &resolution,
            &target,
            &options,
            &args.output,
            build_progress(),
            cancel,
        )
        .await;
        clear_progress();
        let built = built?;
        let budget = layer::budget(&built.plan, &table.limits, reserve);
        let lock_path = beside(&args.output, "requirements.txt");
        let publish_path = beside(&args.output, "publish.sh");
        let lock = layer::lock_file(&resolution, &args.layout);
        let publish = layer::publish_command(
            &args.output,
            built.zipped,
            &resolution.runtime,
            &resolution.arch,
            &table.limits,
        );
        wheelbarrow::index::write_atomically(&lock_path, lock.as_bytes())?;
        wheelbarrow::index::write_atomically(
            &publish_path,
            format!("#!/bin/sh\nset -e\n{publish}").as_bytes(),
        )?;
        if args.json {
            let value = json!({
                "zip": built.zip,
                "sha256": built.sha256,
                "zipped": built.zipped,
                "unzipped": built.unzipped,
                "files": built.files,
                "runtime": resolution.runtime,
                "arch": resolution.arch,
                "layout": args.layout,
                "packages": built.plan.packages,
                "budget": budget,
                "warnings": built.plan.warnings,
                "lock_file": lock_path,
                "publish_command": publish,
            });
            println!("{}", serde_json::to_string_pretty(&value)?);
        } else {
            let text = summary(&built, &budget, &lock_path, &publish_path, &publish, paint);
            print!("{text}{}", left_out_line(&resolution, paint));
        }
        Ok(if budget.fits {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

/// The top of the /opt tree: top-level folders, the site folder, and its biggest entries.
pub fn tree_preview(plan: &layer::LayerPlan) -> String {
    let mut out = String::new();
    let site = format!("{}/", plan.layout.site_dir(plan.python_minor));
    let site_depth = site.matches('/').count();
    let rows = plan.tree(site_depth + 1);
    let mut line = |path: &str, size: u64, files: usize, indent: usize| {
        let _ = writeln!(
            out,
            "  {:>10}  {:>6} files  {}{path}",
            human_bytes(size),
            files,
            "  ".repeat(indent)
        );
    };
    for (path, size, files) in rows
        .iter()
        .filter(|(p, _, _)| p.matches('/').count() == 1 && p.ends_with('/'))
    {
        line(path, *size, *files, 0);
    }
    if let Some((_, size, files)) = rows.iter().find(|(p, _, _)| *p == site) {
        if site_depth > 1 {
            line(&site, *size, *files, 0);
        }
        let mut children: Vec<_> = rows
            .iter()
            .filter(|(p, _, _)| {
                p.starts_with(&site)
                    && p.len() > site.len()
                    && p[site.len()..].trim_end_matches('/').matches('/').count() == 0
            })
            .collect();
        children.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for (path, size, files) in children.iter().take(12) {
            line(&path[site.len()..], *size, *files, 1);
        }
        if children.len() > 12 {
            let rest: u64 = children[12..].iter().map(|c| c.1).sum();
            let _ = writeln!(
                out,
                "  {:>10}                  … {} more",
                human_bytes(rest),
                children.len() - 12
            );
        }
    }
    out
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
        layout: args.layout.parse().map_err(anyhow::Error::msg)?,
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
    })
}

/// `out.zip` + `requirements.txt` -> `out.requirements.txt`.
fn beside(zip: &Path, suffix: &str) -> PathBuf {
    let stem = zip
        .file_stem()
        .map_or_else(|| "layer".into(), |s| s.to_string_lossy().into_owned());
    zip.with_file_name(format!("{stem}.{suffix}"))
}

fn build_progress() -> Arc<dyn Fn(BuildEvent) + Send + Sync> {
    let enabled = std::io::stderr().is_terminal();
    let last = Mutex::new(std::time::Instant::now());
    Arc::new(move |event| {
        if !enabled {
            return;
        }
        if let Ok(mut t) = last.lock() {
            if t.elapsed() < std::time::Duration::from_millis(80) {
                return;
            }
            *t = std::time::Instant::now();
        }
        let line = match event {
            BuildEvent::Downloading { done, total } => {
                format!(
                    "Downloading wheels: {} of {}",
                    human_bytes(done),
                    human_bytes(total)
                )
            }
            BuildEvent::Checking { done, total } => format!("Checking wheels: {done} of {total}"),
            BuildEvent::Writing { done, total } => {
                format!("Writing the zip: {done} of {total} files")
            }
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
    })
}

/// The packages left out because the runtime has them, as one line (empty when none).
fn left_out_line(resolution: &wheelbarrow::resolve::Resolution, paint: Paint) -> String {
    let left_out: Vec<String> = resolution
        .packages
        .iter()
        .filter(|p| p.excluded)
        .map(|p| format!("{} {}", p.name, p.version))
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

fn summary(
    built: &Built,
    budget: &layer::Budget,
    lock: &Path,
    publish_path: &Path,
    publish: &str,
    paint: Paint,
) -> String {
    let mut out = String::new();
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
    let _ = writeln!(out, "\n/opt ({} on {}):", plan.runtime, plan.arch);
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
        lock.display()
    );
    let _ = writeln!(
        out,
        "Publish (also in {}):\n{publish}",
        publish_path.display()
    );
    out
}
