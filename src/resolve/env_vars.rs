//! `${NAME}` in requirements files, expanded from the environment as pip expands it: only
//! `${` + upper-case ASCII letters, digits and `_` + `}` (POSIX names; `$NAME`, `${lower}` and
//! `%NAME%` are left as written). pip's documented way to keep a token out of the file:
//! `pkg @ https://${USER}:${TOKEN}@host/pkg-1.0-py3-none-any.whl`. pip leaves an unset
//! variable in the line, which then fails somewhere far from the cause; here it is the error,
//! naming the variable.

use std::borrow::Cow;

/// `line` with every `${NAME}` replaced by `value(NAME)`; the first unset name is the error.
pub(super) fn expand(
    line: &str,
    value: impl Fn(&str) -> Option<String>,
) -> Result<Cow<'_, str>, String> {
    if !line.contains("${") {
        return Ok(Cow::Borrowed(line));
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        if name.is_empty() || !after[name_len..].starts_with('}') {
            // Not a variable as pip reads them: kept as written.
            out.push_str("${");
            rest = after;
            continue;
        }
        out.push_str(&value(name).ok_or_else(|| name.to_string())?);
        rest = &after[name_len + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "GVER" => Some("1.0".into()),
            "U" => Some("me".into()),
            "P_2" => Some("s3cret".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn upper_case_names_in_braces_are_expanded_and_nothing_else() {
        let cases = [
            ("goodpkg==${GVER}", "goodpkg==1.0"),
            (
                "pkg @ http://${U}:${P_2}@h.test/x.whl",
                "pkg @ http://me:s3cret@h.test/x.whl",
            ),
            ("a${EMPTY}b", "ab"),
            (
                "$GVER ${gver} %GVER% ${G-VER} ${",
                "$GVER ${gver} %GVER% ${G-VER} ${",
            ),
            ("plain==1.0", "plain==1.0"),
        ];
        for (line, expected) in cases {
            assert_eq!(expand(line, env).unwrap(), expected, "{line}");
        }
    }

    #[test]
    fn an_unset_variable_is_the_error() {
        assert_eq!(expand("x==${GVER}.${NOPE}", env).unwrap_err(), "NOPE");
    }
}
