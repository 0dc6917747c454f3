//! Wheel file names (PEP 427): `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`,
//! where each tag field may hold several tags joined by `.` (PEP 425 compressed tag sets).

use std::cmp::Ordering;
use std::fmt;

use super::normalize_name;
use super::tags::{AbiTag, PlatformTag, PythonTag};

/// A parsed wheel file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelName {
    /// The file name as given, without any directory part.
    pub filename: String,
    /// The project name as written in the file name (`pydantic_core`).
    pub project: String,
    /// The PEP 503-normalised project name (`pydantic-core`).
    pub normalized: String,
    pub version: String,
    pub build: Option<BuildTag>,
    pub python: Vec<PythonTag>,
    pub abi: Vec<AbiTag>,
    pub platform: Vec<PlatformTag>,
}

/// The optional build tag: a number, then any text; pip prefers the larger one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildTag {
    pub number: u64,
    pub suffix: String,
}

impl Ord for BuildTag {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.number, &self.suffix).cmp(&(other.number, &other.suffix))
    }
}

impl PartialOrd for BuildTag {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for BuildTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.number, self.suffix)
    }
}

/// Why a string is not a wheel file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{filename}' is not a wheel file name: {problem}")]
pub struct WheelNameError {
    pub filename: String,
    pub problem: String,
}

const SHAPE: &str = "expected {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl";

/// A wheel file name's fields as written, checked but not yet copied or parsed further.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelNameParts<'a> {
    /// The file name, without any directory part.
    pub filename: &'a str,
    pub project: &'a str,
    pub version: &'a str,
    pub build: Option<BuildTag>,
    /// The three tag fields (`cp312`, `cp312`, `manylinux_2_17_x86_64.manylinux2014_x86_64`).
    pub tags: [&'a str; 3],
}

impl WheelName {
    /// Parses a wheel file name; a path or URL is accepted and only its last segment is read.
    pub fn parse(input: &str) -> Result<WheelName, WheelNameError> {
        let parts = WheelName::parts(input)?;
        let [python, abi, platform] = parts.tags;
        Ok(WheelName {
            normalized: normalize_name(parts.project),
            project: parts.project.to_string(),
            version: parts.version.to_string(),
            build: parts.build,
            python: python.split('.').map(PythonTag::parse).collect(),
            abi: abi.split('.').map(AbiTag::parse).collect(),
            platform: platform.split('.').map(PlatformTag::parse).collect(),
            filename: parts.filename.to_string(),
        })
    }

    /// Checks a wheel file name as [`WheelName::parse`] does (the same errors), and gives its
    /// fields as written without copying them.
    pub fn parts(input: &str) -> Result<WheelNameParts<'_>, WheelNameError> {
        let filename = input.trim().rsplit(['/', '\\']).next().unwrap_or_default();
        let fail = |problem: String| WheelNameError {
            filename: filename.to_string(),
            problem,
        };
        let Some(stem) = filename.strip_suffix(".whl") else {
            return Err(fail(format!("it does not end in .whl ({SHAPE})")));
        };
        let parts: Vec<&str> = stem.split('-').collect();
        if parts.len() != 5 && parts.len() != 6 {
            return Err(fail(format!(
                "{SHAPE}, found {} dash-separated parts",
                parts.len()
            )));
        }
        if let Some(i) = parts.iter().position(|p| p.is_empty()) {
            return Err(fail(format!("part {} is empty ({SHAPE})", i + 1)));
        }
        let project = parts[0];
        if !project
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            || project.contains("__")
        {
            return Err(fail(format!(
                "the project name '{project}' may hold only letters, digits, '_' and '.'"
            )));
        }
        let version = parts[1];
        if !version.starts_with(|c: char| c.is_ascii_digit() || c == 'v' || c == 'V')
            || !version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!' | '_'))
        {
            return Err(fail(format!("'{version}' is not a version")));
        }
        let build = if parts.len() == 6 {
            Some(parse_build(parts[2]).ok_or_else(|| {
                fail(format!(
                    "the build tag '{}' must start with a digit",
                    parts[2]
                ))
            })?)
        } else {
            None
        };
        let tags = [
            parts[parts.len() - 3],
            parts[parts.len() - 2],
            parts[parts.len() - 1],
        ];
        if let Some(field) = tags.iter().find(|f| f.split('.').any(str::is_empty)) {
            return Err(fail(format!("the tag set '{field}' has an empty tag")));
        }
        Ok(WheelNameParts {
            filename,
            project,
            version,
            build,
            tags,
        })
    }
}

fn parse_build(text: &str) -> Option<BuildTag> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    if end == 0 {
        return None;
    }
    Some(BuildTag {
        number: text[..end].parse().ok()?,
        suffix: text[end..].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_wheel_name_splits_into_its_fields() {
        let w = WheelName::parse(
            "pydantic_core-2.27.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        )
        .unwrap();
        assert_eq!(w.project, "pydantic_core");
        assert_eq!(w.normalized, "pydantic-core");
        assert_eq!(w.version, "2.27.2");
        assert_eq!(w.build, None);
        assert_eq!(w.python.len(), 1);
        assert_eq!(w.platform.len(), 2);
        assert_eq!(w.platform[1].text, "manylinux2014_x86_64");
    }

    #[test]
    fn build_tags_and_compressed_sets_are_read() {
        let w = WheelName::parse("dist/six-1.16.0-1b-py2.py3-none-any.whl").unwrap();
        assert_eq!(w.filename, "six-1.16.0-1b-py2.py3-none-any.whl");
        assert_eq!(
            w.build,
            Some(BuildTag {
                number: 1,
                suffix: "b".into()
            })
        );
        assert_eq!(w.python.len(), 2);
    }

    #[test]
    fn malformed_names_are_errors_that_say_what_is_wrong() {
        let cases = [
            ("numpy-2.0.tar.gz", "does not end in .whl"),
            ("numpy-cp312-any.whl", "found 3 dash-separated parts"),
            ("numpy-2.0-x-cp312-cp312-any.whl", "build tag 'x'"),
            ("numpy-2.0--cp312-any.whl", "part 3 is empty"),
            ("num py-2.0-py3-none-any.whl", "project name"),
            ("numpy-two-py3-none-any.whl", "not a version"),
            ("numpy-2.0-py3..py2-none-any.whl", "empty tag"),
            ("", "does not end in .whl"),
            (".whl", "found 1 dash-separated parts"),
        ];
        for (name, expected) in cases {
            let err = WheelName::parse(name).unwrap_err().to_string();
            assert!(err.contains(expected), "{name}: {err}");
        }
    }

    #[test]
    fn the_parts_of_a_name_are_its_fields_as_written_with_the_errors_parse_gives() {
        let parts = WheelName::parts("dist/six-1.16.0-1b-py2.py3-none-any.whl").unwrap();
        assert_eq!(parts.filename, "six-1.16.0-1b-py2.py3-none-any.whl");
        assert_eq!((parts.project, parts.version), ("six", "1.16.0"));
        assert_eq!(parts.build.map(|b| b.number), Some(1));
        assert_eq!(parts.tags, ["py2.py3", "none", "any"]);
        for name in [
            "numpy-2.0-x-cp312-cp312-any.whl",
            "numpy-2.0-py3-none..any.whl",
            "num py-2.0-py3-none-any.whl",
        ] {
            assert_eq!(
                WheelName::parts(name).unwrap_err(),
                WheelName::parse(name).unwrap_err(),
                "{name}"
            );
        }
    }
}
