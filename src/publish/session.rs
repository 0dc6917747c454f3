//! The AWS side: configuration, credentials and region found exactly as the AWS CLI finds them
//! (aws-config's default chain: environment, profiles, SSO, `credential_process`, web identity,
//! container and instance roles), `AWS_ENDPOINT_URL` honoured as the SDK honours it, and the
//! account the credentials belong to.
//!
//! Every call is bounded: connecting, and waiting for the first byte of an answer, by
//! `WHEELBARROW_TIMEOUT` (as the index client's requests), and each call as a whole, retries
//! included, by the same; a call that sends the zip gets that plus the time to send it at a
//! slow but working pace (see [`Session::upload_timeout`]), and the SDK's stalled-stream
//! protection ends an upload that stops moving.

use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_sdk_lambda::config::ProvideCredentials as _;
use tokio_util::sync::CancellationToken;

use super::PublishError;
use super::error::{chain, from_sdk};

/// Which AWS settings to use; `None` leaves each to the environment and the config files, as
/// the AWS CLI does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsSettings {
    pub region: Option<String>,
    pub profile: Option<String>,
    /// The bound on each network wait; `None` reads `WHEELBARROW_TIMEOUT` (else 30 s), as the
    /// index client does.
    pub timeout: Option<Duration>,
}

/// The slowest upload pace a call that sends the zip is given time for, in bytes a second.
const SLOWEST_UPLOAD_BYTES_PER_SEC: u64 = 64 * 1024;

/// A connection to AWS: the account and region publishing will use, and the clients.
#[derive(Debug, Clone)]
pub struct Session {
    pub account: String,
    pub region: String,
    /// The profile asked for, if any.
    pub profile: Option<String>,
    /// Where requests go: `AWS_ENDPOINT_URL` (or the profile's `endpoint_url`) when set.
    pub endpoint: Option<String>,
    /// The bound on each network wait.
    pub timeout: Duration,
    pub(crate) lambda: aws_sdk_lambda::Client,
    pub(crate) s3: aws_sdk_s3::Client,
}

impl Session {
    /// Loads the configuration, resolves credentials and asks STS whose they are.
    pub async fn connect(
        settings: &AwsSettings,
        cancel: &CancellationToken,
    ) -> Result<Session, PublishError> {
        let timeout = match settings.timeout {
            Some(timeout) => timeout,
            None => crate::index::timeout_from_environment()
                .map_err(|e| PublishError::Setting(e.to_string()))?,
        };
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .timeout_config(timeouts(timeout, timeout));
        if let Some(profile) = &settings.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &settings.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        // Loading reads files and may ask an SSO portal or an instance's metadata service:
        // bounded too (their clients take the timeouts above; this is the backstop).
        let config = Box::pin(guarded(cancel, bounded(timeout, loader.load())))
            .await?
            .ok_or_else(|| PublishError::TimedOut {
                action: "loading the AWS configuration",
                endpoint: "the credential and configuration sources".into(),
                after: timeout,
            })?;
        let profile = settings.profile.clone();
        let Some(region) = config.region().map(ToString::to_string) else {
            return Err(PublishError::NoRegion { profile });
        };
        let Some(provider) = config.credentials_provider() else {
            return Err(PublishError::NoCredentials {
                profile,
                detail: "no credentials provider is configured".into(),
            });
        };
        match guarded(cancel, bounded(timeout, provider.provide_credentials())).await? {
            Some(Ok(_)) => {}
            Some(Err(e)) => {
                return Err(PublishError::NoCredentials {
                    profile,
                    detail: chain(&e),
                });
            }
            None => {
                return Err(PublishError::TimedOut {
                    action: "finding credentials",
                    endpoint: "the credential sources (profile, SSO, credential_process, instance or container role)".into(),
                    after: timeout,
                });
            }
        }
        let endpoint = config.endpoint_url().map(ToString::to_string);
        let shown = endpoint
            .clone()
            .unwrap_or_else(|| format!("the {region} endpoints"));
        let identity = guarded(
            cancel,
            aws_sdk_sts::Client::new(&config)
                .get_caller_identity()
                .send(),
        )
        .await?
        .map_err(|e| from_sdk(&e, "sts:GetCallerIdentity", &shown, timeout))?;
        let account = identity.account().map_or_else(
            || "an unknown account".into(),
            |a| crate::text::clean(a).into_owned(),
        );
        // A custom endpoint (LocalStack, moto) takes path-style bucket addresses, as the AWS
        // CLI sends them there.
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(endpoint.is_some())
            .build();
        Ok(Session {
            account,
            region,
            profile: settings.profile.clone(),
            endpoint,
            timeout,
            lambda: aws_sdk_lambda::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
        })
    }

    /// Where requests go, for messages.
    pub(crate) fn shown_endpoint(&self) -> String {
        self.endpoint
            .clone()
            .unwrap_or_else(|| format!("the {} endpoints", self.region))
    }

    /// The bound on a call that sends `size` bytes: the usual one, plus the time to send them
    /// at [`SLOWEST_UPLOAD_BYTES_PER_SEC`].
    pub(crate) fn upload_timeout(&self, size: u64) -> Duration {
        self.timeout + Duration::from_secs(size / SLOWEST_UPLOAD_BYTES_PER_SEC)
    }

    /// The SDK's timeouts for a call that sends `size` bytes (to override the session's).
    pub(crate) fn upload_timeouts(&self, size: u64) -> TimeoutConfig {
        timeouts(self.timeout, self.upload_timeout(size))
    }
}

/// Connecting takes at most `timeout`; the first byte of an answer comes within `call` of the
/// request's start, and the whole call, retries included, ends within `call` too.
fn timeouts(timeout: Duration, call: Duration) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(timeout)
        .read_timeout(call)
        .operation_attempt_timeout(call)
        .operation_timeout(call)
        .build()
}

/// `future`, or `None` when it takes longer than `timeout`.
async fn bounded<T>(timeout: Duration, future: impl Future<Output = T>) -> Option<T> {
    tokio::time::timeout(timeout, future).await.ok()
}

/// `future`, unless `cancel` fires first (then nothing was published).
pub(crate) async fn guarded<T>(
    cancel: &CancellationToken,
    future: impl Future<Output = T>,
) -> Result<T, PublishError> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => Err(PublishError::Cancelled { maybe_published: false }),
        value = future => Ok(value),
    }
}
