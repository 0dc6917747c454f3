//! The engine's hints in the CLI's terms: its flags and commands.

use wheelbarrow::index::IndexError;
use wheelbarrow::layer::inspect::TargetGuess;
use wheelbarrow::layer::{BudgetNote, LayerError};
use wheelbarrow::resolve::{RequirementError, ResolveError};
use wheelbarrow::{Hint, Hints, TargetError};

/// What to add after an engine message that carries `hint`, in the CLI's words; `None` when
/// the message already says all the CLI can.
pub fn render(hint: &Hint) -> Option<&'static str> {
    Some(match hint {
        Hint::ListRuntimes => " (see `wheelbarrow runtimes`)",
        Hint::ChooseTarget => "; pass --runtime and --arch to choose",
        Hint::GiveRequirements => ": name packages, or pass -r requirements.txt",
        Hint::UseCache => "; `--offline` uses what is cached",
        Hint::GoOnline => ": run once without --offline to fetch it",
        Hint::UseSimpleApiRoot => {
            ". If this index only has the Simple API, give its /simple/ URL as --index-url"
        }
        Hint::SetIndexUrl => "; pass --index-url to wheelbarrow instead",
        Hint::ExcludeRuntimeProvided => " (--exclude-runtime-provided)",
        Hint::GiveS3Bucket => {
            "; pass --s3-bucket BUCKET (a bucket in that region you can write to)"
        }
        Hint::ChooseRegion => "; or pass --region",
        Hint::ChooseProfile => "; or pass --profile NAME",
        Hint::GiveCompatibility => "; pass --compatible-runtimes and --compatible-architectures",
        Hint::GivePython => "; or pass --python PATH naming one, or build without --compile",
        Hint::SplitTargets {
            per_runtime: true,
            per_arch: false,
        } => " Build it with --layout site-packages and the same --runtime list.",
        Hint::SplitTargets {
            per_runtime: true,
            per_arch: true,
        } => {
            " Build it with --layout site-packages and the same --runtime list, once with --arch x86_64 and once with --arch arm64."
        }
        Hint::SplitTargets {
            per_runtime: false,
            per_arch: true,
        } => " Build it once with --arch x86_64 and once with --arch arm64.",
        // Said in the message itself: versions, runtimes, settings outside the CLI.
        Hint::SplitTargets {
            per_runtime: false,
            per_arch: false,
        }
        | Hint::TryVersion { .. }
        | Hint::ChooseRuntime(_)
        | Hint::PinYanked { .. }
        | Hint::SetCertificateFile
        | Hint::RaiseTimeout
        | Hint::CacheAge(_) => return None,
    })
}

/// A budget note in the CLI's words: the option that leaves runtime-provided packages out is
/// named by its flag.
pub fn budget_note(note: &BudgetNote) -> String {
    let option: String = note.hints().iter().filter_map(render).collect();
    note.render(&option)
}

/// How `inspect` guessed the target, with the flags that choose it.
pub fn target_guess(guess: &TargetGuess) -> String {
    let choose: String = guess.hints().iter().filter_map(render).collect();
    guess.render(&choose)
}

/// The hints an error (or any error in its chain) carries.
pub(super) fn hints_of(err: &anyhow::Error) -> Vec<Hint> {
    for cause in err.chain() {
        let hints = if let Some(e) = cause.downcast_ref::<IndexError>() {
            e.hints()
        } else if let Some(e) = cause.downcast_ref::<ResolveError>() {
            e.hints()
        } else if let Some(e) = cause.downcast_ref::<RequirementError>() {
            e.hints()
        } else if let Some(e) = cause.downcast_ref::<TargetError>() {
            e.hints()
        } else if let Some(e) = cause.downcast_ref::<LayerError>() {
            e.hints()
        } else if let Some(e) = publish_hints(cause) {
            e
        } else {
            continue;
        };
        return hints;
    }
    Vec::new()
}

#[cfg(feature = "publish")]
fn publish_hints(cause: &(dyn std::error::Error + 'static)) -> Option<Vec<Hint>> {
    cause
        .downcast_ref::<wheelbarrow::publish::PublishError>()
        .map(Hints::hints)
}

#[cfg(not(feature = "publish"))]
fn publish_hints(_: &(dyn std::error::Error + 'static)) -> Option<Vec<Hint>> {
    None
}

/// An error as the CLI prints it: the message with its causes, then its hints in CLI terms,
/// cleaned of control characters (an error can quote an index or a wheel).
pub fn error_text(err: &anyhow::Error) -> String {
    let mut text = format!("{err:#}");
    text.extend(hints_of(err).iter().filter_map(render));
    super::paint::plain_screen(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_runtime_points_at_the_runtimes_command() {
        let err = wheelbarrow::RuntimeTable::builtin()
            .target(Some("python2.7"), None)
            .unwrap_err();
        let text = error_text(&anyhow::Error::new(err));
        assert!(text.starts_with("unknown runtime 'python2.7'"), "{text}");
        assert!(text.ends_with(" (see `wheelbarrow runtimes`)"), "{text}");
    }

    #[test]
    fn no_requirements_says_how_to_give_them() {
        let text = error_text(&anyhow::Error::new(ResolveError::Nothing));
        assert_eq!(
            text,
            "no requirements given: name packages, or pass -r requirements.txt"
        );
    }

    #[test]
    fn an_error_wrapped_in_context_still_gets_its_hint() {
        let err = anyhow::Error::new(IndexError::NotCached {
            url: "http://h.test/x".into(),
        })
        .context("reading the project");
        let text = error_text(&err);
        assert!(
            text.ends_with("run once without --offline to fetch it"),
            "{text}"
        );
    }
}
