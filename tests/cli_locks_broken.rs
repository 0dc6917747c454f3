//! Broken lock files: truncated, binary, huge, from the future; each said with its file and
//! line, never a panic.

mod support;

use std::path::PathBuf;

use support::cli::stderr;
use support::locks::{resolve, sandbox};

#[test]
fn broken_locks_are_said_with_file_and_line_and_never_panic() {
    let sb = sandbox("broken");
    let cut = |from: &str, to: &str| -> PathBuf {
        let text = std::fs::read_to_string(sb.dir.join(from)).unwrap();
        let half = &text[..text.len() / 2];
        let path = sb.dir.join(to);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, half).unwrap();
        path
    };
    let swap = |from: &str, to: &str, old: &str, new: &str| {
        let text = std::fs::read_to_string(sb.dir.join(from)).unwrap();
        assert!(text.contains(old), "{from} has {old}");
        let path = sb.dir.join(to);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(
            sb.dir.join("poetry/pyproject.toml"),
            path.with_file_name("pyproject.toml"),
        )
        .unwrap();
        std::fs::write(&path, text.replacen(old, new, 1)).unwrap();
    };
    cut("uv/uv.lock", "cut-uv/uv.lock");
    cut("uv/pylock.toml", "cut-pylock/pylock.toml");
    cut("poetry/poetry.lock", "cut-poetry/poetry.lock");
    std::fs::copy(
        sb.dir.join("poetry/pyproject.toml"),
        sb.dir.join("cut-poetry/pyproject.toml"),
    )
    .unwrap();
    swap(
        "uv/uv.lock",
        "future-uv/uv.lock",
        "version = 1\n",
        "version = 2\n",
    );
    swap(
        "uv/pylock.toml",
        "future-pylock/pylock.toml",
        "lock-version = \"1.0\"",
        "lock-version = \"2.0\"",
    );
    swap(
        "poetry/poetry.lock",
        "future-poetry/poetry.lock",
        "lock-version = \"2.1\"",
        "lock-version = \"3.0\"",
    );
    std::fs::create_dir_all(sb.dir.join("binary")).unwrap();
    std::fs::write(
        sb.dir.join("binary/uv.lock"),
        b"version = 1\n\x00\xff\xfe\x89PNG\r\n",
    )
    .unwrap();
    std::fs::create_dir_all(sb.dir.join("huge")).unwrap();
    let mut huge = String::from("version = 1\nrevision = 3\n");
    while huge.len() < 50 * 1024 * 1024 {
        huge.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(sb.dir.join("huge/uv.lock"), huge).unwrap();
    for (file, said) in [
        ("cut-uv/uv.lock", "cut-uv/uv.lock:"),
        ("cut-pylock/pylock.toml", "cut-pylock/pylock.toml:"),
        ("cut-poetry/poetry.lock", "cut-poetry/poetry.lock:"),
        (
            "future-uv/uv.lock",
            "future-uv/uv.lock:1: is uv.lock version 2, and wheelbarrow reads version 1 only",
        ),
        (
            "future-pylock/pylock.toml",
            "has lock-version 2.0, and wheelbarrow reads PEP 751's version 1.0 only",
        ),
        (
            "future-poetry/poetry.lock",
            "is poetry.lock version 3.0, and wheelbarrow reads version 2.1 only",
        ),
        ("binary/uv.lock", "binary/uv.lock:2: is not text"),
        ("huge/uv.lock", "huge/uv.lock: is larger than 16 MB"),
    ] {
        let out = resolve(&sb, "python3.12", &["-r", file]);
        assert!(!out.status.success(), "{file}");
        let err = stderr(&out);
        assert!(err.contains(said), "{file}: {err}");
        assert!(!err.contains("panicked"), "{file}: {err}");
    }
}
