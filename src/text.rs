//! Text from an index or a wheel, made safe to show.
//!
//! File names, project names, summaries, entry names and error details come from places the
//! user does not control. A terminal obeys control characters in them: `ESC [ 2 J` clears the
//! screen, `ESC ] 0 ; … BEL` retitles the window, `ESC ] 8` makes a link whose text lies about
//! its target; a line feed starts a line that looks like the tool's own output; bidirectional
//! overrides reorder what is shown (`…-none-\u{202e}lhw.yna` reads as a normal wheel name) and
//! zero-width characters make two different names look the same. Every front end passes such
//! text through [`clean`] before drawing it, and [`clean`] shows each of these characters as an
//! escape (`\n`, `\x1b`, `\u202e`): never obeyed, never silently dropped.

use std::borrow::Cow;

/// `text` with every character that a terminal would obey, or that cannot be seen, written as a
/// visible escape, as Python's `repr` writes it: `\n`, `\r`, `\t`; other C0 and C1 controls and DEL as
/// `\xHH` (so an escape sequence shows as `\x1b[2J`, inert); bidirectional formatting,
/// zero-width and other invisible characters, and the Unicode line and paragraph separators as
/// `\uHHHH` (`\UHHHHHHHH` past the BMP). Borrows when there is nothing to show so.
///
/// ```
/// use wheelbarrow::text::clean;
///
/// assert_eq!(clean("numpy-2.3.1.whl"), "numpy-2.3.1.whl");
/// assert_eq!(clean("evil\x1b[2J.whl"), "evil\\x1b[2J.whl");
/// assert_eq!(clean("two\nlines"), "two\\nlines");
/// assert_eq!(clean("any\u{202e}lhw.whl"), "any\\u202elhw.whl");
/// ```
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether `c` is shown as an escape by [`clean`]: a control character, a bidirectional
/// formatting character, or an invisible one (zero-width, joiners, fillers, tags, the line and
/// paragraph separators).
pub fn unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi(c) || is_invisible(c)
}

/// Bidirectional formatting: embeddings, overrides, isolates and marks.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// Characters that take no visible space (Unicode's default-ignorable characters that are not
/// variation selectors, and the line and paragraph separators).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200d}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2060}'..='\u{2065}'
            | '\u{206a}'..='\u{206f}'
            | '\u{3164}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fffb}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

fn push_escape(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = match c {
        '\n' => write!(out, "\\n"),
        '\r' => write!(out, "\\r"),
        '\t' => write!(out, "\\t"),
        c if u32::from(c) < 0x100 => write!(out, "\\x{:02x}", u32::from(c)),
        c if u32::from(c) <= 0xffff => write!(out, "\\u{:04x}", u32::from(c)),
        c => write!(out, "\\U{:08x}", u32::from(c)),
    };
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
    fn controls_bidi_and_invisible_characters_are_shown_as_escapes() {
        let cases = [
            ("a\x1b[31mred\x1b[0m", r"a\x1b[31mred\x1b[0m"),
            ("t\x1b]0;title\x07x", r"t\x1b]0;title\x07x"),
            ("c1\u{9b}31mx", r"c1\x9b31mx"),
            ("bell\x07 del\x7f nul\0", r"bell\x07 del\x7f nul\x00"),
            ("tab\tcr\rlf\n", r"tab\tcr\rlf\n"),
            ("x\n✓ nothing found", r"x\n✓ nothing found"),
            ("bidi\u{202e}txt.exe\u{2066}", r"bidi\u202etxt.exe\u2066"),
            ("zero\u{200b}width\u{feff}", r"zero\u200bwidth\ufeff"),
            ("line\u{2028}sep", r"line\u2028sep"),
            ("tag\u{e0041}", r"tag\U000e0041"),
        ];
        for (input, expected) in cases {
            assert_eq!(clean(input), expected, "{input:?}");
        }
    }

    #[test]
    fn nothing_shown_is_a_control_bidi_or_invisible_character() {
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
