//! The size budget: what the layer costs against Lambda's limits, in words a user can act on.

use serde::Serialize;

use super::plan::LayerPlan;
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
    /// What to know, in plain words.
    pub notes: Vec<String>,
}

pub fn budget(plan: &LayerPlan, limits: &Limits, reserved: u64) -> Budget {
    let unzipped = plan.unzipped();
    let zipped = plan.zipped();
    let room = limits.unzipped_bytes.saturating_sub(reserved);
    let mut biggest: Vec<(String, u64)> = plan
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.unzipped))
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
    let names = |list: &[(String, u64)]| {
        list.iter()
            .map(|(n, s)| format!("{n} {}", human_bytes(*s)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let reserve_note = if reserved > 0 {
        format!(
            " with {} kept for your function and other layers",
            human_bytes(reserved)
        )
    } else {
        String::new()
    };
    if fits {
        #[allow(clippy::cast_precision_loss)] // a percentage for people
        let share = unzipped as f64 * 100.0 / room.max(1) as f64;
        notes.push(format!(
            "Unzipped {} of the {} Lambda allows{reserve_note} ({share:.0}%).",
            human_bytes(unzipped),
            human_bytes(room)
        ));
    } else {
        notes.push(format!(
            "Too big: the layer unzips to {}, and Lambda allows {}{reserve_note} for the function and all its layers together (\"Unzipped size must be smaller than {} bytes\"). Over by {}. Biggest: {}.",
            human_bytes(unzipped),
            human_bytes(room),
            limits.unzipped_bytes,
            human_bytes(unzipped - room),
            names(&biggest)
        ));
    }
    if !runtime_provided.is_empty() {
        let saved: u64 = runtime_provided.iter().map(|(_, s)| s).sum();
        notes.push(format!(
            "The runtime already has {}: leaving them out (--exclude-runtime-provided) saves {}, but then your code gets whatever versions the runtime has.",
            names(&runtime_provided),
            human_bytes(saved)
        ));
    }
    if !fits_direct_upload {
        notes.push(format!(
            "The zip is {}, over the {} a direct upload allows: upload it to S3 and publish from there (the command below does).",
            human_bytes(zipped),
            human_bytes(limits.zipped_direct_upload_bytes)
        ));
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
