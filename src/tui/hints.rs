//! The engine's hints in the TUI's terms: its keys, and what to restart with where the TUI has
//! no key for it yet. Engine messages say the fact; this adds what to do here (a
//! [`Failure`](super::failure::Failure) shows its hints so).

use wheelbarrow::Hint;

/// What to add after an engine message that carries `hint`, in the TUI's words; `None` when the
/// message already says all there is.
pub fn render(hint: &Hint) -> Option<String> {
    Some(match hint {
        Hint::TryVersion { project, version } => {
            format!(
                " — open {project} (/ then its name) and pick {version} (← → change the version)"
            )
        }
        Hint::ChooseRuntime(runtimes) => match runtimes.first() {
            Some(r) => format!(" — t switches the target (it loads on {r})"),
            None => return None,
        },
        Hint::PinYanked { project, version } => {
            format!(" — open {project}, choose {version} and pick its file to use it anyway")
        }
        Hint::ListRuntimes => " (`wheelbarrow runtimes` lists them)".into(),
        Hint::ChooseTarget => " — t chooses the target".into(),
        Hint::GiveRequirements => ": search a project (/) and pick a build".into(),
        Hint::UseCache => " — restart with --offline to work from the cache".into(),
        Hint::GoOnline => " — restart without --offline to fetch it".into(),
        Hint::UseSimpleApiRoot => " — restart with the index's /simple/ URL as --index-url".into(),
        Hint::SetIndexUrl => " — restart with --index-url instead".into(),
        Hint::ExcludeRuntimeProvided => " (x in the layer pane leaves them out)".into(),
        // The app has no field for a bucket; the command line takes one.
        Hint::GiveS3Bucket => {
            " — the app cannot name a bucket: `wheelbarrow publish LAYER.zip --layer-name NAME --s3-bucket BUCKET` (a bucket in the same region) publishes it from the command line".into()
        }
        Hint::ChooseProfile => " — or restart with AWS_PROFILE=NAME".into(),
        Hint::GivePython => " — or turn bytecode off (c in the layer pane)".into(),
        Hint::SplitTargets { .. } => {
            " — choose one target (t), or build one tree per runtime from the command line: `wheelbarrow build --layout site-packages --runtime A,B`".into()
        }
        Hint::ChooseRegion
        | Hint::GiveCompatibility
        | Hint::SetCertificateFile
        | Hint::RaiseTimeout
        | Hint::CacheAge(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_that_loads_is_offered_with_the_keys_that_reach_it() {
        let hint = Hint::TryVersion {
            project: "numpy".into(),
            version: "2.2.6".into(),
        };
        let text = render(&hint).unwrap();
        assert!(text.contains("pick 2.2.6"), "{text}");
        assert!(!text.contains("--"), "no flags where a key does it: {text}");
        let runtime = render(&Hint::ChooseRuntime(vec!["python3.12".into()])).unwrap();
        assert_eq!(runtime, " — t switches the target (it loads on python3.12)");
    }
}
