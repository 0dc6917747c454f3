//! Reading a zip's central directory from its tail, and one member from its local header.
//!
//! This is what lets wheelbarrow list a wheel's files with their sizes, and read its METADATA,
//! from a few kilobytes fetched with HTTP range requests instead of the whole wheel.
//! Supports zip64; the layouts are those of the PKWARE APPNOTE.

use std::io::Read;

use serde::{Deserialize, Serialize};

const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const LOCAL_SIG: u32 = 0x0403_4b50;
/// Fixed part of a local file header.
pub const LOCAL_HEADER_LEN: u64 = 30;

/// One member as the central directory describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZipEntry {
    pub name: String,
    /// Uncompressed size in bytes.
    pub size: u64,
    pub compressed_size: u64,
    /// 0 stored, 8 deflate.
    pub method: u16,
    pub crc32: u32,
    /// Where the member's local header starts.
    pub offset: u64,
    /// Unix permission and type bits, when the zip was made on Unix.
    pub unix_mode: Option<u32>,
}

impl ZipEntry {
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }

    pub fn is_symlink(&self) -> bool {
        self.unix_mode.is_some_and(|m| m & 0o170_000 == 0o120_000)
    }
}

/// Where the central directory is, from the end-of-central-directory records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Directory {
    pub offset: u64,
    pub size: u64,
    pub entries: u64,
}

/// What reading the tail found.
#[derive(Debug, PartialEq, Eq)]
pub enum Tail {
    Found(Directory),
    /// A zip64 file whose zip64 record starts at this offset, before the tail we have.
    NeedZip64At(u64),
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}
fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}
fn u64_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?))
}

/// Finds the central directory from the last bytes of a file; `tail_start` is the offset of
/// `tail[0]` in the file.
pub fn read_tail(tail: &[u8], tail_start: u64) -> Result<Tail, String> {
    let eocd = (0..=tail.len().saturating_sub(22))
        .rev()
        .find(|&i| u32_at(tail, i) == Some(EOCD_SIG))
        .ok_or("no end-of-central-directory record: not a zip file")?;
    let entries = u64::from(u16_at(tail, eocd + 10).unwrap_or(0));
    let size = u64::from(u32_at(tail, eocd + 12).unwrap_or(0));
    let offset = u64::from(u32_at(tail, eocd + 16).unwrap_or(0));
    let zip64 = entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF;
    if !zip64 {
        return Ok(Tail::Found(Directory {
            offset,
            size,
            entries,
        }));
    }
    let locator = eocd
        .checked_sub(20)
        .filter(|&i| u32_at(tail, i) == Some(ZIP64_LOCATOR_SIG))
        .ok_or("zip64 file without a zip64 locator")?;
    let record = u64_at(tail, locator + 8).ok_or("truncated zip64 locator")?;
    let Some(rel) = record.checked_sub(tail_start) else {
        return Ok(Tail::NeedZip64At(record));
    };
    read_zip64_record(&tail[usize::try_from(rel).map_err(|e| e.to_string())?..]).map(Tail::Found)
}

/// Reads a zip64 end-of-central-directory record that starts at `b[0]`.
pub fn read_zip64_record(b: &[u8]) -> Result<Directory, String> {
    if u32_at(b, 0) != Some(ZIP64_EOCD_SIG) {
        return Err("bad zip64 end-of-central-directory record".into());
    }
    Ok(Directory {
        entries: u64_at(b, 32).ok_or("truncated zip64 record")?,
        size: u64_at(b, 40).ok_or("truncated zip64 record")?,
        offset: u64_at(b, 48).ok_or("truncated zip64 record")?,
    })
}

/// Parses the central directory (`b` holds exactly it, or starts with it).
pub fn parse_directory(b: &[u8], expected: u64) -> Result<Vec<ZipEntry>, String> {
    let mut entries = Vec::with_capacity(usize::try_from(expected.min(100_000)).unwrap_or(0));
    let mut i = 0;
    while u32_at(b, i) == Some(CENTRAL_SIG) {
        let truncated = || format!("central directory entry {} is truncated", entries.len());
        let made_by = u16_at(b, i + 4).ok_or_else(truncated)?;
        let method = u16_at(b, i + 10).ok_or_else(truncated)?;
        let crc32 = u32_at(b, i + 16).ok_or_else(truncated)?;
        let mut compressed_size = u64::from(u32_at(b, i + 20).ok_or_else(truncated)?);
        let mut size = u64::from(u32_at(b, i + 24).ok_or_else(truncated)?);
        let name_len = usize::from(u16_at(b, i + 28).ok_or_else(truncated)?);
        let extra_len = usize::from(u16_at(b, i + 30).ok_or_else(truncated)?);
        let comment_len = usize::from(u16_at(b, i + 32).ok_or_else(truncated)?);
        let external = u32_at(b, i + 38).ok_or_else(truncated)?;
        let mut offset = u64::from(u32_at(b, i + 42).ok_or_else(truncated)?);
        let name_start = i + 46;
        let name_bytes = b
            .get(name_start..name_start + name_len)
            .ok_or_else(truncated)?;
        let extra = b
            .get(name_start + name_len..name_start + name_len + extra_len)
            .ok_or_else(truncated)?;
        // zip64 extended information: only the fields whose 32-bit value is saturated.
        if let Some(mut z) = find_extra(extra, 0x0001) {
            for field in [&mut size, &mut compressed_size, &mut offset] {
                if *field == 0xFFFF_FFFF {
                    *field = u64_at(z, 0).ok_or("bad zip64 extra field")?;
                    z = &z[8..];
                }
            }
        }
        let unix = made_by >> 8 == 3;
        entries.push(ZipEntry {
            name: String::from_utf8_lossy(name_bytes).into_owned(),
            size,
            compressed_size,
            method,
            crc32,
            offset,
            unix_mode: unix.then_some(external >> 16),
        });
        i = name_start + name_len + extra_len + comment_len;
    }
    if (entries.len() as u64) < expected {
        return Err(format!(
            "the central directory promises {expected} entries but holds {}",
            entries.len()
        ));
    }
    Ok(entries)
}

fn find_extra(mut extra: &[u8], id: u16) -> Option<&[u8]> {
    while extra.len() >= 4 {
        let kind = u16_at(extra, 0)?;
        let len = usize::from(u16_at(extra, 2)?);
        let data = extra.get(4..4 + len)?;
        if kind == id {
            return Some(data);
        }
        extra = &extra[4 + len..];
    }
    None
}

/// The length of a member's local header (fixed part, name, extra), from its first 30 bytes.
pub fn local_header_len(b: &[u8]) -> Result<u64, String> {
    if u32_at(b, 0) != Some(LOCAL_SIG) {
        return Err("no local file header where the central directory points".into());
    }
    let name = u64::from(u16_at(b, 26).ok_or("truncated local header")?);
    let extra = u64::from(u16_at(b, 28).ok_or("truncated local header")?);
    Ok(LOCAL_HEADER_LEN + name + extra)
}

/// The first `n` bytes of a member (fewer when it is shorter), inflating no more than that:
/// enough to read a header. Not checked against the CRC-32 (the whole member is not read).
pub fn read_prefix(bytes: &[u8], entry: &ZipEntry, n: usize) -> Result<Vec<u8>, String> {
    let start = usize::try_from(entry.offset).map_err(|e| e.to_string())?;
    let header = bytes.get(start..).ok_or("member past the end")?;
    let skip = usize::try_from(local_header_len(header)?).map_err(|e| e.to_string())?;
    let data = header.get(skip..).ok_or("member past the end")?;
    let data = data
        .get(..usize::try_from(entry.compressed_size).map_err(|e| e.to_string())?)
        .ok_or_else(|| format!("{} is truncated", entry.name))?;
    let mut out = Vec::with_capacity(n);
    match entry.method {
        0 => out.extend_from_slice(&data[..n.min(data.len())]),
        8 => {
            flate2::read::DeflateDecoder::new(data)
                .take(n as u64)
                .read_to_end(&mut out)
                .map_err(|e| format!("{} does not inflate: {e}", entry.name))?;
        }
        m => return Err(format!("{} uses compression method {m}", entry.name)),
    }
    Ok(out)
}

/// When a member was last modified, as its zip records it: the extended timestamp (Unix
/// seconds, the `UT` extra field Info-ZIP writes) when there is one, else the DOS date and time
/// (2-second steps, no time zone: read as UTC, as Lambda's extraction runs in UTC).
pub fn member_time(bytes: &[u8], entry: &ZipEntry) -> Option<u64> {
    let b = bytes.get(usize::try_from(entry.offset).ok()?..)?;
    if u32_at(b, 0) != Some(LOCAL_SIG) {
        return None;
    }
    let name = usize::from(u16_at(b, 26)?);
    let extra_len = usize::from(u16_at(b, 28)?);
    let extra = b.get(30 + name..30 + name + extra_len)?;
    if let Some(ut) = find_extra(extra, 0x5455)
        && ut.first().is_some_and(|flags| flags & 1 == 1)
    {
        let secs = i32::from_le_bytes(ut.get(1..5)?.try_into().ok()?);
        return u64::try_from(secs).ok();
    }
    let (time, date) = (u64::from(u16_at(b, 10)?), u64::from(u16_at(b, 12)?));
    let (year, month, day) = (1980 + (date >> 9), (date >> 5) & 0xF, date & 0x1F);
    let days = days_from_civil(year, month, day)?;
    Some(days * 86_400 + (time >> 11) * 3600 + ((time >> 5) & 0x3F) * 60 + (time & 0x1F) * 2)
}

/// Days from 1970-01-01 to a date (Howard Hinnant's `days_from_civil`), for dates from 1980.
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    if !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).checked_sub(719_468)
}

/// Decompresses one member's data and checks its CRC-32 and size.
pub fn inflate(entry: &ZipEntry, data: &[u8]) -> Result<Vec<u8>, String> {
    inflate_until(entry, data, &|_| false)
}

/// [`inflate`], asking `stop` (with the bytes inflated so far) between chunks of a megabyte: a
/// member of hundreds of megabytes is given up within a fraction of a second when it answers
/// true (the error says "stopped").
pub fn inflate_until(
    entry: &ZipEntry,
    data: &[u8],
    stop: &dyn Fn(u64) -> bool,
) -> Result<Vec<u8>, String> {
    const CHUNK: usize = 1 << 20;
    let data = data
        .get(..usize::try_from(entry.compressed_size).map_err(|e| e.to_string())?)
        .ok_or_else(|| format!("{} is truncated", entry.name))?;
    let mut source: Box<dyn Read> = match entry.method {
        0 => Box::new(data),
        8 => Box::new(flate2::read::DeflateDecoder::new(data)),
        m => {
            return Err(format!(
                "{} uses compression method {m}, which wheels do not use",
                entry.name
            ));
        }
    };
    let mut out = Vec::with_capacity(usize::try_from(entry.size.min(64 << 20)).unwrap_or(0));
    let mut crc = flate2::Crc::new();
    loop {
        if stop(out.len() as u64) {
            return Err(format!("{}: stopped", entry.name));
        }
        let room = (entry.size + 1).saturating_sub(out.len() as u64);
        let before = out.len();
        let n = (&mut source)
            .take(room.min(CHUNK as u64))
            .read_to_end(&mut out)
            .map_err(|e| format!("{} does not inflate: {e}", entry.name))?;
        crc.update(&out[before..]);
        if n == 0 {
            break;
        }
    }
    if out.len() as u64 != entry.size {
        return Err(format!(
            "{} inflates to {} bytes, not the {} its directory entry says",
            entry.name,
            out.len(),
            entry.size
        ));
    }
    if crc.sum() != entry.crc32 {
        return Err(format!("{} fails its CRC-32 check", entry.name));
    }
    Ok(out)
}

/// Reads the whole directory and the listing from a complete zip held in memory.
pub fn list_whole(bytes: &[u8]) -> Result<Vec<ZipEntry>, String> {
    let dir = match read_tail(bytes, 0)? {
        Tail::Found(d) => d,
        Tail::NeedZip64At(_) => return Err("zip64 record outside the file".into()),
    };
    let start = usize::try_from(dir.offset).map_err(|e| e.to_string())?;
    parse_directory(
        bytes.get(start..).ok_or("central directory past the end")?,
        dir.entries,
    )
}

/// One member's contents from a complete zip held in memory.
pub fn read_member(bytes: &[u8], entry: &ZipEntry) -> Result<Vec<u8>, String> {
    read_member_until(bytes, entry, &|_| false)
}

/// [`read_member`], given up when `stop` answers true (see [`inflate_until`]).
pub fn read_member_until(
    bytes: &[u8],
    entry: &ZipEntry,
    stop: &dyn Fn(u64) -> bool,
) -> Result<Vec<u8>, String> {
    let start = usize::try_from(entry.offset).map_err(|e| e.to_string())?;
    let header = bytes.get(start..).ok_or("member past the end")?;
    let skip = usize::try_from(local_header_len(header)?).map_err(|e| e.to_string())?;
    inflate_until(
        entry,
        header.get(skip..).ok_or("member past the end")?,
        &stop,
    )
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)] // small test zips
mod tests {
    use super::*;

    #[test]
    fn a_members_time_is_its_extended_timestamp_or_else_its_dos_time_read_as_utc() {
        // A local header with an extended timestamp (flags 1: mtime) of 1_709_618_829.
        let mut local = Vec::new();
        local.extend_from_slice(&LOCAL_SIG.to_le_bytes());
        local.extend_from_slice(&[0; 22]);
        local.extend_from_slice(&4u16.to_le_bytes()); // name length
        local.extend_from_slice(&9u16.to_le_bytes()); // extra length
        local.extend_from_slice(b"a.py");
        local.extend_from_slice(&0x5455u16.to_le_bytes());
        local.extend_from_slice(&5u16.to_le_bytes());
        local.push(1);
        local.extend_from_slice(&1_709_618_829i32.to_le_bytes());
        let entry = ZipEntry {
            name: "a.py".into(),
            size: 0,
            compressed_size: 0,
            method: 0,
            crc32: 0,
            offset: 0,
            unix_mode: None,
        };
        assert_eq!(member_time(&local, &entry), Some(1_709_618_829));
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let at = zip::DateTime::from_date_and_time(2020, 1, 2, 3, 4, 6).unwrap();
        w.start_file(
            "b.py",
            zip::write::SimpleFileOptions::default().last_modified_time(at),
        )
        .unwrap();
        w.write_all(b"y = 2\n").unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let entries = list_whole(&bytes).unwrap();
        assert_eq!(member_time(&bytes, &entries[0]), Some(1_577_934_246));
    }
    use std::io::{Cursor, Write};

    fn sample_zip() -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(0o644);
        w.start_file("pkg/__init__.py", deflated).unwrap();
        w.write_all(&b"x = 1\n".repeat(100)).unwrap();
        w.start_file(
            "pkg-1.0.dist-info/METADATA",
            deflated.compression_method(zip::CompressionMethod::Stored),
        )
        .unwrap();
        w.write_all(b"Name: pkg\nVersion: 1.0\n").unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn the_directory_lists_names_sizes_and_modes() {
        let bytes = sample_zip();
        let entries = list_whole(&bytes).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].name, "pkg/__init__.py");
        assert_eq!(entries[0].size, 600);
        assert!(entries[0].compressed_size < 600);
        assert_eq!(entries[0].unix_mode.map(|m| m & 0o777), Some(0o644));
        assert_eq!(
            read_member(&bytes, &entries[1]).unwrap(),
            b"Name: pkg\nVersion: 1.0\n"
        );
        assert_eq!(read_member(&bytes, &entries[0]).unwrap().len(), 600);
    }

    #[test]
    fn a_tail_alone_locates_the_directory() {
        let bytes = sample_zip();
        let tail_start = bytes.len() - 120;
        match read_tail(&bytes[tail_start..], tail_start as u64).unwrap() {
            Tail::Found(dir) => {
                assert_eq!(dir.entries, 2);
                assert!(dir.offset > 0);
            }
            other @ Tail::NeedZip64At(_) => panic!("{other:?}"),
        }
    }

    #[test]
    fn damage_is_reported_not_panicked_on() {
        assert!(read_tail(b"not a zip at all, just some text", 0).is_err());
        let mut bytes = sample_zip();
        let entries = list_whole(&bytes).unwrap();
        let e = &entries[0];
        let data_at =
            e.offset as usize + local_header_len(&bytes[e.offset as usize..]).unwrap() as usize;
        bytes[data_at + 3] ^= 0xFF;
        assert!(read_member(&bytes, e).is_err());
        assert!(parse_directory(&bytes[..10], 2).is_err());
    }
}
