//! A failure as `--json` prints it: one object on stdout, whatever went wrong, so that a script
//! always reads JSON; the same words go to stderr and the exit status is the same as without
//! `--json`.
//!
//! ```json
//! {"error": {"kind": "unknown-runtime", "message": "unknown runtime 'python2.7': …",
//!            "hints": ["see `wheelbarrow runtimes`"]}}
//! ```
//!
//! `kind` is a stable word a script can branch on, from the error's type and variant (never from
//! its text); `hints` are the next steps in the CLI's terms. When nothing fits, `explanation` and
//! `derivation` sit beside `error`.

use serde_json::{Value, json};
use wheelbarrow::TargetError;
use wheelbarrow::index::IndexError;
use wheelbarrow::layer::LayerError;
use wheelbarrow::resolve::{RequirementError, ResolveError};

use super::hints::{hints_of, render};

/// The JSON object for `err`.
pub fn error_json(err: &anyhow::Error) -> Value {
    let hints: Vec<String> = hints_of(err)
        .iter()
        .filter_map(render)
        .map(hint_sentence)
        .collect();
    let message = super::paint::plain_screen(&format!("{err:#}"));
    let mut value = object(kind_of(err), &message, &hints);
    if let Some(no) = err
        .chain()
        .find_map(|c| match c.downcast_ref::<ResolveError>() {
            Some(ResolveError::NoSolution(no)) => Some(no),
            _ => None,
        })
    {
        value["explanation"] = json!(no.explanation);
        value["derivation"] = json!(no.derivation);
    }
    value
}

/// The object for a failure that is not an engine error (the command line, the environment).
pub fn object(kind: &str, message: &str, hints: &[String]) -> Value {
    json!({ "error": { "kind": kind, "message": message, "hints": hints } })
}

/// The object for a command line clap refused: its words up to the usage line, then the usage
/// line and clap's tips as hints.
pub fn usage_json(err: &clap::Error) -> Value {
    let text = err.render().to_string();
    let mut message = Vec::new();
    let mut hints = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            hints.push(line.to_string());
        } else if let Some(tip) = line.strip_prefix("tip: ") {
            hints.push(tip.to_string());
        } else if hints.is_empty() {
            message.push(line.strip_prefix("error: ").unwrap_or(line));
        }
    }
    let message = super::paint::plain_screen(&message.join(" "));
    object("usage", &message, &hints)
}

/// Prints `value` on stdout, pretty (as every `--json` output).
pub fn print(value: &Value) {
    if let Ok(text) = serde_json::to_string_pretty(value) {
        let _ = super::out::println(&text);
    }
}

/// A hint as rendered after a message (" (see …)", "; pass …") as a sentence of its own.
fn hint_sentence(rendered: &str) -> String {
    let text = rendered.trim_start_matches([' ', ';', ':', '.']);
    match text.strip_prefix('(') {
        Some(inner) => inner.strip_suffix(')').unwrap_or(inner).to_string(),
        None => text.to_string(),
    }
}

/// The kind of the first error in the chain the CLI knows; "other" for the rest.
pub fn kind_of(err: &anyhow::Error) -> &'static str {
    for cause in err.chain() {
        let kind = if let Some(e) = cause.downcast_ref::<IndexError>() {
            index_kind(e)
        } else if let Some(e) = cause.downcast_ref::<ResolveError>() {
            resolve_kind(e)
        } else if cause.downcast_ref::<RequirementError>().is_some() {
            "requirement"
        } else if let Some(e) = cause.downcast_ref::<TargetError>() {
            match e {
                TargetError::UnknownRuntime { .. } => "unknown-runtime",
                TargetError::UnknownArch(_) => "unknown-arch",
                TargetError::ArchNotOffered { .. } => "arch-not-offered",
            }
        } else if let Some(e) = cause.downcast_ref::<LayerError>() {
            layer_kind(e)
        } else if let Some(kind) = publish_kind(cause) {
            kind
        } else if cause.downcast_ref::<std::io::Error>().is_some() {
            "io"
        } else {
            continue;
        };
        return kind;
    }
    "other"
}

fn index_kind(e: &IndexError) -> &'static str {
    match e {
        IndexError::UnknownProject { .. } => "unknown-project",
        IndexError::UnknownVersion { .. } => "unknown-version",
        IndexError::Status { .. } => "index-status",
        IndexError::Network { .. } => "unreachable",
        IndexError::Timeout { .. } | IndexError::Stalled { .. } => "timeout",
        IndexError::Tls { .. } => "tls",
        IndexError::TooLarge { .. } => "answer-too-large",
        IndexError::WaitTooLong { .. } => "rate-limited",
        IndexError::HashMismatch { .. } | IndexError::GivenHashMismatch { .. } => "hash-mismatch",
        IndexError::NotCached { .. } => "not-cached",
        IndexError::Io { .. } => "io",
        IndexError::Unwritable { .. } => "no-room",
        IndexError::Settings(_) => "index-settings",
        IndexError::Unfetchable { .. } => "unfetchable-url",
        IndexError::Cancelled => "cancelled",
        IndexError::ApiVersion { .. } => "index-api-version",
        _ => "index",
    }
}

fn resolve_kind(e: &ResolveError) -> &'static str {
    match e {
        ResolveError::NoSolution(_) => "no-solution",
        ResolveError::NotPortable(_) => "not-portable",
        ResolveError::PinnedFileRefused(_) => "pinned-file-refused",
        ResolveError::PinnedFileMissing { .. } => "pinned-file-missing",
        ResolveError::LockedRefused(_) => "locked-version-refused",
        ResolveError::Hashes(_) => "hashes",
        ResolveError::Direct { .. } => "direct-file",
        ResolveError::Index(e) => index_kind(e),
        ResolveError::Requirement(_) => "requirement",
        ResolveError::Nothing => "no-requirements",
        ResolveError::Cancelled => "cancelled",
        ResolveError::Internal(_) => "internal",
    }
}

fn layer_kind(e: &LayerError) -> &'static str {
    match e {
        LayerError::Unsafe { .. } => "unsafe-wheel",
        LayerError::Index(e) => index_kind(e),
        LayerError::Io { .. } => "io",
        LayerError::NotALayer(_) => "not-a-layer",
        LayerError::Output(_) => "output",
        LayerError::Addition(_) => "addition",
        LayerError::FileAndFolder { .. } => "file-and-folder",
        LayerError::Empty(_) => "empty-layer",
        LayerError::Bytecode(_) => "bytecode",
        LayerError::Cancelled => "cancelled",
        LayerError::Internal(_) => "internal",
    }
}

#[cfg(feature = "publish")]
fn publish_kind(cause: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    use wheelbarrow::publish::PublishError as P;
    Some(match cause.downcast_ref::<P>()? {
        P::File { .. } | P::Io { .. } => "zip",
        P::NeedsBucket { .. } => "needs-bucket",
        P::NoRegion { .. } => "no-region",
        P::NoCredentials { .. } => "no-credentials",
        P::CredentialsRejected { .. } => "credentials-rejected",
        P::AccessDenied { .. } => "access-denied",
        P::Unreachable { .. } => "unreachable",
        P::Compatibility(_) => "compatibility",
        P::Cancelled { .. } => "cancelled",
        _ => "publish",
    })
}

#[cfg(not(feature = "publish"))]
fn publish_kind(_: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_hint_becomes_a_sentence_of_its_own() {
        assert_eq!(
            hint_sentence(" (see `wheelbarrow runtimes`)"),
            "see `wheelbarrow runtimes`"
        );
        assert_eq!(
            hint_sentence("; pass --runtime and --arch to choose"),
            "pass --runtime and --arch to choose"
        );
        assert_eq!(
            hint_sentence(". If this index only has the Simple API, give its /simple/ URL"),
            "If this index only has the Simple API, give its /simple/ URL"
        );
    }

    #[test]
    fn an_unknown_runtime_is_its_kind_with_its_message_and_hint() {
        let err = wheelbarrow::RuntimeTable::builtin()
            .target(Some("python2.7"), None)
            .unwrap_err();
        let value = error_json(&anyhow::Error::new(err).context("choosing the target"));
        assert_eq!(value["error"]["kind"], "unknown-runtime");
        assert!(
            value["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("choosing the target: unknown runtime 'python2.7'")
        );
        assert_eq!(
            value["error"]["hints"],
            json!(["see `wheelbarrow runtimes`"])
        );
    }

    #[test]
    fn an_error_the_cli_does_not_know_is_other_with_no_hints() {
        let value = error_json(&anyhow::anyhow!("something else"));
        assert_eq!(
            value,
            json!({"error": {"kind": "other", "message": "something else", "hints": []}})
        );
    }
}
