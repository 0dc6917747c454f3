//! Colour for the headless commands' text output, by meaning rather than by colour name.
//!
//! Colour is used only when stdout is a terminal and `NO_COLOR` is unset (or when asked for with
//! `--color always`), so piped output stays plain.

use std::fmt::Display;
use std::io::IsTerminal;

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
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
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
