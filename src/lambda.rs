//! Lambda's Python runtimes, architectures and limits.
//!
//! The facts live in `assets/lambda-runtimes.json` (embedded at build time) because they change
//! over time: a new runtime, a revised deprecation date. The code only knows how to read them.
//! A [`Target`] is what every compatibility question is asked against: one runtime on one
//! architecture, e.g. python3.11 on arm64.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

mod clock;
mod deprecation;
mod lifecycle;
mod table;

pub use clock::{civil_from_days, days_between, is_iso_date, today, today_from_environment};
pub use deprecation::{Deprecated, deprecation, is_supported};
pub use lifecycle::Lifecycle;
pub use table::{STALE_AFTER_DAYS, Staleness, TableNotice};

/// A Lambda instruction set architecture, named as Lambda names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Arch {
    #[serde(rename = "x86_64")]
    X86_64,
    #[serde(rename = "arm64")]
    Arm64,
}

impl Arch {
    /// The name Lambda uses (`x86_64`, `arm64`).
    pub fn lambda_name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
        }
    }

    /// The name wheel platform tags use (`x86_64`, `aarch64`).
    pub fn wheel_name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "aarch64",
        }
    }

    /// The oldest glibc minor version that pip accepts for this architecture's manylinux tags
    /// (manylinux1 existed only for x86; everything else starts at manylinux2014, glibc 2.17).
    pub fn oldest_manylinux_minor(self) -> u32 {
        match self {
            Arch::X86_64 => 5,
            Arch::Arm64 => 17,
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.lambda_name())
    }
}

impl FromStr for Arch {
    type Err = TargetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "x86_64" | "x86-64" | "amd64" => Ok(Arch::X86_64),
            "arm64" | "aarch64" => Ok(Arch::Arm64),
            _ => Err(TargetError::UnknownArch(s.to_string())),
        }
    }
}

/// A glibc version such as 2.26.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Glibc {
    pub major: u32,
    pub minor: u32,
}

impl fmt::Display for Glibc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl Glibc {
    fn parse(s: &str) -> Option<Glibc> {
        let (major, minor) = s.split_once('.')?;
        Some(Glibc {
            major: major.parse().ok()?,
            minor: minor.parse().ok()?,
        })
    }

    /// The newest manylinux platform tag (without architecture) that loads on this glibc.
    pub fn manylinux_tag(self) -> String {
        format!("manylinux_{}_{}", self.major, self.minor)
    }
}

/// One Python runtime of Lambda, as the runtime table describes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Runtime {
    /// Lambda's identifier, e.g. `python3.12`.
    pub name: String,
    /// The Python minor version: 12 for python3.12 (every Lambda Python runtime is 3.x).
    pub python_minor: u32,
    /// The operating system, e.g. `Amazon Linux 2023`.
    pub os: String,
    pub glibc: Glibc,
    pub architectures: Vec<Arch>,
    /// ISO dates (`YYYY-MM-DD`); `None` where AWS has not published one.
    pub deprecation: Option<String>,
    pub block_create: Option<String>,
    pub block_update: Option<String>,
    pub note: Option<String>,
}

impl Runtime {
    /// `3.12` for python3.12.
    pub fn python_version(&self) -> String {
        format!("3.{}", self.python_minor)
    }
}

/// Lambda's quotas that a layer must respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub layers_per_function: u32,
    /// Function code plus all layers, unzipped.
    pub unzipped_bytes: u64,
    /// A zip uploaded directly (not through S3).
    pub zipped_direct_upload_bytes: u64,
    /// The request size a direct upload must fit once base64-encoded.
    pub request_bytes: u64,
    pub console_editor_package_bytes: u64,
    pub console_editor_file_bytes: u64,
    pub layer_compatible_runtimes: u32,
    pub layer_compatible_architectures: u32,
    pub layer_name_chars: u32,
    pub layer_description_chars: u32,
}

/// The whole runtime table: runtimes (oldest first), limits, and what every runtime provides.
#[derive(Debug, Clone)]
pub struct RuntimeTable {
    pub runtimes: Vec<Runtime>,
    pub limits: Limits,
    /// Projects every Python runtime already has (the AWS SDK and its dependencies),
    /// PEP 503-normalised.
    pub runtime_provided: Vec<String>,
    /// The day the dates were last checked against AWS's runtime table (ISO).
    pub as_of: String,
    /// Facts about an operating system beside the runtimes' dates ("Amazon Linux 2" → "reached
    /// end of life on 2026-06-30; Lambda still patches …").
    pub os_notes: Vec<(String, String)>,
    /// The user's `runtimes.json` this table was merged with, if one was read.
    pub user_file: Option<std::path::PathBuf>,
}

impl RuntimeTable {
    /// Finds a runtime by Lambda's name (`python3.12`) or by its version (`3.12`).
    pub fn runtime(&self, name: &str) -> Result<&Runtime, TargetError> {
        let wanted = name.trim().to_ascii_lowercase();
        let wanted = wanted.strip_prefix("python").unwrap_or(&wanted);
        self.runtimes
            .iter()
            .find(|r| r.python_version() == wanted)
            .ok_or_else(|| TargetError::UnknownRuntime {
                given: name.to_string(),
                known: self.runtime_names(),
            })
    }

    fn runtime_names(&self) -> String {
        self.runtimes
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The newest runtime in the table, on `x86_64` (Lambda's default architecture).
    ///
    /// # Panics
    /// Never: [`RuntimeTable::from_json`] refuses a table without runtimes.
    pub fn default_target(&self) -> Target {
        let newest = self.runtimes.last().expect("table is never empty");
        Target {
            runtime: newest.clone(),
            arch: Arch::X86_64,
        }
    }

    /// A target from user input; either part may be missing and then takes its default.
    pub fn target(&self, runtime: Option<&str>, arch: Option<&str>) -> Result<Target, TargetError> {
        let default = self.default_target();
        let runtime = match runtime {
            Some(name) => self.runtime(name)?.clone(),
            None => default.runtime,
        };
        let arch = match arch {
            Some(a) => a.parse()?,
            None => default.arch,
        };
        if !runtime.architectures.contains(&arch) {
            return Err(TargetError::ArchNotOffered {
                runtime: runtime.name,
                arch,
            });
        }
        Ok(Target { runtime, arch })
    }

    /// Whether a project (any spelling) is one the runtime already provides.
    pub fn is_runtime_provided(&self, project: &str) -> bool {
        let name = crate::name::normalize_name(project);
        self.runtime_provided.contains(&name)
    }
}

/// One runtime on one architecture: what a layer is built for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub runtime: Runtime,
    pub arch: Arch,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {}", self.runtime.name, self.arch)
    }
}

/// A target is written as `{"runtime": "python3.12", "arch": "arm64"}` (flattened into the
/// reports that carry one).
impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("runtime", &self.runtime.name)?;
        map.serialize_entry("arch", &self.arch)?;
        map.end()
    }
}

impl Target {
    /// A short key that names the target (`python3.12/arm64`), for caches and file names.
    pub fn key(&self) -> String {
        format!("{}/{}", self.runtime.name, self.arch)
    }
}

/// A runtime or architecture the user named that Lambda does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("unknown runtime '{given}': Lambda's Python runtimes are {known}")]
    UnknownRuntime { given: String, known: String },
    #[error(
        "unknown architecture '{0}': Lambda has x86_64 and arm64 (aarch64 is accepted for arm64)"
    )]
    UnknownArch(String),
    #[error("{runtime} is not offered on {arch} according to the runtime table")]
    ArchNotOffered { runtime: String, arch: Arch },
}

impl crate::hint::Hints for TargetError {
    fn hints(&self) -> Vec<crate::hint::Hint> {
        match self {
            TargetError::UnknownRuntime { .. } => vec![crate::hint::Hint::ListRuntimes],
            TargetError::UnknownArch(_) | TargetError::ArchNotOffered { .. } => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_lists_python_3_9_to_3_14_in_order() {
        let table = RuntimeTable::builtin();
        let names: Vec<_> = table.runtimes.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "python3.9",
                "python3.10",
                "python3.11",
                "python3.12",
                "python3.13",
                "python3.14"
            ]
        );
        assert_eq!(table.limits.unzipped_bytes, 262_144_000);
        assert_eq!(table.limits.request_bytes, 69_905_067);
        assert_eq!(table.limits.layers_per_function, 5);
    }

    #[test]
    fn amazon_linux_2_runtimes_have_glibc_2_26_and_al2023_ones_2_34() {
        let table = RuntimeTable::builtin();
        for r in &table.runtimes {
            let expected = if r.python_minor <= 11 { 26 } else { 34 };
            assert_eq!(
                r.glibc,
                Glibc {
                    major: 2,
                    minor: expected
                },
                "{}",
                r.name
            );
        }
    }

    #[test]
    fn the_default_target_is_the_newest_runtime_on_x86_64() {
        let target = RuntimeTable::builtin().default_target();
        assert_eq!(target.runtime.name, "python3.14");
        assert_eq!(target.arch, Arch::X86_64);
    }

    #[test]
    fn targets_accept_lambda_and_wheel_spellings() {
        let table = RuntimeTable::builtin();
        let t = table.target(Some("3.11"), Some("aarch64")).unwrap();
        assert_eq!(t.to_string(), "python3.11 on arm64");
        let t = table.target(Some("Python3.12"), Some("ARM64")).unwrap();
        assert_eq!(t.arch.wheel_name(), "aarch64");
    }

    #[test]
    fn unknown_runtimes_and_architectures_are_explained() {
        let table = RuntimeTable::builtin();
        let err = table.target(Some("python3.8"), None).unwrap_err();
        assert!(err.to_string().contains("python3.9, python3.10"), "{err}");
        let err = table.target(None, Some("sparc")).unwrap_err();
        assert!(err.to_string().contains("x86_64 and arm64"), "{err}");
    }

    #[test]
    fn lifecycle_follows_the_dates() {
        let table = RuntimeTable::builtin();
        let r = table.runtime("python3.11").unwrap();
        assert!(r.lifecycle("2027-06-29").is_supported());
        assert!(matches!(
            r.lifecycle("2027-06-30"),
            Lifecycle::Deprecated { .. }
        ));
        assert!(matches!(
            r.lifecycle("2027-08-01"),
            Lifecycle::CreateBlocked { .. }
        ));
        assert!(matches!(
            r.lifecycle("2027-08-31"),
            Lifecycle::UpdateBlocked { .. }
        ));
    }

    #[test]
    fn runtime_provided_projects_match_any_spelling() {
        let table = RuntimeTable::builtin();
        assert!(table.is_runtime_provided("python_dateutil"));
        assert!(table.is_runtime_provided("Boto3"));
        assert!(!table.is_runtime_provided("requests"));
    }
}
