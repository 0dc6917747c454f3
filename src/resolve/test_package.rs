//! A resolved package made from a wheel file name, for the engine's unit tests.

use super::ResolvedPackage;
use crate::index::DistFile;

impl ResolvedPackage {
    /// A requested package whose chosen file is the wheel `filename`, with the name and version
    /// it carries (for the engine's unit tests).
    pub(crate) fn for_tests(filename: &str, requires_python: Option<&str>) -> ResolvedPackage {
        let wheel = crate::wheel::WheelName::parse(filename).expect("a wheel file name");
        let url = url::Url::parse("http://127.0.0.1/files/")
            .and_then(|u| u.join(filename))
            .expect("a file URL");
        let file = DistFile {
            filename: filename.to_string(),
            url: url.clone(),
            version: Some(wheel.version.clone()),
            kind: crate::wheel::FileKind::Wheel,
            size: Some(1000),
            sha256: None,
            other_hashes: Vec::new(),
            requires_python: requires_python.map(String::from),
            yanked: None,
            upload_time: None,
            metadata: crate::index::MetadataFile::Unknown,
            source: crate::index::FileSource::Index,
        };
        ResolvedPackage {
            name: wheel.project.clone(),
            version: wheel.version.clone(),
            filename: filename.to_string(),
            size: Some(1000),
            sha256: None,
            url: url.to_string(),
            required_by: vec!["requested: test".into()],
            requested: true,
            pinned_file: false,
            runtime_provided: false,
            excluded: false,
            reason: String::new(),
            hashes: Vec::new(),
            requires_python: None,
            metadata: None,
            source: crate::index::FileSource::Index,
            file,
        }
    }
}
