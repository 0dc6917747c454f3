//! Paths in a layer that look the same on screen but are different names: NFC/NFD twins (`café`
//! with `é` as one character, and as `e` + a combining accent) and names that differ only by
//! invisible characters (a zero-width space, a bidirectional mark). Lambda extracts both; which
//! one Python imports is not what the reader of a listing would guess.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization as _;

/// How two paths that look alike differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookAlike {
    /// The same text in Unicode's composed (NFC) and decomposed (NFD) forms, or mixed.
    Normalization,
    /// The same text once invisible and bidirectional characters are left out.
    Invisible,
}

/// Every pair of distinct paths (files, and the folders they are in) among `names` that look
/// alike, the first of each group with each other one, at most `max` pairs, in name order.
pub fn look_alikes<'a>(
    names: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<(String, String, LookAlike)> {
    let mut paths: Vec<String> = Vec::new();
    for name in names {
        let trimmed = name.trim_end_matches('/');
        for (i, c) in trimmed.char_indices() {
            if c == '/' {
                paths.push(format!("{}/", &trimmed[..i]));
            }
        }
        paths.push(name.to_string());
    }
    paths.sort();
    paths.dedup();
    let mut found: Vec<(String, String, LookAlike)> = Vec::new();
    let mut by_nfc: HashMap<String, &str> = HashMap::new();
    let mut by_visible: HashMap<String, &str> = HashMap::new();
    for path in &paths {
        let nfc: String = path.nfc().collect();
        let visible: String = path
            .chars()
            .filter(|c| !crate::text::unsafe_char(*c))
            .collect::<String>()
            .nfc()
            .collect();
        let pair = match (by_nfc.get(&nfc), by_visible.get(&visible)) {
            (Some(first), _) => Some((*first, LookAlike::Normalization)),
            (None, Some(first)) => Some((*first, LookAlike::Invisible)),
            (None, None) => None,
        };
        // Inside twin folders every path is a twin too: only the folders are said.
        if let Some((first, kind)) = pair
            && !found
                .iter()
                .any(|(a, b, _)| first.starts_with(a.as_str()) && path.starts_with(b.as_str()))
        {
            found.push((first.to_string(), path.clone(), kind));
        }
        by_nfc.entry(nfc).or_insert(path);
        by_visible.entry(visible).or_insert(path);
        if found.len() >= max {
            break;
        }
    }
    found
}

/// Whether `text` is in NFC (composed) form.
pub fn is_nfc(text: &str) -> bool {
    unicode_normalization::is_nfc(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_and_nfd_twin_folders_are_found_once() {
        let names = [
            "python/caf\u{e9}/a.py",
            "python/cafe\u{301}/b.py",
            "python/cafe\u{301}/c.py",
            "python/other.py",
        ];
        let found = look_alikes(names, 10);
        assert_eq!(
            found,
            [(
                "python/cafe\u{301}/".to_string(),
                "python/caf\u{e9}/".to_string(),
                LookAlike::Normalization
            )]
        );
    }

    #[test]
    fn names_that_differ_by_invisible_characters_are_found() {
        let names = [
            "python/req\u{200b}uests/__init__.py",
            "python/requests/__init__.py",
        ];
        let found = look_alikes(names, 10);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2, LookAlike::Invisible);
        assert!(look_alikes(["python/a.py", "python/b.py"], 10).is_empty());
    }
}
