//! Text from the index (names, summaries, file names) is shown with control characters removed,
//! so a hostile summary cannot move the cursor, change colours or reorder the screen.
//!
//! TODO(engine): this belongs in the engine (one function both front ends use); it lives here
//! until the lead moves it.

use std::borrow::Cow;

/// `text` without control characters (C0, DEL, C1), without whole ANSI escape sequences
/// (`ESC [ ... final`), and without the bidirectional overrides and isolates that can make text
/// read differently from how it is stored.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unwanted) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            // A CSI sequence: parameters and intermediates, then one final byte in @..~.
            chars.next();
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else if !unwanted(c) {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn unwanted(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn escape_sequences_and_bidi_overrides_are_removed_and_plain_text_is_kept() {
        assert_eq!(clean("fast\u{1b}[2Jnum\r\n"), "fastnum");
        assert_eq!(clean("red\u{1b}[1;31m!\u{1b}]0;title\u{7}"), "red!]0;title");
        assert_eq!(clean("a\u{202E}b\u{2066}c\u{9b}d\u{7f}"), "abcd");
        assert!(matches!(
            clean("Plain — text ✓"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
