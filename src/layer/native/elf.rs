//! ELF parsing for [`super::check_native`]: the header, section and program headers, the dynamic
//! table (`DT_NEEDED`, string table) and the version-needed table, through bounds-checked readers.

/// Upper bound on entries walked in any table (sections, segments, dynamic, version chains).
pub(super) const MAX_ENTRIES: usize = 65_536;
/// Upper bound on the length of one string read from a string table.
const MAX_STR: usize = 4096;
/// Upper bound on names collected from one file (needed libraries, needed versions).
const MAX_NAMES: usize = 4096;

pub(super) const PT_LOAD: u32 = 1;
pub(super) const PT_DYNAMIC: u32 = 2;
pub(super) const SHT_DYNAMIC: u32 = 6;
pub(super) const SHT_GNU_VERNEED: u32 = 0x6fff_fffe;
pub(super) const DT_NEEDED: u64 = 1;
pub(super) const DT_STRTAB: u64 = 5;
pub(super) const DT_STRSZ: u64 = 10;
pub(super) const DT_VERNEED: u64 = 0x6fff_fffe;
pub(super) const DT_VERNEEDNUM: u64 = 0x6fff_ffff;

pub(super) fn elf_arch(machine: u16) -> Option<&'static str> {
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

fn read_u16(bytes: &[u8], at: usize, le: bool) -> Option<u16> {
    let raw: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(if le {
        u16::from_le_bytes(raw)
    } else {
        u16::from_be_bytes(raw)
    })
}

pub(super) fn read_u32(bytes: &[u8], at: usize, le: bool) -> Option<u32> {
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
pub(super) struct Region {
    offset: usize,
    size: usize,
}

/// The tables of a dynamic ELF this module reads, as far as they were found.
#[derive(Default)]
pub(super) struct Dynamic {
    /// `DT_NEEDED` names, read from the dynamic string table.
    pub(super) needed: Vec<String>,
    /// The version-needed table: its offset, its entry count, and its string table.
    pub(super) verneed: Option<(usize, usize, Region)>,
    /// Whether a dynamic table was found at all (without one, only a byte scan is left).
    pub(super) located: bool,
}

/// One section header, the fields this module needs.
pub(super) struct Section {
    kind: u32,
    region: Region,
    link: u32,
    info: u32,
}

pub(super) struct Elf<'a> {
    bytes: &'a [u8],
    pub(super) is64: bool,
    pub(super) le: bool,
}

impl<'a> Elf<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Option<Elf<'a>> {
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

    pub(super) fn u16(&self, at: usize) -> Option<u16> {
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
    pub(super) fn pick(&self, off64: usize, off32: usize) -> usize {
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

    pub(super) fn sections(&self) -> Vec<Section> {
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

    /// Whether a `PT_LOAD` segment lies wholly inside the file: without one, `dlopen` has
    /// nothing to map and refuses the file.
    pub(super) fn has_loadable_segment(&self) -> bool {
        self.segments().iter().any(|&(kind, offset, _, filesz)| {
            kind == PT_LOAD
                && offset
                    .checked_add(filesz)
                    .is_some_and(|end| end <= self.bytes.len())
        })
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
    pub(super) fn dynamic(&self) -> Dynamic {
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
    pub(super) fn verneed_names(
        &self,
        (start, count, strtab): (usize, usize, Region),
    ) -> Option<Vec<String>> {
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
