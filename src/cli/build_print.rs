//! What `wheelbarrow build` prints: the plan on stderr while it works, then on stdout the
//! layer written (one tree, or one per runtime side by side), its budget, lock files and publish
//! command, or `--json`'s object; the exit status says whether the layer fits Lambda's budget.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use serde_json::json;
use wheelbarrow::layer::{Exported, LayerPlan};
use wheelbarrow::resolve::Resolution;
use wheelbarrow::units::human_bytes;

use super::build_targets::portable_text;
use super::out::say;
use super::paint::Paint;
use super::tree::tree_preview;

/// What a build publishes: nothing without the `publish` feature.
#[cfg(feature = "publish")]
pub type Published = wheelbarrow::publish::Published;
#[cfg(not(feature = "publish"))]
pub type Published = std::convert::Infallible;

/// The plan of one tree, before downloading (on a terminal only).
pub fn planned(resolution: &Resolution, planned: &LayerPlan) {
    if !std::io::stderr().is_terminal() {
        return;
    }
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

/// Prints what was built from `resolutions` (one, or one per runtime) and published; exit
/// status 1 when the layer is over Lambda's budget.
pub fn report(
    resolutions: &[Arc<Resolution>],
    exported: &Exported,
    published: Option<&Published>,
    json: bool,
    paint: Paint,
) -> anyhow::Result<ExitCode> {
    let [resolution] = resolutions else {
        several(resolutions, exported, json, paint)?;
        return Ok(status(exported));
    };
    if json {
        let mut value = exported_json(exported);
        value["runtime"] = json!(resolution.target.runtime.name);
        value["deprecated"] = json!(resolution.deprecated);
        if let Some(portable) = &resolution.portable {
            value["portable"] = json!(portable);
        }
        if let Some(published) = published {
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
            summary(exported, paint),
            left_out_line(resolution, paint)
        );
        super::out::print(&paint.screen(&text))?;
        if let Some(published) = published {
            super::out::print(&format!(
                "\n{}",
                paint.screen(&published_text(published, paint))
            ))?;
        }
    }
    Ok(status(exported))
}

/// One zip for several runtimes, each in its own site-packages.
fn several(
    resolutions: &[Arc<Resolution>],
    exported: &Exported,
    json: bool,
    paint: Paint,
) -> anyhow::Result<()> {
    let names: Vec<&str> = resolutions
        .iter()
        .map(|r| r.target.runtime.name.as_str())
        .collect();
    if json {
        let mut value = exported_json(exported);
        value["runtimes"] = json!(names);
        value["deprecated"] = json!(
            resolutions
                .iter()
                .filter_map(|r| r.deprecated.as_ref())
                .collect::<Vec<_>>()
        );
        super::out::println(&serde_json::to_string_pretty(&value)?)
    } else {
        let mut text = format!(
            "One zip for {}, each in its own site-packages.\n",
            names.join(" and ")
        );
        text.push_str(&summary(exported, paint));
        for r in resolutions {
            text.push_str(&left_out_line(r, paint));
        }
        super::out::print(&paint.screen(&text))
    }
}

fn status(exported: &Exported) -> ExitCode {
    if exported.budget.fits {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
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
    // A python/ tree is the same on every runtime it serves (the line above names them); a
    // site-packages tree is one runtime's.
    if plan.layout == wheelbarrow::layer::Layout::Python {
        let _ = writeln!(out, "\n/opt:");
    } else {
        let _ = writeln!(out, "\n/opt ({}):", plan.target);
    }
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
fn exported_json(exported: &Exported) -> serde_json::Value {
    let built = &exported.built;
    json!({
        "zip": built.zip,
        "sha256": built.sha256,
        "zipped": built.zipped,
        "unzipped": built.unzipped,
        "files": built.files,
        "arch": built.plan.target.arch,
        "layout": built.plan.layout,
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
