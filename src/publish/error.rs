//! Why a layer was not published, in words: what went wrong, to what, and what to do. Errors
//! from AWS are sorted by their error code (data, never the message's text) into the few causes
//! a user can act on.

use std::path::PathBuf;

use crate::hint::{Hint, Hints};
use crate::text::clean;
use crate::units::sizes_against;

/// Why publishing did not happen (or did not finish).
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("the layer name '{name}' {problem}")]
    LayerName { name: String, problem: String },
    #[error("the description has {chars} characters; Lambda allows at most {limit}")]
    Description { chars: usize, limit: u32 },
    #[error("{count} {what}; Lambda allows at most {limit}")]
    TooMany {
        what: &'static str,
        count: usize,
        limit: u32,
    },
    #[error("unknown runtime '{given}' for a Python layer; Lambda's Python runtimes are {known}")]
    UnknownRuntime { given: String, known: String },
    #[error("unknown architecture '{0}'; Lambda's are x86_64 and arm64")]
    UnknownArchitecture(String),
    #[error("the {what} {value} is listed twice")]
    Repeated { what: &'static str, value: String },
    /// No compatible runtimes were given and none could be read from the layer.
    #[error("{0}")]
    Compatibility(String),
    #[error("{} {problem}", path.display())]
    File { path: PathBuf, problem: String },
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{} is {}, over the {} Lambda takes in a direct upload: it has to go up through an S3 bucket in {region}, and none was given",
        zip.display(), sizes_against(*size, *limit).0, sizes_against(*size, *limit).1
    )]
    NeedsBucket {
        zip: PathBuf,
        size: u64,
        limit: u64,
        region: String,
    },
    #[error(
        "no AWS region is set{}: set AWS_REGION (or AWS_DEFAULT_REGION), or `region` in the profile in ~/.aws/config",
        profile_words(profile.as_deref())
    )]
    NoRegion { profile: Option<String> },
    #[error(
        "no AWS credentials found{}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a profile (`aws configure`, or `aws configure sso` then `aws sso login`); {detail}",
        profile_words(profile.as_deref())
    )]
    NoCredentials {
        profile: Option<String>,
        detail: String,
    },
    #[error(
        "AWS refused the credentials ({code}): they are wrong or expired; refresh them (`aws sso login`, or new access keys). {detail}"
    )]
    CredentialsRejected { code: String, detail: String },
    #[error(
        "access denied: the permission {action} is missing for these credentials; ask for it in the IAM policy of the user or role. {detail}"
    )]
    AccessDenied {
        action: &'static str,
        detail: String,
    },
    #[error("{action} failed: {code}: {detail}")]
    Aws {
        action: &'static str,
        code: String,
        detail: String,
    },
    #[error("could not reach AWS for {action} at {endpoint}: {detail}")]
    Unreachable {
        action: &'static str,
        endpoint: String,
        detail: String,
    },
    #[error(
        "no answer from {endpoint} for {action} within {}: check the endpoint (AWS_ENDPOINT_URL or the profile's endpoint_url, when set) and the network, or raise the timeout with WHEELBARROW_TIMEOUT (seconds) if it is only slow",
        crate::index::seconds_text(*after)
    )]
    TimedOut {
        action: &'static str,
        endpoint: String,
        after: std::time::Duration,
    },
    /// A setting from the environment that cannot be used (said with the setting's name).
    #[error("{0}")]
    Setting(String),
    #[error("{}", if *maybe_published {
        "cancelled while Lambda was publishing: a new version may exist; list the layer's versions to see"
    } else {
        "cancelled; nothing was published"
    })]
    Cancelled { maybe_published: bool },
    #[error(
        "Lambda published {arn} with CodeSha256 {theirs}, but the zip's is {ours}: the bytes Lambda took are not this zip's (was the S3 object replaced meanwhile?)"
    )]
    Mismatch {
        arn: String,
        theirs: String,
        ours: String,
    },
    #[error("internal error while publishing: {0}")]
    Internal(String),
}

fn profile_words(profile: Option<&str>) -> String {
    profile.map_or_else(String::new, |p| format!(" for profile '{}'", clean(p)))
}

impl PublishError {
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> PublishError {
        PublishError::Io {
            path: path.into(),
            error,
        }
    }
}

impl Hints for PublishError {
    fn hints(&self) -> Vec<Hint> {
        match self {
            PublishError::NeedsBucket { .. } => vec![Hint::GiveS3Bucket],
            PublishError::NoRegion { .. } => vec![Hint::ChooseRegion],
            PublishError::NoCredentials { .. } => vec![Hint::ChooseProfile],
            PublishError::TimedOut { .. } => vec![Hint::RaiseTimeout],
            PublishError::Compatibility(_) => vec![Hint::GiveCompatibility],
            _ => Vec::new(),
        }
    }
}

/// At most this many characters of an AWS answer go into a message.
const DETAIL_CHARS: usize = 400;

/// Text from AWS (or anything that quotes it), cleaned and bounded.
pub(crate) fn detail(text: &str) -> String {
    let text = clean(text.trim());
    match text.char_indices().nth(DETAIL_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.into_owned(),
    }
}

/// An error and its causes in words, `: `-joined (a cause its parent already quotes is left
/// out), cleaned and bounded.
pub(crate) fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut words = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !words.contains(&text) {
            words.push_str(": ");
            words.push_str(&text);
        }
        source = cause.source();
    }
    detail(&words)
}

/// What a failed AWS call means, from the SDK's error: its kind and the service's error code.
/// `timeout` is the bound the call had, for saying so when it passed.
pub(crate) fn from_sdk<E, R>(
    err: &aws_sdk_lambda::error::SdkError<E, R>,
    action: &'static str,
    endpoint: &str,
    timeout: std::time::Duration,
) -> PublishError
where
    E: aws_sdk_lambda::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    use aws_sdk_lambda::error::{ProvideErrorMetadata, SdkError};
    let context = chain(err);
    match err {
        SdkError::TimeoutError(_) => PublishError::TimedOut {
            action,
            endpoint: clean(endpoint).into_owned(),
            after: timeout,
        },
        SdkError::DispatchFailure(failure) if failure.is_timeout() => PublishError::TimedOut {
            action,
            endpoint: clean(endpoint).into_owned(),
            after: timeout,
        },
        SdkError::DispatchFailure(_) => PublishError::Unreachable {
            action,
            endpoint: clean(endpoint).into_owned(),
            detail: context,
        },
        _ => {
            let code = err.code().unwrap_or("no error code").to_string();
            let message = err.message().map_or(context, detail);
            classify(action, &code, message)
        }
    }
}

/// An AWS error code sorted into the causes a user can act on.
pub(crate) fn classify(action: &'static str, code: &str, detail: String) -> PublishError {
    match code {
        "AccessDeniedException" | "AccessDenied" | "AuthorizationError" => {
            PublishError::AccessDenied { action, detail }
        }
        "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "InvalidAccessKeyId"
        | "SignatureDoesNotMatch"
        | "InvalidSignatureException"
        | "ExpiredToken"
        | "ExpiredTokenException"
        | "TokenRefreshRequired" => PublishError::CredentialsRejected {
            code: clean(code).into_owned(),
            detail,
        },
        _ => PublishError::Aws {
            action,
            code: clean(code).into_owned(),
            detail,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_just_over_the_direct_upload_limit_is_said_in_exact_bytes() {
        let err = PublishError::NeedsBucket {
            zip: "layer.zip".into(),
            size: 52_430_800,
            limit: 52_428_800,
            region: "eu-west-1".into(),
        };
        assert_eq!(
            err.to_string(),
            "layer.zip is 52,430,800 bytes, over the 52,428,800 bytes Lambda takes in a direct upload: it has to go up through an S3 bucket in eu-west-1, and none was given"
        );
        let err = PublishError::NeedsBucket {
            zip: "layer.zip".into(),
            size: 60 << 20,
            limit: 52_428_800,
            region: "eu-west-1".into(),
        };
        assert!(
            err.to_string()
                .starts_with("layer.zip is 60.0 MB, over the 50.0 MB Lambda takes")
        );
    }

    #[test]
    fn access_denied_names_the_missing_permission() {
        let err = classify(
            "lambda:PublishLayerVersion",
            "AccessDeniedException",
            "User: arn:aws:iam::1:user/x is not authorized".into(),
        );
        let text = err.to_string();
        assert!(
            text.starts_with("access denied: the permission lambda:PublishLayerVersion is missing"),
            "{text}"
        );
        assert!(matches!(
            classify("s3:PutObject", "AccessDenied", String::new()),
            PublishError::AccessDenied {
                action: "s3:PutObject",
                ..
            }
        ));
    }

    #[test]
    fn rejected_credentials_and_other_codes_are_told_apart() {
        let err = classify("sts:GetCallerIdentity", "ExpiredToken", "expired".into());
        assert!(err.to_string().contains("wrong or expired"), "{err}");
        let err = classify("lambda:GetLayerVersion", "ServiceException", "boom".into());
        assert_eq!(
            err.to_string(),
            "lambda:GetLayerVersion failed: ServiceException: boom"
        );
    }

    #[test]
    fn details_from_aws_are_cleaned_and_bounded() {
        assert_eq!(detail("bad\x1b[2J thing\n"), r"bad\x1b[2J thing");
        let long = detail(&"x".repeat(1000));
        assert_eq!(long.chars().count(), DETAIL_CHARS + 1);
        assert!(long.ends_with('…'));
    }
}
