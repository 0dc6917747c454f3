//! Files of your own count in the budget as the zip stores them: a large file that deflates to
//! little takes little of the 50 MB a direct upload allows (and the publish command uploads it
//! directly), one that does not deflate takes its full size (and the advice is S3); the figures
//! the budget gives are the zip's own.

mod support;

use support::cli::{Sandbox, stderr, stdout};

/// Bytes no deflater can shrink: a xorshift stream.
fn incompressible(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(len);
    out
}

fn build_json(sb: &Sandbox, name: &str, add: &str) -> (serde_json::Value, u64) {
    let out = sb.build([
        "app",
        "-o",
        &format!("out/{name}.zip"),
        "--add",
        add,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let real = std::fs::metadata(sb.out().join(format!("{name}.zip")))
        .unwrap()
        .len();
    (value, real)
}

#[test]
fn a_large_file_that_deflates_to_little_counts_at_its_zipped_size() {
    let sb = Sandbox::new("add-zeros");
    // 60 MiB of zeros: over the direct-upload limit unzipped, a few dozen KB zipped.
    let zeros = sb.dir.join("zeros.bin");
    std::fs::write(&zeros, vec![0u8; 60 << 20]).unwrap();
    let (value, real) = build_json(&sb, "zeros", &format!("{}=data/zeros.bin", zeros.display()));
    let budget = &value["budget"];
    let zipped = budget["zipped"].as_u64().unwrap();
    assert!(real < 1 << 20, "the zip is small: {real}");
    assert!(
        zipped.abs_diff(real) < 4096,
        "the budget's {zipped} is the zip's {real}"
    );
    assert_eq!(budget["fits_direct_upload"], true, "{budget}");
    let notes = budget["notes"].to_string();
    assert!(!notes.contains("direct upload allows"), "{notes}");
    let script = std::fs::read_to_string(sb.out().join("zeros.publish.sh")).unwrap();
    assert!(script.contains("--zip-file"), "{script}");
}

#[test]
fn a_large_file_that_does_not_deflate_counts_in_full_and_the_advice_is_s3() {
    let sb = Sandbox::new("add-random");
    let random = sb.dir.join("random.bin");
    std::fs::write(&random, incompressible(51 << 20)).unwrap();
    let out = sb.build([
        "app",
        "-o",
        "out/random.zip",
        "--add",
        &format!("{}=data/random.bin", random.display()),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let real = std::fs::metadata(sb.out().join("random.zip"))
        .unwrap()
        .len();
    assert!(real > 51 << 20, "{real}");
    assert!(
        text.contains("The zip is 51.0 MB, over the 50.0 MB a direct upload allows"),
        "{text}"
    );
}
