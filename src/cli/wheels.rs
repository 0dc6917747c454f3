//! `wheelbarrow wheels PROJECT`: a release's files with verdicts, the best one marked, and with
//! `--contents` the files inside the best wheel, read by range requests.

use super::out::say;
use std::fmt::Write as _;
use std::process::ExitCode;

use serde_json::json;
use wheelbarrow::Target;
use wheelbarrow::index::{IndexClient, WheelContents, describe_cache_use};
use wheelbarrow::text::clean;
use wheelbarrow::units::human_bytes;
use wheelbarrow::wheel::{ReleaseVerdicts, newest_loadable, newest_release, release_verdicts};

use super::WheelsArgs;
use super::paint::Paint;
use super::table::Table;

pub fn run(args: &WheelsArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    let table = super::runtime_table();
    let target = args.target.resolve(&table)?;
    let client = IndexClient::new(args.index.settings()?)?;
    super::block_on(async {
        let project = client.project(&args.project).await?;
        super::remember_picks([project.name.as_str()]);
        let version = match &args.version {
            Some(v) => v.clone(),
            None => newest_release(&project)
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("{} has no releases on the index", project.name))?,
        };
        let release = release_verdicts(&project, &version, &target);
        if release.files.is_empty() {
            let newest: Vec<_> = project.versions.iter().take(5).cloned().collect();
            anyhow::bail!(
                "{} has no release {version} on the index (newest releases: {})",
                project.name,
                newest.join(", ")
            );
        }
        let contents = match (args.contents, release.best) {
            (true, Some(best)) => Some(client.contents(&release.files[best].file).await?),
            _ => None,
        };
        let newest_ok = if release.best.is_none() {
            newest_loadable(&project, &target)
        } else {
            None
        };
        let source = format!(
            "{} ({}{})",
            client.settings().api.display(),
            project.served.api,
            describe_cache_use(project.served.cache)
                .map(|s| format!(", {s}"))
                .unwrap_or_default()
        );
        if args.json {
            let value = json!({
                "project": project.name,
                "version": version,
                "summary": project.summary,
                "target": {"runtime": target.runtime.name, "arch": target.arch},
                "index": source,
                "files": release.files.iter().enumerate().map(|(i, f)| {
                    let mut v = serde_json::to_value(f).unwrap_or_default();
                    v["best"] = json!(release.best == Some(i));
                    v
                }).collect::<Vec<_>>(),
                "best": release.best.map(|i| &release.files[i].file.filename),
                "newest_loadable_version": newest_ok,
                "contents": contents,
            });
            super::out::println(&serde_json::to_string_pretty(&value)?)?;
        } else {
            let head = Header {
                project: &project.name,
                summary: project.summary.as_deref(),
                source: &source,
                target: &target,
            };
            super::out::print(&paint.screen(&render(
                &head,
                &release,
                newest_ok.as_deref(),
                paint,
            )))?;
            if let Some(c) = &contents {
                super::out::print(&paint.screen(&render_contents(c, paint)))?;
            }
            if args.contents && release.best.is_none() {
                say!("no file loads on {target}, so there are no contents to list");
            }
        }
        Ok(if release.best.is_some() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

struct Header<'a> {
    project: &'a str,
    summary: Option<&'a str>,
    source: &'a str,
    target: &'a Target,
}

fn render(
    head: &Header<'_>,
    release: &ReleaseVerdicts<wheelbarrow::index::DistFile>,
    newest_ok: Option<&str>,
    paint: Paint,
) -> String {
    let mut out = String::new();
    let r = &head.target.runtime;
    let _ = writeln!(
        out,
        "{} {}{}",
        paint.strong(clean(head.project)),
        paint.strong(clean(&release.version)),
        head.summary
            .map(|s| format!(" — {}", clean(s)))
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "{}",
        paint.muted(format_args!("index: {}", head.source))
    );
    let _ = writeln!(
        out,
        "{}\n",
        paint.muted(format_args!(
            "target: {} ({}, glibc {}, CPython 3.{})",
            head.target, r.os, r.glibc, r.python_minor
        ))
    );
    let mut table = Table::new(&["", "file", "size", "why"]);
    for (i, f) in release.files.iter().enumerate() {
        let mark = match (release.best == Some(i), f.verdict.compatible) {
            (true, _) => paint.compatible("★ best"),
            (false, true) => paint.compatible("✓"),
            (false, false) => paint.rejected("✗"),
        };
        let name = if f.verdict.compatible {
            paint.compatible(&f.file.filename)
        } else {
            f.file.filename.clone()
        };
        table.row(vec![
            mark,
            name,
            f.file.size.map(human_bytes).unwrap_or_default(),
            paint.muted(match f.file.source.describe() {
                Some(from) => format!("{} (from {from})", f.verdict.reason),
                None => f.verdict.reason.clone(),
            }),
        ]);
    }
    out.push_str(&table.render());
    let loads = release
        .files
        .iter()
        .filter(|f| f.verdict.compatible)
        .count();
    let _ = writeln!(
        out,
        "\n{} file{}, {loads} load{} on {}.",
        release.files.len(),
        if release.files.len() == 1 { "" } else { "s" },
        if loads == 1 { "s" } else { "" },
        head.target
    );
    if release.best.is_none() {
        let advice = match newest_ok {
            Some(v) => format!(
                "The newest release with a file that loads there is {v} (try --version {v})."
            ),
            None => "No release has a file that loads there; try another runtime or architecture."
                .into(),
        };
        let _ = writeln!(
            out,
            "{} {advice}",
            paint.rejected(format_args!(
                "No file of {} {} loads on {}.",
                head.project, release.version, head.target
            ))
        );
    }
    out
}

fn render_contents(c: &WheelContents, paint: Paint) -> String {
    let mut out = String::from("\n");
    let mut table = Table::new(&["size", "file"]);
    let mut total = 0;
    for e in c.entries.iter().filter(|e| !e.is_dir()) {
        total += e.size;
        table.row(vec![human_bytes(e.size), e.name.clone()]);
    }
    out.push_str(&table.render());
    let how = match c.via {
        wheelbarrow::index::ContentsVia::RangeRequests => format!(
            "read {} of the {} wheel with range requests",
            human_bytes(c.transferred),
            human_bytes(c.wheel_size)
        ),
        wheelbarrow::index::ContentsVia::FullDownload => format!(
            "the index does not serve byte ranges, so the whole {} wheel was downloaded (and kept)",
            human_bytes(c.wheel_size)
        ),
        wheelbarrow::index::ContentsVia::Store => "from the downloaded wheel".into(),
        wheelbarrow::index::ContentsVia::Cache => "from the cache".into(),
    };
    let _ = writeln!(
        out,
        "\n{} files, {} unzipped; {how}.",
        c.entries.iter().filter(|e| !e.is_dir()).count(),
        paint.strong(human_bytes(total))
    );
    out
}
