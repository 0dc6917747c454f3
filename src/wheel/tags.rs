//! The three tag fields of a wheel file name (PEP 425), each parsed into what it means.
//!
//! A tag keeps its text (lowercased, as pip compares it) next to its meaning, so that output
//! shows exactly what the file name says.

use std::fmt;

/// One tag and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<K> {
    /// The tag as written, lowercased (`cp312`, `abi3`, `manylinux_2_17_x86_64`).
    pub text: String,
    pub kind: K,
}

impl<K> fmt::Display for Tag<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

pub type PythonTag = Tag<Python>;
pub type AbiTag = Tag<Abi>;
pub type PlatformTag = Tag<Platform>;

/// The Python tag: which interpreter and version the wheel was built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Python {
    /// `cp311`: CPython, version-specific.
    CPython { major: u32, minor: Option<u32> },
    /// `py3`, `py311`, `py2`: any implementation of that Python version.
    Generic { major: u32, minor: Option<u32> },
    /// `pp39`: PyPy.
    PyPy,
    /// Anything else (`ip27`, `graalpy311`, malformed).
    Other,
}

/// The ABI tag: which binary interface compiled code inside expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Abi {
    /// `none`: no compiled Python extension.
    None,
    /// `abi3`: CPython's stable ABI, loads on the named version and every later one.
    Abi3,
    /// `abi3t`: the stable ABI of free-threaded CPython builds.
    Abi3Threaded,
    /// `cp312`, `cp313t` (free-threaded), `cp37m`, `cp311d` (debug).
    CPython {
        major: u32,
        minor: u32,
        flags: String,
    },
    /// Another interpreter's ABI (`pypy39_pp73`, `graalpy311_...`).
    Other,
}

/// The platform tag: which operating system, C library and CPU the wheel was built for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Platform {
    /// `any`: pure Python.
    Any,
    /// `manylinux_2_17_x86_64` (PEP 600) or a legacy alias such as `manylinux2014_x86_64`.
    Manylinux {
        glibc_major: u32,
        glibc_minor: u32,
        arch: String,
        /// `manylinux1`, `manylinux2010` or `manylinux2014` when written that way.
        legacy: Option<&'static str>,
    },
    /// `musllinux_1_2_x86_64` (PEP 656): musl libc, Alpine.
    Musllinux { arch: String },
    /// `linux_x86_64`: built on some Linux machine, not portable.
    Linux { arch: String },
    /// `macosx_11_0_arm64`, `macosx_10_9_universal2`.
    MacOs,
    /// `win32`, `win_amd64`, `win_arm64`.
    Windows,
    /// Anything else: android, ios, emscripten/pyodide, BSDs, Solaris...
    Other,
}

const LEGACY_MANYLINUX: [(&str, u32); 3] = [
    ("manylinux1", 5),
    ("manylinux2010", 12),
    ("manylinux2014", 17),
];

/// The legacy manylinux tags and the glibc 2.x minor version each stands for.
pub fn legacy_manylinux() -> &'static [(&'static str, u32)] {
    &LEGACY_MANYLINUX
}

/// Splits `311` into (3, Some(11)) and `3` into (3, None): the first digit is the major version.
fn split_version(digits: &str) -> Option<(u32, Option<u32>)> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let major = digits[..1].parse().ok()?;
    let minor = if digits.len() > 1 {
        Some(digits[1..].parse().ok()?)
    } else {
        None
    };
    Some((major, minor))
}

impl PythonTag {
    pub fn parse(text: &str) -> PythonTag {
        let text = text.to_ascii_lowercase();
        let kind = if let Some((major, minor)) = text.strip_prefix("cp").and_then(split_version) {
            Python::CPython { major, minor }
        } else if let Some((major, minor)) = text.strip_prefix("py").and_then(split_version) {
            Python::Generic { major, minor }
        } else if text.starts_with("pp") {
            Python::PyPy
        } else {
            Python::Other
        };
        Tag { text, kind }
    }
}

impl AbiTag {
    pub fn parse(text: &str) -> AbiTag {
        let text = text.to_ascii_lowercase();
        let kind = match text.as_str() {
            "none" => Abi::None,
            "abi3" => Abi::Abi3,
            "abi3t" => Abi::Abi3Threaded,
            t => parse_cpython_abi(t).unwrap_or(Abi::Other),
        };
        Tag { text, kind }
    }
}

/// `cp313t` -> CPython 3.13 with flags `t`.
fn parse_cpython_abi(text: &str) -> Option<Abi> {
    let rest = text.strip_prefix("cp")?;
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (digits, flags) = rest.split_at(digits_end);
    let (major, minor) = split_version(digits)?;
    if !flags.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    Some(Abi::CPython {
        major,
        minor: minor?,
        flags: flags.to_string(),
    })
}

impl PlatformTag {
    pub fn parse(text: &str) -> PlatformTag {
        let text = text.to_ascii_lowercase();
        let kind = parse_platform(&text);
        Tag { text, kind }
    }
}

/// `2_17_x86_64` -> (2, 17, "x86_64").
fn split_glibc_arch(rest: &str) -> Option<(u32, u32, String)> {
    let (major, rest) = rest.split_once('_')?;
    let (minor, arch) = rest.split_once('_')?;
    if arch.is_empty() {
        return None;
    }
    Some((major.parse().ok()?, minor.parse().ok()?, arch.to_string()))
}

fn parse_platform(text: &str) -> Platform {
    if text == "any" {
        return Platform::Any;
    }
    if let Some(rest) = text.strip_prefix("manylinux_") {
        if let Some((glibc_major, glibc_minor, arch)) = split_glibc_arch(rest) {
            return Platform::Manylinux {
                glibc_major,
                glibc_minor,
                arch,
                legacy: None,
            };
        }
        return Platform::Other;
    }
    for &(legacy, minor) in &LEGACY_MANYLINUX {
        if let Some(arch) = text
            .strip_prefix(legacy)
            .and_then(|r| r.strip_prefix('_'))
            .filter(|a| !a.is_empty())
        {
            return Platform::Manylinux {
                glibc_major: 2,
                glibc_minor: minor,
                arch: arch.to_string(),
                legacy: Some(legacy),
            };
        }
    }
    if let Some(rest) = text.strip_prefix("musllinux_") {
        return match split_glibc_arch(rest) {
            Some((_, _, arch)) => Platform::Musllinux { arch },
            None => Platform::Other,
        };
    }
    if let Some(arch) = text.strip_prefix("linux_") {
        return Platform::Linux {
            arch: arch.to_string(),
        };
    }
    if text.starts_with("macosx_") {
        return Platform::MacOs;
    }
    if text == "win32" || text.starts_with("win_") {
        return Platform::Windows;
    }
    Platform::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_tags_split_major_and_minor() {
        assert_eq!(
            PythonTag::parse("cp312").kind,
            Python::CPython {
                major: 3,
                minor: Some(12)
            }
        );
        assert_eq!(
            PythonTag::parse("py3").kind,
            Python::Generic {
                major: 3,
                minor: None
            }
        );
        assert_eq!(PythonTag::parse("pp310").kind, Python::PyPy);
        assert_eq!(PythonTag::parse("graalpy311").kind, Python::Other);
        assert_eq!(PythonTag::parse("CP39").text, "cp39");
    }

    #[test]
    fn abi_tags_keep_their_flags() {
        assert_eq!(
            AbiTag::parse("cp313t").kind,
            Abi::CPython {
                major: 3,
                minor: 13,
                flags: "t".into()
            }
        );
        assert_eq!(AbiTag::parse("abi3").kind, Abi::Abi3);
        assert_eq!(AbiTag::parse("pypy39_pp73").kind, Abi::Other);
        assert_eq!(AbiTag::parse("cp3").kind, Abi::Other);
    }

    #[test]
    fn platform_tags_know_perennial_and_legacy_manylinux() {
        assert_eq!(
            PlatformTag::parse("manylinux_2_28_aarch64").kind,
            Platform::Manylinux {
                glibc_major: 2,
                glibc_minor: 28,
                arch: "aarch64".into(),
                legacy: None
            }
        );
        assert_eq!(
            PlatformTag::parse("manylinux2014_x86_64").kind,
            Platform::Manylinux {
                glibc_major: 2,
                glibc_minor: 17,
                arch: "x86_64".into(),
                legacy: Some("manylinux2014")
            }
        );
        assert_eq!(
            PlatformTag::parse("musllinux_1_2_x86_64").kind,
            Platform::Musllinux {
                arch: "x86_64".into()
            }
        );
        assert_eq!(
            PlatformTag::parse("macosx_10_9_universal2").kind,
            Platform::MacOs
        );
        assert_eq!(PlatformTag::parse("win_amd64").kind, Platform::Windows);
        assert_eq!(PlatformTag::parse("manylinux_x").kind, Platform::Other);
        assert_eq!(
            PlatformTag::parse("android_21_arm64_v8a").kind,
            Platform::Other
        );
    }
}
