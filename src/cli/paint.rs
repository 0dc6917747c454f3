//! Colour for the headless commands' text output, by meaning rather than by colour name.
//!
//! Colour is used only when stdout is a terminal and `NO_COLOR` is unset (or when asked for with
//! `--color always`), so piped output stays plain.

use std::fmt::Display;
use std::io::IsTerminal;

use wheelbarrow::text::clean;

use super::ColorChoice;

#[derive(Debug, Clone, Copy)]
pub struct Paint {
    enabled: bool,
}

impl Paint {
    pub fn for_stdout(choice: ColorChoice) -> Paint {
        let enabled = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        };
        Paint { enabled }
    }

    fn wrap(self, code: &str, text: impl Display) -> String {
        let text = plain_screen(&text.to_string());
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text
        }
    }

    /// Text about to be printed, every control character shown as an escape (index and wheel
    /// text can hold terminal escapes; see `text::clean`) except line breaks and, when colour is
    /// on, this painter's own colour codes. Line breaks in index or wheel text are made visible
    /// where that text is put into words, before it gets here.
    pub fn screen(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            if self.enabled {
                push_keeping_colours(&mut out, line);
            } else {
                out.push_str(&clean(line));
            }
        }
        out
    }

    /// Something that fits the target.
    pub fn compatible(self, text: impl Display) -> String {
        self.wrap("32", text)
    }

    /// Something that does not.
    pub fn rejected(self, text: impl Display) -> String {
        self.wrap("31", text)
    }

    /// Something that works today but needs attention (a deprecated runtime).
    pub fn warning(self, text: impl Display) -> String {
        self.wrap("33", text)
    }

    /// Secondary text: explanations, separators.
    pub fn muted(self, text: impl Display) -> String {
        self.wrap("2", text)
    }

    /// Headings.
    pub fn strong(self, text: impl Display) -> String {
        self.wrap("1", text)
    }
}

/// The colour codes [`Paint`] writes.
const OWN_CODES: [&str; 6] = [
    "\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[1m", "\x1b[0m",
];

fn push_keeping_colours(out: &mut String, mut line: &str) {
    while let Some(at) = line.find('\x1b') {
        out.push_str(&clean(&line[..at]));
        let rest = &line[at..];
        match OWN_CODES.iter().find(|code| rest.starts_with(*code)) {
            Some(code) => {
                out.push_str(code);
                line = &rest[code.len()..];
            }
            None => {
                // Not ours: cleaned with whatever follows up to the next escape.
                let next = rest[1..].find('\x1b').map_or(rest.len(), |n| n + 1);
                out.push_str(&clean(&rest[..next]));
                line = &rest[next..];
            }
        }
    }
    out.push_str(&clean(line));
}

/// Text for stderr (never coloured): cleaned line by line.
pub fn plain_screen(text: &str) -> String {
    text.split('\n')
        .map(|line| clean(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "evil\x1b]0;owned\x07\x1b[2J.whl";

    #[test]
    fn without_colour_every_escape_is_shown_inert() {
        let paint = Paint { enabled: false };
        let text = format!("{}\n{HOSTILE}", paint.rejected(HOSTILE));
        let shown = r"evil\x1b]0;owned\x07\x1b[2J.whl";
        assert_eq!(paint.screen(&text), format!("{shown}\n{shown}"));
    }

    #[test]
    fn with_colour_only_the_painters_own_codes_survive() {
        let paint = Paint { enabled: true };
        let text = format!("{} {HOSTILE}", paint.rejected(HOSTILE));
        let shown = r"evil\x1b]0;owned\x07\x1b[2J.whl";
        assert_eq!(
            paint.screen(&text),
            format!("\x1b[31m{shown}\x1b[0m {shown}")
        );
    }
}
