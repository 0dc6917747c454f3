//! Resolving against a running test index, with a cache of its own that is removed afterwards.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio_util::sync::CancellationToken;
use wheelbarrow::RuntimeTable;
use wheelbarrow::index::{IndexClient, IndexSettings};
use wheelbarrow::resolve::{Resolution, ResolveError, ResolveOptions, parse_requirement, resolve};
use wheelbarrow::work::Progress;

use super::server::TestIndex;

/// Resolves `reqs` for `runtime` on x86_64 against `index`.
pub fn resolve_on(
    index: &TestIndex,
    reqs: &[&str],
    runtime: &str,
    options: &ResolveOptions,
) -> Result<Resolution, ResolveError> {
    static RUN: AtomicU64 = AtomicU64::new(0);
    let cache = std::env::temp_dir().join(format!(
        "wb-resolve-{}-{}",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&cache);
    let client =
        IndexClient::new(IndexSettings::for_index(&index.simple(), cache.clone()).unwrap())
            .unwrap();
    let table = Arc::new(RuntimeTable::builtin());
    let target = table.target(Some(runtime), Some("x86_64")).unwrap();
    let requested = reqs
        .iter()
        .map(|r| parse_requirement(r, "test").unwrap())
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let result = rt.block_on(resolve(
        &client,
        &table,
        requested,
        &target,
        options,
        &Progress::none(),
        &CancellationToken::new(),
    ));
    let _ = std::fs::remove_dir_all(&cache);
    result
}

/// Resolves requirements already parsed (direct references, say) for `runtime` on x86_64
/// against `index`, with `find_links` searched beside it.
pub fn resolve_requested(
    index: &TestIndex,
    requested: Vec<wheelbarrow::resolve::Requested>,
    runtime: &str,
    find_links: Vec<wheelbarrow::index::FindLinks>,
) -> Result<Resolution, ResolveError> {
    static RUN: AtomicU64 = AtomicU64::new(0);
    let cache = std::env::temp_dir().join(format!(
        "wb-resolve-req-{}-{}",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&cache);
    let mut settings = IndexSettings::for_index(&index.simple(), cache.clone()).unwrap();
    settings.find_links = find_links;
    let client = IndexClient::new(settings).unwrap();
    let table = Arc::new(RuntimeTable::builtin());
    let target = table.target(Some(runtime), Some("x86_64")).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let result = rt.block_on(resolve(
        &client,
        &table,
        requested,
        &target,
        &ResolveOptions::default(),
        &Progress::none(),
        &CancellationToken::new(),
    ));
    let _ = std::fs::remove_dir_all(&cache);
    result
}
