//! The package index client: project pages from the PyPI JSON API or any PEP 503/691 Simple API,
//! a wheel's METADATA and file list without downloading it (PEP 658 files, else HTTP range
//! requests), downloads checked against their sha256, and an on-disk cache that also serves
//! offline work.
//!
//! ```no_run
//! # async fn demo() -> Result<(), wheelbarrow::index::IndexError> {
//! use wheelbarrow::index::{IndexClient, IndexSettings};
//!
//! let client = IndexClient::new(IndexSettings::from_environment(None)?)?;
//! let project = client.project("requests").await?;
//! let newest = &project.versions[0];
//! let wheel = project
//!     .files
//!     .iter()
//!     .find(|f| f.version.as_ref() == Some(newest) && f.filename.ends_with(".whl"))
//!     .unwrap();
//! let contents = client.contents(wheel).await?;
//! println!("{} files, {} bytes read", contents.entries.len(), contents.transferred);
//! # Ok(()) }
//! ```

mod cache;
mod cache_state;
mod client;
mod digests;
mod direct;
mod download;
mod error;
mod find_links;
mod flights;
mod http;
mod json_api;
mod local;
mod memo;
mod metadata;
mod pip_conf;
mod project;
mod remote_wheel;
mod requests;
mod root;
mod scrub;
mod settings;
mod simple;
pub mod stale;
mod store;
mod timeouts;
pub mod zipdir;

pub use cache::{hex, sha256_hex, temp_path, write_atomically, write_private};
pub use cache_state::{CacheProblem, take_cache_problems};
pub(crate) use cache_state::{folder_words, unwritable};
pub use client::{ContentsVia, IndexClient, WheelContents, describe_cache_use};
pub use error::IndexError;
pub use find_links::FindLinks;
pub use http::redact as redact_url;
pub use local::is_local;
pub use metadata::CoreMetadata;
pub use project::{CacheUse, DistFile, FileKind, FileSource, MetadataFile, Project, Served};
pub use requests::percent_decode;
pub use root::RootAnswer;
pub use settings::{DEFAULT_INDEX_URL, IndexApi, IndexSettings};
pub use store::file_sha256;
pub use timeouts::{DEFAULT_TIMEOUT, seconds_text, timeout_from_environment};
pub use zipdir::ZipEntry;
