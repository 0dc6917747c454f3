//! `wheelbarrow resolve REQ... [-r FILE]`: every package to install for the target, the wheel
//! chosen for each, its size, and who asked for it.

use super::out::say;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use wheelbarrow::index::IndexClient;
use wheelbarrow::layer::{LayerSpec, Workspace};
use wheelbarrow::resolve::{
    LockFormat, Requested, Resolution, ResolveError, parse_requirement, read_any_until, read_lock,
};
use wheelbarrow::text::clean;
use wheelbarrow::units::human_bytes;

use super::ResolveArgs;
use super::paint::Paint;
use super::progress::Line;
use super::table::Table;

/// The requirements from the command line and the files given with `-r`; reading a
/// requirements file stops when `cancel` fires (Ctrl-C, SIGTERM), and the answer is then
/// "cancelled", as for the work that would have followed.
pub fn gather_until(
    args: &super::RequirementArgs,
    cancel: &CancellationToken,
) -> anyhow::Result<Vec<Requested>> {
    args.check_lock_options()?;
    let mut out = Vec::new();
    for r in &args.requirements {
        out.push(parse_requirement(r, "command line")?);
    }
    let given = out.clone();
    let mut locks = false;
    for f in &args.files {
        if LockFormat::of(f).is_some() {
            let (read, notes) = read_lock(f, &args.lock_selection(), &given)?;
            for note in notes {
                say!("note: {}", wheelbarrow::text::clean(&note));
            }
            out.extend(read);
            locks = true;
        } else {
            match read_any_until(f, cancel) {
                Ok(read) => out.extend(read),
                Err(_) if cancel.is_cancelled() => return Err(ResolveError::Cancelled.into()),
                Err(e) => return Err(e.into()),
            }
        }
    }
    if locks {
        // A wheel of yours named beside a lock is vouched for by its own sha256.
        wheelbarrow::resolve::lock::vouch_for_given(&mut out);
    }
    Ok(out)
}

/// Records the packages the user asked for by name (not their dependencies) in the history.
pub fn remember_requested(resolution: &Resolution) {
    super::remember_picks(resolution.requested().map(|p| p.name.as_str()));
}

/// The workspace and layer spec for a command's target, requirements and index; reading the
/// requirements files stops when `cancel` fires.
pub fn workspace_until(
    target: &super::TargetArgs,
    reqs: &super::RequirementArgs,
    index: &super::IndexArgs,
    cancel: &CancellationToken,
) -> anyhow::Result<(Workspace, LayerSpec)> {
    let table = Arc::new(super::runtime_table());
    let mut spec = LayerSpec::new(target.resolve(&table)?);
    // As written: two requirements on one project both hold (pip's rule), so no `add` here.
    spec.picks = gather_until(reqs, cancel)?;
    spec.inputs.clone_from(&reqs.files);
    let client = IndexClient::new(index.settings()?)?;
    Ok((Workspace::new(client, table), spec))
}

/// How to report a resolution that finds nothing: the derivation too (`--verbose`); with
/// `--json`, the notes on a layer that resolves are left to the JSON.
#[derive(Debug, Clone, Copy)]
pub struct Failure {
    pub verbose: bool,
    pub json: bool,
}

/// Resolves with a progress line on stderr; Ctrl-C cancels.
pub async fn resolve_with_progress(
    workspace: &Workspace,
    spec: &LayerSpec,
    cancel: &CancellationToken,
    failure: Failure,
) -> anyhow::Result<Arc<Resolution>> {
    warn_deprecated(workspace, &spec.target);
    let line = Line::new(None);
    let result = workspace.resolve(spec, &line.sink(), cancel).await;
    line.clear();
    answered(&result, failure);
    Ok(result?)
}

/// Said once, before the work, whether or not it resolves (the resolution carries it too).
pub fn warn_deprecated(workspace: &Workspace, target: &wheelbarrow::lambda::Target) {
    if let Some(notice) =
        wheelbarrow::lambda::deprecation(workspace.table(), target, &wheelbarrow::lambda::today())
    {
        say!("warning: {notice}");
    }
}

/// What is said on stderr as a resolution answers: how the resolver got to a failure
/// (`--verbose`); of a resolution, the picks remembered and its dead ends.
pub fn answered(result: &Result<Arc<Resolution>, ResolveError>, failure: Failure) {
    // With `--json`, main prints the failure (the explanation and derivation with it).
    if let (Err(ResolveError::NoSolution(err)), true) = (result, failure.verbose) {
        say!("How the resolver got there:");
        for line in err.derivation.lines() {
            say!("  {line}");
        }
    }
    let Ok(resolution) = result else {
        return;
    };
    remember_requested(resolution);
    if !failure.json {
        // Dead ends in a layer that resolves: said once, before the result (`--json` carries
        // them as `instead`).
        for instead in &resolution.instead {
            say!("note: {}", wheelbarrow::text::clean(&instead.to_string()));
        }
    }
}

pub fn run(args: &ResolveArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    super::block_on(async {
        // The signals are heard from here on: while the requirements are read, then resolved.
        let cancel = super::ctrl_c_token();
        let (workspace, mut spec) =
            workspace_until(&args.target, &args.reqs, &args.index, &cancel)?;
        spec.resolve.exclude_runtime_provided = args.exclude_runtime_provided;
        let failure = Failure {
            verbose: args.verbose,
            json: args.json,
        };
        let resolution = resolve_with_progress(&workspace, &spec, &cancel, failure).await?;
        if args.json {
            super::out::println(&serde_json::to_string_pretty(&*resolution)?)?;
        } else {
            super::out::print(&paint.screen(&render(&resolution, paint)))?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn render(r: &Resolution, paint: Paint) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}\n",
        paint.strong(format_args!(
            "{} packages for {}",
            r.packages.len(),
            r.target
        ))
    );
    let mut t = Table::new(&["package", "version", "size", "wheel", "required by"]);
    for p in &r.packages {
        // One row each: line breaks in the index's names shown as `\n` (see `text::clean`).
        let mut name = clean(&p.name).into_owned();
        if p.runtime_provided {
            name.push_str(if p.excluded {
                " (runtime, left out)"
            } else {
                " (runtime has it)"
            });
        }
        let name = if p.excluded { paint.muted(name) } else { name };
        t.row(vec![
            name,
            clean(&p.version).into_owned(),
            p.size.map(human_bytes).unwrap_or_default(),
            paint.muted(clean(&p.filename)),
            clean(&p.required_by.join("; ")).into_owned(),
        ]);
    }
    out.push_str(&t.render());
    let provided: Vec<_> = r.packages.iter().filter(|p| p.runtime_provided).collect();
    let _ = writeln!(
        out,
        "\nWheels to download: {}.",
        sizes_total(r.included().map(|p| p.size))
    );
    if !provided.is_empty() {
        let size = sizes_total(provided.iter().map(|p| p.size));
        let names: Vec<_> = provided.iter().map(|p| clean(&p.name)).collect();
        let verb = if provided.iter().all(|p| p.excluded) {
            "left out"
        } else {
            "included; --exclude-runtime-provided leaves them out"
        };
        let _ = writeln!(
            out,
            "{}",
            paint.muted(format_args!(
                "The runtime already provides {} ({size} of wheels): {verb}.",
                names.join(", "),
            ))
        );
    }
    for s in &r.skipped {
        let _ = writeln!(out, "{}", paint.muted(format_args!("Skipped {s}.")));
    }
    out
}

/// The sum of wheel sizes as far as the index gives them: `12.0 MB`; `12.0 MB, and 2 wheels of
/// unknown size`; `3 wheels of unknown size` (a Simple API index need not give sizes, and an
/// unknown size is not 0 B). The index says nothing about those wheels' sizes.
pub fn sizes_total(sizes: impl Iterator<Item = Option<u64>>) -> String {
    let (mut known, mut total, mut unknown) = (0usize, 0u64, 0usize);
    for size in sizes {
        match size {
            Some(bytes) => {
                known += 1;
                total += bytes;
            }
            None => unknown += 1,
        }
    }
    let wheels = |n: usize| {
        if n == 1 {
            "1 wheel".to_string()
        } else {
            format!("{n} wheels")
        }
    };
    match (known, unknown) {
        (_, 0) => human_bytes(total),
        (0, n) => format!("{} of unknown size (the index gives no sizes)", wheels(n)),
        (_, n) => format!(
            "{}, and {} of unknown size (the index gives none for them)",
            human_bytes(total),
            wheels(n)
        ),
    }
}
