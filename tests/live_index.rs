//! The live suite: the real default index, over the network. Ignored by a plain `cargo test`
//! (which must pass offline); `.ci/run` runs it with `cargo test --test live_index -- --ignored`.

use tokio_util::sync::CancellationToken;
use wheelbarrow::RuntimeTable;
use wheelbarrow::index::{ContentsVia, IndexClient, IndexSettings, file_sha256};
use wheelbarrow::wheel::{newest_release, release_verdicts};

fn client(tag: &str) -> (IndexClient, std::path::PathBuf) {
    let cache = std::env::temp_dir().join(format!("wb-live-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    let mut env: std::collections::HashMap<String, String> = std::env::vars().collect();
    env.remove("PIP_INDEX_URL");
    env.insert("PIP_CONFIG_FILE".into(), "/dev/null".into());
    env.insert("WHEELBARROW_CACHE_DIR".into(), cache.display().to_string());
    let settings = IndexSettings::from_sources(None, &env, None).unwrap();
    assert_eq!(settings.index_source, "default");
    (IndexClient::new(settings).unwrap(), cache)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
#[ignore = "live: talks to the public index"]
fn real_projects_list_their_files_with_sha256_and_sizes() {
    let (client, cache) = client("files");
    runtime().block_on(async {
        for name in ["requests", "numpy", "pydantic-core"] {
            let project = client.project(name).await.unwrap();
            let newest = newest_release(&project).unwrap().clone();
            let files: Vec<_> = project
                .files
                .iter()
                .filter(|f| f.version.as_ref() == Some(&newest))
                .collect();
            assert!(!files.is_empty(), "{name} {newest} has files");
            for f in files {
                let sha = f.sha256.as_deref().unwrap_or_default();
                assert_eq!(sha.len(), 64, "{} has a sha256", f.filename);
                assert!(f.size.unwrap_or(0) > 0, "{} has a size", f.filename);
            }
        }
    });
    std::fs::remove_dir_all(cache).unwrap();
}

#[test]
#[ignore = "live: talks to the public index"]
fn sizes_read_by_range_requests_equal_those_of_the_downloaded_wheel() {
    let (client, cache) = client("contents");
    let table = RuntimeTable::builtin();
    let target = table.target(Some("python3.12"), Some("x86_64")).unwrap();
    runtime().block_on(async {
        for name in ["pydantic-core", "orjson"] {
            let project = client.project(name).await.unwrap();
            let version = newest_release(&project).unwrap().clone();
            let release = release_verdicts(&project, &version, &target);
            let best = &release.files[release.best.expect("a wheel loads")].file;
            let contents = client.contents(best).await.unwrap();
            assert_eq!(contents.via, ContentsVia::RangeRequests);
            assert!(
                contents.transferred * 2 < contents.wheel_size,
                "{name}: read {} of {} bytes",
                contents.transferred,
                contents.wheel_size
            );
            let meta = client.metadata(best).await.unwrap();
            assert_eq!(wheelbarrow::normalize_name(&meta.name), name);

            let path = client
                .download(
                    best,
                    &wheelbarrow::work::Progress::none(),
                    &CancellationToken::new(),
                )
                .await
                .unwrap();
            assert_eq!(file_sha256(&path).unwrap(), best.sha256.clone().unwrap());
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
            assert_eq!(zip.len(), contents.entries.len());
            for entry in &contents.entries {
                let member = zip.by_name(&entry.name).unwrap();
                assert_eq!(member.size(), entry.size, "{}", entry.name);
            }
        }
    });
    std::fs::remove_dir_all(cache).unwrap();
}
