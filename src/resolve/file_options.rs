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

/// Splits `name==1.0 --hash=sha256:HEX --hash sha256:HEX` into the requirement and the
/// digests (lowercase). Only sha256 can be checked against what an index publishes.
pub(super) fn split_hashes(line: &str) -> Result<(String, Vec<String>), String> {
    let Some(at) = line.find("--hash") else {
        return Ok((line.to_string(), Vec::new()));
    };
    let mut hashes = Vec::new();
    let mut tokens = line[at..].split_whitespace();
    while let Some(token) = tokens.next() {
        let value = match token.strip_prefix("--hash") {
            Some("") => tokens.next().unwrap_or_default(),
            Some(rest) if rest.starts_with('=') => &rest[1..],
            _ => return Err(format!("'{token}' after the hashes is not a --hash option")),
        };
        let Some((algorithm, digest)) = value.split_once(':') else {
            return Err(format!(
                "--hash wants ALGORITHM:DIGEST (sha256:…), not '{value}'"
            ));
        };
        if !algorithm.eq_ignore_ascii_case("sha256") {
            return Err(format!(
                "--hash={algorithm}:… cannot be checked: indexes publish sha256 digests, so give the file's sha256"
            ));
        }
        if digest.is_empty() || !digest.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!("--hash=sha256:{digest} is not a hex digest"));
        }
        hashes.push(digest.to_ascii_lowercase());
    }
    Ok((line[..at].trim().to_string(), hashes))
}
