//! Text from an index reaches the terminal without control characters, with colour on or off:
//! a summary and a file name carrying terminal escapes are shown with the escapes visible
//! (`\x1b[2J`) and inert.

mod support;

use std::process::{Command, Output};

use support::{FileOptions, IndexOptions, TestIndex, WheelBuilder};

const ESCAPES: &str = "\x1b]0;owned\x07\x1b[2J\x1b]8;;https://evil.test\x1b\\";
/// The summary as it must be shown: every escape visible, none obeyed.
const SHOWN: &str = r"Fast numbers\x1b]0;owned\x07\x1b[2J\x1b]8;;https://evil.test\x1b\ for all";

fn run(index: &TestIndex, color: &str, tag: &str) -> Output {
    let cache = std::env::temp_dir().join(format!("wb-cli-escapes-{tag}-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_wheelbarrow"))
        .args(["wheels", "fastnum", "--runtime", "3.12", "--color", color])
        .args(["--index-url", &index.json_api()])
        .env("WHEELBARROW_CACHE_DIR", &cache)
        .env("WHEELBARROW_DATA_DIR", cache.join("data"))
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env_remove("PIP_FIND_LINKS")
        .env_remove("PIP_INDEX_URL")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&cache);
    out
}

fn hostile_index() -> TestIndex {
    let index = TestIndex::start(IndexOptions::default());
    index.add_wheel(&WheelBuilder::new("fastnum", "2.3.0").build());
    index.set_summary("fastnum", &format!("Fast numbers{ESCAPES} for all"));
    let evil = format!("fastnum-2.3.0-py3-none-any{ESCAPES}.whl");
    index.add_file(
        "fastnum",
        "2.3.0",
        FileOptions::default(),
        &evil,
        b"x".to_vec(),
    );
    index
}

/// Every escape sequence in `text` is one of the colour codes the CLI itself writes.
fn only_own_colour_codes(text: &str) -> bool {
    let own = [
        "\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[1m", "\x1b[0m",
    ];
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        rest = &rest[at..];
        let Some(code) = own.iter().find(|c| rest.starts_with(**c)) else {
            return false;
        };
        rest = &rest[code.len()..];
    }
    !text.contains('\x07')
}

#[test]
fn index_text_with_terminal_escapes_is_shown_inert_without_colour() {
    let index = hostile_index();
    let out = run(&index, "never", "never");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(SHOWN), "{stdout}");
    assert!(
        !stdout.contains('\x1b') && !stdout.contains('\x07'),
        "{stdout:?}"
    );
}

#[test]
fn index_text_with_terminal_escapes_is_shown_inert_with_colour() {
    let index = hostile_index();
    let out = run(&index, "always", "always");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(SHOWN), "{stdout}");
    assert!(stdout.contains("\x1b[1m"), "colour is on: {stdout:?}");
    assert!(only_own_colour_codes(&stdout), "{stdout:?}");
}

#[test]
fn line_breaks_and_bidi_in_index_text_cannot_fake_a_line_or_reorder_a_name() {
    let index = TestIndex::start(IndexOptions::default());
    index.add_wheel(&WheelBuilder::new("fastnum", "2.3.0").build());
    index.set_summary("fastnum", "Fast\n✓ loads everywhere\u{200b}");
    let bidi = "fastnum-2.3.0-py3-none-\u{202e}lhw.yna.whl";
    index.add_file(
        "fastnum",
        "2.3.0",
        FileOptions::default(),
        bidi,
        b"x".to_vec(),
    );
    let out = run(&index, "never", "lines");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(r"Fast\n✓ loads everywhere\u200b"),
        "{stdout}"
    );
    assert!(!stdout.lines().any(|l| l.starts_with('✓')), "{stdout}");
    assert!(stdout.contains(r"py3-none-\u202elhw.yna.whl"), "{stdout}");
    assert!(
        !stdout.contains('\u{202e}') && !stdout.contains('\u{200b}'),
        "{stdout}"
    );
}
