//! The compatible runtimes and architectures a layer is published with when none are given:
//! the set the zip itself serves (every runtime on which every file of the layer loads, given
//! its layout), since Lambda never checks them and tooling trusts them.

use std::path::Path;

use super::PublishError;
use crate::lambda::{Arch, RuntimeTable};

/// The runtimes and architectures `zip` serves.
pub fn default_compatibility(
    zip: &Path,
    table: &RuntimeTable,
) -> Result<(Vec<String>, Vec<Arch>), PublishError> {
    let _ = table;
    Err(PublishError::Compatibility(format!(
        "the runtimes and architectures {} serves cannot be read from it yet",
        zip.display()
    )))
}
