//! One line of "what to do" when nothing resolves, as data with its plain words.

use std::fmt;

use super::ResolveError;
use crate::hint::{Hint, Hints};
use crate::wheel::Verdict;

/// Why one project ran out of versions, and what would load instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Advice {
    /// No release of the project matches the requirement.
    NoMatchingRelease {
        project: String,
        spec: String,
        /// The newest release there is, if the index has any.
        newest: Option<String>,
    },
    /// Someone asks for a range with no release of the project in it.
    EmptyRange {
        /// `None`: the user asked; `Some(package)`: that package requires it.
        required_by: Option<String>,
        spec: String,
        project: String,
        /// The newest release there is, if the index has any.
        newest: Option<String>,
    },
    /// The resolver ruled the range out for a reason of its own.
    Unavailable {
        package: String,
        range: String,
        why: String,
    },
    /// The newest release asked for has only a source distribution.
    SourceOnly {
        project: String,
        version: String,
        elsewhere: Elsewhere,
    },
    /// The newest release asked for loads only through yanked files.
    YankedOnly {
        project: String,
        version: String,
        target: String,
        elsewhere: Elsewhere,
    },
    /// A dead end (no wheel, abandoned) and what people use instead.
    Instead(Box<super::successors::Instead>),
    /// No wheel of the releases asked for loads on the target.
    NoWheel {
        spec: String,
        runtime: String,
        arch: String,
        /// The refused wheel closest to loading, with its verdict.
        closest: Option<(String, Box<Verdict>)>,
        elsewhere: Elsewhere,
    },
}

/// What does load, when the release asked for does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Elsewhere {
    /// The project's name as the index spells it.
    pub project: String,
    pub newest_loadable: NewestLoadable,
    /// Runtimes (same architecture) on which the release asked for loads.
    pub runtimes: Vec<String>,
    /// Those of `runtimes` past their deprecation date, with their standing
    /// (`("python3.9", "deprecated since 2025-12-15")`).
    pub deprecated: Vec<(String, String)>,
}

/// The newest release that loads on the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewestLoadable {
    /// It is among the releases asked for.
    InRange,
    /// This version, outside the range asked for.
    Outside(String),
    /// No release loads.
    None,
}

impl Elsewhere {
    /// " numpy 2.2.6 is the newest that loads there", or nothing.
    fn note(&self) -> String {
        match &self.newest_loadable {
            NewestLoadable::Outside(v) => {
                format!(" {} {v} is the newest that loads there", self.project)
            }
            NewestLoadable::InRange => String::new(),
            NewestLoadable::None => format!(
                " No release of {} has a wheel that loads there",
                self.project
            ),
        }
    }

    /// The note as a sentence, for lines that do not name runtimes.
    fn sentence(&self) -> String {
        let note = self.note();
        if note.is_empty() {
            note
        } else {
            format!("{note}.")
        }
    }

    /// The note, then the runtimes on which the release loads (a deprecated one said so).
    fn with_runtimes(&self) -> String {
        let note = self.note();
        let names: Vec<String> = self
            .runtimes
            .iter()
            .map(|r| match self.deprecated.iter().find(|(d, _)| d == r) {
                Some((_, standing)) => format!("{r} ({standing})"),
                None => r.clone(),
            })
            .collect();
        let choose = match (names.is_empty(), note.is_empty(), &self.newest_loadable) {
            (true, ..) => String::new(),
            (false, true, _) => format!(" Or choose {}.", names.join(" or ")),
            // "No release … loads there": the runtimes are not an alternative to a release.
            (false, false, NewestLoadable::None) => {
                format!("; the release asked for loads on {}", names.join(" and "))
            }
            (false, false, _) => format!(", or choose {}", names.join(" or ")),
        };
        if note.is_empty() {
            choose
        } else {
            format!("{note}{choose}.")
        }
    }

    fn hints(&self, out: &mut Vec<Hint>) {
        if let NewestLoadable::Outside(version) = &self.newest_loadable {
            out.push(Hint::TryVersion {
                project: self.project.clone(),
                version: version.clone(),
            });
        }
        if !self.runtimes.is_empty() {
            out.push(Hint::ChooseRuntime(self.runtimes.clone()));
        }
    }
}

/// "the newest is 2.1", or that there is none to be newest.
fn newest_words(newest: Option<&str>) -> String {
    newest.map_or_else(
        || "the index lists no release of it at all".to_string(),
        |v| format!("the newest is {v}"),
    )
}

impl Advice {
    /// The project (as the index spells it) that has no wheel loading on the target.
    pub fn without_wheel(&self) -> Option<&str> {
        match self {
            Advice::SourceOnly { project, .. } => Some(project),
            Advice::NoWheel { elsewhere, .. } => Some(&elsewhere.project),
            _ => None,
        }
    }
}

impl fmt::Display for Advice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Advice::Instead(instead) => instead.fmt(f),
            Advice::NoMatchingRelease {
                project,
                spec,
                newest,
            } => write!(
                f,
                "No release of {project} matches {spec} ({}).",
                newest_words(newest.as_deref())
            ),
            Advice::EmptyRange {
                required_by,
                spec,
                project,
                newest,
            } => {
                match required_by {
                    None => f.write_str("You asked for")?,
                    Some(parent) => write!(f, "{parent} requires")?,
                }
                write!(
                    f,
                    " {spec}, and no release of {project} matches that ({}).",
                    newest_words(newest.as_deref())
                )
            }
            Advice::Unavailable {
                package,
                range,
                why,
            } => write!(f, "{package} {range} {why}"),
            Advice::SourceOnly {
                project,
                version,
                elsewhere,
            } => write!(
                f,
                "{project} {version} has only a source distribution, and wheelbarrow never builds one (the build would target this machine, not Lambda).{}",
                elsewhere.sentence()
            ),
            Advice::YankedOnly {
                project,
                version,
                target,
                elsewhere,
            } => write!(
                f,
                "{project} {version} loads on {target} only through yanked files; pin it with =={version} to use it anyway.{}",
                elsewhere.sentence()
            ),
            Advice::NoWheel {
                spec,
                runtime,
                arch,
                closest,
                elsewhere,
            } => {
                write!(f, "{spec} has no wheel for {runtime} on {arch}.")?;
                if let Some((filename, verdict)) = closest {
                    write!(
                        f,
                        " The closest, {filename}, is refused: {}.",
                        verdict.reason
                    )?;
                }
                f.write_str(&elsewhere.with_runtimes())
            }
        }
    }
}

impl Hints for Advice {
    fn hints(&self) -> Vec<Hint> {
        let mut out = Vec::new();
        match self {
            Advice::YankedOnly {
                project,
                version,
                elsewhere,
                ..
            } => {
                out.push(Hint::PinYanked {
                    project: project.clone(),
                    version: version.clone(),
                });
                elsewhere.hints(&mut out);
            }
            Advice::SourceOnly { elsewhere, .. } | Advice::NoWheel { elsewhere, .. } => {
                elsewhere.hints(&mut out);
            }
            Advice::NoMatchingRelease { .. }
            | Advice::Instead(_)
            | Advice::EmptyRange { .. }
            | Advice::Unavailable { .. } => {}
        }
        out
    }
}

impl Hints for ResolveError {
    fn hints(&self) -> Vec<Hint> {
        match self {
            ResolveError::NoSolution(n) => n.advice.iter().flat_map(Hints::hints).collect(),
            ResolveError::Index(e) => e.hints(),
            ResolveError::Requirement(e) => e.hints(),
            ResolveError::Nothing => vec![Hint::GiveRequirements],
            ResolveError::NotPortable(n) => n
                .split()
                .map(|split| {
                    use super::portable::Split;
                    Hint::SplitTargets {
                        per_runtime: split != Split::PerArch,
                        per_arch: split != Split::PerRuntime,
                    }
                })
                .into_iter()
                .collect(),
            ResolveError::PinnedFileRefused(refusal) => refusal
                .loads
                .iter()
                .map(|version| Hint::TryVersion {
                    project: refusal.project.clone(),
                    version: version.clone(),
                })
                .collect(),
            ResolveError::LockedRefused(refusal) => refusal
                .nearest
                .iter()
                .map(|version| Hint::TryVersion {
                    project: refusal.project.clone(),
                    version: version.clone(),
                })
                .collect(),
            ResolveError::Cancelled
            | ResolveError::Hashes(_)
            | ResolveError::PinnedFileMissing { .. }
            | ResolveError::Direct { .. }
            | ResolveError::Internal(_) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_with_no_release_at_all_is_said_so_not_called_none() {
        let advice = Advice::NoMatchingRelease {
            project: "ghost".into(),
            spec: "ghost>=1".into(),
            newest: None,
        };
        assert_eq!(
            advice.to_string(),
            "No release of ghost matches ghost>=1 (the index lists no release of it at all)."
        );
        let advice = Advice::EmptyRange {
            required_by: None,
            spec: "app>=3".into(),
            project: "app".into(),
            newest: Some("2.1".into()),
        };
        assert!(advice.to_string().ends_with("(the newest is 2.1)."));
    }
}
