//! The ELF side of [`super::check_native`], on synthetic images built here and on a real
//! gcc-built library.

use super::elf::{
    DT_NEEDED, DT_STRSZ, DT_STRTAB, DT_VERNEED, DT_VERNEEDNUM, Elf, PT_DYNAMIC, PT_LOAD,
    SHT_DYNAMIC, SHT_GNU_VERNEED,
};
use super::tests::{py311, target};
use super::*;

/// A real library built by gcc: needs `libc.so.6` and `GLIBC_2.28` (statx); see `libstatx.c`.
pub(super) const LIBSTATX: &[u8] = include_bytes!("../../../tests/fixtures/native/libstatx.so");

/// What a synthetic ELF image contains.
#[derive(Clone)]
#[allow(clippy::struct_excessive_bools, reason = "a test fixture's switches")]
pub(super) struct Spec {
    pub(super) is64: bool,
    pub(super) le: bool,
    pub(super) machine: u16,
    pub(super) needed: Vec<&'static str>,
    pub(super) versions: Vec<&'static str>,
    pub(super) sections: bool,
    pub(super) segments: bool,
}

pub(super) fn spec(needed: &[&'static str], versions: &[&'static str]) -> Spec {
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
pub(super) fn elf(spec: &Spec) -> Vec<u8> {
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

#[test]
fn an_elf_header_alone_or_cut_before_its_segment_ends_is_too_short_to_load() {
    let whole = elf(&spec(&[], &[]));
    let loads = check_native("m.so", &whole, &py311());
    assert!(loads.problems.is_empty(), "{:?}", loads.problems);
    for cut in [64, whole.len() - 1] {
        let check = check_native("m.so", &whole[..cut], &py311());
        assert_eq!(
            check.problems,
            [format!(
                "too short to load: {cut} bytes, an ELF header without a loadable segment inside the file, so dlopen refuses it; reinstall the package that owns it, or remove it"
            )]
        );
    }
}
