//! What `build --compile` says of the bytecode: planned (an estimate) and built (counted).

use std::fmt::Write as _;

use wheelbarrow::layer::bytecode::BytecodeCost;
use wheelbarrow::units::human_bytes;

use super::paint::Paint;

/// The line of the plan, before building: what the bytecode will add, said as an estimate.
pub fn planned_text(cost: &BytecodeCost) -> String {
    format!(
        "Bytecode for {}: {} ({} of source), about {} unzipped and {} zipped more (an estimate from the sources' sizes).",
        cost.runtimes.join(", "),
        wheelbarrow::units::count(cost.modules, "module"),
        human_bytes(cost.source_bytes),
        human_bytes(cost.unzipped),
        human_bytes(cost.zipped)
    )
}

/// The lines of the summary: compiled by what, what it added, what was skipped or left out.
pub fn built_text(cost: &BytecodeCost, paint: Paint) -> String {
    let mut out = String::new();
    let by: Vec<String> = cost
        .interpreters
        .iter()
        .map(|i| {
            format!(
                "python3.{} by {} (Python {}, {})",
                i.minor,
                i.path.display(),
                i.version,
                i.found_by.label()
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "Bytecode ({}): {} compiled for {} ({} of {} compilations from the cache).",
        cost.invalidation,
        wheelbarrow::units::count(cost.modules, "module"),
        by.join(", "),
        cost.from_cache,
        cost.units
    );
    if !cost.without.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint.warning(format_args!(
                "No bytecode for {}: no interpreter of that version was found (they compile at each cold start).",
                cost.without.join(", ")
            ))
        );
    }
    if !cost.skipped.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint.warning(format_args!(
                "{} files do not compile and have no bytecode (Python fails on them only if they are imported):",
                cost.skipped.len()
            ))
        );
        for s in cost.skipped.iter().take(10) {
            let _ = writeln!(out, "  {}: {}", s.path, s.error);
        }
        if cost.skipped.len() > 10 {
            let _ = writeln!(
                out,
                "  … and {} more (--json lists them all)",
                cost.skipped.len() - 10
            );
        }
    }
    out
}
