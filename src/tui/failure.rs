//! Why a background request failed, as one typed value built in one place from the engine's
//! error: its words, its hints (rendered in the TUI's terms only when shown), the version `u`
//! takes instead, the long explanation `i` shows, and the addition a plan left out. It travels
//! inside the answer (`Msg::Resolved { result: Err(..) }`), so nothing depends on the order in
//! which messages arrive, and nothing parses its words back.

use std::fmt;

use wheelbarrow::resolve::ResolveError;
use wheelbarrow::work::JoinFailure;
use wheelbarrow::{Hint, Hints};

use super::layer_state::Offer;

/// Why a request failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Failure {
    /// What went wrong, with what, in the engine's (or the app's) words.
    pub headline: String,
    /// What to do next, as data; shown in the TUI's terms after the headline.
    pub hints: Vec<Hint>,
    /// A version that loads where a pinned or locked one does not (`u` takes it).
    pub offer: Option<Offer>,
    /// Why nothing fits, with the resolver's derivation, for the detail view (`i`).
    pub detail: Option<String>,
    /// The addition of the user's own that made the plan fail (left out, and the plan asked
    /// again).
    pub broken: Option<Broken>,
}

/// An addition under /opt that cannot go into the layer, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// Where it goes under /opt.
    pub dest: String,
    pub why: String,
}

impl Failure {
    /// An engine error: its words and its hints.
    pub fn of<E: fmt::Display + Hints>(err: &E) -> Failure {
        Failure {
            headline: err.to_string(),
            hints: err.hints(),
            ..Failure::default()
        }
    }

    /// A resolution's error, with what it offers instead (a pinned build or a locked version
    /// that does not load, and the version that does) and, when nothing fits, the derivation.
    pub fn resolve(err: &ResolveError) -> Failure {
        let mut failure = Failure::of(err);
        match err {
            ResolveError::PinnedFileRefused(refusal) => {
                failure.offer = refusal.loads.clone().map(|version| Offer {
                    project: refusal.project.clone(),
                    version,
                    hashes: Vec::new(),
                });
            }
            ResolveError::LockedRefused(refusal) => {
                failure.offer = refusal.nearest.clone().map(|version| Offer {
                    project: refusal.project.clone(),
                    version,
                    hashes: refusal.nearest_hashes.clone(),
                });
            }
            ResolveError::NoSolution(no) => {
                failure.detail = Some(format!(
                    "{no}\n\nHow the resolver got there:\n{}",
                    no.derivation
                ));
            }
            _ => {}
        }
        failure
    }

    /// Words of the app's own (no engine error behind them, no hints).
    pub fn said(words: impl Into<String>) -> Failure {
        Failure {
            headline: words.into(),
            ..Failure::default()
        }
    }

    /// A background job that did not answer while `doing` (e.g. "resolving"): a panic is a
    /// bug, said with its message; `None` when the runtime shut down under it (the app is
    /// ending, nobody to tell).
    pub fn joined(doing: &str, failure: JoinFailure) -> Option<Failure> {
        match failure {
            JoinFailure::Panicked(message) => Some(Failure::said(format!(
                "internal error while {doing}: {message}"
            ))),
            JoinFailure::Cancelled => None,
        }
    }
}

/// The failure as the status line and the panes show it: the offer's key first, then the
/// words, then the hints in the TUI's terms.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(offer) = &self.offer {
            write!(f, "u takes {} {} · ", offer.project, offer.version)?;
        }
        f.write_str(&self.headline)?;
        for hint in self.hints.iter().filter_map(super::hints::render) {
            f.write_str(&hint)?;
        }
        Ok(())
    }
}

/// Tests answer with words of their own.
#[cfg(test)]
impl From<&str> for Failure {
    fn from(words: &str) -> Failure {
        Failure::said(words)
    }
}

#[cfg(test)]
impl From<String> for Failure {
    fn from(words: String) -> Failure {
        Failure::said(words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_shows_its_offer_then_its_words_then_its_hints_in_the_apps_terms() {
        let failure = Failure {
            headline: "fastnum 2.3.0 does not load on python3.11 on x86_64".into(),
            hints: vec![Hint::ChooseTarget],
            offer: Some(Offer {
                project: "fastnum".into(),
                version: "2.2.0".into(),
                hashes: Vec::new(),
            }),
            ..Failure::default()
        };
        assert_eq!(
            failure.to_string(),
            "u takes fastnum 2.2.0 · fastnum 2.3.0 does not load on python3.11 on x86_64 — t chooses the target"
        );
        assert_eq!(Failure::said("gone").to_string(), "gone");
    }

    #[test]
    fn a_resolutions_failure_carries_the_version_it_offers_and_why_nothing_fits() {
        use wheelbarrow::resolve::{Conflict, LockedRefusal, NoSolution};
        let target = wheelbarrow::RuntimeTable::builtin().default_target();
        let locked = ResolveError::LockedRefused(Box::new(LockedRefusal {
            project: "fastnum".into(),
            version: "2.0".into(),
            origin: "uv.lock:45".into(),
            target: target.clone(),
            closest: None,
            nearest: Some("1.0".into()),
            nearest_hashes: vec!["ab".repeat(32)],
        }));
        let failure = Failure::resolve(&locked);
        assert_eq!(
            failure.offer,
            Some(Offer {
                project: "fastnum".into(),
                version: "1.0".into(),
                hashes: vec!["ab".repeat(32)],
            })
        );
        assert_eq!(failure.headline, locked.to_string());
        assert!(
            failure
                .to_string()
                .starts_with("u takes fastnum 1.0 · uv.lock:45"),
            "{failure}"
        );
        let none = ResolveError::NoSolution(Box::new(NoSolution {
            target: target.to_string(),
            conflict: Conflict {
                clashes: Vec::new(),
                more: 0,
                notes: Vec::new(),
            },
            explanation: Vec::new(),
            advice: Vec::new(),
            derivation: "  root depends on lib".into(),
        }));
        let failure = Failure::resolve(&none);
        assert_eq!(failure.offer, None);
        let detail = failure.detail.unwrap();
        assert!(
            detail.starts_with(&none.to_string())
                && detail.ends_with("How the resolver got there:\n  root depends on lib"),
            "{detail}"
        );
    }

    #[test]
    fn a_panicked_job_is_an_internal_error_and_a_shut_down_one_says_nothing() {
        let failure = Failure::joined("resolving", JoinFailure::Panicked("boom".into()));
        assert_eq!(
            failure.map(|f| f.to_string()).as_deref(),
            Some("internal error while resolving: boom")
        );
        assert_eq!(Failure::joined("resolving", JoinFailure::Cancelled), None);
    }
}
