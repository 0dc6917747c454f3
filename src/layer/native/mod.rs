//! Native code inside a layer: what kind of binary a file is and whether it loads on the target.
//!
//! `wheelbarrow inspect` runs every shared object of a layer zip (possibly built by another
//! tool) through [`check_native`]. ELF files are parsed properly: the machine from the header,
//! `DT_NEEDED` libraries from the dynamic section, and the glibc symbol versions from the
//! version-needed table (`SHT_GNU_verneed`), found through the section headers or, when those are
//! stripped, through the dynamic segment. Every read is bounds-checked and every loop capped, so
//! truncated or hostile input yields a partial answer, never a panic.

mod elf;
#[cfg(test)]
mod elf_tests;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::lambda::{Arch, Target};

use elf::{Elf, MAX_ENTRIES, elf_arch, read_u32};

/// The container format of a binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BinaryKind {
    Elf,
    MachO,
    Pe,
}

/// What [`check_native`] found out about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NativeCheck {
    pub path: String,
    pub kind: Option<BinaryKind>,
    /// e.g. `x86_64`, `aarch64`, `i386`, `arm` for ELF; `None` when unknown.
    pub arch: Option<String>,
    /// The newest `GLIBC_2.N` symbol version it needs, e.g. `(2, 28)`.
    pub glibc: Option<(u32, u32)>,
    /// `DT_NEEDED` shared libraries (e.g. `["libpq.so.5", "libc.so.6"]`).
    pub needed: Vec<String>,
    /// Why it will not load on the target, in plain words; empty when it loads.
    pub problems: Vec<String>,
}

/// Whether a path in a layer is worth checking as native code by its name: `*.so`,
/// `*.so.N[.M...]`, `*.pyd` and `*.dylib`. Files with other names may still be binaries; pass
/// their first bytes to [`sniff`] to find out.
pub fn is_native_path(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    if [".so", ".pyd", ".dylib"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        return true;
    }
    name.match_indices(".so.").any(|(at, _)| {
        name[at + 4..]
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The binary kind from the first bytes: ELF, Mach-O (thin or fat/universal), or PE/COFF
/// (`MZ` with a `PE\0\0` header where `e_lfanew` points); `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<BinaryKind> {
    if bytes.starts_with(b"\x7fELF") {
        return Some(BinaryKind::Elf);
    }
    match read_u32(bytes, 0, false)? {
        0xfeed_face | 0xfeed_facf | 0xcefa_edfe | 0xcffa_edfe => return Some(BinaryKind::MachO),
        // Java class files share 0xcafebabe; their version (>= 45) follows where the
        // architecture count of a fat Mach-O would be.
        0xcafe_babe | 0xcafe_babf if (1..=20).contains(&read_u32(bytes, 4, false)?) => {
            return Some(BinaryKind::MachO);
        }
        _ => {}
    }
    if bytes.starts_with(b"MZ") {
        let lfanew = usize::try_from(read_u32(bytes, 0x3c, true)?).ok()?;
        if bytes.get(lfanew..lfanew.checked_add(4)?)? == b"PE\0\0" {
            return Some(BinaryKind::Pe);
        }
    }
    None
}

/// Checks one file of a layer against `target`; never panics, whatever the bytes.
pub fn check_native(path: &str, bytes: &[u8], target: &Target) -> NativeCheck {
    let mut check = NativeCheck {
        path: path.to_string(),
        kind: sniff(bytes),
        arch: None,
        glibc: None,
        needed: Vec::new(),
        problems: Vec::new(),
    };
    match check.kind {
        Some(BinaryKind::Elf) => check_elf(&mut check, bytes, target),
        Some(BinaryKind::MachO) => check.problem("macOS binary; Lambda runs Linux"),
        Some(BinaryKind::Pe) => check.problem("Windows binary; Lambda runs Linux"),
        None if !is_ld_script(bytes) && is_native_path(path) => {
            check.problem("not a shared library (unrecognised contents)");
        }
        None => {}
    }
    for problem in filename_problems(path, target) {
        check.problem(problem);
    }
    check
}

impl NativeCheck {
    /// Adds a problem unless the same words are already there (the ELF header and the file
    /// name may both tell of the wrong architecture).
    fn problem(&mut self, problem: impl Into<String>) {
        let problem = problem.into();
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }
}

fn check_elf(check: &mut NativeCheck, bytes: &[u8], target: &Target) {
    let elf = Elf::new(bytes);
    let machine = elf.as_ref().and_then(|e| e.u16(18));
    check.arch = machine.and_then(elf_arch).map(String::from);
    let header_len = elf.as_ref().map_or(64, |e| e.pick(64, 52));
    if elf.is_none() || bytes.len() < header_len {
        check.problem("damaged ELF file (invalid or incomplete header)");
    } else if elf.as_ref().is_some_and(|e| !e.has_loadable_segment()) {
        check.problem(format!(
            "too short to load: {} bytes, an ELF header without a loadable segment inside the file, so dlopen refuses it; reinstall the package that owns it, or remove it",
            bytes.len()
        ));
    }
    if let (Some(elf), Some(machine)) = (&elf, machine) {
        let wanted = match target.arch {
            Arch::X86_64 => 62,
            Arch::Arm64 => 183,
        };
        if machine != wanted || !elf.is64 || !elf.le {
            let name = check
                .arch
                .clone()
                .unwrap_or_else(|| format!("machine {machine}"));
            let built = match (elf.is64, elf.le) {
                (false, _) => format!("32-bit {name} (ELFCLASS32)"),
                (true, false) => format!("big-endian {name}"),
                (true, true) => name,
            };
            check.problem(format!(
                "built for {built}; this function is {}",
                target.arch
            ));
        }
    }
    let dynamic = elf.as_ref().map(Elf::dynamic).unwrap_or_default();
    check.needed = dynamic.needed;
    let versions = match (&elf, dynamic.verneed) {
        (Some(elf), Some(verneed)) => elf.verneed_names(verneed),
        // A dynamic table without version needs: nothing versioned is needed (ld.so itself).
        _ if dynamic.located => Some(Vec::new()),
        _ => None,
    };
    let versions = versions.unwrap_or_else(|| scan_glibc_names(bytes));
    check.glibc = versions.iter().filter_map(|name| glibc_version(name)).max();
    if let Some((major, minor)) = check.glibc {
        let rt = &target.runtime;
        if (major, minor) > (rt.glibc.major, rt.glibc.minor) {
            check.problem(format!(
                "needs glibc {major}.{minor} (GLIBC_{major}.{minor} symbols); {} runs on {} with glibc {}",
                rt.name, rt.os, rt.glibc
            ));
        }
    }
    if check
        .needed
        .iter()
        .any(|lib| lib.starts_with("libc.musl-") || lib.starts_with("ld-musl-"))
    {
        check.problem(MUSL);
    }
}

const MUSL: &str = "linked against musl libc (Alpine); Lambda uses glibc";

/// Problems the file name's extension-module tag reveals
/// (`name.cpython-312-x86_64-linux-gnu.so`, `name.pypy39-pp73-...so`).
fn filename_problems(path: &str, target: &Target) -> Vec<String> {
    let mut problems = Vec::new();
    let name = file_name(path);
    let Some(tag) = name
        .strip_suffix(".so")
        .and_then(|stem| stem.rsplit_once('.'))
        .map(|(_, tag)| tag)
    else {
        return problems;
    };
    let platform = if let Some(rest) = tag.strip_prefix("cpython-") {
        let (version, platform) = rest.split_once('-').unwrap_or((rest, ""));
        let digits_end = version
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(version.len());
        let (digits, flags) = version.split_at(digits_end);
        let minor = digits.strip_prefix('3').and_then(|m| m.parse::<u32>().ok());
        if let Some(minor) = minor.filter(|&m| m != target.runtime.python_minor) {
            problems.push(format!(
                "CPython 3.{minor} extension; this runtime is {}",
                target.runtime.python_version()
            ));
        }
        if flags.contains('t') {
            problems.push(format!(
                "free-threaded build (cpython-{version}); Lambda's Python is the standard build"
            ));
        }
        platform
    } else if let Some(other) = ["PyPy", "GraalPy"]
        .into_iter()
        .find(|other| tag.starts_with(&other.to_ascii_lowercase()))
    {
        problems.push(format!("{other} extension; Lambda runs CPython"));
        return problems;
    } else {
        return problems;
    };
    if let Some((arch, libc)) = platform.split_once("-linux-") {
        if arch != target.arch.wheel_name() {
            problems.push(format!(
                "built for {arch}; this function is {}",
                target.arch
            ));
        }
        if libc.starts_with("musl") {
            problems.push(MUSL.into());
        }
    }
    problems
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A GNU ld script standing in for a library (`libc.so` is one): after leading comments, an
/// `INPUT`, `GROUP` or `OUTPUT_FORMAT` command.
fn is_ld_script(bytes: &[u8]) -> bool {
    let mut text = bytes;
    for _ in 0..16 {
        text = text.trim_ascii_start();
        if text.starts_with(b"/* GNU ld script") {
            return true;
        }
        let Some(comment) = text.strip_prefix(b"/*") else {
            break;
        };
        let Some(end) = comment.windows(2).position(|w| w == b"*/") else {
            return false;
        };
        text = &comment[end + 2..];
    }
    [&b"INPUT"[..], b"GROUP", b"OUTPUT_FORMAT"]
        .iter()
        .any(|command| text.starts_with(command))
}

/// `(2, 28)` from `GLIBC_2.28` or `GLIBC_2.28.1`; `None` for `GLIBC_PRIVATE` and the like.
fn glibc_version(name: &str) -> Option<(u32, u32)> {
    let rest = name.strip_prefix("GLIBC_")?;
    let mut parts = rest.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    parts
        .all(|p| p.parse::<u32>().is_ok())
        .then_some((major, minor))
}

/// The last resort: every `GLIBC_2.N[.M]` string anywhere in the bytes.
fn scan_glibc_names(bytes: &[u8]) -> Vec<String> {
    const NEEDLE: &[u8] = b"GLIBC_2.";
    let mut names = Vec::new();
    let mut at = 0;
    while let Some(found) = bytes
        .get(at..)
        .and_then(|rest| rest.windows(NEEDLE.len()).position(|w| w == NEEDLE))
    {
        let start = at + found;
        let tail = &bytes[start + NEEDLE.len()..];
        let len = tail
            .iter()
            .take(32)
            .position(|b| !(b.is_ascii_digit() || *b == b'.'))
            .unwrap_or(tail.len().min(32));
        let version = String::from_utf8_lossy(&tail[..len]);
        names.push(format!("GLIBC_2.{}", version.trim_end_matches('.')));
        at = start + NEEDLE.len();
        if names.len() >= MAX_ENTRIES {
            break;
        }
    }
    names
}
