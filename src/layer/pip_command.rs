//! The pip command that reinstalls a lock file's wheels on any machine, for the requirements
//! lock's header: pip's `--platform` matches tags literally, so every manylinux level the
//! runtime loads is listed (DOMAIN.md §2).

use std::fmt::Write as _;

use super::Layout;

/// A command as comment lines of at most ~90 characters, an option never parted from its
/// value, continued with `\\`.
pub fn comment_lines(words: &[String]) -> String {
    let mut units: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let takes_value = words[i].starts_with("--")
            && !words[i].contains('=')
            && words.get(i + 1).is_some_and(|w| !w.starts_with('-'));
        if takes_value {
            units.push(format!("{} {}", words[i], words[i + 1]));
            i += 2;
        } else {
            units.push(words[i].clone());
            i += 1;
        }
    }
    let mut lines: Vec<String> = vec![String::new()];
    for unit in units {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && line.len() + unit.len() > 86 {
            lines.push(unit);
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&unit);
        }
    }
    let last = lines.len() - 1;
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let indent = if i == 0 { "#   " } else { "#     " };
        let end = if i == last { "\n" } else { " \\\n" };
        let _ = write!(out, "{indent}{line}{end}");
    }
    out
}

/// The pip command that installs a lock file's wheels for `target` into the layout's folder
/// (relative to the current directory), on any machine: no bytecode of this machine's Python
/// (`--no-compile`), `--implementation cp`,
/// `--python-version`, `--abi cp3X` (pip adds abi3 and none), and every manylinux platform tag
/// whose glibc the runtime has, newest first with the legacy aliases beside their levels, as
/// pip's `--platform` matches tags literally. The last word is `THIS_FILE`.
pub fn pip_command(target: &crate::lambda::Target, layout: Layout) -> Vec<String> {
    let minor = target.runtime.python_minor;
    let mut words: Vec<String> = [
        "pip",
        "install",
        "--only-binary=:all:",
        "--require-hashes",
        "--no-compile",
        "--implementation",
        "cp",
        "--python-version",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    words.push(format!("3.{minor}"));
    words.push("--abi".into());
    words.push(format!("cp3{minor}"));
    let arch = target.arch.wheel_name();
    let glibc = target.runtime.glibc;
    for level in (target.arch.oldest_manylinux_minor()..=glibc.minor).rev() {
        words.push("--platform".into());
        words.push(format!("manylinux_{}_{level}_{arch}", glibc.major));
        for (alias, _) in crate::wheel::legacy_manylinux()
            .iter()
            .filter(|(_, m)| *m == level)
        {
            words.push("--platform".into());
            words.push(format!("{alias}_{arch}"));
        }
    }
    words.push("--target".into());
    words.push(layout.site_dir(minor));
    words.push("-r".into());
    words.push("THIS_FILE".into());
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::RuntimeTable;

    #[test]
    fn every_manylinux_level_the_runtime_loads_is_a_platform_and_no_other() {
        let table = RuntimeTable::builtin();
        let arm = table.target(Some("python3.11"), Some("arm64")).unwrap();
        let words = pip_command(&arm, Layout::Python);
        let platforms: Vec<&str> = words
            .windows(2)
            .filter(|w| w[0] == "--platform")
            .map(|w| w[1].as_str())
            .collect();
        // glibc 2.26 down to 2.17 (aarch64 starts at manylinux2014), its alias beside 2_17.
        assert_eq!(platforms.first(), Some(&"manylinux_2_26_aarch64"));
        assert_eq!(platforms.len(), 11, "{platforms:?}");
        assert!(platforms.contains(&"manylinux2014_aarch64"));
        assert!(
            !platforms
                .iter()
                .any(|p| p.contains("manylinux1") || p.contains("2_27"))
        );
        let text = words.join(" ");
        assert!(text.contains("--python-version 3.11 --abi cp311"), "{text}");
        assert!(text.ends_with("--target python -r THIS_FILE"), "{text}");
    }

    #[test]
    fn the_comment_lines_keep_each_option_with_its_value() {
        let table = RuntimeTable::builtin();
        let x86 = table.target(Some("python3.12"), Some("x86_64")).unwrap();
        let text = comment_lines(&pip_command(&x86, Layout::SitePackages));
        for line in text.lines() {
            assert!(line.starts_with("#   "), "{line}");
            assert!(
                !line.trim_end_matches(" \\").ends_with("--platform"),
                "{line}"
            );
            assert!(line.len() <= 100, "{line}");
        }
    }
}
