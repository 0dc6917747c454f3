//! `wheelbarrow runtimes`: the runtime table, so the differences between runtimes are visible.

use super::out::say;
use std::fmt::Write as _;
use std::process::ExitCode;

use serde_json::json;
use wheelbarrow::lambda::today;
use wheelbarrow::{Lifecycle, RuntimeTable};

use super::RuntimesArgs;
use super::paint::Paint;
use super::table::Table;

pub fn run(args: &RuntimesArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    if args.path {
        let Some(path) = RuntimeTable::user_path() else {
            anyhow::bail!("this system has no config folder for wheelbarrow (no home directory)");
        };
        super::out::println(&path.display().to_string())?;
        let state = if path.is_file() {
            "it is there and is read on every start"
        } else {
            "no file there yet: copy the runtimes you want to change from `wheelbarrow runtimes --json` (name and the dates, YYYY-MM-DD), or add a runtime with its os, glibc and architectures"
        };
        say!("{state}");
        return Ok(ExitCode::SUCCESS);
    }
    let table = super::runtime_table();
    let today = today();
    if args.json {
        super::out::println(&serde_json::to_string_pretty(&as_json(&table, &today))?)?;
    } else {
        super::out::print(&as_text(&table, &today, paint))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn as_json(table: &RuntimeTable, today: &str) -> serde_json::Value {
    let runtimes: Vec<_> = table
        .runtimes
        .iter()
        .map(|r| {
            json!({
                "name": r.name,
                "python": r.python_version(),
                "os": r.os,
                "glibc": r.glibc.to_string(),
                "newest_manylinux": r.glibc.manylinux_tag(),
                "architectures": r.architectures,
                "deprecation": r.deprecation,
                "block_create": r.block_create,
                "block_update": r.block_update,
                "status": r.lifecycle(today).to_string(),
                "supported": r.lifecycle(today).is_supported(),
                "note": r.note,
            })
        })
        .collect();
    let default = table.default_target();
    json!({
        "as_of": table.as_of,
        "user_file": table.user_file,
        "stale": table.staleness(today).map(|s| s.to_string()),
        "today": today,
        "os_notes": table.os_notes.iter().map(|(os, note)| json!({"os": os, "note": note})).collect::<Vec<_>>(),
        "runtimes": runtimes,
        "default_target": {"runtime": default.runtime.name, "arch": default.arch},
        "limits": table.limits,
        "runtime_provided_packages": table.runtime_provided,
    })
}

fn as_text(table: &RuntimeTable, today: &str, paint: Paint) -> String {
    let mut t = Table::new(&[
        "runtime",
        "OS",
        "glibc",
        "newest manylinux",
        "architectures",
        "status",
    ]);
    for r in &table.runtimes {
        let lifecycle = r.lifecycle(today);
        let mut status = lifecycle.to_string();
        if let Some(note) = &r.note {
            status = format!("{status} ({note})");
        }
        let status = match lifecycle {
            Lifecycle::Supported { .. } => paint.compatible(status),
            Lifecycle::Deprecated { .. } => paint.warning(status),
            Lifecycle::CreateBlocked { .. } | Lifecycle::UpdateBlocked { .. } => {
                paint.rejected(status)
            }
        };
        let arches: Vec<_> = r.architectures.iter().map(ToString::to_string).collect();
        t.row(vec![
            paint.strong(&r.name),
            r.os.clone(),
            r.glibc.to_string(),
            r.glibc.manylinux_tag(),
            arches.join(", "),
            status,
        ]);
    }
    let mut out = t.render();
    out.push('\n');
    // Say in words why runtimes differ: group them by OS and glibc.
    let mut groups: Vec<(String, String, Vec<&str>)> = Vec::new();
    for r in &table.runtimes {
        let key = (r.os.clone(), r.glibc.to_string());
        match groups
            .iter_mut()
            .find(|g| (g.0.clone(), g.1.clone()) == key)
        {
            Some(g) => g.2.push(&r.name),
            None => groups.push((key.0, key.1, vec![&r.name])),
        }
    }
    for (os, glibc, names) in &groups {
        let _ = writeln!(
            out,
            "{} run on {os} with glibc {glibc}: a manylinux_2_Y wheel loads there only if 2.Y is at most {glibc}.",
            names.join(", ")
        );
        if let Some((_, note)) = table.os_notes.iter().find(|(o, _)| o == os) {
            let _ = writeln!(out, "{os} {note}.");
        }
    }
    let _ = writeln!(
        out,
        "Dates: AWS's runtime table {} (today is {today}; your own runtimes.json overrides them: `wheelbarrow runtimes --path`).",
        table.as_of_words()
    );
    if let Some(stale) = table.staleness(today) {
        let _ = writeln!(out, "{}", paint.warning(format!("Note: {stale}.")));
    }
    let default = table.default_target();
    let l = &table.limits;
    let _ = write!(
        out,
        "Extension wheels (cp3X-cp3X) load only on that exact Python; abi3 wheels on their version and newer.\n\
         Lambda calls the architectures x86_64 and arm64; wheel tags call them x86_64 and aarch64.\n\n\
         Default target: {default}.\n\
         Limits: {} layers a function; {} bytes unzipped for the function and all its layers; \
         {} MB zipped for a direct upload (larger goes through S3).\n\
         Every runtime already has: {}.\n",
        l.layers_per_function,
        wheelbarrow::units::grouped(l.unzipped_bytes),
        l.zipped_direct_upload_bytes / (1024 * 1024),
        table.runtime_provided.join(", "),
    );
    out
}
