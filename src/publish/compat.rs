//! The compatible runtimes and architectures a layer is published with when none are given:
//! the set the zip itself serves ([`crate::layer::served_by_zip`]: every runtime on which every
//! distribution of the layer loads, given its layout), since Lambda never checks them and
//! tooling trusts them.

use std::path::Path;

use super::PublishError;
use crate::lambda::RuntimeTable;
use crate::layer::{Served, served_by_zip};

/// What `zip` serves; refused in words when it serves no runtime (nothing true to list).
pub fn default_compatibility(zip: &Path, table: &RuntimeTable) -> Result<Served, PublishError> {
    // A zip that is not there is said as such, not as runtimes that could not be read.
    if let Err(e) = std::fs::metadata(zip) {
        return Err(super::check::unreadable_zip(zip, e));
    }
    let served = served_by_zip(zip, table).map_err(|e| {
        PublishError::Compatibility(format!(
            "the runtimes {} serves could not be read from it: {e}",
            zip.display()
        ))
    })?;
    if served.runtimes.is_empty() || served.architectures.is_empty() {
        return Err(PublishError::Compatibility(format!(
            "{} {}, so there are no compatible runtimes to list",
            zip.display(),
            served.summary()
        )));
    }
    Ok(served)
}
