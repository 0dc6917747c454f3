//! The size budget: what the layer costs against Lambda's limits, in words a user can act on.

use serde::Serialize;

pub use super::budget_note::BudgetNote;
use super::plan::{LayerPlan, Source};
use crate::lambda::Limits;
use crate::units::human_bytes;

#[derive(Debug, Clone, Serialize)]
pub struct Budget {
    /// Unzipped bytes of the layer.
    pub unzipped: u64,
    /// Bytes of the zip.
    pub zipped: u64,
    /// Lambda's limit for the function and all its layers, unzipped.
    pub unzipped_limit: u64,
    /// Room the user keeps for function code and other layers.
    pub reserved: u64,
    /// The most zip bytes Lambda takes in a direct upload.
    pub direct_upload_limit: u64,
    pub fits: bool,
    pub fits_direct_upload: bool,
    /// The biggest packages, largest first: (name, unzipped bytes).
    pub biggest: Vec<(String, u64)>,
    /// Packages the runtime already has that are in the layer: (name, unzipped bytes).
    pub runtime_provided: Vec<(String, u64)>,
    /// What to know, as data; each note's `Display` says it in plain words.
    pub notes: Vec<BudgetNote>,
}

/// The room kept for the function's code and other layers, given in whole megabytes: less than
/// Lambda's unzipped limit, or nothing would be left for the layer.
///
/// # Errors
/// A reserve at or over the limit, in words with the limit's exact figure.
pub fn reserve_from_mb(mb: u64, limits: &Limits) -> Result<u64, String> {
    const MB: u64 = 1024 * 1024;
    let limit = limits.unzipped_bytes;
    mb.checked_mul(MB).filter(|bytes| *bytes < limit).ok_or_else(|| {
        format!(
            "a reserve of {mb} MB is not less than the {} ({} bytes) Lambda allows unzipped for the function and all its layers, so nothing would be left for this layer; keep less than {} MB",
            human_bytes(limit),
            crate::units::grouped(limit),
            limit.div_ceil(MB)
        )
    })
}

pub fn budget(plan: &LayerPlan, limits: &Limits, reserved: u64) -> Budget {
    let unzipped = plan.unzipped();
    let zipped = plan.zipped();
    let room = limits.unzipped_bytes.saturating_sub(reserved);
    // Packages and the files of your own side by side: a big addition is as much to weigh.
    let mut biggest: Vec<(String, u64)> = plan
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.unzipped))
        .chain(
            plan.files
                .iter()
                .filter(|f| matches!(f.source, Source::Local(_)))
                .map(|f| (format!("{} (added)", f.path), f.size)),
        )
        .collect();
    biggest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    biggest.truncate(5);
    let runtime_provided: Vec<(String, u64)> = plan
        .packages
        .iter()
        .filter(|p| p.runtime_provided)
        .map(|p| (p.name.clone(), p.unzipped))
        .collect();
    let fits = unzipped <= room;
    let fits_direct_upload = zipped <= limits.zipped_direct_upload_bytes;
    let mut notes = Vec::new();
    if fits {
        #[allow(clippy::cast_precision_loss)] // a percentage for people
        let percent = unzipped as f64 * 100.0 / room.max(1) as f64;
        notes.push(BudgetNote::Fits {
            unzipped,
            room,
            reserved,
            percent,
        });
    } else {
        notes.push(BudgetNote::TooBig {
            unzipped,
            room,
            reserved,
            limit: limits.unzipped_bytes,
            biggest: biggest.clone(),
        });
    }
    if !runtime_provided.is_empty() {
        notes.push(BudgetNote::RuntimeProvided {
            packages: runtime_provided.clone(),
            saves: runtime_provided.iter().map(|(_, s)| s).sum(),
        });
    }
    if let Some(cost) = &plan.bytecode {
        notes.push(BudgetNote::Bytecode {
            estimated: cost.estimated,
            modules: cost.modules,
            unzipped: cost.unzipped,
            zipped: cost.zipped,
            runtimes: cost.runtimes.clone(),
        });
    }
    if !fits_direct_upload {
        notes.push(BudgetNote::OverDirectUpload {
            zipped,
            limit: limits.zipped_direct_upload_bytes,
        });
    }
    Budget {
        unzipped,
        zipped,
        unzipped_limit: limits.unzipped_bytes,
        reserved,
        direct_upload_limit: limits.zipped_direct_upload_bytes,
        fits,
        fits_direct_upload,
        biggest,
        runtime_provided,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::plan::PlannedFile;

    #[test]
    fn the_biggest_named_when_too_big_include_files_of_your_own() {
        let table = crate::RuntimeTable::builtin();
        let added = |path: &str, size: u64| PlannedFile {
            path: path.into(),
            size,
            compressed: size / 1000,
            executable: false,
            owner: "added".into(),
            source: Source::Local(path.into()),
        };
        let plan = LayerPlan {
            target: table.default_target(),
            python_minor: 12,
            layout: crate::layer::Layout::default(),
            packages: Vec::new(),
            files: vec![added("data/big.bin", 300 << 20), added("lib/small.so", 10)],
            warnings: Vec::new(),
            bytecode: None,
        };
        let budget = budget(&plan, &table.limits, 0);
        assert!(!budget.fits);
        assert_eq!(
            budget.biggest[0],
            ("data/big.bin (added)".to_string(), 300 << 20)
        );
        assert!(
            budget.notes[0]
                .to_string()
                .contains("Biggest: data/big.bin (added)"),
            "{}",
            budget.notes[0]
        );
        // Zipped as stored: the zip gauge and the upload advice follow the stored bytes.
        assert!(budget.fits_direct_upload, "{}", budget.zipped);
    }
}
