//! Native code inside a layer: what kind of binary a file is and whether it loads on the target.
//!
//! `wheelbarrow inspect` runs every shared object of a layer zip (possibly built by another
//! tool) through [`check_native`]. ELF files are parsed properly: the machine from the header,
//! `DT_NEEDED` libraries from the dynamic section, and the glibc symbol versions from the
//! version-needed table (`SHT_GNU_verneed`), found through the section headers or, when those are
//! stripped, through the dynamic segment. Every read is bounds-checked and every loop capped, so
//! truncated or hostile input yields a partial answer, never a panic.

use serde::Serialize;

use crate::lambda::{Arch, Target};

/// Upper bound on entries walked in any table (sections, segments, dynamic, version chains).
const MAX_ENTRIES: usize = 65_536;
/// Upper bound on the length of one string read from a string table.
const MAX_STR: usize = 4096;
/// Upper bound on names collected from one file (needed libraries, needed versions).
const MAX_NAMES: usize = 4096;

const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const SHT_DYNAMIC: u32 = 6;
const SHT_GNU_VERNEED: u32 = 0x6fff_fffe;
const DT_NEEDED: u64 = 1;
const DT_STRTAB: u64 = 5;
const DT_STRSZ: u64 = 10;
const DT_VERNEED: u64 = 0x6fff_fffe;
const DT_VERNEEDNUM: u64 = 0x6fff_ffff;

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

fn elf_arch(machine: u16) -> Option<&'static str> {
    Some(match machine {
        3 => "i386",
        8 => "mips",
        20 => "ppc",
        21 => "ppc64",
        22 => "s390x",
        40 => "arm",
        62 => "x86_64",
        183 => "aarch64",
        243 => "riscv",
        _ => return None,
    })
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

fn read_u16(bytes: &[u8], at: usize, le: bool) -> Option<u16> {
    let raw: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(if le {
        u16::from_le_bytes(raw)
    } else {
        u16::from_be_bytes(raw)
    })
}

fn read_u32(bytes: &[u8], at: usize, le: bool) -> Option<u32> {
    let raw: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(if le {
        u32::from_le_bytes(raw)
    } else {
        u32::from_be_bytes(raw)
    })
}

fn read_u64(bytes: &[u8], at: usize, le: bool) -> Option<u64> {
    let raw: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(if le {
        u64::from_le_bytes(raw)
    } else {
        u64::from_be_bytes(raw)
    })
}

/// A region of the file: a string table or a table of entries.
#[derive(Debug, Clone, Copy)]
struct Region {
    offset: usize,
    size: usize,
}

/// The tables of a dynamic ELF this module reads, as far as they were found.
#[derive(Default)]
struct Dynamic {
    /// `DT_NEEDED` names, read from the dynamic string table.
    needed: Vec<String>,
    /// The version-needed table: its offset, its entry count, and its string table.
    verneed: Option<(usize, usize, Region)>,
    /// Whether a dynamic table was found at all (without one, only a byte scan is left).
    located: bool,
}

/// One section header, the fields this module needs.
struct Section {
    kind: u32,
    region: Region,
    link: u32,
    info: u32,
}

struct Elf<'a> {
    bytes: &'a [u8],
    is64: bool,
    le: bool,
}

impl<'a> Elf<'a> {
    fn new(bytes: &'a [u8]) -> Option<Elf<'a>> {
        let is64 = match bytes.get(4)? {
            1 => false,
            2 => true,
            _ => return None,
        };
        let le = match bytes.get(5)? {
            1 => true,
            2 => false,
            _ => return None,
        };
        Some(Elf { bytes, is64, le })
    }

    fn u16(&self, at: usize) -> Option<u16> {
        read_u16(self.bytes, at, self.le)
    }

    fn u32(&self, at: usize) -> Option<u32> {
        read_u32(self.bytes, at, self.le)
    }

    /// An address, offset or size: 8 bytes in ELFCLASS64, 4 in ELFCLASS32.
    fn word(&self, at: usize) -> Option<u64> {
        if self.is64 {
            read_u64(self.bytes, at, self.le)
        } else {
            self.u32(at).map(u64::from)
        }
    }

    fn usize_word(&self, at: usize) -> Option<usize> {
        usize::try_from(self.word(at)?).ok()
    }

    /// Pick the 64-bit or the 32-bit offset of a field.
    fn pick(&self, off64: usize, off32: usize) -> usize {
        if self.is64 { off64 } else { off32 }
    }

    /// `at` if it lies within the file (so adding a field offset to it cannot overflow).
    fn within(&self, at: usize) -> Option<usize> {
        (at <= self.bytes.len()).then_some(at)
    }

    fn region(&self, offset: usize, size: usize) -> Region {
        let offset = offset.min(self.bytes.len());
        Region {
            offset,
            size: size.min(self.bytes.len() - offset),
        }
    }

    fn str_at(&self, table: Region, at: usize) -> Option<String> {
        let table = self
            .bytes
            .get(table.offset..table.offset.checked_add(table.size)?)?;
        let tail = table.get(at..)?;
        let end = tail.iter().take(MAX_STR).position(|&b| b == 0)?;
        Some(String::from_utf8_lossy(&tail[..end]).into_owned())
    }

    fn sections(&self) -> Vec<Section> {
        let (Some(shoff), Some(entsize)) = (
            self.usize_word(self.pick(40, 32)),
            self.u16(self.pick(58, 46)),
        ) else {
            return Vec::new();
        };
        let entsize = usize::from(entsize);
        let mut count = self.u16(self.pick(60, 48)).map_or(0, usize::from);
        if shoff == 0 || entsize < self.pick(64, 40) {
            return Vec::new();
        }
        if count == 0 {
            // More than 0xff00 sections: the real count sits in section 0's `sh_size`.
            count = self
                .usize_word(shoff.saturating_add(self.pick(32, 20)))
                .unwrap_or(0);
        }
        (0..count.min(MAX_ENTRIES))
            .map_while(|i| {
                let at = self.within(shoff.checked_add(i.checked_mul(entsize)?)?)?;
                Some(Section {
                    kind: self.u32(at + 4)?,
                    region: self.region(
                        self.usize_word(at + self.pick(24, 16))?,
                        self.usize_word(at + self.pick(32, 20))?,
                    ),
                    link: self.u32(at + self.pick(40, 24))?,
                    info: self.u32(at + self.pick(44, 28))?,
                })
            })
            .collect()
    }

    /// `(p_type, p_offset, p_vaddr, p_filesz)` of every program header.
    fn segments(&self) -> Vec<(u32, usize, u64, usize)> {
        let (Some(phoff), Some(entsize), Some(count)) = (
            self.usize_word(self.pick(32, 28)),
            self.u16(self.pick(54, 42)),
            self.u16(self.pick(56, 44)),
        ) else {
            return Vec::new();
        };
        let entsize = usize::from(entsize);
        if phoff == 0 || entsize < self.pick(56, 32) {
            return Vec::new();
        }
        (0..usize::from(count))
            .map_while(|i| {
                let at = self.within(phoff.checked_add(i.checked_mul(entsize)?)?)?;
                let kind = self.u32(at)?;
                let offset = self.usize_word(at + self.pick(8, 4))?;
                let vaddr = self.word(at + self.pick(16, 8))?;
                let filesz = self.usize_word(at + self.pick(32, 16))?;
                Some((kind, offset, vaddr, filesz))
            })
            .collect()
    }

    /// Maps a virtual address to a file offset through the `PT_LOAD` segments.
    fn address_to_offset(segments: &[(u32, usize, u64, usize)], addr: u64) -> Option<usize> {
        segments
            .iter()
            .filter(|s| s.0 == PT_LOAD)
            .find_map(|&(_, offset, vaddr, filesz)| {
                let delta = usize::try_from(addr.checked_sub(vaddr)?).ok()?;
                (delta < filesz)
                    .then(|| offset.checked_add(delta))
                    .flatten()
            })
    }

    /// `DT_NEEDED` and the version-needed table, through the section headers (`SHT_DYNAMIC`,
    /// `SHT_GNU_verneed` and their linked string tables) or else through the `PT_DYNAMIC`
    /// segment, its addresses mapped to file offsets by the `PT_LOAD` segments.
    fn dynamic(&self) -> Dynamic {
        let sections = self.sections();
        let segments = self.segments();
        let linked = |s: &Section| Some(sections.get(usize::try_from(s.link).ok()?)?.region);
        let from_section = sections
            .iter()
            .find(|s| s.kind == SHT_DYNAMIC)
            .and_then(|s| Some((s.region, Some(linked(s)?))));
        let from_segment = || {
            let &(_, offset, _, size) = segments.iter().find(|s| s.0 == PT_DYNAMIC)?;
            Some((self.region(offset, size), None))
        };
        let mut found = Dynamic::default();
        let (mut strtab_addr, mut strsz, mut verneed, mut verneednum) = (None, None, None, None);
        let mut needed = Vec::new();
        if let Some((table, strtab)) = from_section.or_else(from_segment) {
            found.located = true;
            let entry = self.pick(16, 8);
            for i in 0..(table.size / entry).min(MAX_ENTRIES) {
                let at = table.offset + i * entry;
                let (Some(tag), Some(value)) = (self.word(at), self.word(at + entry / 2)) else {
                    break;
                };
                match tag {
                    0 => break,
                    DT_NEEDED if needed.len() < MAX_NAMES => {
                        needed.extend(usize::try_from(value).ok());
                    }
                    DT_STRTAB => strtab_addr = Some(value),
                    DT_STRSZ => strsz = usize::try_from(value).ok(),
                    DT_VERNEED => verneed = Some(value),
                    DT_VERNEEDNUM => verneednum = usize::try_from(value).ok(),
                    _ => {}
                }
            }
            let strtab = strtab.or_else(|| {
                let offset = Self::address_to_offset(&segments, strtab_addr?)?;
                Some(self.region(offset, strsz.unwrap_or(usize::MAX)))
            });
            if let Some(strtab) = strtab {
                found.needed = needed
                    .iter()
                    .filter_map(|&at| self.str_at(strtab, at))
                    .collect();
                found.verneed = verneed
                    .and_then(|addr| Self::address_to_offset(&segments, addr))
                    .map(|offset| (offset, verneednum.unwrap_or(MAX_ENTRIES), strtab));
            }
        }
        if let Some(s) = sections.iter().find(|s| s.kind == SHT_GNU_VERNEED) {
            let count = usize::try_from(s.info).unwrap_or(MAX_ENTRIES);
            found.verneed = linked(s)
                .map(|strtab| (s.region.offset, count, strtab))
                .or(found.verneed);
        }
        found
    }

    /// Every `vna_name` in the version-needed table; `None` when there is no such table.
    fn verneed_names(&self, (start, count, strtab): (usize, usize, Region)) -> Option<Vec<String>> {
        let mut at = self.within(start)?;
        let mut names = Vec::new();
        // One budget for the whole walk, entries and auxiliaries alike.
        let mut budget = MAX_NAMES;
        for _ in 0..count {
            let (Some(cnt), Some(aux), Some(next)) =
                (self.u16(at + 2), self.u32(at + 8), self.u32(at + 12))
            else {
                break;
            };
            let mut aux_at = usize::try_from(aux)
                .ok()
                .and_then(|aux| self.within(at.checked_add(aux)?));
            for _ in 0..cnt {
                let Some(here) = aux_at.filter(|_| budget > 0) else {
                    break;
                };
                budget -= 1;
                let (Some(name), Some(aux_next)) = (self.u32(here + 8), self.u32(here + 12)) else {
                    break;
                };
                names.extend(
                    usize::try_from(name)
                        .ok()
                        .and_then(|n| self.str_at(strtab, n)),
                );
                if aux_next == 0 {
                    break;
                }
                aux_at = usize::try_from(aux_next)
                    .ok()
                    .and_then(|n| self.within(here.checked_add(n)?));
            }
            if next == 0 || budget == 0 {
                break;
            }
            budget -= 1;
            let Some(next_at) = usize::try_from(next)
                .ok()
                .and_then(|n| self.within(at.checked_add(n)?))
            else {
                break;
            };
            at = next_at;
        }
        Some(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::RuntimeTable;

    /// A real library built by gcc: needs `libc.so.6` and `GLIBC_2.28` (statx); see `libstatx.c`.
    const LIBSTATX: &[u8] = include_bytes!("../../tests/fixtures/native/libstatx.so");

    fn target(runtime: &str, arch: &str) -> Target {
        RuntimeTable::builtin()
            .target(Some(runtime), Some(arch))
            .unwrap()
    }

    fn py311() -> Target {
        target("python3.11", "x86_64")
    }

    /// What a synthetic ELF image contains.
    #[derive(Clone)]
    #[allow(clippy::struct_excessive_bools, reason = "a test fixture's switches")]
    struct Spec {
        is64: bool,
        le: bool,
        machine: u16,
        needed: Vec<&'static str>,
        versions: Vec<&'static str>,
        sections: bool,
        segments: bool,
    }

    fn spec(needed: &[&'static str], versions: &[&'static str]) -> Spec {
        Spec {
            is64: true,
            le: true,
            machine: 62,
            needed: needed.to_vec(),
            versions: versions.to_vec(),
            sections: true,
            segments: true,
        }
    }

    struct Out {
        buf: Vec<u8>,
        is64: bool,
        le: bool,
    }

    impl Out {
        fn half(&mut self, v: u16) {
            let raw = if self.le {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            };
            self.buf.extend(raw);
        }
        fn u32(&mut self, v: u32) {
            let raw = if self.le {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            };
            self.buf.extend(raw);
        }
        fn word(&mut self, v: usize) {
            let v = u64::try_from(v).unwrap();
            if !self.is64 {
                return self.u32(u32::try_from(v).unwrap());
            }
            let raw = if self.le {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            };
            self.buf.extend(raw);
        }
        fn u32_of(&mut self, v: usize) {
            self.u32(u32::try_from(v).unwrap());
        }
        fn align(&mut self, to: usize) {
            while !self.buf.len().is_multiple_of(to) {
                self.buf.push(0);
            }
        }
    }

    const BASE: usize = 0x40_0000;

    /// An ELF shared object with `.dynstr`, `.gnu.version_r` and `.dynamic` (section headers and
    /// `PT_LOAD` + `PT_DYNAMIC` program headers as the spec asks), loaded at `BASE`.
    #[allow(
        clippy::too_many_lines,
        reason = "one file layout, written top to bottom"
    )]
    fn elf(spec: &Spec) -> Vec<u8> {
        let (ehsize, phentsize, shentsize, dynent) = if spec.is64 {
            (64, 56, 64, 16)
        } else {
            (52, 32, 40, 8)
        };
        let phnum = if spec.segments { 2 } else { 0 };
        let mut dynstr = vec![0u8];
        let mut intern = |s: &str| {
            let at = dynstr.len();
            dynstr.extend(s.as_bytes());
            dynstr.push(0);
            at
        };
        let needed: Vec<usize> = spec.needed.iter().map(|n| intern(n)).collect();
        let libc = intern("libc.so.6");
        let versions: Vec<usize> = spec.versions.iter().map(|v| intern(v)).collect();
        let shstr = b"\0.dynstr\0.gnu.version_r\0.dynamic\0.shstrtab\0";
        let round = |at: usize, to: usize| at.div_ceil(to) * to;
        let dynstr_at = ehsize + phnum * phentsize;
        let verneed_at = round(dynstr_at + dynstr.len(), 4);
        let verneed_len = if versions.is_empty() {
            0
        } else {
            16 + 16 * versions.len()
        };
        let dynamic_at = round(verneed_at + verneed_len, 8);
        let dyn_count = needed.len() + 2 + if versions.is_empty() { 0 } else { 2 } + 1;
        let shstr_at = dynamic_at + dyn_count * dynent;
        let shoff = round(shstr_at + shstr.len(), 8);
        let total = shoff + 5 * shentsize;

        let mut o = Out {
            buf: Vec::new(),
            is64: spec.is64,
            le: spec.le,
        };
        o.buf.extend(b"\x7fELF");
        o.buf.extend([
            if spec.is64 { 2 } else { 1 },
            if spec.le { 1 } else { 2 },
            1,
            0,
        ]);
        o.buf.resize(16, 0);
        o.half(3); // ET_DYN
        o.half(spec.machine);
        o.u32(1);
        o.word(0); // e_entry
        o.word(if spec.segments { ehsize } else { 0 });
        o.word(if spec.sections { shoff } else { 0 });
        o.u32(0);
        for v in [
            ehsize,
            phentsize,
            phnum,
            shentsize,
            if spec.sections { 5 } else { 0 },
            4,
        ] {
            o.half(u16::try_from(v).unwrap());
        }
        assert_eq!(o.buf.len(), ehsize);
        for (kind, offset, size) in [
            (PT_LOAD, 0, total),
            (PT_DYNAMIC, dynamic_at, dyn_count * dynent),
        ]
        .iter()
        .take(phnum)
        {
            o.u32(*kind);
            if spec.is64 {
                o.u32(4);
            }
            o.word(*offset);
            o.word(BASE + offset);
            o.word(BASE + offset);
            o.word(*size);
            o.word(*size);
            if !spec.is64 {
                o.u32(4);
            }
            o.word(8);
        }
        o.buf.extend(&dynstr);
        o.align(4);
        if !versions.is_empty() {
            for v in [1, versions.len()] {
                o.half(u16::try_from(v).unwrap());
            }
            for v in [libc, 16, 0] {
                o.u32_of(v);
            }
            for (i, name) in versions.iter().enumerate() {
                o.u32(0);
                o.half(0);
                o.half(u16::try_from(i + 2).unwrap());
                o.u32_of(*name);
                o.u32(if i + 1 == versions.len() { 0 } else { 16 });
            }
        }
        o.align(8);
        let mut entries: Vec<(u64, usize)> = needed.iter().map(|&n| (DT_NEEDED, n)).collect();
        entries.extend([(DT_STRTAB, BASE + dynstr_at), (DT_STRSZ, dynstr.len())]);
        if !versions.is_empty() {
            entries.extend([(DT_VERNEED, BASE + verneed_at), (DT_VERNEEDNUM, 1)]);
        }
        entries.push((0, 0));
        for (tag, value) in entries {
            o.word(usize::try_from(tag).unwrap());
            o.word(value);
        }
        o.buf.extend(shstr);
        o.align(8);
        let sections = [
            (0, 0, 0, 0, 0, 0),
            (1, 3, dynstr_at, dynstr.len(), 0, 0),
            (9, SHT_GNU_VERNEED, verneed_at, verneed_len, 1, 1),
            (24, SHT_DYNAMIC, dynamic_at, dyn_count * dynent, 1, 0),
            (33, 3, shstr_at, shstr.len(), 0, 0),
        ];
        for (name, kind, offset, size, link, info) in sections {
            o.u32(name);
            o.u32(kind);
            o.word(0);
            o.word(if offset == 0 { 0 } else { BASE + offset });
            o.word(offset);
            o.word(size);
            o.u32(link);
            o.u32(info);
            o.word(8);
            o.word(0);
        }
        assert_eq!(o.buf.len(), total);
        o.buf
    }

    #[test]
    fn native_paths_are_recognised_by_name() {
        for path in [
            "a/_speedups.cpython-311-x86_64-linux-gnu.so",
            "lib/libpq.so.5",
            "x/libz.so.1.2.13",
            "m.pyd",
            "m.DYLIB",
        ] {
            assert!(is_native_path(path), "{path}");
        }
        for path in [
            "a/so.py",
            "libfoo.so.bak",
            "libfoo.so.",
            "x.so.1.",
            "README.md",
            "sonic.txt",
        ] {
            assert!(!is_native_path(path), "{path}");
        }
    }

    #[test]
    fn sniff_knows_elf_macho_and_pe_but_not_java_classes_or_bare_mz() {
        assert_eq!(sniff(b"\x7fELF\x02\x01"), Some(BinaryKind::Elf));
        for magic in [
            [0xfe, 0xed, 0xfa, 0xce],
            [0xfe, 0xed, 0xfa, 0xcf],
            [0xce, 0xfa, 0xed, 0xfe],
            [0xcf, 0xfa, 0xed, 0xfe],
        ] {
            assert_eq!(sniff(&magic), Some(BinaryKind::MachO));
        }
        assert_eq!(
            sniff(&[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]),
            Some(BinaryKind::MachO)
        );
        assert_eq!(
            sniff(&[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]),
            None,
            "a Java class file"
        );
        let mut pe = vec![0u8; 0x90];
        pe[..2].copy_from_slice(b"MZ");
        pe[0x3c] = 0x80;
        assert_eq!(sniff(&pe), None, "MZ without a PE header");
        pe[0x80..0x84].copy_from_slice(b"PE\0\0");
        assert_eq!(sniff(&pe), Some(BinaryKind::Pe));
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"\x7fEL"), None);
    }

    #[test]
    fn section_headers_give_machine_needed_libraries_and_glibc() {
        let image = elf(&spec(
            &["libpq.so.5", "libc.so.6"],
            &["GLIBC_2.2.5", "GLIBC_2.17", "GLIBC_PRIVATE", "GLIBC_2.3.4"],
        ));
        let check = check_native(
            "psycopg2/_psycopg.cpython-311-x86_64-linux-gnu.so",
            &image,
            &py311(),
        );
        assert_eq!(check.kind, Some(BinaryKind::Elf));
        assert_eq!(check.arch.as_deref(), Some("x86_64"));
        assert_eq!(check.glibc, Some((2, 17)));
        assert_eq!(check.needed, ["libpq.so.5", "libc.so.6"]);
        assert!(check.problems.is_empty(), "{:?}", check.problems);
    }

    #[test]
    fn glibc_ceilings_follow_the_runtime() {
        let image = elf(&spec(&["libc.so.6"], &["GLIBC_2.28", "GLIBC_2.14"]));
        let check = check_native("m.so", &image, &py311());
        assert_eq!(check.glibc, Some((2, 28)));
        assert_eq!(
            check.problems,
            [
                "needs glibc 2.28 (GLIBC_2.28 symbols); python3.11 runs on Amazon Linux 2 with glibc 2.26"
            ]
        );
        assert!(
            check_native("m.so", &image, &target("python3.12", "x86_64"))
                .problems
                .is_empty()
        );
        let at_ceiling = elf(&spec(&["libc.so.6"], &["GLIBC_2.34"]));
        assert!(
            check_native("m.so", &at_ceiling, &target("python3.12", "x86_64"))
                .problems
                .is_empty()
        );
        let newer = elf(&spec(&["libc.so.6"], &["GLIBC_2.35"]));
        let problems = check_native("m.so", &newer, &target("python3.12", "x86_64")).problems;
        assert_eq!(
            problems,
            [
                "needs glibc 2.35 (GLIBC_2.35 symbols); python3.12 runs on Amazon Linux 2023 with glibc 2.34"
            ]
        );
    }

    #[test]
    fn without_section_headers_the_dynamic_segment_is_used() {
        let image = elf(&Spec {
            sections: false,
            ..spec(&["libssl.so.3", "libc.so.6"], &["GLIBC_2.27", "GLIBC_2.4"])
        });
        let check = check_native("libx.so.3", &image, &py311());
        assert_eq!(check.needed, ["libssl.so.3", "libc.so.6"]);
        assert_eq!(check.glibc, Some((2, 27)));
        assert_eq!(check.problems.len(), 1, "{:?}", check.problems);
    }

    #[test]
    fn without_any_tables_glibc_strings_are_scanned_for() {
        let image = elf(&Spec {
            sections: false,
            segments: false,
            ..spec(&[], &["GLIBC_2.30", "GLIBC_2.9.1"])
        });
        let check = check_native("libx.so", &image, &py311());
        assert!(check.needed.is_empty());
        assert_eq!(check.glibc, Some((2, 30)));
        assert_eq!(
            scan_glibc_names(b"xGLIBC_2.\0GLIBC_2.12.1\0GLIBC_2.3"),
            ["GLIBC_2.", "GLIBC_2.12.1", "GLIBC_2.3"]
        );
    }

    #[test]
    fn binaries_for_another_machine_are_refused() {
        let arm = elf(&Spec {
            machine: 183,
            ..spec(&["libc.so.6"], &["GLIBC_2.17"])
        });
        let check = check_native("m.so", &arm, &py311());
        assert_eq!(check.arch.as_deref(), Some("aarch64"));
        assert_eq!(
            check.problems,
            ["built for aarch64; this function is x86_64"]
        );
        assert!(
            check_native("m.so", &arm, &target("python3.11", "arm64"))
                .problems
                .is_empty()
        );
        let x86 = elf(&spec(&["libc.so.6"], &[]));
        assert_eq!(
            check_native("m.so", &x86, &target("python3.12", "arm64")).problems,
            ["built for x86_64; this function is arm64"]
        );
        let i386 = elf(&Spec {
            is64: false,
            machine: 3,
            ..spec(&["libc.so.6"], &["GLIBC_2.1"])
        });
        let check = check_native("m.so", &i386, &py311());
        assert_eq!(
            (check.arch.as_deref(), check.glibc),
            (Some("i386"), Some((2, 1)))
        );
        assert_eq!(
            check.problems,
            ["built for 32-bit i386 (ELFCLASS32); this function is x86_64"]
        );
        let x32 = elf(&Spec {
            is64: false,
            ..spec(&[], &[])
        });
        assert_eq!(
            check_native("m.so", &x32, &py311()).problems,
            ["built for 32-bit x86_64 (ELFCLASS32); this function is x86_64"]
        );
        let unknown = elf(&Spec {
            machine: 999,
            ..spec(&[], &[])
        });
        let check = check_native("m.so", &unknown, &py311());
        assert_eq!(
            (check.arch, check.problems),
            (
                None,
                vec!["built for machine 999; this function is x86_64".to_string()]
            )
        );
    }

    #[test]
    fn big_endian_and_32_bit_images_are_parsed_through_sections_and_segments() {
        for (is64, sections) in [(false, true), (false, false), (true, true), (true, false)] {
            let image = elf(&Spec {
                is64,
                le: false,
                machine: 40,
                sections,
                ..spec(&["libm.so.6"], &["GLIBC_2.4", "GLIBC_2.29"])
            });
            let check = check_native("m.so", &image, &py311());
            assert_eq!(
                check.needed,
                ["libm.so.6"],
                "is64 {is64} sections {sections}"
            );
            assert_eq!(check.glibc, Some((2, 29)));
            assert_eq!(check.arch.as_deref(), Some("arm"));
            let bits = if is64 {
                "big-endian arm"
            } else {
                "32-bit arm (ELFCLASS32)"
            };
            assert_eq!(
                check.problems[0],
                format!("built for {bits}; this function is x86_64")
            );
        }
    }

    #[test]
    fn musl_linked_libraries_are_refused() {
        for (libc, arch, machine) in [
            ("libc.musl-x86_64.so.1", "x86_64", 62),
            ("libc.musl-aarch64.so.1", "arm64", 183),
        ] {
            let image = elf(&Spec {
                machine,
                ..spec(&["libz.so.1", libc], &[])
            });
            let check = check_native("m.so", &image, &target("python3.12", arch));
            assert_eq!(check.problems, [MUSL]);
            assert_eq!(check.glibc, None);
        }
    }

    #[test]
    fn macos_and_windows_binaries_never_load() {
        let macho = [0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0, 0, 0x01, 3, 0, 0, 0];
        let check = check_native("m.cpython-311-darwin.so", &macho, &py311());
        assert_eq!(check.kind, Some(BinaryKind::MachO));
        assert_eq!(check.problems, ["macOS binary; Lambda runs Linux"]);
        let fat = [0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2];
        assert_eq!(
            check_native("m.so", &fat, &py311()).problems,
            ["macOS binary; Lambda runs Linux"]
        );
        let mut pe = vec![0u8; 0x90];
        pe[..2].copy_from_slice(b"MZ");
        pe[0x3c] = 0x80;
        pe[0x80..0x86].copy_from_slice(b"PE\0\0\x64\x86");
        let check = check_native("m.cp311-win_amd64.pyd", &pe, &py311());
        assert_eq!(check.kind, Some(BinaryKind::Pe));
        assert_eq!(check.problems, ["Windows binary; Lambda runs Linux"]);
    }

    #[test]
    fn file_name_tags_reveal_interpreter_and_platform() {
        let image = elf(&spec(&["libc.so.6"], &["GLIBC_2.17"]));
        let problems = |path: &str| check_native(path, &image, &py311()).problems;
        assert!(problems("m.cpython-311-x86_64-linux-gnu.so").is_empty());
        assert!(problems("m.abi3.so").is_empty());
        assert!(problems("plain.so").is_empty());
        assert!(problems("m.cpython-311.so").is_empty());
        assert_eq!(
            problems("m.cpython-312-x86_64-linux-gnu.so"),
            ["CPython 3.12 extension; this runtime is 3.11"]
        );
        assert_eq!(
            problems("m.cpython-311t-x86_64-linux-gnu.so"),
            ["free-threaded build (cpython-311t); Lambda's Python is the standard build"]
        );
        assert_eq!(
            problems("m.cpython-313t-x86_64-linux-gnu.so"),
            [
                "CPython 3.13 extension; this runtime is 3.11",
                "free-threaded build (cpython-313t); Lambda's Python is the standard build"
            ]
        );
        assert_eq!(
            problems("m.pypy39-pp73-x86_64-linux-gnu.so"),
            ["PyPy extension; Lambda runs CPython"]
        );
        assert_eq!(
            problems("m.cpython-311-aarch64-linux-gnu.so"),
            ["built for aarch64; this function is x86_64"]
        );
        assert_eq!(problems("m.cpython-311-x86_64-linux-musl.so"), [MUSL]);
        let arm = elf(&Spec {
            machine: 183,
            ..spec(&["libc.so.6"], &[])
        });
        let check = check_native("m.cpython-311-aarch64-linux-gnu.so", &arm, &py311());
        assert_eq!(
            check.problems,
            ["built for aarch64; this function is x86_64"],
            "reported once"
        );
    }

    #[test]
    fn linker_scripts_pass_but_other_contents_do_not() {
        let script = b"/* GNU ld script\n   Use the shared library. */\nGROUP ( /lib/libc.so.6 )\n";
        let check = check_native("lib/libc.so", script, &py311());
        assert_eq!((check.kind, check.problems.len()), (None, 0));
        let script = b"/* We use a linker script rather than a symlink */\nINPUT(libtinfo.so.6)\n";
        assert!(
            check_native("lib/libtermcap.so", script, &py311())
                .problems
                .is_empty()
        );
        for junk in [&b"hello"[..], b"", b"\0\0\0\0\0\0"] {
            let check = check_native("lib/libfoo.so.1", junk, &py311());
            assert_eq!(
                check.problems,
                ["not a shared library (unrecognised contents)"]
            );
        }
        assert!(
            check_native("data.bin", b"hello", &py311())
                .problems
                .is_empty()
        );
    }

    #[test]
    fn a_real_gcc_built_library_reads_like_readelf_says() {
        // readelf -V: libc.so.6 needs GLIBC_2.2.5, GLIBC_2.28, GLIBC_2.14; readelf -d: NEEDED libc.so.6.
        let check = check_native("lib/libstatx.so", LIBSTATX, &py311());
        assert_eq!(
            (check.kind, check.arch.as_deref()),
            (Some(BinaryKind::Elf), Some("x86_64"))
        );
        assert_eq!(check.needed, ["libc.so.6"]);
        assert_eq!(check.glibc, Some((2, 28)));
        assert_eq!(check.problems.len(), 1, "{:?}", check.problems);
        assert!(
            check_native("lib/libstatx.so", LIBSTATX, &target("python3.12", "x86_64"))
                .problems
                .is_empty()
        );
        let elf = Elf::new(LIBSTATX).unwrap();
        let names = elf.verneed_names(elf.dynamic().verneed.unwrap()).unwrap();
        assert_eq!(names, ["GLIBC_2.2.5", "GLIBC_2.28", "GLIBC_2.14"]);
    }

    #[test]
    fn a_real_library_stripped_of_section_headers_still_yields_its_versions() {
        let mut image = LIBSTATX.to_vec();
        image[40..48].fill(0); // e_shoff
        image[60..64].fill(0); // e_shnum, e_shstrndx
        let check = check_native("libstatx.so", &image, &py311());
        assert_eq!(
            (check.needed.as_slice(), check.glibc),
            (&["libc.so.6".to_string()][..], Some((2, 28)))
        );
        let elf = Elf::new(&image).unwrap();
        assert!(elf.sections().is_empty());
        assert_eq!(
            elf.verneed_names(elf.dynamic().verneed.unwrap())
                .unwrap()
                .len(),
            3
        );
    }

    #[test]
    fn a_damaged_elf_header_is_reported() {
        for bytes in [&b"\x7fELF\x02\x01\x01"[..], b"\x7fELF\x07\x01", b"\x7fELF"] {
            let check = check_native("m.so", bytes, &py311());
            assert_eq!(check.kind, Some(BinaryKind::Elf));
            assert_eq!(
                check.problems,
                ["damaged ELF file (invalid or incomplete header)"]
            );
        }
    }

    /// xorshift64: deterministic noise for the no-panic tests.
    fn noise(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn truncated_mutated_and_random_input_never_panics() {
        let target = py311();
        let images = [
            elf(&spec(
                &["libc.so.6", "libz.so.1"],
                &["GLIBC_2.17", "GLIBC_2.28"],
            )),
            elf(&Spec {
                is64: false,
                le: false,
                sections: false,
                ..spec(&["libc.so.6"], &["GLIBC_2.4"])
            }),
            LIBSTATX.to_vec(),
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15;
        for image in &images {
            for len in 0..=image.len() {
                check_native("m.so", &image[..len], &target);
            }
            for _ in 0..3000 {
                let mut mutated = image.clone();
                for _ in 0..=noise(&mut state) % 6 {
                    let at = usize::try_from(noise(&mut state)).unwrap() % mutated.len();
                    let [byte, ..] = noise(&mut state).to_le_bytes();
                    mutated[at] = if byte < 64 { 0xff } else { byte };
                }
                check_native("m.cpython-3x-?-linux-.so", &mutated, &target);
            }
        }
        for round in 0..2000 {
            let len = usize::try_from(noise(&mut state) % 512).unwrap();
            let mut bytes: Vec<u8> = (0..len)
                .map(|_| noise(&mut state).to_le_bytes()[0])
                .collect();
            let prefix: &[u8] = [
                &b"\x7fELF\x02\x01"[..],
                b"\x7fELF\x01\x02",
                b"MZ",
                &[0xca, 0xfe, 0xba, 0xbe],
                b"",
            ][round % 5];
            bytes.splice(0..0, prefix.iter().copied());
            check_native("x.so", &bytes, &target);
        }
    }
}
