//! `wheelbarrow matrix REQ... [-r FILE]`: the set resolved on every target (or those
//! `--runtime` and `--arch` name) at once, as a grid of packages × targets: the version each
//! target gets, those that differ from the newest target that resolves marked, ✗ and the
//! explanation where the set does not resolve, and the wheels' total per target. A table a
//! architecture on a terminal, `--json`, or `--markdown` for a pull request comment.
//!
//! Exit status: 0 when every target asked for resolves, 1 when some do not, 2 when the input is
//! wrong (a requirement, a runtime or architecture Lambda does not have).

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Args;
use serde_json::{Value, json};
use wheelbarrow::Target;
use wheelbarrow::layer::{Cell, Column, TargetGrid, TargetOutcome, targets_named};
use wheelbarrow::resolve::ResolveError;
use wheelbarrow::text::clean;
use wheelbarrow::units::human_bytes;

use super::paint::Paint;
use super::progress::Line;
use super::table::Table;

#[derive(Debug, Args)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub reqs: super::RequirementArgs,
    /// Runtimes to resolve on, comma-separated (python3.11,python3.12; default: every runtime).
    #[arg(long, value_name = "RUNTIMES")]
    pub runtime: Option<String>,
    /// Architectures, comma-separated: x86_64, arm64 (aarch64 is accepted too; default: both).
    #[arg(long, short = 'a', value_name = "ARCHES")]
    pub arch: Option<String>,
    #[command(flatten)]
    pub index: super::IndexArgs,
    /// Leave out what every Lambda Python runtime already has (boto3, botocore, ...).
    #[arg(long)]
    pub exclude_runtime_provided: bool,
    /// Print JSON instead of a table.
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    /// Print a Markdown table (for a pull request comment) instead of a terminal table.
    #[arg(long)]
    pub markdown: bool,
}

pub fn run(args: &MatrixArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    let target_args = super::TargetArgs::default();
    let outcomes = super::block_on(async {
        // The signals are heard from here on: while the requirements are read, then resolved.
        let cancel = super::ctrl_c_token();
        let (workspace, mut spec) =
            super::resolve::workspace_until(&target_args, &args.reqs, &args.index, &cancel)?;
        spec.resolve.exclude_runtime_provided = args.exclude_runtime_provided;
        if spec.picks.is_empty() {
            return Err(ResolveError::Nothing.into());
        }
        let targets = targets_named(
            workspace.table(),
            &list(args.runtime.as_deref(), "--runtime")?,
            &list(args.arch.as_deref(), "--arch")?,
        )?;
        let line = Line::new(None);
        let outcomes = workspace
            .resolve_targets(&spec, &targets, &line.sink(), &cancel, |_, _| {})
            .await;
        line.clear();
        Ok::<_, anyhow::Error>(outcomes?)
    })?;
    if outcomes.iter().all(is_input_error) {
        if let Some(TargetOutcome { result: Err(e), .. }) = outcomes.into_iter().next() {
            return Err(e.into());
        }
        anyhow::bail!("no target was asked for");
    }
    let grid = TargetGrid::of(&outcomes);
    if args.json {
        super::out::println(&serde_json::to_string_pretty(&as_json(&grid, outcomes))?)?;
    } else if args.markdown {
        super::out::print(&markdown(&grid))?;
    } else {
        super::out::print(&paint.screen(&text(&grid, &outcomes, paint)))?;
    }
    Ok(if grid.all_resolve() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The names of `--runtime A,B` (none: every one), refused when the flag names nothing.
fn list(given: Option<&str>, flag: &str) -> anyhow::Result<Vec<String>> {
    let Some(given) = given else {
        return Ok(Vec::new());
    };
    let names: Vec<String> = given
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(ToString::to_string)
        .collect();
    anyhow::ensure!(
        !names.is_empty(),
        "{flag} {given:?} names nothing: give one, or several comma-separated, or leave it out for all"
    );
    Ok(names)
}

/// A mistake in the input (a requirement, a project the index does not have, the index
/// settings) fails the same way on every target: said once, as any command says it (exit status
/// 2), not as a grid of the same error.
fn is_input_error(o: &TargetOutcome) -> bool {
    match &o.result {
        Err(ResolveError::Requirement(_) | ResolveError::Nothing) => true,
        Err(ResolveError::Index(e)) => matches!(
            e,
            wheelbarrow::index::IndexError::UnknownProject { .. }
                | wheelbarrow::index::IndexError::Settings(_)
        ),
        _ => false,
    }
}

/// `3.12`, the runtime's version as a column header.
fn short(target: &Target) -> String {
    target.runtime.python_version()
}

fn size_text(column: &Column) -> String {
    match column {
        Column::Resolved(a) if a.unknown_sizes == 0 => human_bytes(a.wheel_bytes),
        Column::Resolved(a) => format!("{}+{}?", human_bytes(a.wheel_bytes), a.unknown_sizes),
        Column::Failed(_) => "✗".into(),
        Column::Pending => "…".into(),
    }
}

/// One table a architecture (runtimes across), then the failures with their explanations.
fn text(grid: &TargetGrid, outcomes: &[TargetOutcome], paint: Paint) -> String {
    let mut out = String::new();
    let failed = grid
        .columns
        .iter()
        .filter(|c| matches!(c, Column::Failed(_)))
        .count();
    let _ = writeln!(
        out,
        "{}",
        paint.strong(format_args!(
            "{} targets: {} resolve{}",
            grid.targets.len(),
            grid.targets.len() - failed,
            match failed {
                0 => String::new(),
                n => format!(", {n} {} not", if n == 1 { "does" } else { "do" }),
            }
        ))
    );
    let rows = grid.rows();
    let mut arches: Vec<_> = grid.targets.iter().map(|t| t.arch).collect();
    arches.dedup();
    arches.sort_by_key(|a| *a != wheelbarrow::Arch::X86_64);
    arches.dedup();
    for arch in arches {
        let at: Vec<usize> = (0..grid.targets.len())
            .filter(|&i| grid.targets[i].arch == arch)
            .collect();
        let mut header = vec![format!("{arch}")];
        header.extend(at.iter().map(|&i| short(&grid.targets[i])));
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut table = Table::new(&header);
        for row in &rows {
            let mut cells = vec![clean(&row.name).into_owned()];
            cells.extend(at.iter().map(|&i| match &row.cells[i] {
                Cell::Version { version, differs } if *differs => {
                    paint.warning(format_args!("{}*", clean(version)))
                }
                Cell::Version { version, .. } => clean(version).into_owned(),
                Cell::NotNeeded => paint.muted("-"),
                Cell::Failed => paint.rejected("✗"),
                Cell::Pending => "…".into(),
            }));
            table.row(cells);
        }
        let mut sizes = vec![paint.muted("wheels")];
        sizes.extend(at.iter().map(|&i| paint.muted(size_text(&grid.columns[i]))));
        table.row(sizes);
        let _ = write!(out, "\n{}", table.render());
    }
    if let Some(r) = grid.reference().filter(|_| any_differs(&rows)) {
        let _ = writeln!(
            out,
            "\n{}",
            paint.muted(format_args!(
                "* differs from {} (the newest target that resolves); - not needed there; wheels: the layer's wheels, about its zipped size.",
                grid.targets[r]
            ))
        );
    }
    for o in outcomes {
        if let Err(e) = &o.result {
            let mut message = e.to_string();
            message.extend(
                wheelbarrow::Hints::hints(e)
                    .iter()
                    .filter_map(super::hints::render),
            );
            let _ = writeln!(
                out,
                "\n{} {}:",
                paint.rejected("✗"),
                paint.strong(&o.target)
            );
            for line in message.lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    let deprecated: Vec<&str> = outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().ok()?.deprecated.as_ref())
        .map(|d| d.runtime.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !deprecated.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint.warning(format_args!(
                "Deprecated runtimes (see `wheelbarrow runtimes`): {}.",
                deprecated.join(", ")
            ))
        );
    }
    out
}

/// A Markdown table, every target a column; differing versions in bold, the failures below.
fn markdown(grid: &TargetGrid) -> String {
    let cell = |t: &str| md_escape(&clean(t));
    let mut out = String::from("| package |");
    for t in &grid.targets {
        let _ = write!(out, " {} {} |", t.runtime.name, t.arch);
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(grid.targets.len()));
    out.push('\n');
    let rows = grid.rows();
    for row in &rows {
        let _ = write!(out, "| {} |", cell(&row.name));
        for c in &row.cells {
            let text = match c {
                Cell::Version { version, differs } if *differs => format!("**{}**", cell(version)),
                Cell::Version { version, .. } => cell(version),
                Cell::NotNeeded => "–".into(),
                Cell::Failed => "✗".into(),
                Cell::Pending => "…".into(),
            };
            let _ = write!(out, " {text} |");
        }
        out.push('\n');
    }
    out.push_str("| *wheels* |");
    for c in &grid.columns {
        let _ = write!(out, " {} |", size_text(c));
    }
    out.push('\n');
    if let Some(r) = grid.reference().filter(|_| any_differs(&rows)) {
        let _ = writeln!(
            out,
            "\n**Bold**: differs from {} (the newest target that resolves).",
            grid.targets[r]
        );
    }
    for (t, c) in grid.targets.iter().zip(&grid.columns) {
        if let Column::Failed(f) = c {
            let _ = writeln!(out, "\n✗ **{t}**: {}", cell(&f.headline));
            for line in &f.explanation {
                let _ = writeln!(out, "- {}", cell(line));
            }
        }
    }
    out
}

fn any_differs(rows: &[wheelbarrow::layer::Row]) -> bool {
    rows.iter()
        .flat_map(|r| &r.cells)
        .any(|c| matches!(c, Cell::Version { differs: true, .. }))
}

/// Text put into a Markdown table cell: `|` would end the cell, `*` and backticks would format
/// it (an underscore inside a word formats nothing, and names start with a letter or digit).
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '|' | '*' | '`' | '\\' | '<' | '>' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `targets` (each with `resolves`, the wheels' total, or the error as every `--json` failure
/// is written), the reference target, and `packages` with a version per target (in the order of
/// `targets`; null where not needed or not resolved) and where each differs.
fn as_json(grid: &TargetGrid, outcomes: Vec<TargetOutcome>) -> Value {
    let targets: Vec<Value> = outcomes
        .into_iter()
        .zip(&grid.columns)
        .map(|(o, column)| {
            let mut value = json!({
                "runtime": o.target.runtime.name,
                "arch": o.target.arch,
                "resolves": o.result.is_ok(),
            });
            match (o.result, column) {
                (Ok(resolution), Column::Resolved(a)) => {
                    value["wheel_bytes"] = json!(a.wheel_bytes);
                    value["unknown_sizes"] = json!(a.unknown_sizes);
                    value["packages"] = json!(resolution.included().count());
                    value["deprecated"] = json!(resolution.deprecated);
                }
                (Err(e), Column::Failed(f)) => {
                    let mut error = super::error_json(&anyhow::Error::new(e));
                    if let Some(map) = error.as_object_mut() {
                        map.remove("derivation");
                    }
                    value["headline"] = json!(f.headline);
                    value["failure"] = error;
                }
                _ => {}
            }
            value
        })
        .collect();
    let packages: Vec<Value> = grid
        .rows()
        .into_iter()
        .map(|row| {
            let versions: Vec<Value> = row
                .cells
                .iter()
                .map(|c| match c {
                    Cell::Version { version, .. } => json!(version),
                    _ => Value::Null,
                })
                .collect();
            let differs: Vec<bool> = row
                .cells
                .iter()
                .map(|c| matches!(c, Cell::Version { differs: true, .. }))
                .collect();
            json!({
                "name": row.name,
                "requested": row.requested,
                "versions": versions,
                "differs": differs,
            })
        })
        .collect();
    json!({
        "targets": targets,
        "reference": grid.reference().map(|r| &grid.targets[r]),
        "all_resolve": grid.all_resolve(),
        "packages": packages,
    })
}
