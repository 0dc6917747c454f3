//! What the target picker, the versions list and the matrix show, computed from the engine's
//! answers (pure: the verdicts are the engine's, nothing is fetched here).

use wheelbarrow::Target;
use wheelbarrow::resolve::Resolution;
use wheelbarrow::wheel::release_verdicts;

/// One runtime on one architecture, as the target picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRow {
    pub target: Target,
    /// Where the runtime stands today, with every date still ahead ("deprecated since
    /// 2026-10-31 (no security patches); new functions blocked from …").
    pub lifecycle: String,
    /// The same in a few words for the row ("deprecated since 2026-10-31").
    pub short: String,
    pub deprecated: bool,
}

/// What the target picker says of the dates: the table's day, and when it is old, that AWS
/// may have moved them and where newer ones go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableDates {
    pub as_of: String,
    pub stale: Option<String>,
}

impl TableDates {
    pub fn of(table: &wheelbarrow::RuntimeTable, today: &str) -> TableDates {
        TableDates {
            as_of: table.as_of_words(),
            stale: table.staleness(today).map(|s| {
                format!(
                    "Dates as of {}, {} days ago: AWS may have moved them since; newer ones go in your runtimes.json (`wheelbarrow runtimes --path`)",
                    s.as_of, s.days
                )
            }),
        }
    }
}

/// Every runtime × architecture in `table`, newest runtime first, with its standing on `today`.
pub fn target_rows(table: &wheelbarrow::RuntimeTable, today: &str) -> Vec<TargetRow> {
    let mut rows = Vec::new();
    for runtime in table.runtimes.iter().rev() {
        let lifecycle = runtime.lifecycle(today);
        let deprecated = !lifecycle.is_supported();
        for arch in &runtime.architectures {
            rows.push(TargetRow {
                target: Target {
                    runtime: runtime.clone(),
                    arch: *arch,
                },
                lifecycle: lifecycle.to_string(),
                short: lifecycle.short(),
                deprecated,
            });
        }
    }
    rows
}

/// The rows every word of `filter` appears in (`3.11 x86`, `arm`, `2023`), in order.
pub fn filter_targets<'a>(rows: &'a [TargetRow], filter: &str) -> Vec<&'a TargetRow> {
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    rows.iter()
        .filter(|row| {
            let haystack = format!(
                "{} {} {} glibc {} {}",
                row.target.runtime.name,
                row.target.arch,
                row.target.runtime.os,
                row.target.runtime.glibc,
                row.lifecycle
            )
            .to_lowercase();
            words.iter().all(|w| haystack.contains(w.as_str()))
        })
        .collect()
}

/// One release in the versions list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    /// Index into the project's versions.
    pub index: usize,
    pub version: String,
    /// A file of it loads on the target (not counting yanked ones).
    pub loads: bool,
    /// Every file of it is yanked.
    pub yanked: bool,
    pub pre_release: bool,
    pub files: usize,
}

/// The releases of `project` as the versions list shows them for `target`.
pub fn version_rows(project: &wheelbarrow::index::Project, target: &Target) -> Vec<VersionRow> {
    project
        .versions
        .iter()
        .enumerate()
        .map(|(index, version)| {
            let release = release_verdicts(project, version, target);
            let yanked =
                !release.files.is_empty() && release.files.iter().all(|f| f.file.yanked.is_some());
            VersionRow {
                index,
                version: version.clone(),
                loads: release
                    .files
                    .iter()
                    .any(|f| f.verdict.compatible && f.file.yanked.is_none()),
                yanked,
                pre_release: version
                    .parse::<pep440_rs::Version>()
                    .is_ok_and(|v| v.any_prerelease()),
                files: release.files.len(),
            }
        })
        .collect()
}

/// Every package of the layer against every runtime × architecture, and the highlighted cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// What the grid is of: "the layer", or a release (`numpy 2.5.5`).
    pub subject: String,
    pub targets: Vec<Target>,
    /// The layer first (every file loads, and the layout is one that runtime reads), then each
    /// package.
    pub rows: Vec<MatrixRow>,
    pub row: usize,
    pub column: usize,
    /// The newest release of each package that loads on each target; `None` until the runner
    /// answers.
    pub offers: Option<super::msg::Offers>,
    /// The view shown: the picks' versions per target, or the files' verdicts (this struct's
    /// rows). A release's matrix has files only.
    pub mode: super::dialogs::matrix::grid::MatrixMode,
    /// The picks resolved on every target (the versions view), when asked for.
    pub grid: Option<super::dialogs::matrix::grid::GridState>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    pub label: String,
    /// The package's PEP 503 name (`None` for the layer's own row).
    pub project: Option<String>,
    pub cells: Vec<MatrixCell>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixCell {
    pub loads: bool,
    /// Why (not), in words.
    pub reason: String,
}

/// The matrix of a resolution: each chosen file's verdict on every target (the engine's), and
/// the layer's row: every file loads there and the layout's site folder is one it reads.
///
/// `scripts` are the plan's script files: in the `python/` layout one whose `#!` names a Python
/// narrows what the exported layer serves (the export reads them), so a ✓ says so.
pub fn matrix(
    resolution: &Resolution,
    layout: wheelbarrow::layer::Layout,
    built_for: &Target,
    targets: &[Target],
    table: &wheelbarrow::RuntimeTable,
    scripts: &[String],
) -> Matrix {
    let packages: Vec<MatrixRow> = resolution
        .included()
        .map(|p| MatrixRow {
            label: format!("{} {}", p.name, p.version),
            project: Some(wheelbarrow::normalize_name(&p.name)),
            cells: targets
                .iter()
                .map(|t| {
                    let verdict = wheelbarrow::wheel::file_verdict(&p.file, t);
                    MatrixCell {
                        loads: verdict.compatible,
                        reason: format!("{}: {}", p.filename, verdict.reason),
                    }
                })
                .collect(),
        })
        .collect();
    // The layer's row is the engine's served set: ✓ exactly where the publish command lists.
    let served = wheelbarrow::layer::served_by(resolution, layout, built_for, table);
    let layer = MatrixRow {
        label: "the layer".into(),
        project: None,
        cells: targets
            .iter()
            .map(|t| {
                let listed = served.runtimes.contains(&t.runtime.name)
                    && served.architectures.contains(&t.arch);
                let script = scripts
                    .first()
                    .filter(|_| layout == wheelbarrow::layer::Layout::Python);
                let reason = if let (true, Some(script)) = (listed, script) {
                    format!(
                        "every file loads there and the layout is read there; but {script} is a script: if its #! names one Python (a #!python line does), the export lists only that runtime and says so"
                    )
                } else if listed {
                    "every file loads there and the layout is read there: the publish command lists it".to_string()
                } else {
                    served
                        .left_out
                        .iter()
                        .find(|(left, _)| left == t)
                        .map_or_else(|| "not listed".to_string(), |(_, why)| why.clone())
                };
                MatrixCell {
                    loads: listed,
                    reason,
                }
            })
            .collect(),
    };
    let column = targets.iter().position(|t| t == built_for).unwrap_or(0);
    let mut rows = vec![layer];
    rows.extend(packages);
    Matrix {
        subject: "the layer".into(),
        targets: targets.to_vec(),
        rows,
        row: 0,
        column,
        offers: None,
        mode: super::dialogs::matrix::grid::MatrixMode::Files,
        grid: None,
    }
}

/// The highlighted cell in words: its reason, and where it does not load, the newest release
/// that does (for a package) or those of the packages that do not (for the layer).
pub fn cell_words(m: &Matrix) -> String {
    let Some((row, cell)) = m
        .rows
        .get(m.row)
        .and_then(|row| row.cells.get(m.column).map(|cell| (row, cell)))
    else {
        return String::new();
    };
    let target = &m.targets[m.column];
    let mut words = format!("{} on {target}: {}", row.label, cell.reason);
    if cell.loads {
        return words;
    }
    let Some(offers) = &m.offers else {
        words.push_str(" · looking up the releases that load there…");
        return words;
    };
    let offer = |row: &MatrixRow| -> Option<String> {
        let name = row.label.split(' ').next().unwrap_or(&row.label);
        let chosen = row.label.split(' ').nth(1).unwrap_or_default();
        match offers.get(row.project.as_deref()?)? {
            Ok(per_target) => Some(match per_target.get(m.column)? {
                Some(v) if v == chosen => format!("{name} {v} has another file that loads there"),
                Some(v) => format!("the newest {name} that loads there is {v}"),
                None => format!("no release of {name} loads there"),
            }),
            Err(e) => Some(format!("{name}'s releases could not be read: {e}")),
        }
    };
    let found: Vec<String> = if row.project.is_some() {
        offer(row).into_iter().collect()
    } else {
        m.rows
            .iter()
            .filter(|r| r.project.is_some() && r.cells.get(m.column).is_some_and(|c| !c.loads))
            .filter_map(offer)
            .collect()
    };
    if !found.is_empty() {
        words.push_str(" · ");
        words.push_str(&found.join("; "));
    }
    words
}

/// The matrix of one release (`m` in the package pane): the release's own row (some file of it
/// loads there), then each of its files, against every target; the newest release that loads
/// where this one does not comes from the project page already open.
pub fn release_matrix(
    project: &wheelbarrow::index::Project,
    version: &str,
    built_for: &Target,
    targets: &[Target],
) -> Matrix {
    use wheelbarrow::wheel::{file_verdict, newest_loadable};
    let files: Vec<_> = project
        .files
        .iter()
        .filter(|f| f.version.as_deref() == Some(version))
        .collect();
    let file_rows: Vec<MatrixRow> = files
        .iter()
        .map(|f| MatrixRow {
            label: short_tags(&f.filename),
            project: None,
            cells: targets
                .iter()
                .map(|t| {
                    let verdict = file_verdict(*f, t);
                    MatrixCell {
                        loads: verdict.compatible && f.yanked.is_none(),
                        reason: format!("{}: {}", f.filename, verdict.reason),
                    }
                })
                .collect(),
        })
        .collect();
    let release = MatrixRow {
        label: format!("{} {version}", project.name),
        project: Some(wheelbarrow::normalize_name(&project.name)),
        cells: (0..targets.len())
            .map(|i| {
                let loading = file_rows.iter().find(|r| r.cells[i].loads);
                match loading {
                    Some(row) => MatrixCell {
                        loads: true,
                        reason: format!("{} loads there", row.label),
                    },
                    None => MatrixCell {
                        loads: false,
                        reason: format!("none of its {} files loads there", file_rows.len()),
                    },
                }
            })
            .collect(),
    };
    let offers = targets
        .iter()
        .map(|t| newest_loadable(project, t))
        .collect::<Vec<_>>();
    let key = wheelbarrow::normalize_name(&project.name);
    let mut rows = vec![release];
    rows.extend(file_rows);
    Matrix {
        subject: format!("{} {version}", project.name),
        targets: targets.to_vec(),
        rows,
        row: 0,
        column: targets.iter().position(|t| t == built_for).unwrap_or(0),
        offers: Some([(key, Ok(offers))].into_iter().collect()),
        mode: super::dialogs::matrix::grid::MatrixMode::Files,
        grid: None,
    }
}

/// A file's tags, short enough for the matrix's first column (the full name is in the words
/// below it): `cp312 ml2_28 x86`, `cp39 abi3 ml2_17 arm`, `py3 any`, `sdist`.
fn short_tags(filename: &str) -> String {
    let Some(stem) = filename.strip_suffix(".whl") else {
        return "sdist".into();
    };
    let mut parts = stem.rsplitn(4, '-');
    let (Some(platform), Some(abi), Some(python)) = (parts.next(), parts.next(), parts.next())
    else {
        return filename.to_string();
    };
    let first = |tags: &str| tags.split('.').next().unwrap_or(tags).to_string();
    let mut out = first(python);
    if abi == "abi3" {
        out.push_str(" abi3");
    }
    let platform = first(platform)
        .replace("manylinux_", "ml")
        .replace("manylinux", "ml")
        .replace("musllinux_", "musl")
        .replace("macosx_", "mac")
        .replace("_x86_64", " x86")
        .replace("_aarch64", " arm")
        .replace("_arm64", " arm")
        .replace("_universal2", " univ");
    out.push(' ');
    out.push_str(&platform);
    out
}
