//! Core metadata (the `METADATA` file of a wheel): the header fields the resolver needs.

use serde::Serialize;
use url::Url;

use super::error::IndexError;
use super::http::redact;
use super::project::DistFile;
use crate::wheel::normalize_name;

/// The fields of a distribution's core metadata that wheelbarrow uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CoreMetadata {
    pub name: String,
    pub version: String,
    pub summary: Option<String>,
    pub requires_python: Option<String>,
    pub requires_dist: Vec<String>,
    pub provides_extra: Vec<String>,
}

impl CoreMetadata {
    /// Parses the RFC 822-style header block; the description body after it is ignored.
    /// Returns `None` when there is no `Name` and `Version`, i.e. this is not core metadata.
    pub fn parse(text: &str) -> Option<CoreMetadata> {
        let mut meta = CoreMetadata::default();
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in text.lines() {
            if line.is_empty() {
                break; // the body (long description) starts here
            }
            if line.starts_with([' ', '\t']) {
                if let Some((_, value)) = fields.last_mut() {
                    value.push('\n');
                    value.push_str(line.trim());
                }
                continue;
            }
            if let Some((key, value)) = line.split_once(':') {
                fields.push((key.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
        }
        for (key, value) in fields {
            match key.as_str() {
                "name" => meta.name = value,
                "version" => meta.version = value,
                "summary" => meta.summary = Some(value),
                "requires-python" => meta.requires_python = Some(value),
                "requires-dist" => meta.requires_dist.push(value),
                "provides-extra" => meta.provides_extra.push(value),
                _ => {}
            }
        }
        (!meta.name.is_empty() && !meta.version.is_empty()).then_some(meta)
    }
}

/// The index's `.metadata` file of a wheel names that wheel's project and version: one that
/// names another is refused (the build compares the rest with the wheel itself).
pub(super) fn describes(
    file: &DistFile,
    metadata: &CoreMetadata,
    url: &Url,
) -> Result<(), IndexError> {
    let Some(wheel) = file.wheel() else {
        return Ok(());
    };
    let same_version = match (
        metadata.version.parse::<pep440_rs::Version>(),
        wheel.version.parse::<pep440_rs::Version>(),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => metadata.version == wheel.version,
    };
    if normalize_name(&metadata.name) == wheel.normalized && same_version {
        return Ok(());
    }
    Err(IndexError::MetadataMismatch {
        filename: file.filename.clone(),
        url: redact(url),
        said: format!(
            "Name: {}, Version: {} (the file is {} {})",
            crate::text::clean(&metadata.name),
            crate::text::clean(&metadata.version),
            wheel.project,
            wheel.version
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_are_read_and_the_body_ignored() {
        let text = "Metadata-Version: 2.1\nName: requests\nVersion: 2.32.3\nSummary: HTTP for Humans.\nRequires-Python: >=3.8\nRequires-Dist: charset-normalizer<4,>=2\nRequires-Dist: PySocks!=1.5.7,>=1.5.6; extra == \"socks\"\nProvides-Extra: socks\n\nRequires-Dist: not-a-header\n";
        let m = CoreMetadata::parse(text).unwrap();
        assert_eq!(m.name, "requests");
        assert_eq!(m.requires_python.as_deref(), Some(">=3.8"));
        assert_eq!(m.requires_dist.len(), 2);
        assert_eq!(m.provides_extra, ["socks"]);
    }

    #[test]
    fn text_without_name_and_version_is_not_metadata() {
        assert!(CoreMetadata::parse("<html>oops</html>").is_none());
    }
}
