//! PEP 508 requirement text parsed without letting the parser panic: requirement text comes
//! from the user and from an index (`Requires-Dist`), and neither may crash the tool.

use std::str::FromStr;

use pep508_rs::Requirement;

/// One PEP 508 requirement, or why not (the first line of the parser's words). Two kinds of
/// text that make `pep508_rs` 0.9 panic (found by `tests/fuzz_parsers.rs`) are refused first: a
/// name that ends in `.`, `-` or `_`, and a non-ASCII character outside quotes. Requirement
/// text can come from an index (`Requires-Dist`), so it must be an error, never a crash.
pub(crate) fn parse_pep508(text: &str) -> Result<Requirement, String> {
    let name_end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(text.len());
    let name = &text[..name_end];
    if let Some(edge) = [name.chars().next(), name.chars().last()]
        .into_iter()
        .flatten()
        .find(|c| !c.is_ascii_alphanumeric())
    {
        return Err(format!(
            "the name '{name}' starts or ends with '{edge}'; a project name starts and ends with a letter or digit"
        ));
    }
    // `pep508_rs` 0.9 also slices inside a multi-byte character met outside a quoted string.
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if !c.is_ascii() => {
                return Err(format!(
                    "'{c}' is not ASCII; outside quoted marker values a requirement is ASCII"
                ));
            }
            _ => {}
        }
    }
    // Any other panic of the parser is still an error here, not a crash.
    std::panic::catch_unwind(|| Requirement::from_str(text))
        .map_err(|_| "the PEP 508 parser could not read it".to_string())?
        .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_pep508_parser_panics_on_are_errors() {
        for text in [
            "numpy./local.whl)>=",
            "a-",
            "_a>=1",
            "x_ @ https://h.test/x.whl",
        ] {
            let err = parse_pep508(text).unwrap_err();
            assert!(
                err.contains("starts and ends with a letter or digit"),
                "{text}: {err}"
            );
        }
        assert!(parse_pep508("A_b.c-d[x]>=1; python_version >= \"3.9\"").is_ok());
        let err = parse_pep508("pkg; python_version >= \"3.9\"<é extra == 'x'").unwrap_err();
        assert!(err.contains("'é' is not ASCII"), "{err}");
        assert!(parse_pep508("pkg; platform_release == \"é\"").is_ok());
    }
}
