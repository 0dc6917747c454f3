//! `pylock.OUT.toml`: the layer's exact wheels as a PEP 751 lock file (URLs, sizes, sha256),
//! with the target's environment as its `environments` markers, so `uv pip install --target
//! … -r pylock.OUT.toml` (and any PEP 751 installer) reinstalls the same files.

use std::fmt::Write as _;

use super::Layout;
use crate::lambda::{Arch, Target};
use crate::resolve::Resolution;

/// The manylinux levels uv's `--python-platform` knows (glibc 2.x minor), oldest first.
const UV_MANYLINUX: [u32; 11] = [17, 28, 31, 32, 33, 34, 35, 36, 37, 38, 39];

/// A PEP 751 lock of the wheels of `resolutions` (one, or several sharing a zip: each package
/// then carries its runtime's `python_version` marker).
pub fn pylock_file(resolutions: &[&Resolution], layout: Layout) -> String {
    let several = resolutions.len() > 1;
    let names: Vec<String> = resolutions.iter().map(|r| r.target.to_string()).collect();
    let mut out = format!(
        "# Locked by wheelbarrow for {} (layout {layout}): the layer's exact wheels (PEP 751).\n",
        names.join(" and ")
    );
    for r in resolutions {
        let _ = writeln!(out, "# The same files for {}:", r.target);
        let _ = writeln!(out, "#   {}", uv_command(&r.target, layout).join(" "));
        if r.target.runtime.glibc.minor < 28 {
            let _ = writeln!(
                out,
                "# (uv has no manylinux_2_{} target, so it refuses wheels for glibc 2.18 to 2.{}; the pip command of the .requirements.txt does not)",
                r.target.runtime.glibc.minor, r.target.runtime.glibc.minor
            );
        }
    }
    out.push_str("lock-version = \"1.0\"\n");
    let environments: Vec<String> = resolutions
        .iter()
        .map(|r| quote(&environment(&r.target)))
        .collect();
    let _ = writeln!(out, "environments = [{}]", environments.join(", "));
    out.push_str("created-by = \"wheelbarrow\"\n");
    for r in resolutions {
        for p in r.included() {
            out.push_str("\n[[packages]]\n");
            let _ = writeln!(out, "name = {}", quote(&p.name));
            let _ = writeln!(out, "version = {}", quote(&p.version));
            if several {
                let _ = writeln!(
                    out,
                    "marker = {}",
                    quote(&format!(
                        "python_version == '{}'",
                        r.target.runtime.python_version()
                    ))
                );
            }
            if let Some(spec) = &p.requires_python {
                let _ = writeln!(out, "requires-python = {}", quote(spec));
            }
            out.push_str("\n[[packages.wheels]]\n");
            let _ = writeln!(out, "name = {}", quote(&p.filename));
            let _ = writeln!(out, "url = {}", quote(&p.url));
            if let Some(size) = p.size {
                let _ = writeln!(out, "size = {size}");
            }
            match &p.sha256 {
                Some(sha) => {
                    let _ = writeln!(out, "hashes = {{ sha256 = {} }}", quote(sha));
                }
                None => out.push_str("hashes = {}\n"),
            }
        }
    }
    out
}

/// The target as a PEP 508 marker: CPython 3.X on Linux on the architecture.
fn environment(target: &Target) -> String {
    let machine = target.arch.wheel_name();
    format!(
        "implementation_name == 'cpython' and sys_platform == 'linux' and platform_machine == '{machine}' and python_version == '{}'",
        target.runtime.python_version()
    )
}

/// `uv pip install` of the lock for `target` into the layout's folder.
pub fn uv_command(target: &Target, layout: Layout) -> Vec<String> {
    let glibc = target.runtime.glibc.minor;
    let level = UV_MANYLINUX
        .iter()
        .rev()
        .find(|l| **l <= glibc)
        .copied()
        .unwrap_or(17);
    let arch = match target.arch {
        Arch::X86_64 => "x86_64",
        Arch::Arm64 => "aarch64",
    };
    [
        "uv",
        "pip",
        "install",
        "--python-version",
        &target.runtime.python_version(),
        "--python-platform",
        &format!("{arch}-manylinux_2_{level}"),
        "--target",
        &layout.site_dir(target.runtime.python_minor),
        "-r",
        "THIS_FILE",
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn strings_are_quoted_as_toml_reads_them() {
        for text in ["plain", "a \"quoted\" \\ path", "tab\there\u{7}"] {
            let doc: toml::Table = toml::from_str(&format!("x = {}", quote(text))).unwrap();
            assert_eq!(doc["x"].as_str(), Some(text));
        }
    }
}
