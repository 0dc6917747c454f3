//! Where each member of a wheel lands under `/opt`, and which members are refused.
//!
//! Wheel members go to the layout's site directory; `.data/purelib` and `.data/platlib` merge
//! into it, `.data/scripts` go to `bin/` (on Lambda's `PATH`), `.data/data` and `.data/headers`
//! go where `pip install --target` puts them (relative to the target directory). Trimming drops
//! `__pycache__` and `*.pyc` (on by default) and test directories (when asked), but never a
//! `.dist-info` file such as `METADATA` or `entry_points.txt`.

use serde::Serialize;

/// The two layouts Lambda's Python runtime reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// `python/lib/python3.X/site-packages/`, as in the AWS documentation.
    #[default]
    SitePackages,
    /// `python/`: simpler, one Python version only.
    Python,
}

impl Layout {
    /// The directory (relative to `/opt`) that Python imports from.
    pub fn site_dir(self, python_minor: u32) -> String {
        match self {
            Layout::SitePackages => format!("python/lib/python3.{python_minor}/site-packages"),
            Layout::Python => "python".to_string(),
        }
    }
}

impl Layout {
    /// The name users type and reports carry (`site-packages`, `python`).
    pub fn name(self) -> &'static str {
        match self {
            Layout::SitePackages => "site-packages",
            Layout::Python => "python",
        }
    }
}

impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Layout {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "site-packages" => Ok(Layout::SitePackages),
            "python" => Ok(Layout::Python),
            other => Err(format!(
                "unknown layout '{other}': use site-packages (python/lib/python3.X/site-packages) or python"
            )),
        }
    }
}

/// What to leave out of the layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Trim {
    /// `__pycache__` directories and `*.pyc` files (Lambda compiles what it imports).
    pub pycache: bool,
    /// `tests`/`test` directories inside packages.
    pub tests: bool,
}

impl Default for Trim {
    fn default() -> Self {
        Trim {
            pycache: true,
            tests: false,
        }
    }
}

/// Where a member goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A path under `/opt`; `script` when it came from `.data/scripts` (its `#!python` line is
    /// rewritten for the runtime's interpreter).
    At { path: String, script: bool },
    /// Left out by trimming.
    Trimmed,
}

/// Checks that a member name is a safe relative path: no absolute paths, no drive letters,
/// no backslashes, no `.` or `..` components, nothing empty.
pub fn check_member_name(name: &str) -> Result<(), String> {
    // The name as words may show it: line breaks and escapes made visible.
    let shown = crate::text::clean(name);
    if name.is_empty() {
        return Err("an entry has an empty name".into());
    }
    if name.starts_with('/') || name.starts_with('\\') {
        return Err(format!("entry '{shown}' is an absolute path"));
    }
    if name.contains('\\') {
        return Err(format!(
            "entry '{shown}' uses backslashes, which can escape the layer on some systems"
        ));
    }
    if name.as_bytes().get(1) == Some(&b':') {
        return Err(format!("entry '{shown}' names a drive"));
    }
    if name.contains('\0') {
        return Err(format!("entry '{shown}' contains a NUL byte"));
    }
    let trimmed = name.strip_suffix('/').unwrap_or(name);
    if trimmed
        .split('/')
        .any(|c| c.is_empty() || c == "." || c == "..")
    {
        return Err(format!(
            "entry '{shown}' has an empty, '.' or '..' path component and could land outside the layer"
        ));
    }
    if let Some(long) = trimmed.split('/').find(|c| c.len() > MAX_COMPONENT_BYTES) {
        return Err(format!(
            "entry '{shown}' has a path component of {} bytes ('{}…'); file systems allow at most {MAX_COMPONENT_BYTES}",
            long.len(),
            crate::text::clean(&long.chars().take(24).collect::<String>())
        ));
    }
    Ok(())
}

/// The longest file name (one path component) Linux file systems take.
pub const MAX_COMPONENT_BYTES: usize = 255;

#[allow(clippy::case_sensitive_file_extension_comparisons)] // wheel conventions are lowercase
/// Where wheel member `name` lands for `site` (the layout's site directory). `Err` for members
/// that are unsafe or that no installer knows where to put.
pub fn place(name: &str, site: &str, dist: &str, trim: Trim) -> Result<Placement, String> {
    check_member_name(name)?;
    let components: Vec<&str> = name.split('/').collect();
    if trim.pycache && (components.contains(&"__pycache__") || name.ends_with(".pyc")) {
        return Ok(Placement::Trimmed);
    }
    let in_dist_info = components[0].ends_with(".dist-info");
    if trim.tests
        && !in_dist_info
        && components[..components.len() - 1]
            .iter()
            .any(|c| *c == "tests" || *c == "test")
    {
        return Ok(Placement::Trimmed);
    }
    let at = |path: String, script: bool| Ok(Placement::At { path, script });
    if components[0].ends_with(".data") && components.len() > 2 {
        let rest = components[2..].join("/");
        return match components[1] {
            "purelib" | "platlib" | "data" => at(format!("{site}/{rest}"), false),
            "scripts" => at(format!("bin/{rest}"), true),
            "headers" => at(format!("{site}/include/{dist}/{rest}"), false),
            other => Err(format!(
                "entry '{name}' is in an unknown .data directory '{other}'"
            )),
        };
    }
    at(format!("{site}/{name}"), false)
}

/// Rewrites a script's `#!python` (or `#!pythonw`) first line, as pip does, for the runtime's
/// interpreter. Other scripts are returned unchanged.
pub fn rewrite_shebang(contents: &[u8], python_minor: u32) -> Vec<u8> {
    let Some(rest) = contents.strip_prefix(b"#!python") else {
        return contents.to_vec();
    };
    let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let mut out = format!("#!/var/lang/bin/python3.{python_minor}").into_bytes();
    // Keep arguments after the interpreter (`#!python -u`), drop a `w` suffix.
    let tail = &rest[..line_end];
    let tail = tail.strip_prefix(b"w").unwrap_or(tail);
    out.extend_from_slice(tail);
    out.extend_from_slice(&rest[line_end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = "python/lib/python3.12/site-packages";

    fn at(name: &str) -> String {
        match place(name, SITE, "demo", Trim::default()).unwrap() {
            Placement::At { path, .. } => path,
            Placement::Trimmed => "<trimmed>".into(),
        }
    }

    #[test]
    fn members_land_where_pip_would_put_them() {
        assert_eq!(at("demo/__init__.py"), format!("{SITE}/demo/__init__.py"));
        assert_eq!(
            at("demo-1.0.data/platlib/demo/_speed.so"),
            format!("{SITE}/demo/_speed.so")
        );
        assert_eq!(
            at("demo-1.0.data/purelib/demo/x.py"),
            format!("{SITE}/demo/x.py")
        );
        assert_eq!(at("demo-1.0.data/scripts/demo-cli"), "bin/demo-cli");
        assert_eq!(
            at("demo-1.0.data/data/share/demo.txt"),
            format!("{SITE}/share/demo.txt")
        );
        assert_eq!(
            at("demo-1.0.dist-info/METADATA"),
            format!("{SITE}/demo-1.0.dist-info/METADATA")
        );
        assert_eq!(Layout::Python.site_dir(12), "python");
    }

    #[test]
    fn trimming_drops_bytecode_and_asked_for_tests_but_never_dist_info() {
        assert_eq!(at("demo/__pycache__/x.cpython-312.pyc"), "<trimmed>");
        assert_eq!(
            at("demo/tests/test_x.py"),
            format!("{SITE}/demo/tests/test_x.py")
        );
        let trim = Trim {
            pycache: true,
            tests: true,
        };
        assert_eq!(
            place("demo/tests/test_x.py", SITE, "demo", trim).unwrap(),
            Placement::Trimmed
        );
        assert!(matches!(
            place("demo-1.0.dist-info/entry_points.txt", SITE, "demo", trim).unwrap(),
            Placement::At { .. }
        ));
    }

    #[test]
    fn unsafe_member_names_are_refused() {
        for name in [
            "/etc/passwd",
            "../evil.py",
            "demo/../../x",
            "C:/x",
            "demo\\x.py",
            "demo//x",
            "./x",
            "",
        ] {
            assert!(check_member_name(name).is_err(), "{name:?}");
        }
        assert!(check_member_name("demo/ok.py").is_ok());
        let long = format!("demo/{}.py", "x".repeat(253));
        let err = check_member_name(&long).unwrap_err();
        assert!(err.contains("a path component of 256 bytes"), "{err}");
        assert!(check_member_name(&format!("demo/{}.py", "x".repeat(252))).is_ok());
        assert!(check_member_name("demo/").is_ok());
    }

    #[test]
    fn script_shebangs_point_at_the_runtime_interpreter() {
        assert_eq!(
            rewrite_shebang(b"#!python\nimport sys\n", 12),
            b"#!/var/lang/bin/python3.12\nimport sys\n"
        );
        assert_eq!(
            rewrite_shebang(b"#!pythonw -u\nx\n", 11),
            b"#!/var/lang/bin/python3.11 -u\nx\n"
        );
        assert_eq!(
            rewrite_shebang(b"#!/bin/sh\necho\n", 12),
            b"#!/bin/sh\necho\n"
        );
    }
}
