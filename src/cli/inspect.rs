//! `wheelbarrow inspect LAYER.zip`: the /opt tree, sizes against the limits, and every native
//! extension checked for the target, on layers built by any tool.

use std::fmt::Write as _;
use std::process::ExitCode;

use wheelbarrow::layer::inspect::{Inspection, inspect_with};
use wheelbarrow::text::clean;
use wheelbarrow::units::human_bytes;

use super::InspectArgs;
use super::paint::Paint;
use super::progress::Line;

pub fn run(args: &InspectArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    let table = super::runtime_table();
    let target = if args.target.runtime.is_some() || args.target.arch.is_some() {
        Some(args.target.resolve(&table)?)
    } else {
        None
    };
    let report = inspect_hearing_signals(&args.layer, target, table)?;
    if args.json {
        super::out::println(&serde_json::to_string_pretty(&report)?)?;
    } else {
        super::out::print(&paint.screen(&render(&report, paint)))?;
    }
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The inspection on a worker thread, with progress on stderr; Ctrl-C or SIGTERM stops it
/// between two members (well within a second).
fn inspect_hearing_signals(
    path: &std::path::Path,
    target: Option<wheelbarrow::Target>,
    table: wheelbarrow::RuntimeTable,
) -> anyhow::Result<Inspection> {
    let path = path.to_path_buf();
    super::block_on(async move {
        let cancel = super::ctrl_c_token();
        let line = Line::new(None);
        let progress = line.sink();
        let report = tokio::task::spawn_blocking(move || {
            inspect_with(&path, target.as_ref(), &table, &progress, &cancel)
        })
        .await;
        line.clear();
        match report {
            Ok(report) => Ok(report?),
            Err(e) => anyhow::bail!("internal error while inspecting: {e}"),
        }
    })
}

fn render(r: &Inspection, paint: Paint) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint.strong(format_args!(
            "{}: {} files, {} unzipped, {} zipped",
            r.zip,
            r.files,
            human_bytes(r.unzipped),
            human_bytes(r.zipped)
        ))
    );
    match &r.target_note {
        Some(note) => {
            let _ = writeln!(out, "{}", paint.muted(super::hints::target_guess(note)));
        }
        None => {
            let _ = writeln!(
                out,
                "{}",
                paint.muted(format_args!("checked for {} on {}", r.runtime, r.arch))
            );
        }
    }
    if r.runtimes.len() > 1 {
        let _ = writeln!(
            out,
            "{}",
            paint.muted(format_args!(
                "each python/lib/python3.X/site-packages judged for its own runtime: {} on {}",
                r.runtimes.join(", "),
                r.arch
            ))
        );
    }
    let _ = writeln!(
        out,
        "{}",
        paint.muted(format_args!("The zip {}.", r.served.summary()))
    );
    let _ = writeln!(out, "\n/opt:");
    for (path, size, files) in &r.top {
        let _ = writeln!(
            out,
            "  {:>10}  {files:>6} files  {}",
            human_bytes(*size),
            clean(path)
        );
    }
    if !r.packages.is_empty() {
        let names: Vec<String> = r
            .packages
            .iter()
            .map(|p| format!("{} {}", clean(&p.name), clean(&p.version)))
            .collect();
        let _ = writeln!(out, "\n{} packages: {}", r.packages.len(), names.join(", "));
    }
    let _ = writeln!(out, "{}", r.native_summary());
    out.push('\n');
    for p in r.problems.iter().take(12) {
        let _ = writeln!(out, "{} {p}", paint.rejected("✗"));
    }
    if r.problems.len() > 12 {
        let _ = writeln!(
            out,
            "{} … and {} more (--json lists them all)",
            paint.rejected("✗"),
            r.problems.len() - 12
        );
    }
    for b in &r.bytecode {
        let _ = writeln!(out, "{} {b}", paint.warning("⚠"));
    }
    for n in &r.notes {
        let _ = writeln!(out, "{}", paint.muted(format_args!("• {n}")));
    }
    if r.problems.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint.compatible(format_args!(
                "✓ nothing found that would fail on {} {}",
                r.runtimes.join(", "),
                r.arch
            ))
        );
    }
    out
}
