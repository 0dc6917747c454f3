//! The text of a requirements file as pip reads it: a byte order mark names the encoding
//! (UTF-8, UTF-16 or UTF-32, either byte order) and is dropped; without one the file is UTF-8.
//! Windows tools (PowerShell's `>` redirection of `pip freeze`) write UTF-16 with a BOM.

/// Reads the bytes after a byte order mark, `None` when they are not that encoding.
type Reader = fn(&[u8]) -> Option<String>;

/// The file's text, or why it cannot be read as text.
pub(super) fn decode(bytes: &[u8]) -> Result<String, String> {
    // UTF-32 LE's mark begins with UTF-16 LE's, so it is tried first.
    let marks: [(&[u8], &str, Reader); 5] = [
        (b"\xff\xfe\x00\x00", "UTF-32 LE", |b| {
            utf32(b, u32::from_le_bytes)
        }),
        (b"\x00\x00\xfe\xff", "UTF-32 BE", |b| {
            utf32(b, u32::from_be_bytes)
        }),
        (b"\xff\xfe", "UTF-16 LE", |b| utf16(b, u16::from_le_bytes)),
        (b"\xfe\xff", "UTF-16 BE", |b| utf16(b, u16::from_be_bytes)),
        (b"\xef\xbb\xbf", "UTF-8", |b| {
            String::from_utf8(b.to_vec()).ok()
        }),
    ];
    for (mark, name, read) in marks {
        if let Some(rest) = bytes.strip_prefix(mark) {
            return read(rest).ok_or_else(|| {
                format!("starts with a {name} byte order mark but is not valid {name} after it; save it again as UTF-8")
            });
        }
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "is not UTF-8 (byte {} is not part of a UTF-8 character) and has no byte order mark naming another encoding; save it as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Option<String> {
    let (units, rest) = bytes.as_chunks::<2>();
    if !rest.is_empty() {
        return None;
    }
    String::from_utf16(&units.iter().map(|u| unit(*u)).collect::<Vec<_>>()).ok()
}

fn utf32(bytes: &[u8], unit: fn([u8; 4]) -> u32) -> Option<String> {
    let (units, rest) = bytes.as_chunks::<4>();
    if !rest.is_empty() {
        return None;
    }
    units.iter().map(|u| char::from_u32(unit(*u))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16_le(text: &str) -> Vec<u8> {
        let mut out = vec![0xff, 0xfe];
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn each_byte_order_mark_names_the_encoding_and_is_dropped() {
        let text = "six==1.16.0\nnumpy ; python_version >= \"3.9\"\n";
        assert_eq!(decode(&utf16_le(text)).unwrap(), text);
        let mut be = vec![0xfe, 0xff];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap(), text);
        let mut le32 = vec![0xff, 0xfe, 0, 0];
        le32.extend(text.chars().flat_map(|c| u32::from(c).to_le_bytes()));
        assert_eq!(decode(&le32).unwrap(), text);
        assert_eq!(decode(b"\xef\xbb\xbfsix\n").unwrap(), "six\n");
        assert_eq!(decode(b"six\n").unwrap(), "six\n");
    }

    #[test]
    fn a_broken_file_says_what_it_is_not_and_what_to_do() {
        let mut odd = utf16_le("six");
        odd.push(b'x');
        assert_eq!(
            decode(&odd).unwrap_err(),
            "starts with a UTF-16 LE byte order mark but is not valid UTF-16 LE after it; save it again as UTF-8"
        );
        assert!(
            decode(b"six\xff\n")
                .unwrap_err()
                .starts_with("is not UTF-8 (byte 3 ")
        );
    }
}
