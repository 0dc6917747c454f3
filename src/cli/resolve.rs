//! `wheelbarrow resolve REQ... [-r FILE]`: every package to install for the target, the wheel
//! chosen for each, its size, and who asked for it.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;
use wheelbarrow::RuntimeTable;
use wheelbarrow::index::IndexClient;
use wheelbarrow::resolve::{
    Requested, Resolution, ResolveEvent, ResolveOptions, parse_requirement, read_any, resolve,
};
use wheelbarrow::units::human_bytes;

use super::ResolveArgs;
use super::paint::Paint;
use super::table::Table;

/// The requirements from the command line and the files given with `-r`.
pub fn gather(args: &super::RequirementArgs) -> anyhow::Result<Vec<Requested>> {
    let mut out = Vec::new();
    for r in &args.requirements {
        out.push(parse_requirement(r, "command line")?);
    }
    for f in &args.files {
        out.extend(read_any(f)?);
    }
    Ok(out)
}

/// A progress line on stderr while resolving (terminal only), and Ctrl-C wired to `cancel`.
pub fn resolve_progress(cancel: &CancellationToken) -> Arc<dyn Fn(ResolveEvent) + Send + Sync> {
    let watcher = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            watcher.cancel();
        }
    });
    let on_terminal = std::io::stderr().is_terminal();
    let fetched = Mutex::new(0usize);
    Arc::new(move |event| {
        if !on_terminal {
            return;
        }
        let mut n = fetched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let line = match event {
            ResolveEvent::Fetching(name) => {
                *n += 1;
                format!("Resolving: reading {name} ({} projects read)", *n)
            }
            ResolveEvent::Chose { project, version } => {
                format!(
                    "Resolving: trying {project} {version} ({} projects read)",
                    *n
                )
            }
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
    })
}

/// Records the packages the user asked for by name (not their dependencies) in the history.
pub fn remember_requested(resolution: &Resolution) {
    let requested = resolution
        .packages
        .iter()
        .filter(|p| p.required_by.iter().any(|r| r.starts_with("requested")))
        .map(|p| p.name.as_str());
    super::remember_picks(requested);
}

pub fn clear_progress() {
    if std::io::stderr().is_terminal() {
        let _ = write!(std::io::stderr(), "\r\x1b[2K");
    }
}

pub fn run(args: &ResolveArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    let table = RuntimeTable::builtin();
    let target = args.target.resolve(&table)?;
    let requested = gather(&args.reqs)?;
    let client = IndexClient::new(args.index.settings()?)?;
    let options = ResolveOptions {
        exclude_runtime_provided: args.exclude_runtime_provided,
    };
    super::block_on(async {
        let cancel = CancellationToken::new();
        let progress = resolve_progress(&cancel);
        let result = resolve(&client, requested, &target, &options, progress, cancel).await;
        clear_progress();
        let resolution = result?;
        remember_requested(&resolution);
        if args.json {
            println!("{}", serde_json::to_string_pretty(&resolution)?);
        } else {
            print!("{}", render(&resolution, paint));
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
            "{} packages for {} on {}",
            r.packages.len(),
            r.runtime,
            r.arch
        ))
    );
    let mut t = Table::new(&["package", "version", "size", "wheel", "required by"]);
    for p in &r.packages {
        let mut name = p.name.clone();
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
            p.version.clone(),
            p.size.map(human_bytes).unwrap_or_default(),
            paint.muted(&p.filename),
            p.required_by.join("; "),
        ]);
    }
    out.push_str(&t.render());
    let total: u64 = r.included().filter_map(|p| p.size).sum();
    let provided: Vec<_> = r.packages.iter().filter(|p| p.runtime_provided).collect();
    let _ = writeln!(out, "\nWheels to download: {}.", human_bytes(total));
    if !provided.is_empty() {
        let size: u64 = provided.iter().filter_map(|p| p.size).sum();
        let names: Vec<_> = provided.iter().map(|p| p.name.as_str()).collect();
        let verb = if provided.iter().all(|p| p.excluded) {
            "left out"
        } else {
            "included; --exclude-runtime-provided leaves them out"
        };
        let _ = writeln!(
            out,
            "{}",
            paint.muted(format_args!(
                "The runtime already provides {} ({} of wheels): {verb}.",
                names.join(", "),
                human_bytes(size)
            ))
        );
    }
    for s in &r.skipped {
        let _ = writeln!(out, "{}", paint.muted(format_args!("Skipped {s}.")));
    }
    out
}
