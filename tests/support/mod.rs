//! Shared test support: deterministic wheels, a loopback package index with failure
//! injection, and a tiny raw HTTP client for poking at it.
//!
//! Use from an integration test with `mod support;`.
#![allow(dead_code, unused_imports)]

pub mod bomb;
pub mod cli;
pub mod http;
pub mod locks;
pub mod matrix;
pub mod moto;
pub mod resolving;
pub mod server;
pub mod silent;
pub mod tool;
pub mod uv;
pub mod wheel;

pub use http::{RawResponse, get, request};
pub use resolving::{resolve_on, resolve_requested};
pub use server::{
    FileOptions, IndexOptions, RequestLog, SimpleFormat, TestIndex, UrlStyle, metadata_field,
    metadata_fields,
};
pub use wheel::{Wheel, WheelBuilder, hex, normalize, sdist_bytes, sha256_hex, urlsafe_b64_nopad};

/// A tokio runtime for tests that drive the engine's async calls: two workers, as the machine's
/// cores, with I/O and time.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}
