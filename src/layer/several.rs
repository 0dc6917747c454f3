//! One zip for several runtimes: each runtime's own resolution laid out in its own
//! `python/lib/python3.X/site-packages`, side by side, as the AWS documentation's layout allows.
//!
//! Python 3.X reads only its own `site-packages` folder, so nothing can be shared between the
//! trees: a wheel chosen for two runtimes is stored twice. What that costs is said
//! ([`PlanWarning::StoredTwice`]). Scripts in `bin/` start one Python; when two runtimes bring
//! the same script, the newest runtime's is kept and that is said too.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use tokio_util::sync::CancellationToken;

use super::build::{
    Built, check_all, download_all, find_interpreters, on_blocking_thread, refuse_metadata_only,
    wheel_ids, write_zip,
};
use super::bytecode::{Compile, compile_plan};
use super::plan::{LayerPlan, PlanOptions, PlannedFile, Source, lay_out};
use super::{LayerError, Layout, PlanWarning};
use crate::index::{IndexClient, ZipEntry};
use crate::lambda::Limits;
use crate::resolve::{Resolution, ResolvedPackage};
use crate::work::Progress;

/// Downloads and checks every wheel of every resolution (each file once), lays each
/// resolution out in its runtime's `site-packages`, and writes them into one zip at `out`.
/// The resolutions must be for different Python versions on one architecture, in the
/// site-packages layout. The plan of the result counts every tree.
pub async fn build_several(
    client: &IndexClient,
    limits: &Limits,
    resolutions: &[&Resolution],
    options: &PlanOptions,
    out: &Path,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<Built, LayerError> {
    check_targets(resolutions, options)?;
    // Each wheel once, however many runtimes chose it.
    let mut unique: Vec<ResolvedPackage> = Vec::new();
    let mut index_of: Vec<Vec<(ResolvedPackage, usize)>> = Vec::new();
    for r in resolutions {
        let mut mine = Vec::new();
        for p in r.included() {
            let at = match unique.iter().position(|u| u.filename == p.filename) {
                Some(at) => at,
                None => {
                    unique.push(p.clone());
                    unique.len() - 1
                }
            };
            mine.push((p.clone(), at));
        }
        index_of.push(mine);
    }
    if unique.is_empty() && options.additions.is_empty() {
        return Err(LayerError::Empty(
            "every package of every resolution is left out (provided by the runtime, or excluded)"
                .into(),
        ));
    }
    let minors: Vec<u32> = resolutions
        .iter()
        .map(|r| r.target.runtime.python_minor)
        .collect();
    // Each tree by its own Python: compiled for each runtime whose interpreter is found.
    let found = find_interpreters(options, Vec::new(), minors, cancel).await?;
    let cache_dir = client.settings().cache_dir.clone();
    let paths = download_all(client, &unique, progress, cancel).await?;
    let limits = *limits;
    let targets: Vec<_> = resolutions.iter().map(|r| r.target.clone()).collect();
    let options = options.clone();
    let out = out.to_path_buf();
    let progress = progress.clone();
    let cancel = cancel.clone();
    on_blocking_thread(move || {
        let mut wheels = check_all(&unique, &paths, &limits, &progress, &cancel)?;
        let ids = wheel_ids(&unique, &wheels);
        let mut plans = Vec::new();
        for (target, mine) in targets.iter().zip(&index_of) {
            let listed: Vec<(ResolvedPackage, Vec<ZipEntry>)> = mine
                .iter()
                .map(|(p, at)| (p.clone(), wheels[*at].entries.clone()))
                .collect();
            let mut plan = lay_out(listed, target, &options)?;
            // Members point at the wheels as downloaded once.
            for f in &mut plan.files {
                if let Source::Wheel { package, .. } = &mut f.source {
                    *package = mine[*package].1;
                }
            }
            plans.push(plan);
        }
        let (mut plan, script_minor) = merge(plans);
        refuse_metadata_only(&plan)?;
        if let (Some(found), Some(bytecode)) = (&found, &options.bytecode) {
            let how = Compile {
                interpreters: &found.interpreters,
                without: &found.without,
                invalidation: bytecode.invalidation,
                cache_dir: &cache_dir,
            };
            compile_plan(&mut plan, &mut wheels, &ids, &how, &progress, &cancel)?;
        }
        write_zip(
            &plan,
            &wheels,
            &script_minor,
            &out,
            options.timestamp,
            &progress,
            &cancel,
        )
    })
    .await
}

/// Several runtimes need the site-packages layout, different Python versions, one architecture.
fn check_targets(resolutions: &[&Resolution], options: &PlanOptions) -> Result<(), LayerError> {
    let names: Vec<&str> = resolutions
        .iter()
        .map(|r| r.target.runtime.name.as_str())
        .collect();
    if options.layout != Layout::SitePackages && resolutions.len() > 1 {
        return Err(LayerError::Output(format!(
            "{} in one zip need the site-packages layout: python/ is one folder that every runtime reads, so it can hold one resolution only",
            names.join(" and ")
        )));
    }
    for (i, r) in resolutions.iter().enumerate() {
        for other in &resolutions[..i] {
            if other.target.runtime.python_minor == r.target.runtime.python_minor {
                return Err(LayerError::Output(format!(
                    "{} is named twice; each runtime gets one site-packages folder",
                    r.target.runtime.name
                )));
            }
            if other.target.arch != r.target.arch {
                return Err(LayerError::Output(format!(
                    "{} and {} are for different architectures; one zip is built for one",
                    other.target, r.target
                )));
            }
        }
    }
    Ok(())
}

/// The plans side by side: newest runtime first for paths they share (added files, `bin/`),
/// with what could not be shared said. Returns the merged plan and, for each script, the
/// Python minor its `#!` line is written for.
fn merge(mut plans: Vec<LayerPlan>) -> (LayerPlan, HashMap<String, u32>) {
    plans.sort_by_key(|p| std::cmp::Reverse(p.python_minor));
    let mut files: BTreeMap<String, (PlannedFile, u32)> = BTreeMap::new();
    let mut warnings = Vec::new();
    for plan in &plans {
        warnings.extend(plan.warnings.iter().cloned());
        for f in &plan.files {
            match files.get(&f.path) {
                None => {
                    files.insert(f.path.clone(), (f.clone(), plan.python_minor));
                }
                Some((kept, minor)) if is_script(kept) => {
                    warnings.push(PlanWarning::ScriptForOne {
                        path: f.path.clone(),
                        kept_for: format!("python3.{minor}"),
                        not_for: plan.target.runtime.name.clone(),
                    });
                }
                Some((kept, minor)) if !same_contents(kept, f) => {
                    warnings.push(PlanWarning::SamePath {
                        path: f.path.clone(),
                        first: format!("{} (for {})", f.owner, plan.target.runtime.name),
                        kept: format!("{} (for python3.{minor})", kept.owner),
                    });
                }
                Some(_) => {} // the same added file, or the same member of one wheel
            }
        }
    }
    if let Some(note) = stored_twice(&plans) {
        warnings.push(note);
    }
    let script_minor = files
        .iter()
        .filter(|(_, (f, _))| is_script(f))
        .map(|(path, (_, minor))| (path.clone(), *minor))
        .collect();
    let newest = &plans[0];
    let merged = LayerPlan {
        target: newest.target.clone(),
        python_minor: newest.python_minor,
        layout: Layout::SitePackages,
        packages: plans.iter().flat_map(|p| p.packages.clone()).collect(),
        files: files.into_values().map(|(f, _)| f).collect(),
        warnings,
        bytecode: sum_estimates(&plans),
    };
    (merged, script_minor)
}

/// The bytecode estimates of the trees, added up (each tree is compiled by its own Python).
fn sum_estimates(plans: &[LayerPlan]) -> Option<super::bytecode::BytecodeCost> {
    let mut costs = plans.iter().filter_map(|p| p.bytecode.as_ref());
    let mut sum = costs.next()?.clone();
    for cost in costs {
        sum.modules += cost.modules;
        sum.source_bytes += cost.source_bytes;
        sum.unzipped += cost.unzipped;
        sum.zipped += cost.zipped;
        sum.runtimes.extend(cost.runtimes.iter().cloned());
    }
    Some(sum)
}

/// The same bytes: one added file, or members with the same size and CRC-32.
fn same_contents(a: &PlannedFile, b: &PlannedFile) -> bool {
    match (&a.source, &b.source) {
        (Source::Local(x), Source::Local(y)) => x == y,
        (Source::Wheel { entry: x, .. }, Source::Wheel { entry: y, .. }) => {
            x.crc32 == y.crc32 && x.size == y.size
        }
        _ => false,
    }
}

fn is_script(f: &PlannedFile) -> bool {
    matches!(f.source, Source::Wheel { script: true, .. })
}

/// The wheels chosen by more than one runtime: stored once a tree, and what the extra copies
/// cost unzipped.
fn stored_twice(plans: &[LayerPlan]) -> Option<PlanWarning> {
    let mut by_file: BTreeMap<&str, (String, u64, usize)> = BTreeMap::new();
    for plan in plans {
        for p in &plan.packages {
            let e = by_file
                .entry(p.filename.as_str())
                .or_insert_with(|| (format!("{} {}", p.name, p.version), p.unzipped, 0));
            e.2 += 1;
        }
    }
    let shared: Vec<_> = by_file.values().filter(|(_, _, n)| *n > 1).collect();
    if shared.is_empty() {
        return None;
    }
    Some(PlanWarning::StoredTwice {
        runtimes: plans
            .iter()
            .map(|p| p.target.runtime.name.clone())
            .collect(),
        packages: shared.iter().map(|(label, _, _)| label.clone()).collect(),
        extra_bytes: shared
            .iter()
            .map(|(_, size, n)| size * (*n as u64 - 1))
            .sum(),
    })
}
