//! Text from an index or a wheel, made safe to show.
//!
//! File names, project names, summaries, entry names and error details come from places the
//! user does not control. A terminal obeys control characters in them: `ESC [ 2 J` clears the
//! screen, `ESC ] 0 ; … BEL` retitles the window, `ESC ] 8` makes a link whose text lies about
//! its target, and bidirectional overrides reorder what is shown. Every front end passes such
//! text through [`clean`] before drawing it.

use std::borrow::Cow;

/// `text` without control characters: escape sequences (CSI, OSC, and the two-character
/// ones) are removed whole, other C0 and C1 controls and DEL are removed, tabs and line breaks
/// become spaces (one field never spans lines), and bidirectional embedding, override and
/// isolate characters are removed. Borrows when there is nothing to remove.
///
/// ```
/// use wheelbarrow::text::clean;
///
/// assert_eq!(clean("numpy-2.3.1.whl"), "numpy-2.3.1.whl");
/// assert_eq!(clean("evil\x1b[2J\x1b]0;owned\x07.whl"), "evil.whl");
/// assert_eq!(clean("two\nlines"), "two lines");
/// ```
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' | '\u{9b}' | '\u{9d}' => {
                let kind = if c == '\x1b' {
                    chars.next_if(|n| matches!(n, '[' | ']' | 'P' | 'X' | '^' | '_'))
                } else if c == '\u{9b}' {
                    Some('[')
                } else {
                    Some(']')
                };
                match kind {
                    Some('[') => skip_csi(&mut chars),
                    Some(_) => skip_string(&mut chars),
                    // ESC and one more character (ESC c, ESC 7, ...).
                    None => {
                        chars.next_if(|n| !n.is_control());
                    }
                }
            }
            '\t' | '\n' | '\r' => out.push(' '),
            c if unsafe_char(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A control character, or a bidirectional formatting character.
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The rest of `ESC [ params intermediates final`.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.next_if(|c| ('\x20'..='\x3f').contains(c)).is_some() {}
    chars.next_if(|c| ('\x40'..='\x7e').contains(c));
}

/// The rest of an OSC/DCS/SOS/PM/APC string, up to BEL, ST (`ESC \`) or the end.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\x07' | '\u{9c}' => return,
            '\x1b' => {
                chars.next_if_eq(&'\\');
                return;
            }
            _ => {}
        }
    }
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), for typos (the
/// search's fuzzy matches, the keymap's "did you mean"): words whose lengths differ by more
/// than 2 give 3 at once, too far apart for a typo.
#[allow(clippy::many_single_char_names, clippy::needless_range_loop)] // the textbook recurrence
pub fn osa_distance(a: &[u8], b: &[u8]) -> usize {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > 2 {
        return 3;
    }
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=m {
        d[0][j] = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_untouched() {
        let text = "café-1.0-py3-none-any.whl — “quoted” 日本";
        assert!(matches!(clean(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn escape_sequences_and_controls_are_removed_whole() {
        let cases = [
            ("a\x1b[31mred\x1b[0m", "ared"),
            ("a\x1b[2J\x1b[Hb", "ab"),
            ("t\x1b]0;title\x07x", "tx"),
            (
                "l\x1b]8;;https://evil.test\x1b\\link\x1b]8;;\x1b\\",
                "llink",
            ),
            ("c1\u{9b}31mx", "c1x"),
            ("reset\x1bcok", "resetok"),
            ("bell\x07 del\x7f nul\0", "bell del nul"),
            ("tab\tcr\rlf\n", "tab cr lf "),
            ("bidi\u{202e}txt.exe\u{2066}", "biditxt.exe"),
            ("unterminated\x1b]0;forever", "unterminated"),
            ("trailing\x1b", "trailing"),
        ];
        for (input, expected) in cases {
            assert_eq!(clean(input), expected, "{input:?}");
        }
    }

    #[test]
    fn nothing_that_survives_is_a_control_character() {
        let mut state: u32 = 0x1234_5678;
        for _ in 0..2000 {
            let text: String = (0..24)
                .filter_map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    char::from_u32(state % 0x2100)
                })
                .collect();
            assert!(!clean(&text).chars().any(unsafe_char), "{text:?}");
        }
    }
}
