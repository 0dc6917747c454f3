//! The names a keymap file can use, read from the enums themselves so that a new action or
//! context is named in every message the moment it exists.

use serde::Deserialize;
use serde::de::value::{Error, StrDeserializer};
use serde::de::{self, Visitor};

/// The names serde reads for the unit-variant enum `T`, in declaration order.
pub fn all<T: Deserialize<'static>>() -> &'static [&'static str] {
    let mut capture = Capture(&[]);
    // The derive hands its variant names to `deserialize_enum`; the capture keeps them and
    // stops there, so the result is always an error.
    let _ = T::deserialize(&mut capture);
    capture.0
}

/// `text` read as a `T` (kebab-case, as in the file), if it names one.
pub fn parse<T: Deserialize<'static>>(text: &str) -> Option<T> {
    T::deserialize(StrDeserializer::<Error>::new(text)).ok()
}

/// The name of `value` in a file.
pub fn name_of<T: Deserialize<'static> + PartialEq + Copy>(value: T) -> &'static str {
    all::<T>()
        .iter()
        .find(|n| parse::<T>(n) == Some(value))
        .copied()
        .unwrap_or("?")
}

/// The known name closest to `typed` (one or two edits away), for a "did you mean".
pub fn closest(typed: &str, known: &'static [&'static str]) -> Option<&'static str> {
    let typed = typed.to_ascii_lowercase().replace('_', "-");
    known
        .iter()
        .map(|k| {
            (
                wheelbarrow::text::osa_distance(typed.as_bytes(), k.as_bytes()),
                *k,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

struct Capture(&'static [&'static str]);

impl<'de> de::Deserializer<'de> for &mut Capture {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Error> {
        Err(de::Error::custom("only the names of an enum are read here"))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        self.0 = variants;
        Err(de::Error::custom("names captured"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::action::Action;
    use super::super::Context;
    use super::*;

    #[test]
    fn every_name_reads_back_as_the_value_it_names() {
        let actions = all::<Action>();
        assert!(actions.contains(&"next-pane") && actions.contains(&"quit"));
        for name in actions {
            let action = parse::<Action>(name).unwrap();
            assert_eq!(name_of(action), *name);
        }
        let contexts = all::<Context>();
        assert_eq!(contexts[0], "global");
        assert!(contexts.iter().all(|n| parse::<Context>(n).is_some()));
        assert_eq!(name_of(Context::Browse), "browse");
    }

    #[test]
    fn a_typo_finds_the_name_it_misspells_and_a_stranger_finds_none() {
        assert_eq!(closest("quti", all::<Action>()), Some("quit"));
        assert_eq!(closest("next_pane", all::<Action>()), Some("next-pane"));
        assert_eq!(closest("brwose", all::<Context>()), Some("browse"));
        assert_eq!(closest("launch-rockets", all::<Action>()), None);
    }
}
