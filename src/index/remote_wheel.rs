//! Reading a wheel on the index without downloading it: its central directory, then single
//! members such as METADATA, with HTTP range requests. Servers that ignore ranges send the
//! whole wheel instead, which is then verified and stored so the work is not wasted.

use url::Url;

use super::cache::sha256_hex;
use super::client::{ContentsVia, IndexClient, WheelContents, check_sha};
use super::error::IndexError;
use super::http::redact;
use super::project::{DistFile, FileKind};
use super::requests::RangeAnswer;
use super::zipdir::{self, Tail, ZipEntry};

/// How much of a wheel's end to ask for first: the whole central directory of most wheels; a
/// larger one (numpy's is about 100 KB) costs one more request for the rest.
const TAIL_BYTES: u64 = 32 * 1024;
/// Extra bytes fetched past a member's data in case its local extra field is long.
const LOCAL_SLACK: u64 = 512;

impl IndexClient {
    /// The central directory, by range requests; `Some(bytes)` too when the index sent the
    /// whole wheel instead (it is then verified and stored).
    pub(super) async fn fetch_listing(
        &self,
        file: &DistFile,
    ) -> Result<(WheelContents, Option<Vec<u8>>), IndexError> {
        let url = &file.url;
        let tail_len = file.size.map_or(TAIL_BYTES, |s| s.min(TAIL_BYTES)).max(22);
        let (start, total, tail) =
            match self.fetcher.get_range(url, &format!("-{tail_len}")).await? {
                RangeAnswer::Whole(bytes) => {
                    return self.whole_wheel(file, bytes).map(|(c, b)| (c, Some(b)));
                }
                RangeAnswer::Partial {
                    start,
                    total,
                    bytes,
                } => (start, total, bytes),
            };
        let mut transferred = tail.len() as u64;
        let bad = |d: String| not_a_wheel(file, d);
        let dir = match zipdir::read_tail(&tail, start).map_err(bad)? {
            Tail::Found(dir) => dir,
            Tail::NeedZip64At(at) => {
                let record = self.range_bytes(url, at, at + 56).await?;
                transferred += record.len() as u64;
                zipdir::read_zip64_record(&record).map_err(bad)?
            }
        };
        let directory = if dir.offset >= start {
            let from = usize::try_from(dir.offset - start).unwrap_or(usize::MAX);
            tail.get(from..)
                .ok_or_else(|| bad("central directory past the end".into()))?
                .to_vec()
        } else {
            let end = (dir.offset + dir.size).min(total);
            let bytes = self.range_bytes(url, dir.offset, end).await?;
            transferred += bytes.len() as u64;
            bytes
        };
        let entries = zipdir::parse_directory(&directory, dir.entries).map_err(bad)?;
        Ok((
            WheelContents {
                entries,
                wheel_size: total,
                transferred,
                via: ContentsVia::RangeRequests,
            },
            None,
        ))
    }

    /// A wheel that arrived whole: verify, store, list.
    fn whole_wheel(
        &self,
        file: &DistFile,
        bytes: Vec<u8>,
    ) -> Result<(WheelContents, Vec<u8>), IndexError> {
        check_sha(file, &sha256_hex(&bytes))?;
        self.store.put(file, &bytes)?;
        let entries = zipdir::list_whole(&bytes).map_err(|d| not_a_wheel(file, d))?;
        Ok((
            WheelContents {
                entries,
                wheel_size: bytes.len() as u64,
                transferred: bytes.len() as u64,
                via: ContentsVia::FullDownload,
            },
            bytes,
        ))
    }

    /// One member's contents by range requests; also returns the bytes transferred.
    pub(super) async fn fetch_member(
        &self,
        file: &DistFile,
        entry: &ZipEntry,
    ) -> Result<(Vec<u8>, u64), IndexError> {
        let guess = zipdir::LOCAL_HEADER_LEN
            + entry.name.len() as u64
            + entry.compressed_size
            + LOCAL_SLACK;
        let mut bytes = self
            .range_bytes(&file.url, entry.offset, entry.offset + guess)
            .await?;
        let mut transferred = bytes.len() as u64;
        let header = zipdir::local_header_len(&bytes).map_err(|d| not_a_wheel(file, d))?;
        let needed = header + entry.compressed_size;
        if (bytes.len() as u64) < needed {
            bytes = self
                .range_bytes(&file.url, entry.offset, entry.offset + needed)
                .await?;
            transferred += bytes.len() as u64;
        }
        let data = bytes
            .get(usize::try_from(header).unwrap_or(usize::MAX)..)
            .unwrap_or_default();
        let text = zipdir::inflate(entry, data).map_err(|d| not_a_wheel(file, d))?;
        Ok((text, transferred))
    }

    /// Bytes `from..to` (exclusive) of a file; the whole file if the server ignores ranges.
    async fn range_bytes(&self, url: &Url, from: u64, to: u64) -> Result<Vec<u8>, IndexError> {
        let last = to.saturating_sub(1).max(from);
        match self
            .fetcher
            .get_range(url, &format!("{from}-{last}"))
            .await?
        {
            RangeAnswer::Partial { start, bytes, .. } if start == from => Ok(bytes),
            RangeAnswer::Partial { start, .. } => Err(IndexError::Malformed {
                url: redact(url),
                expected: "the byte range asked for",
                detail: format!("asked for bytes from {from}, got bytes from {start}"),
            }),
            RangeAnswer::Whole(bytes) => {
                let from = usize::try_from(from).unwrap_or(usize::MAX).min(bytes.len());
                let to = usize::try_from(to).unwrap_or(usize::MAX).min(bytes.len());
                Ok(bytes[from..to].to_vec())
            }
        }
    }
}

pub(super) fn metadata_entry<'a>(
    entries: &'a [ZipEntry],
    file: &DistFile,
) -> Result<&'a ZipEntry, IndexError> {
    entries
        .iter()
        .find(|e| e.name.ends_with(".dist-info/METADATA") && e.name.matches('/').count() == 1)
        .ok_or_else(|| not_a_wheel(file, "it has no .dist-info/METADATA".into()))
}

pub(super) fn metadata_from_whole(bytes: &[u8], file: &DistFile) -> Result<Vec<u8>, IndexError> {
    let entries = zipdir::list_whole(bytes).map_err(|d| not_a_wheel(file, d))?;
    let entry = metadata_entry(&entries, file)?;
    zipdir::read_member(bytes, entry).map_err(|d| not_a_wheel(file, d))
}

pub(super) fn not_a_wheel(file: &DistFile, detail: String) -> IndexError {
    IndexError::Malformed {
        url: redact(&file.url),
        expected: if file.kind == FileKind::Wheel {
            "a readable wheel"
        } else {
            "a zip file"
        },
        detail,
    }
}
