//! Publishing a layer zip as a Lambda layer version, with the credentials and region the AWS
//! CLI would use, and no new version when the newest one already holds these exact bytes.
//!
//! ```text
//!  PublishRequest ──check──▶ (name, description, runtimes, architectures, zip: no network)
//!  Session::connect ──▶ region, credentials, account (sts:GetCallerIdentity)
//!  Session::publish ──▶ CodeSha256 ▶ newest version's CodeSha256 and settings
//!        same bytes, same settings ──▶ Unchanged (that version's ARN), unless forced
//!        else ≤ 50 MB: PublishLayerVersion with the zip │ > 50 MB: S3 PutObject, then from S3
//!        ──▶ Published, also written beside the zip (`NAME.published.json`)
//! ```
//!
//! Both front ends call the same two steps: the TUI connects first to show the account and
//! region in its confirmation, the CLI runs them one after the other. Like every long job they
//! take a [`Progress`](crate::work::Progress) sink and a `CancellationToken`.

mod check;
mod compat;
mod decision;
mod error;
mod record;
mod run;
mod session;

use std::path::PathBuf;

pub use check::{
    check_layer_name, check_request, check_settings, code_sha256, parse_architectures,
};
pub use compat::default_compatibility;
pub use decision::{Decision, Newest, Setting};
pub use error::PublishError;
pub use record::{Published, Upload, read_record, record_path};
pub use session::{AwsSettings, Session};

use crate::lambda::Arch;

/// What to publish, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishRequest {
    pub zip: PathBuf,
    pub layer_name: String,
    pub description: Option<String>,
    /// Lambda's runtime identifiers (`python3.12`), at most 15.
    pub runtimes: Vec<String>,
    /// At most 2.
    pub architectures: Vec<Arch>,
    /// The bucket a zip over the direct-upload limit goes through (in the same region).
    pub s3_bucket: Option<String>,
    /// Publish a new version even when the newest one holds the same bytes and settings.
    pub force: bool,
}

impl PublishRequest {
    pub fn new(zip: impl Into<PathBuf>, layer_name: impl Into<String>) -> PublishRequest {
        PublishRequest {
            zip: zip.into(),
            layer_name: layer_name.into(),
            description: None,
            runtimes: Vec::new(),
            architectures: Vec::new(),
            s3_bucket: None,
            force: false,
        }
    }

    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> PublishRequest {
        self.description = Some(description.into());
        self
    }

    #[must_use]
    pub fn runtimes<I, S>(mut self, runtimes: I) -> PublishRequest
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.runtimes = runtimes.into_iter().map(Into::into).collect();
        self
    }

    #[must_use]
    pub fn architectures(
        mut self,
        architectures: impl IntoIterator<Item = Arch>,
    ) -> PublishRequest {
        self.architectures = architectures.into_iter().collect();
        self
    }

    #[must_use]
    pub fn s3_bucket(mut self, bucket: impl Into<String>) -> PublishRequest {
        self.s3_bucket = Some(bucket.into());
        self
    }

    #[must_use]
    pub fn force(mut self, force: bool) -> PublishRequest {
        self.force = force;
        self
    }
}
