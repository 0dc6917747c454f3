//! What bytecode will add, before anything is built: from the sources' sizes in the plan.
//!
//! Measured on CPython 3.11's own library (851 modules, 13.1 MB of source): 15.6 MB of `.pyc`
//! (1.19 bytes per byte of source) that deflate to 6.2 MB (40%). The figures are said as an
//! estimate; after the build they are counted.

use super::{BytecodeCost, Invalidation, Tree, is_source, pyc_path, tree_of};
use crate::layer::plan::{PlannedFile, entry_overhead};

/// Bytecode bytes per 100 bytes of source.
const PYC_PER_100_SOURCE: u64 = 120;
/// Zipped bytes per 100 bytes of bytecode.
const ZIPPED_PER_100_PYC: u64 = 40;

/// The estimated cost of compiling every source of `files` for `minors` (the Pythons that read
/// the `python/` tree; a `site-packages` tree is compiled by its own Python only).
pub fn estimate(files: &[PlannedFile], minors: &[u32], invalidation: Invalidation) -> BytecodeCost {
    let mut cost = BytecodeCost {
        estimated: true,
        invalidation,
        ..BytecodeCost::default()
    };
    let mut runtimes = std::collections::BTreeSet::new();
    let mut dirs = std::collections::BTreeSet::new();
    for f in files.iter().filter(|f| is_source(&f.path)) {
        let for_minors: Vec<u32> = match tree_of(&f.path) {
            Some(Tree::Site(minor)) => vec![minor],
            _ => minors.to_vec(),
        };
        for minor in for_minors {
            runtimes.insert(minor);
            let pyc = pyc_path(&f.path, &format!("cpython-3{minor}")).unwrap_or_default();
            let bytes = f.size * PYC_PER_100_SOURCE / 100;
            cost.modules += 1;
            cost.source_bytes += f.size;
            cost.unzipped += bytes;
            cost.zipped += bytes * ZIPPED_PER_100_PYC / 100 + entry_overhead(&pyc);
            if let Some((dir, _)) = pyc.rsplit_once('/') {
                dirs.insert(format!("{dir}/"));
            }
        }
    }
    cost.zipped += dirs.iter().map(|d| entry_overhead(d)).sum::<u64>();
    cost.runtimes = runtimes.iter().map(|m| format!("python3.{m}")).collect();
    cost
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::plan::{LayerPlan, Source};
    use crate::layer::{Layout, budget};

    fn file(path: &str, size: u64) -> PlannedFile {
        PlannedFile {
            path: path.into(),
            size,
            compressed: size / 3,
            executable: false,
            owner: "pkg".into(),
            source: Source::Local(path.into()),
        }
    }

    #[test]
    fn the_estimate_counts_each_source_once_per_python_that_reads_its_tree() {
        let files = [
            file("python/pkg/__init__.py", 1000),
            file("python/pkg/data.txt", 5000),
            file("python/lib/python3.12/site-packages/x.py", 2000),
            file("bin/tool.py", 700),
        ];
        let cost = estimate(&files, &[11, 12], Invalidation::UncheckedHash);
        assert!(cost.estimated);
        assert_eq!(cost.modules, 3); // __init__ for 3.11 and 3.12, x.py for 3.12 only
        assert_eq!(cost.source_bytes, 4000);
        assert_eq!(cost.unzipped, 4800);
        assert_eq!(cost.runtimes, ["python3.11", "python3.12"]);
        assert!(cost.zipped > 4800 * 40 / 100, "{}", cost.zipped);
    }

    #[test]
    fn a_plans_budget_counts_the_estimated_bytecode_and_says_it_is_an_estimate() {
        let table = crate::lambda::RuntimeTable::builtin();
        let files = vec![file("python/pkg/__init__.py", 10_000)];
        let bytecode = Some(estimate(&files, &[11], Invalidation::UncheckedHash));
        let plan = LayerPlan {
            target: table.default_target(),
            python_minor: 11,
            layout: Layout::Python,
            packages: Vec::new(),
            files,
            warnings: Vec::new(),
            bytecode,
        };
        let budget = budget(&plan, &table.limits, 0);
        assert_eq!(budget.unzipped, 22_000);
        let notes: Vec<String> = budget.notes.iter().map(ToString::to_string).collect();
        assert!(
            notes.contains(&"Bytecode for python3.11 adds about 11.7 KB unzipped and about 5.0 KB zipped (1 module; an estimate from the sources' sizes until it is built), so cold starts import instead of compiling.".to_string()),
            "{notes:?}"
        );
    }
}
