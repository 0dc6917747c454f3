//! The AWS side: configuration, credentials and region found exactly as the AWS CLI finds them
//! (aws-config's default chain: environment, profiles, SSO, `credential_process`, web identity,
//! container and instance roles), `AWS_ENDPOINT_URL` honoured as the SDK honours it, and the
//! account the credentials belong to.

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
}

/// A connection to AWS: the account and region publishing will use, and the clients.
#[derive(Debug, Clone)]
pub struct Session {
    pub account: String,
    pub region: String,
    /// The profile asked for, if any.
    pub profile: Option<String>,
    /// Where requests go: `AWS_ENDPOINT_URL` (or the profile's `endpoint_url`) when set.
    pub endpoint: Option<String>,
    pub(crate) lambda: aws_sdk_lambda::Client,
    pub(crate) s3: aws_sdk_s3::Client,
}

impl Session {
    /// Loads the configuration, resolves credentials and asks STS whose they are.
    pub async fn connect(
        settings: &AwsSettings,
        cancel: &CancellationToken,
    ) -> Result<Session, PublishError> {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(profile) = &settings.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &settings.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        let config = Box::pin(guarded(cancel, loader.load())).await?;
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
        if let Err(e) = guarded(cancel, provider.provide_credentials()).await? {
            return Err(PublishError::NoCredentials {
                profile,
                detail: chain(&e),
            });
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
        .map_err(|e| from_sdk(&e, "sts:GetCallerIdentity", &shown))?;
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
