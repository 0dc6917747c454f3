//! uv, for tests that check what wheelbarrow writes against what uv reads: found through
//! `WHEELBARROW_UV`, then `uv` on `PATH`, then `.ci/venv-uv` (installed there with
//! `python3 -m venv` and pip the first time a test needs it). When it cannot be had the test
//! fails and says how to install it: a check that silently skips would prove nothing.

use std::path::PathBuf;

/// The `uv` executable, or a panic that says how to get one.
pub fn uv_executable() -> PathBuf {
    super::tool::Tool {
        variable: "WHEELBARROW_UV",
        executable: "uv",
        venv: ".ci/venv-uv",
        requirement: "uv",
        why: "this test checks wheelbarrow's pylock.toml with uv",
    }
    .executable()
}
