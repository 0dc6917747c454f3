//! A pip requirements file and the files it includes with `-r`, read without recursion: a stack
//! of open files, each with its place, so that no input (a chain of 5,000 includes, a file of
//! millions of lines) can overflow the stack, and every limit is said in words.
//!
//! Limits: at most [`MAX_INCLUDE_DEPTH`] files deep, [`MAX_FILES`] files in all, and
//! [`MAX_REQUIREMENTS_BYTES`] across every file read; only regular files are read (a device or
//! a FIFO is refused by what it is). Reading checks the cancellation token every few thousand
//! lines, so Ctrl-C and SIGTERM are heard while a large file is parsed.

use std::path::{Path, PathBuf};

use tokio_util::sync::CancellationToken;

use super::file_options::{FileOption, file_option, split_hashes};
use super::requirements::{Requested, RequirementError, error, option_name, parse_requirement};
use crate::config_file::{LocalReadError, read_regular};
use crate::hint::Hint;
use crate::index::FindLinks;

/// Files deeper than this in a chain of `-r` includes are refused (pip has no limit; a real
/// chain is two or three files deep).
pub const MAX_INCLUDE_DEPTH: usize = 100;
/// Files read through `-r` from one file, at most (each include counts, a file read twice
/// twice).
pub const MAX_FILES: usize = 1_000;
/// Bytes read from one requirements file and the files it includes, in all (a `pip freeze` of
/// a thousand packages with hashes is some 300 KB).
pub const MAX_REQUIREMENTS_BYTES: u64 = 64 * 1024 * 1024;
/// The cancellation token is looked at once every this many lines.
const LINES_BETWEEN_CHECKS: usize = 4096;

/// One open file of the chain and where reading stands in it.
struct Frame {
    path: PathBuf,
    shown: String,
    canonical: PathBuf,
    text: String,
    /// Byte offset of the next line.
    pos: usize,
    /// The number of the next line (1-based).
    line_no: usize,
    /// Where this file's requirements (and those of the files it includes) begin in the output.
    start: usize,
    require_hashes: bool,
    pre: bool,
    find_links: Vec<FindLinks>,
}

impl Frame {
    /// The next line, backslash-continued lines joined, with the number of its first line.
    fn next_logical(&mut self) -> Option<(usize, String)> {
        if self.pos >= self.text.len() {
            return None;
        }
        let first = self.line_no;
        let mut acc = String::new();
        while self.pos < self.text.len() {
            let rest = &self.text[self.pos..];
            let end = rest.find('\n').unwrap_or(rest.len());
            let raw = rest[..end].strip_suffix('\r').unwrap_or(&rest[..end]);
            self.pos += (end + 1).min(rest.len());
            self.line_no += 1;
            if let Some(body) = raw.strip_suffix('\\') {
                acc.push_str(body);
                acc.push(' ');
            } else {
                acc.push_str(raw);
                return Some((first, acc));
            }
        }
        Some((first, acc))
    }

    /// This file's options apply to what it and its includes asked for (as pip reads them).
    fn apply(&self, requested: &mut [Requested]) {
        for r in requested {
            r.require_hashes |= self.require_hashes;
            r.pre |= self.pre;
            r.find_links.extend(self.find_links.iter().cloned());
        }
    }
}

/// Reads `path` and what it includes. With `skipped`, a line that cannot be used (an include
/// that cannot be read among them) is recorded there and reading goes on; without, it is the
/// error. When `cancel` fires, reading stops with an error at the file being read (the caller
/// knows its token was cancelled).
#[allow(clippy::too_many_lines)] // one pass over the lines, each kind of line said where it is met
pub(super) fn read_chain(
    path: &Path,
    mut skipped: Option<&mut Vec<RequirementError>>,
    cancel: &CancellationToken,
) -> Result<Vec<Requested>, RequirementError> {
    // A line that cannot be used: noted and skipped, or the answer.
    macro_rules! refuse {
        ($e:expr) => {{
            let e = $e;
            match skipped.as_deref_mut() {
                Some(list) => {
                    list.push(e);
                    continue;
                }
                None => return Err(e),
            }
        }};
    }
    let mut budget = MAX_REQUIREMENTS_BYTES;
    let mut out: Vec<Requested> = Vec::new();
    let mut stack = vec![open(path, &[], 0, &mut budget)?];
    let mut files = 1;
    let mut lines = 0usize;
    let cwd = std::env::current_dir().unwrap_or_default();
    while let Some(top) = stack.last_mut() {
        let Some((line_no, line)) = top.next_logical() else {
            let done = stack.pop().expect("the file just read");
            done.apply(&mut out[done.start..]);
            continue;
        };
        lines += 1;
        if lines.is_multiple_of(LINES_BETWEEN_CHECKS) && cancel.is_cancelled() {
            return Err(error(&top.shown, "reading was cancelled"));
        }
        let origin = format!("{}:{line_no}", top.shown);
        let line = strip_comment(&line);
        let line = match super::env_vars::expand(line.trim(), |n| std::env::var(n).ok()) {
            Ok(line) => line,
            Err(name) => refuse!(error(
                &origin,
                format!(
                    "${{{name}}} is not set; pip reads ${{NAME}} from the environment: set {name}, or write the value in the file"
                ),
            )),
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(include) = option_value(line, &["-r", "--requirement", "-c", "--constraint"]) {
            if line.starts_with("-c") || line.starts_with("--constraint") {
                refuse!(error(
                    &origin,
                    "constraints files (-c) are not supported yet; put the pins in the requirements",
                ));
            }
            let target = top.path.parent().unwrap_or(Path::new(".")).join(include);
            if stack.len() >= MAX_INCLUDE_DEPTH {
                refuse!(error(
                    &origin,
                    format!(
                        "-r {include} would be file {} of a chain of -r includes ({}); at most {MAX_INCLUDE_DEPTH} files deep are read: include the deepest files from a shallower one",
                        stack.len() + 1,
                        chain(&stack)
                    ),
                ));
            }
            if files >= MAX_FILES {
                refuse!(error(
                    &origin,
                    format!(
                        "-r {include} would be file {} read through -r from {}; at most {MAX_FILES} are read: include each file once",
                        files + 1,
                        stack[0].shown
                    ),
                ));
            }
            match open(&target, &stack, out.len(), &mut budget) {
                Ok(frame) => {
                    files += 1;
                    stack.push(frame);
                }
                Err(e) => refuse!(e),
            }
            continue;
        }
        if line.starts_with("-e") || line.starts_with("--editable") {
            refuse!(error(
                &origin,
                "editable installs (-e) cannot go into a layer; build a wheel and publish it to your index",
            ));
        }
        if line.starts_with("-i ")
            || matches!(option_name(line), Some("index-url" | "extra-index-url"))
        {
            refuse!(RequirementError {
                hint: Some(Hint::SetIndexUrl),
                ..error(
                    &origin,
                    "index options in requirements files are not read; wheelbarrow takes the index from its own settings",
                )
            });
        }
        if let Some(value) = option_value(line, &["-f", "--find-links"]) {
            let here = top.path.parent().unwrap_or(Path::new("."));
            let base = if here.join(value).exists() {
                here
            } else {
                &cwd
            };
            match FindLinks::parse(value, &origin, base) {
                Ok(location) => top.find_links.push(location),
                Err(problem) => refuse!(error(&origin, problem)),
            }
            continue;
        }
        if line == "--require-hashes" {
            top.require_hashes = true;
            continue;
        }
        if line.starts_with('-') {
            match file_option(line) {
                FileOption::Pre => top.pre = true,
                FileOption::Honoured => {}
                FileOption::Refused(problem) => refuse!(error(&origin, problem)),
            }
            continue;
        }
        let (requirement, hashes) = match split_hashes(line) {
            Ok(split) => split,
            Err(p) => refuse!(error(&origin, p)),
        };
        let mut requested = match parse_requirement(&requirement, &origin) {
            Ok(r) => r,
            Err(e) => refuse!(e),
        };
        requested.hashes = hashes;
        out.push(requested);
    }
    Ok(out)
}

/// Opens one file of the chain: a regular file within what is left of the budget, not already
/// open further up the chain.
fn open(
    path: &Path,
    stack: &[Frame],
    start: usize,
    budget: &mut u64,
) -> Result<Frame, RequirementError> {
    let shown = path.display().to_string();
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if stack.iter().any(|f| f.canonical == canonical) {
        return Err(error(&shown, "includes itself (through -r)"));
    }
    let bytes = read_regular(path, *budget).map_err(|e| refused(&shown, stack, *budget, e))?;
    *budget -= bytes.len() as u64;
    let text = super::file_text::decode(&bytes).map_err(|why| error(&shown, why))?;
    Ok(Frame {
        path: path.to_path_buf(),
        shown,
        canonical,
        text,
        pos: 0,
        line_no: 1,
        start,
        require_hashes: false,
        pre: false,
        find_links: Vec::new(),
    })
}

/// Why a file of the chain was not read, in words.
fn refused(shown: &str, stack: &[Frame], left: u64, e: LocalReadError) -> RequirementError {
    match e {
        LocalReadError::Io(e) => error(shown, format!("cannot be read: {e}")),
        LocalReadError::NotRegular { kind } => error(
            shown,
            format!("is {kind}, not a requirements file; name a text file of requirements"),
        ),
        LocalReadError::TooLarge { bytes, .. } => {
            let mib = MAX_REQUIREMENTS_BYTES / (1024 * 1024);
            let problem = match stack.first() {
                None => format!(
                    "is {bytes} bytes, more than the {mib} MiB wheelbarrow reads of a requirements file and its includes; is it the right file? Split it, or name fewer requirements"
                ),
                Some(first) => format!(
                    "is {bytes} bytes, more than the {left} bytes left of the {mib} MiB wheelbarrow reads of {} and the files it includes; name fewer requirements",
                    first.shown
                ),
            };
            error(shown, problem)
        }
    }
}

/// The chain of open files, at most six names shown (`a.txt → b.txt → … 94 more → z.txt`).
fn chain(stack: &[Frame]) -> String {
    let names: Vec<&str> = stack.iter().map(|f| f.shown.as_str()).collect();
    if names.len() <= 6 {
        return names.join(" → ");
    }
    format!(
        "{} → … {} more → {}",
        names[..3].join(" → "),
        names.len() - 6,
        names[names.len() - 3..].join(" → ")
    )
}

/// Removes a `#` comment that starts a line or follows whitespace (as pip does).
fn strip_comment(line: &str) -> &str {
    if line.trim_start().starts_with('#') {
        return "";
    }
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(i) => &line[..i],
        None => line,
    }
}

fn option_value<'a>(line: &'a str, names: &[&str]) -> Option<&'a str> {
    for name in names {
        if let Some(rest) = line.strip_prefix(name) {
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            if rest.starts_with([' ', '\t']) || line.contains('=') {
                return Some(rest.trim());
            }
        }
    }
    None
}

#[cfg(test)]
#[path = "requirements_file_tests.rs"]
mod tests;
