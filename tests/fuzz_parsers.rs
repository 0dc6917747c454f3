//! A bounded, seeded property test (a few seconds, run with every `cargo test`): requirements
//! lines, wheel file names and zip central directories built from fragments of real ones and
//! then damaged at random. None may panic; whatever is refused is refused with words.
//!
//! `WB_FUZZ_CASES` raises the number of cases per target (default 3000) and `WB_FUZZ_SEED`
//! picks another seed, for longer runs by hand.

mod support;

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};

use support::WheelBuilder;
use wheelbarrow::index::zipdir;
use wheelbarrow::{RuntimeTable, WheelName};

/// xorshift64*: small, seeded, good enough to pick fragments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn cases() -> usize {
    std::env::var("WB_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000)
}

fn rng(salt: u64) -> Rng {
    let seed = std::env::var("WB_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x005E_ED0F_D00D_u64);
    Rng(seed ^ salt | 1)
}

/// Runs `f` on `input`, failing the test with the input when it panics.
fn must_not_panic<T>(what: &str, input: &impl std::fmt::Debug, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| panic!("{what} panicked on {input:?}"))
}

const REQ_PARTS: &[&str] = &[
    "requests",
    "numpy",
    "a",
    "A_b.c-d",
    "pkg",
    "[",
    "]",
    "[socks,security]",
    "==",
    ">=",
    "~=",
    "!=",
    "<",
    "===",
    "2.31.0",
    "1.0rc1",
    "1!2.0.post3.dev4+local.7",
    "*",
    ".*",
    ",",
    ";",
    " python_version >= \"3.9\"",
    " and ",
    " or ",
    " extra == 'x'",
    "(",
    ")",
    " @ ",
    "https://h.test/x.whl",
    "file:///x",
    "./local.whl",
    "--hash=sha256:",
    "--hash",
    " ",
    "\\",
    "#",
    " # comment",
    "-r",
    "-c",
    "-e",
    "--pre",
    "--no-binary",
    ":all:",
    "--index-url",
    "--only-binary",
    "\u{feff}",
    "\t",
    "\u{1b}[31m",
    "\u{0}",
    "é",
    "${HOME}",
    "'",
    "\"",
    "=",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
];

fn requirement_text(r: &mut Rng) -> String {
    let lines = 1 + r.below(4);
    let mut text = String::new();
    for _ in 0..lines {
        for _ in 0..=r.below(8) {
            text.push_str(r.pick(REQ_PARTS));
        }
        text.push('\n');
    }
    text
}

#[test]
fn requirement_lines_never_panic_whatever_they_hold() {
    let mut r = rng(1);
    let dir = std::env::temp_dir().join(format!("wb-fuzz-req-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("requirements.txt");
    for _ in 0..cases() {
        let text = requirement_text(&mut r);
        for line in text.lines() {
            must_not_panic("parse_requirement", &line, || {
                let _ = wheelbarrow::resolve::parse_requirement(line, "fuzz");
            });
        }
        std::fs::write(&path, &text).unwrap();
        must_not_panic("read_requirements_file", &text, || {
            if let Err(e) = wheelbarrow::resolve::read_requirements_file(&path) {
                assert!(!e.to_string().is_empty());
            }
        });
    }
    let _ = std::fs::remove_dir_all(&dir);
}

const NAME_PARTS: &[&str] = &[
    "numpy",
    "pydantic_core",
    "a",
    "-",
    "_",
    ".",
    "2.3.1",
    "1!0",
    "1.0.post1",
    "0rc1",
    "1",
    "1abc",
    "cp312",
    "cp311",
    "py3",
    "py2.py3",
    "abi3",
    "none",
    "cp312t",
    "pypy310_pp73",
    "manylinux_2_28_x86_64",
    "manylinux2014_aarch64",
    "manylinux1_i686",
    "musllinux_1_2_x86_64",
    "macosx_11_0_arm64",
    "win_amd64",
    "linux_x86_64",
    "any",
    "manylinux_99999999999999999999_0_x",
    "manylinux_2_",
    "_2_17",
    ".whl",
    ".WHL",
    ".tar.gz",
    "/",
    "\\",
    "%20",
    "é",
    "\u{1b}",
    "",
];

#[test]
fn wheel_file_names_never_panic_and_every_refusal_has_words() {
    let mut r = rng(2);
    let table = RuntimeTable::builtin();
    let targets: Vec<_> = ["python3.9", "python3.12", "python3.13"]
        .iter()
        .flat_map(|rt| ["x86_64", "arm64"].map(|a| table.target(Some(rt), Some(a)).unwrap()))
        .collect();
    for _ in 0..cases() {
        let mut name = String::new();
        for _ in 0..=r.below(9) {
            name.push_str(r.pick(NAME_PARTS));
        }
        let target = &targets[r.below(targets.len())];
        must_not_panic(
            "WheelName::parse / verdict",
            &name,
            || match WheelName::parse(&name) {
                Ok(wheel) => {
                    let verdict = wheel.verdict(target);
                    assert!(!verdict.reason.is_empty(), "{name:?}");
                }
                Err(e) => assert!(!e.to_string().is_empty(), "{name:?}"),
            },
        );
    }
}

/// A real wheel, to be damaged.
fn seed_wheel() -> Vec<u8> {
    WheelBuilder::new("demo", "1.0")
        .file("demo/__init__.py", b"X = 1\n")
        .file(
            "demo/_speed.cpython-312-x86_64-linux-gnu.so",
            b"\x7fELF\x02\x01\x01",
        )
        .file("demo/data.txt", &[b'z'; 3000])
        .build()
        .bytes
}

fn damage(r: &mut Rng, bytes: &mut Vec<u8>) {
    // Most damage goes where the directory is: the last few hundred bytes.
    for _ in 0..=r.below(6) {
        let len = bytes.len();
        let at = if r.below(4) == 0 {
            r.below(len)
        } else {
            len.saturating_sub(1 + r.below(400.min(len)))
        };
        match r.below(5) {
            0 => bytes[at] = bytes[at].wrapping_add(1 + u8::try_from(r.below(255)).unwrap_or(0)),
            1 => bytes[at] = 0xff,
            2 => bytes[at] = 0,
            3 => {
                let end = (at + 4).min(bytes.len());
                bytes[at..end].fill(0xff);
            }
            _ => bytes.truncate(at.max(1)),
        }
        if bytes.len() < 4 {
            return;
        }
    }
}

#[test]
fn damaged_central_directories_never_panic_when_listed_read_or_inspected() {
    let mut r = rng(3);
    let seed = seed_wheel();
    let table = RuntimeTable::builtin();
    let dir = std::env::temp_dir().join(format!("wb-fuzz-zip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("layer.zip");
    for case in 0..cases() {
        let mut bytes = seed.clone();
        damage(&mut r, &mut bytes);
        let sample: Vec<u8> = bytes.iter().rev().take(64).copied().collect();
        must_not_panic("zipdir::list_whole / read_member", &sample, || {
            if let Ok(entries) = zipdir::list_whole(&bytes) {
                for e in &entries {
                    let _ = zipdir::read_member(&bytes, e);
                }
            }
        });
        // The whole inspect path on a tenth of the cases (it goes through a file).
        if case % 10 == 0 {
            std::fs::File::create(&path)
                .unwrap()
                .write_all(&bytes)
                .unwrap();
            must_not_panic("inspect", &sample, || {
                let _ = wheelbarrow::layer::inspect::inspect(&path, None, &table);
            });
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
