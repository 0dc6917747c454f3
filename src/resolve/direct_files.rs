//! The wheels that requirements name directly (see `direct`), fetched before the solver runs:
//! each is downloaded (a local one read) once, its sha256 computed and checked against the
//! `#sha256=` fragment and any `--hash`, and its METADATA checked to name the project and
//! version its file name says (PEP 427; pip refuses a wheel that does not). The solver then
//! sees each as a project page holding that one file, pinned, so it is checked for the target
//! like a build picked by hand.

use std::collections::HashMap;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use super::error::ResolveError;
use super::provider::{ProjectInfo, Provider};
use super::requirements::Requested;
use crate::index::{CacheUse, DistFile, FileSource, IndexClient, IndexError, MetadataFile};
use crate::index::{Project, Served};
use crate::wheel::{FactsCell, normalize_name};
use crate::work::Progress;

/// Project (PEP 503 name) -> its directly named wheel, fetched and verified.
pub(super) async fn fetch(
    client: &IndexClient,
    requested: &[Requested],
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<HashMap<String, DistFile>, ResolveError> {
    let mut out: HashMap<String, DistFile> = HashMap::new();
    for r in requested {
        let Some(direct) = &r.direct else { continue };
        let project = r.project();
        let fail = |problem: String| ResolveError::Direct {
            origin: r.origin.clone(),
            problem,
        };
        if let Some(earlier) = out.get(&project) {
            if earlier.url == direct.url {
                continue;
            }
            return Err(fail(format!(
                "{project} is named twice by URL or path ({} and {}); name one wheel for it",
                crate::index::redact_url(&earlier.url),
                crate::index::redact_url(&direct.url)
            )));
        }
        let mut file = DistFile::new(&project, direct.filename.clone(), direct.url.clone());
        file.metadata = MetadataFile::Absent;
        file.source = FileSource::Direct;
        file.other_hashes.clone_from(&direct.other_hashes);
        let given: Vec<String> = direct.sha256.iter().chain(&r.hashes).cloned().collect();
        let fetched = match client.direct_wheel(&file, &given, progress, cancel).await {
            Ok(f) => f,
            Err(e @ IndexError::GivenHashMismatch { .. }) => return Err(fail(e.to_string())),
            Err(IndexError::Cancelled) => return Err(ResolveError::Cancelled),
            Err(e) => return Err(ResolveError::Index(e)),
        };
        let meta = client.metadata(&fetched).await?;
        let version = fetched.version.clone().unwrap_or_default();
        let same_version = meta.version.parse::<pep440_rs::Version>().ok()
            == version.parse::<pep440_rs::Version>().ok();
        if normalize_name(&meta.name) != project || !same_version {
            return Err(fail(format!(
                "{} says it is {} {} in its METADATA, not what its file name says ({project} {version}); pip refuses such a wheel too, so rebuild it",
                fetched.filename,
                crate::text::clean(&meta.name),
                crate::text::clean(&meta.version)
            )));
        }
        out.insert(project, fetched);
    }
    Ok(out)
}

/// Gives the solver each directly named wheel as its project's page, the file pinned: it is
/// never looked up on the index.
pub(super) fn insert_pages(provider: &Provider, direct: &HashMap<String, DistFile>) {
    for (name, file) in direct {
        let hashes = provider.hashes.as_ref().and_then(|h| h.get(name));
        let info = ProjectInfo::new(
            page(file),
            (&provider.target, &provider.also),
            Some(file.filename.as_str()),
            hashes.map(Vec::as_slice),
        );
        provider
            .projects
            .borrow_mut()
            .insert(name.clone(), Arc::new(info));
    }
}

/// The project page the solver sees for a directly named wheel: that one file.
fn page(file: &DistFile) -> Project {
    let name = file
        .wheel()
        .map_or_else(|| file.filename.clone(), |w| w.project.replace('_', "-"));
    Project {
        name,
        summary: None,
        versions: file.version.iter().cloned().collect(),
        files: vec![file.clone()],
        requires_dist: None,
        served: Served {
            api: "a wheel named directly",
            cache: CacheUse::Network,
        },
        facts: FactsCell::default(),
    }
}
