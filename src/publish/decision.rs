//! Whether a new layer version is needed: the zip's CodeSha256 and the settings a new version
//! would have, against the newest version Lambda holds. Byte-identical zips (sorted entries,
//! fixed timestamps) make "same bytes" a real answer instead of a new version on every run.

use std::fmt;

use serde::Serialize;

use super::PublishRequest;

/// The newest version of a layer as Lambda describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Newest {
    pub version: i64,
    pub arn: String,
    pub code_sha256: String,
    pub runtimes: Vec<String>,
    pub architectures: Vec<String>,
    pub description: String,
}

/// A setting of a layer version besides its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    CompatibleRuntimes,
    CompatibleArchitectures,
    Description,
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Setting::CompatibleRuntimes => "compatible runtimes",
            Setting::CompatibleArchitectures => "compatible architectures",
            Setting::Description => "description",
        })
    }
}

/// What publishing decided, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    /// The layer had no version yet.
    First,
    /// The zip's bytes differ from the newest version's.
    NewCode { previous: i64 },
    /// Same bytes as the newest version, but a new version would have other settings.
    NewSettings {
        previous: i64,
        changed: Vec<Setting>,
    },
    /// Same bytes and settings as the newest version; published anyway, as asked.
    Forced { previous: i64 },
    /// Same bytes and settings as the newest version: no new version.
    Unchanged { version: i64 },
}

impl Decision {
    /// Whether a new version is to be published.
    pub fn publishes(&self) -> bool {
        !matches!(self, Decision::Unchanged { .. })
    }

    /// Decides from the newest version (if any), the zip's CodeSha256 and the request.
    pub fn decide(
        newest: Option<&Newest>,
        code_sha256: &str,
        request: &PublishRequest,
    ) -> Decision {
        let Some(newest) = newest else {
            return Decision::First;
        };
        let previous = newest.version;
        if newest.code_sha256 != code_sha256 {
            return Decision::NewCode { previous };
        }
        let changed = changed_settings(newest, request);
        if !changed.is_empty() {
            Decision::NewSettings { previous, changed }
        } else if request.force {
            Decision::Forced { previous }
        } else {
            Decision::Unchanged { version: previous }
        }
    }
}

/// The settings a new version would have that the newest one does not (runtimes and
/// architectures compared as sets; no description is an empty one, as Lambda stores it).
fn changed_settings(newest: &Newest, request: &PublishRequest) -> Vec<Setting> {
    let sorted = |items: Vec<String>| {
        let mut items = items;
        items.sort();
        items.dedup();
        items
    };
    let mut changed = Vec::new();
    if sorted(newest.runtimes.clone()) != sorted(request.runtimes.clone()) {
        changed.push(Setting::CompatibleRuntimes);
    }
    let wanted_archs = request
        .architectures
        .iter()
        .map(ToString::to_string)
        .collect();
    if sorted(newest.architectures.clone()) != sorted(wanted_archs) {
        changed.push(Setting::CompatibleArchitectures);
    }
    if newest.description != request.description.clone().unwrap_or_default() {
        changed.push(Setting::Description);
    }
    changed
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::First => f.write_str("the first version of this layer"),
            Decision::NewCode { previous } => {
                write!(f, "the zip differs from version {previous}, the newest")
            }
            Decision::NewSettings { previous, changed } => {
                let changed: Vec<String> = changed.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "the same bytes as version {previous}, but other {}",
                    changed.join(" and ")
                )
            }
            Decision::Forced { previous } => write!(
                f,
                "the same bytes and settings as version {previous}, published again as asked"
            ),
            Decision::Unchanged { version } => write!(
                f,
                "version {version}, the newest, already has these exact bytes and settings"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::Arch;

    fn newest() -> Newest {
        Newest {
            version: 3,
            arn: "arn:aws:lambda:eu-west-1:123456789012:layer:l:3".into(),
            code_sha256: "AAA=".into(),
            runtimes: vec!["python3.13".into(), "python3.12".into()],
            architectures: vec!["x86_64".into()],
            description: String::new(),
        }
    }

    #[test]
    fn a_new_version_is_published_only_when_bytes_or_settings_differ() {
        let same = PublishRequest::new("l.zip", "l")
            .runtimes(["python3.12", "python3.13"])
            .architectures([Arch::X86_64]);
        let n = newest();
        let cases = [
            (None, "AAA=", same.clone(), Decision::First),
            (
                Some(&n),
                "BBB=",
                same.clone(),
                Decision::NewCode { previous: 3 },
            ),
            (
                Some(&n),
                "AAA=",
                same.clone(),
                Decision::Unchanged { version: 3 },
            ),
            (
                Some(&n),
                "AAA=",
                same.clone().force(true),
                Decision::Forced { previous: 3 },
            ),
            (
                Some(&n),
                "AAA=",
                same.clone().architectures([Arch::Arm64]).description("new"),
                Decision::NewSettings {
                    previous: 3,
                    changed: vec![Setting::CompatibleArchitectures, Setting::Description],
                },
            ),
            (
                Some(&n),
                "AAA=",
                same.clone().runtimes(["python3.12"]),
                Decision::NewSettings {
                    previous: 3,
                    changed: vec![Setting::CompatibleRuntimes],
                },
            ),
        ];
        for (newest, sha, request, expected) in cases {
            assert_eq!(Decision::decide(newest, sha, &request), expected);
        }
    }

    #[test]
    fn decisions_read_as_reasons() {
        let d = Decision::NewSettings {
            previous: 2,
            changed: vec![Setting::CompatibleRuntimes, Setting::Description],
        };
        assert_eq!(
            d.to_string(),
            "the same bytes as version 2, but other compatible runtimes and description"
        );
        assert!(!Decision::Unchanged { version: 1 }.publishes());
        assert!(Decision::Forced { previous: 1 }.publishes());
    }
}
