//! What pip reads, read the same way or refused in words: a UTF-16 requirements file with a
//! byte order mark (as PowerShell's `pip freeze > requirements.txt` writes it) is read; a
//! PEP 691 page of a major `api-version` other than 1 is refused, naming the version.

mod support;

use support::cli::{Sandbox, stderr};

#[test]
fn a_utf16_requirements_file_with_a_byte_order_mark_is_read_as_pip_reads_it() {
    let sb = Sandbox::new("read-utf16");
    for (name, mark, unit) in [
        (
            "le.txt",
            [0xff, 0xfe],
            u16::to_le_bytes as fn(u16) -> [u8; 2],
        ),
        ("be.txt", [0xfe, 0xff], u16::to_be_bytes),
    ] {
        let mut bytes = mark.to_vec();
        bytes.extend("# pinned\r\napp==1.0\r\n".encode_utf16().flat_map(unit));
        std::fs::write(sb.dir.join(name), bytes).unwrap();
        let zip = format!("out/{name}.zip");
        let out = sb.build(["-r", name, "-o", &zip]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert!(sb.dir.join(&zip).exists(), "{name}");
    }
    // Odd bytes after a UTF-16 mark are not UTF-16: refused with what to do.
    std::fs::write(sb.dir.join("odd.txt"), b"\xff\xfea\x00p").unwrap();
    let out = sb.build(["-r", "odd.txt", "-o", "out/odd.zip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("odd.txt: starts with a UTF-16 LE byte order mark but is not valid UTF-16 LE after it; save it again as UTF-8"),
        "{err}"
    );
}

#[test]
fn a_pep_691_page_of_api_version_2_is_refused_naming_the_version_not_read_as_no_release() {
    let sb = Sandbox::new("read-api2");
    sb.index.set_api_version("2.0");
    let out = sb.build(["app", "-o", "out/l.zip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "answered a PEP 691 page of api-version 2.0; wheelbarrow reads major version 1 only"
        ),
        "{err}"
    );
    assert!(
        err.contains("use an index (--index-url) that serves version 1"),
        "{err}"
    );
    assert!(!err.contains("no release"), "{err}");
    assert!(!sb.out().join("l.zip").exists());
    // A newer minor version of 1 is still read.
    sb.index.set_api_version("1.4");
    let out = sb.build(["app", "-o", "out/l.zip"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
