//! Deterministic in-memory wheels (and a stand-in sdist) for index tests.
//!
//! The same builder input always gives byte-identical output: every zip member carries the
//! 1980-01-01 timestamp and the same permissions, and members are written in a fixed order.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A built wheel: its file name, bytes, and what an index advertises about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wheel {
    pub filename: String,
    pub bytes: Vec<u8>,
    /// Lowercase hex sha256 of `bytes`.
    pub sha256: String,
    /// The text of `{dist}-{version}.dist-info/METADATA`.
    pub metadata: String,
    pub name: String,
    pub version: String,
}

/// Builds a [`Wheel`] in memory. Defaults: tag `py3-none-any`, deflated members, and a small
/// `{dist_lowercase}/__init__.py` when no member is given.
#[derive(Clone, Debug)]
pub struct WheelBuilder {
    name: String,
    version: String,
    tag: String,
    build_tag: Option<String>,
    requires_dist: Vec<String>,
    requires_python: Option<String>,
    summary: Option<String>,
    files: Vec<(String, Vec<u8>)>,
    raw: Vec<(String, Vec<u8>)>,
    symlinks: Vec<(String, String)>,
    stored: bool,
}

impl WheelBuilder {
    pub fn new(name: &str, version: &str) -> Self {
        WheelBuilder {
            name: name.to_owned(),
            version: version.to_owned(),
            tag: "py3-none-any".to_owned(),
            build_tag: None,
            requires_dist: Vec::new(),
            requires_python: None,
            summary: None,
            files: Vec::new(),
            raw: Vec::new(),
            symlinks: Vec::new(),
            stored: false,
        }
    }

    /// The compatibility tag triple, e.g. `cp312-cp312-manylinux_2_17_x86_64`. Compressed tag
    /// sets (`a.b`) are allowed and expanded into one `Tag:` line each in `WHEEL`.
    #[must_use]
    pub fn tag(mut self, tag: &str) -> Self {
        tag.clone_into(&mut self.tag);
        self
    }

    /// The optional build tag, placed between version and tag in the file name.
    #[must_use]
    pub fn build_tag(mut self, b: &str) -> Self {
        self.build_tag = Some(b.to_owned());
        self
    }

    /// One `Requires-Dist:` line; repeatable.
    #[must_use]
    pub fn requires_dist(mut self, req: &str) -> Self {
        self.requires_dist.push(req.to_owned());
        self
    }

    #[must_use]
    pub fn requires_python(mut self, spec: &str) -> Self {
        self.requires_python = Some(spec.to_owned());
        self
    }

    #[must_use]
    pub fn summary(mut self, s: &str) -> Self {
        self.summary = Some(s.to_owned());
        self
    }

    /// A member listed in `RECORD`, e.g. `pkg/__init__.py`.
    #[must_use]
    pub fn file(mut self, path: &str, contents: &[u8]) -> Self {
        self.files.push((path.to_owned(), contents.to_vec()));
        self
    }

    /// Store members uncompressed instead of deflating them.
    #[must_use]
    pub fn stored(mut self) -> Self {
        self.stored = true;
        self
    }

    /// A member written verbatim (any name, e.g. `../escape.py`) and left out of `RECORD`.
    /// Raw entries come after the ordinary members and before the `.dist-info` files. The zip
    /// writer refuses duplicate names, so a raw entry may not repeat another member's name.
    #[must_use]
    pub fn raw_entry(mut self, path: &str, contents: &[u8]) -> Self {
        self.raw.push((path.to_owned(), contents.to_vec()));
        self
    }

    /// A symbolic link member (`path` -> `target`), left out of `RECORD`.
    #[must_use]
    pub fn symlink(mut self, path: &str, target: &str) -> Self {
        self.symlinks.push((path.to_owned(), target.to_owned()));
        self
    }

    /// Builds the wheel.
    ///
    /// # Panics
    ///
    /// If the zip writer fails, which happens only for duplicate member names.
    pub fn build(self) -> Wheel {
        let dist = self.name.replace('-', "_");
        let dist_info = format!("{dist}-{}.dist-info", self.version);
        let metadata = self.metadata_text();
        let wheel_text = self.wheel_text();

        let mut members = self.files;
        if members.is_empty() {
            members.push((
                format!("{}/__init__.py", dist.to_lowercase()),
                format!("__version__ = \"{}\"\n", self.version).into_bytes(),
            ));
        }
        members.push((
            format!("{dist_info}/METADATA"),
            metadata.clone().into_bytes(),
        ));
        members.push((format!("{dist_info}/WHEEL"), wheel_text.into_bytes()));

        let mut record = String::new();
        for (path, data) in &members {
            let _ = writeln!(
                record,
                "{},sha256={},{}",
                csv_field(path),
                urlsafe_b64_nopad(&Sha256::digest(data)),
                data.len()
            );
        }
        let _ = writeln!(record, "{},,", csv_field(&format!("{dist_info}/RECORD")));

        let method = if self.stored {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(DateTime::DEFAULT)
            .unix_permissions(0o644);

        // Ordinary members, then raw entries, then METADATA, WHEEL and RECORD last.
        let split = members.len() - 2;
        let (payload, dist_files) = members.split_at(split);
        let record_entry = (format!("{dist_info}/RECORD"), record.into_bytes());
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (path, data) in payload
            .iter()
            .chain(&self.raw)
            .chain(dist_files)
            .chain(std::iter::once(&record_entry))
        {
            zip.start_file(path.as_str(), options)
                .unwrap_or_else(|e| panic!("wheel member {path:?}: {e}"));
            zip.write_all(data).expect("writing to memory");
        }
        for (path, target) in &self.symlinks {
            zip.add_symlink(path.as_str(), target.as_str(), options)
                .unwrap_or_else(|e| panic!("symlink {path:?}: {e}"));
        }
        let bytes = zip.finish().expect("finishing the wheel zip").into_inner();

        let build = self
            .build_tag
            .as_deref()
            .map_or_else(String::new, |b| format!("-{b}"));
        Wheel {
            filename: format!("{dist}-{}{build}-{}.whl", self.version, self.tag),
            sha256: sha256_hex(&bytes),
            bytes,
            metadata,
            name: self.name,
            version: self.version,
        }
    }

    fn metadata_text(&self) -> String {
        let mut m = String::new();
        let _ = writeln!(m, "Metadata-Version: 2.1");
        let _ = writeln!(m, "Name: {}", self.name);
        let _ = writeln!(m, "Version: {}", self.version);
        let summary = self
            .summary
            .as_deref()
            .unwrap_or("A wheelbarrow test fixture");
        let _ = writeln!(m, "Summary: {summary}");
        if let Some(rp) = &self.requires_python {
            let _ = writeln!(m, "Requires-Python: {rp}");
        }
        for req in &self.requires_dist {
            let _ = writeln!(m, "Requires-Dist: {req}");
        }
        m
    }

    fn wheel_text(&self) -> String {
        let mut parts = self.tag.splitn(3, '-');
        let py = parts.next().unwrap_or("py3");
        let abi = parts.next().unwrap_or("none");
        let plat = parts.next().unwrap_or("any");
        let purelib = plat.split('.').all(|p| p == "any");
        let mut w = String::new();
        let _ = writeln!(w, "Wheel-Version: 1.0");
        let _ = writeln!(w, "Generator: wheelbarrow-tests (0.1.0)");
        let _ = writeln!(w, "Root-Is-Purelib: {purelib}");
        for p in py.split('.') {
            for a in abi.split('.') {
                for pl in plat.split('.') {
                    let _ = writeln!(w, "Tag: {p}-{a}-{pl}");
                }
            }
        }
        if let Some(b) = &self.build_tag {
            let _ = writeln!(w, "Build: {b}");
        }
        w
    }
}

/// A tiny stand-in source distribution: `({name}-{version}.tar.gz, bytes)`, with the name
/// PEP 503-normalised and `-` written as `_`. The bytes are a gzip stream of a short text, not
/// a real tarball.
pub fn sdist_bytes(name: &str, version: &str) -> (String, Vec<u8>) {
    let filename = format!("{}-{version}.tar.gz", normalize(name).replace('-', "_"));
    let text = format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n");
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).expect("writing to memory");
    (filename, gz.finish().expect("finishing gzip"))
}

/// PEP 503 normalisation: lowercase, runs of `-`, `_` and `.` become one `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

/// Lowercase hex sha256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Lowercase hex of any bytes.
pub fn hex(data: &[u8]) -> String {
    let mut s = String::with_capacity(data.len() * 2);
    for b in data {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// URL-safe base64 without padding, as `RECORD` uses.
pub fn urlsafe_b64_nopad(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (usize::from(b[0]) << 16) | (usize::from(b[1]) << 8) | usize::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let idx = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[idx]));
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}
