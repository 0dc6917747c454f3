//! A deterministic zip writer: entries in the order given (the caller sorts them), one fixed
//! timestamp, normalised Unix modes, no host-specific fields (no uid/gid, no extended
//! timestamps), so the same inputs give byte-identical output. Compressed data copied from a
//! wheel goes in as it is, without inflating and deflating again.

use std::io::{self, Write};

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
/// "Made by" Unix (3), spec version 2.0: tells unzip to apply the modes.
const MADE_BY: u16 = 0x0314;
const NEEDED: u16 = 20;

/// A file's data as it goes into the zip.
pub struct Data<'a> {
    /// 0 stored, 8 deflate.
    pub method: u16,
    pub crc32: u32,
    pub size: u64,
    pub bytes: &'a [u8],
}

struct Record {
    name: String,
    method: u16,
    crc32: u32,
    compressed: u32,
    size: u32,
    offset: u32,
    external: u32,
}

pub struct ZipOut<W: Write> {
    out: W,
    offset: u64,
    records: Vec<Record>,
    time: u16,
    date: u16,
}

/// DOS time and date for Unix seconds (UTC), clamped to the years a zip can hold (1980-2107).
pub fn dos_datetime(unix_secs: u64) -> (u16, u16) {
    let days = i64::try_from(unix_secs / 86_400).unwrap_or(0);
    let secs = unix_secs % 86_400;
    let (year, month, day) = crate::lambda::civil_from_days(days);
    if year < 1980 {
        return (0, (1 << 5) | 1);
    }
    let year = year.min(2107);
    let time = ((secs / 3600) << 11) | (((secs % 3600) / 60) << 5) | ((secs % 60) / 2);
    let date = ((year - 1980) << 9) | (month << 5) | day;
    (
        u16::try_from(time).unwrap_or(0),
        u16::try_from(date).unwrap_or(0),
    )
}

fn too_big(what: &str) -> io::Error {
    io::Error::other(format!(
        "{what} is over 4 GB, more than any Lambda layer can hold"
    ))
}

impl<W: Write> ZipOut<W> {
    /// A writer stamping every entry with `unix_secs` (use 0 for 1980-01-01, the zip epoch).
    pub fn new(out: W, unix_secs: u64) -> ZipOut<W> {
        let (time, date) = dos_datetime(unix_secs);
        ZipOut {
            out,
            offset: 0,
            records: Vec::new(),
            time,
            date,
        }
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.offset += bytes.len() as u64;
        Ok(())
    }

    fn flags(name: &str) -> u16 {
        if name.is_ascii() { 0 } else { 0x0800 }
    }

    /// A directory entry (`name` ends with `/`), mode 0755.
    pub fn add_dir(&mut self, name: &str) -> io::Result<()> {
        self.add(
            name,
            0o040_755 << 16 | 0x10,
            &Data {
                method: 0,
                crc32: 0,
                size: 0,
                bytes: &[],
            },
        )
    }

    /// A file whose data is given compressed (or stored) already; mode 0755 or 0644.
    pub fn add_file(&mut self, name: &str, executable: bool, data: &Data<'_>) -> io::Result<()> {
        let mode: u32 = if executable { 0o100_755 } else { 0o100_644 };
        self.add(name, mode << 16, data)
    }

    /// A file from its uncompressed contents: deflated, or stored when that is smaller.
    pub fn add_contents(
        &mut self,
        name: &str,
        executable: bool,
        contents: &[u8],
    ) -> io::Result<()> {
        let mut crc = flate2::Crc::new();
        crc.update(contents);
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(contents)?;
        let deflated = encoder.finish()?;
        let (method, bytes) = if deflated.len() < contents.len() {
            (8, deflated.as_slice())
        } else {
            (0, contents)
        };
        self.add_file(
            name,
            executable,
            &Data {
                method,
                crc32: crc.sum(),
                size: contents.len() as u64,
                bytes,
            },
        )
    }

    fn add(&mut self, name: &str, external: u32, data: &Data<'_>) -> io::Result<()> {
        let offset = u32::try_from(self.offset).map_err(|_| too_big("the zip"))?;
        let compressed = u32::try_from(data.bytes.len()).map_err(|_| too_big(name))?;
        let size = u32::try_from(data.size).map_err(|_| too_big(name))?;
        let name_len = u16::try_from(name.len())
            .map_err(|_| io::Error::other(format!("entry name too long: {name}")))?;
        let mut header = Vec::with_capacity(30 + name.len());
        header.extend_from_slice(&LOCAL_SIG.to_le_bytes());
        header.extend_from_slice(&NEEDED.to_le_bytes());
        header.extend_from_slice(&Self::flags(name).to_le_bytes());
        header.extend_from_slice(&data.method.to_le_bytes());
        header.extend_from_slice(&self.time.to_le_bytes());
        header.extend_from_slice(&self.date.to_le_bytes());
        header.extend_from_slice(&data.crc32.to_le_bytes());
        header.extend_from_slice(&compressed.to_le_bytes());
        header.extend_from_slice(&size.to_le_bytes());
        header.extend_from_slice(&name_len.to_le_bytes());
        header.extend_from_slice(&0u16.to_le_bytes());
        header.extend_from_slice(name.as_bytes());
        self.put(&header)?;
        self.put(data.bytes)?;
        self.records.push(Record {
            name: name.to_string(),
            method: data.method,
            crc32: data.crc32,
            compressed,
            size,
            offset,
            external,
        });
        Ok(())
    }

    /// Writes the central directory and the end records; returns the writer and the zip's size.
    pub fn finish(mut self) -> io::Result<(W, u64)> {
        let start = self.offset;
        let records = std::mem::take(&mut self.records);
        for r in &records {
            let mut c = Vec::with_capacity(46 + r.name.len());
            c.extend_from_slice(&CENTRAL_SIG.to_le_bytes());
            c.extend_from_slice(&MADE_BY.to_le_bytes());
            c.extend_from_slice(&NEEDED.to_le_bytes());
            c.extend_from_slice(&Self::flags(&r.name).to_le_bytes());
            c.extend_from_slice(&r.method.to_le_bytes());
            c.extend_from_slice(&self.time.to_le_bytes());
            c.extend_from_slice(&self.date.to_le_bytes());
            c.extend_from_slice(&r.crc32.to_le_bytes());
            c.extend_from_slice(&r.compressed.to_le_bytes());
            c.extend_from_slice(&r.size.to_le_bytes());
            c.extend_from_slice(
                &u16::try_from(r.name.len())
                    .unwrap_or(u16::MAX)
                    .to_le_bytes(),
            );
            c.extend_from_slice(&[0; 8]); // extra len, comment len, disk, internal attributes
            c.extend_from_slice(&r.external.to_le_bytes());
            c.extend_from_slice(&r.offset.to_le_bytes());
            c.extend_from_slice(r.name.as_bytes());
            self.put(&c)?;
        }
        let size = self.offset - start;
        let count = records.len() as u64;
        let (count16, size32, start32) = (
            u16::try_from(count).unwrap_or(u16::MAX),
            u32::try_from(size).map_err(|_| too_big("the central directory"))?,
            u32::try_from(start).map_err(|_| too_big("the zip"))?,
        );
        if count16 == u16::MAX {
            // More than 65,534 entries: zip64 end records carry the count.
            let zip64_at = self.offset;
            let mut z = Vec::with_capacity(76);
            z.extend_from_slice(&ZIP64_EOCD_SIG.to_le_bytes());
            z.extend_from_slice(&44u64.to_le_bytes());
            z.extend_from_slice(&MADE_BY.to_le_bytes());
            z.extend_from_slice(&45u16.to_le_bytes());
            z.extend_from_slice(&[0; 8]); // this disk, directory disk
            z.extend_from_slice(&count.to_le_bytes());
            z.extend_from_slice(&count.to_le_bytes());
            z.extend_from_slice(&size.to_le_bytes());
            z.extend_from_slice(&start.to_le_bytes());
            z.extend_from_slice(&ZIP64_LOCATOR_SIG.to_le_bytes());
            z.extend_from_slice(&0u32.to_le_bytes());
            z.extend_from_slice(&zip64_at.to_le_bytes());
            z.extend_from_slice(&1u32.to_le_bytes());
            self.put(&z)?;
        }
        let mut e = Vec::with_capacity(22);
        e.extend_from_slice(&EOCD_SIG.to_le_bytes());
        e.extend_from_slice(&[0; 4]);
        e.extend_from_slice(&count16.to_le_bytes());
        e.extend_from_slice(&count16.to_le_bytes());
        e.extend_from_slice(&size32.to_le_bytes());
        e.extend_from_slice(&start32.to_le_bytes());
        e.extend_from_slice(&0u16.to_le_bytes());
        self.put(&e)?;
        let total = self.offset;
        Ok((self.out, total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_zip_epoch_and_a_known_date_convert_to_dos_time() {
        assert_eq!(dos_datetime(0), (0, (1 << 5) | 1));
        // 2024-03-05 06:07:08 UTC
        let (time, date) = dos_datetime(1_709_618_828);
        assert_eq!(date, (44 << 9) | (3 << 5) | 5);
        assert_eq!(time, (6 << 11) | (7 << 5) | 4);
    }

    #[test]
    fn written_zips_open_with_the_zip_crate_with_modes_and_contents() {
        let mut z = ZipOut::new(Vec::new(), 0);
        z.add_dir("python/").unwrap();
        z.add_contents("python/a.py", false, &b"print('hi')\n".repeat(50))
            .unwrap();
        z.add_contents("bin/tool", true, b"#!/bin/sh\n").unwrap();
        let (bytes, size) = z.finish().unwrap();
        assert_eq!(size, bytes.len() as u64);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        assert_eq!(zip.len(), 3);
        let mut a = String::new();
        zip.by_name("python/a.py")
            .unwrap()
            .read_to_string(&mut a)
            .unwrap();
        assert_eq!(a.len(), 600);
        assert_eq!(
            zip.by_name("bin/tool").unwrap().unix_mode(),
            Some(0o100_755)
        );
        assert_eq!(
            zip.by_name("python/a.py").unwrap().unix_mode(),
            Some(0o100_644)
        );
        assert!(zip.by_name("python/").unwrap().is_dir());
        // Byte-identical when written again.
        let mut again = ZipOut::new(Vec::new(), 0);
        again.add_dir("python/").unwrap();
        again
            .add_contents("python/a.py", false, &b"print('hi')\n".repeat(50))
            .unwrap();
        again
            .add_contents("bin/tool", true, b"#!/bin/sh\n")
            .unwrap();
        assert_eq!(again.finish().unwrap().0, bytes);
    }
}
