//! The option lines of a requirements file that are about how to install rather than what:
//! each is honoured as pip does or refused in words, never skipped in silence.

/// What an option line of a requirements file (other than includes, index options, `-e` and
/// `--require-hashes`) means here.
pub(super) enum FileOption {
    /// `--pre`: pre-releases count as releases.
    Pre,
    /// Already how wheelbarrow works (`--only-binary`, `--prefer-binary`, `--no-binary :none:`).
    Honoured,
    /// Cannot be honoured; said, never ignored.
    Refused(String),
}

pub(super) fn file_option(line: &str) -> FileOption {
    let name = super::requirements::option_name(line).unwrap_or(line);
    let value = line
        .split_once(['=', ' ', '\t'])
        .map_or("", |(_, v)| v.trim());
    match name {
        "pre" => FileOption::Pre,
        "only-binary" | "prefer-binary" => FileOption::Honoured,
        "no-binary" if value == ":none:" => FileOption::Honoured,
        "no-binary" => FileOption::Refused(format!(
            "'{line}' asks for {} to be built from source; wheelbarrow installs wheels only, so remove the line (or publish wheels for {0})",
            match value {
                "" | ":all:" => "every package",
                named => named,
            }
        )),
        _ => FileOption::Refused(format!(
            "the option '{line}' is not one wheelbarrow can honour in a requirements file; remove it (read here: -r, -f/--find-links, --hash, --require-hashes, --pre, --only-binary, --prefer-binary)"
        )),
    }
}
