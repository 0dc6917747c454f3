//! The digests an index gives for a file besides sha256, checked as pip checks them.
//!
//! An index names a file's digest in a link's fragment (`#md5=…`, `#sha512=…`) or in a PEP 691
//! `hashes` table. pip verifies any of `sha256`, `sha384`, `sha512`, `sha224`, `sha1` and
//! `md5`; so does this, on the bytes as they stream in. A file whose only digests are in
//! algorithms that cannot be checked is refused in words rather than taken unchecked: the index
//! meant it to be verified.

use std::io::Read;
use std::path::Path;

use sha2::Digest as _;
use sha2::digest::DynDigest;

use super::cache::hex;
use super::error::IndexError;
use super::http::redact;
use super::project::DistFile;

/// The algorithms checked, strongest first (pip's list).
pub const CHECKED: [&str; 6] = ["sha256", "sha384", "sha512", "sha224", "sha1", "md5"];

fn hasher(algorithm: &str) -> Option<Box<dyn DynDigest + Send>> {
    Some(match algorithm {
        "sha224" => Box::new(sha2::Sha224::new()),
        "sha256" => Box::new(sha2::Sha256::new()),
        "sha384" => Box::new(sha2::Sha384::new()),
        "sha512" => Box::new(sha2::Sha512::new()),
        "sha1" => Box::new(sha1::Sha1::new()),
        "md5" => Box::new(md5::Md5::new()),
        _ => return None,
    })
}

/// The digests of `file` other than sha256 (which the caller checks), computed as bytes
/// arrive and compared at the end.
pub(super) struct Hashers {
    running: Vec<(String, String, Box<dyn DynDigest + Send>)>,
}

impl Hashers {
    /// Hashers for every checkable digest `file` carries besides sha256. A file whose digests
    /// are all in algorithms not checked here is refused ([`IndexError::UncheckableHash`]).
    pub(super) fn for_file(file: &DistFile) -> Result<Hashers, IndexError> {
        let running: Vec<_> = file
            .other_hashes
            .iter()
            .filter_map(|(algorithm, expected)| {
                hasher(algorithm).map(|h| (algorithm.clone(), expected.clone(), h))
            })
            .collect();
        if file.sha256.is_none() && running.is_empty() && !file.other_hashes.is_empty() {
            return Err(IndexError::UncheckableHash {
                filename: file.filename.clone(),
                url: redact(&file.url),
                algorithms: file.other_hashes.iter().map(|(a, _)| a.clone()).collect(),
            });
        }
        Ok(Hashers { running })
    }

    pub(super) fn update(&mut self, chunk: &[u8]) {
        for (_, _, h) in &mut self.running {
            h.update(chunk);
        }
    }

    /// Compares every digest with what the index said; the first that differs is the error.
    pub(super) fn verify(self, file: &DistFile) -> Result<(), IndexError> {
        for (algorithm, expected, h) in self.running {
            let actual = hex(&h.finalize());
            if actual != expected {
                return Err(IndexError::HashMismatch {
                    filename: file.filename.clone(),
                    url: redact(&file.url),
                    algorithm,
                    expected,
                    actual,
                });
            }
        }
        Ok(())
    }

    /// Checks a file already on disk (a stored copy).
    pub(super) fn verify_path(mut self, file: &DistFile, path: &Path) -> Result<(), IndexError> {
        if self.running.is_empty() {
            return Ok(());
        }
        let mut f = std::fs::File::open(path).map_err(|e| IndexError::io(path, e))?;
        let mut buf = vec![0; 1 << 16];
        loop {
            let n = f.read(&mut buf).map_err(|e| IndexError::io(path, e))?;
            if n == 0 {
                break;
            }
            self.update(&buf[..n]);
        }
        self.verify(file)
    }
}

/// Adds the digests `given` (`algorithm`, hex digest) to `sha256` and `others` (see
/// [`DistFile::set_hashes`]).
pub(super) fn add_digests<'a>(
    sha256: &mut Option<String>,
    others: &mut Vec<(String, String)>,
    given: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    for (algorithm, digest) in given {
        let algorithm = algorithm.trim().to_ascii_lowercase();
        let digest = digest.trim().to_ascii_lowercase();
        // An empty value gives no digest (some indexes write `"md5": ""`).
        if algorithm.is_empty() || digest.is_empty() {
            continue;
        }
        if algorithm == "sha256" {
            *sha256 = Some(digest);
        } else if !others.iter().any(|(a, _)| *a == algorithm) {
            others.push((algorithm, digest));
        }
    }
}

impl DistFile {
    /// Records the digests an index gives (`algorithm`, hex digest): sha256 in `sha256`, the
    /// others in `other_hashes`. Algorithm names are compared in lower case; a digest that is
    /// not hex is kept as given, so that it fails the check rather than vanishing; an empty one
    /// is no digest.
    pub fn set_hashes<'a>(&mut self, given: impl IntoIterator<Item = (&'a str, &'a str)>) {
        add_digests(&mut self.sha256, &mut self.other_hashes, given);
    }

    /// Reads a link's fragment (`sha256=…`, `md5=…`, several joined by `&`); `egg=` and other
    /// parameters that are not digests are passed over.
    pub fn set_hashes_from_fragment(&mut self, fragment: Option<&str>) {
        let Some(fragment) = fragment else {
            return;
        };
        let pairs = fragment
            .split('&')
            .filter_map(|part| part.split_once('='))
            .filter(|(key, value)| {
                !matches!(key.to_ascii_lowercase().as_str(), "egg" | "subdirectory")
                    && !value.is_empty()
                    && value.chars().all(|c| c.is_ascii_hexdigit())
            });
        self.set_hashes(pairs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn file(fragment: &str) -> DistFile {
        let mut f = DistFile::new(
            "x",
            "x-1.0-py3-none-any.whl".into(),
            Url::parse("http://h.test/x-1.0-py3-none-any.whl").unwrap(),
        );
        f.set_hashes_from_fragment(Some(fragment));
        f
    }

    fn check(f: &DistFile, bytes: &[u8]) -> Result<(), IndexError> {
        let mut h = Hashers::for_file(f)?;
        h.update(bytes);
        h.verify(f)
    }

    #[test]
    fn every_algorithm_pip_checks_is_checked() {
        let right = [
            ("md5", "900150983cd24fb0d6963f7d28e17f72"),
            ("sha1", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            (
                "sha224",
                "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
            ),
            (
                "sha384",
                "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
            ),
            (
                "sha512",
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            ),
        ];
        for (algorithm, digest) in right {
            let good = file(&format!(
                "{}={}",
                algorithm.to_uppercase(),
                digest.to_uppercase()
            ));
            check(&good, b"abc").unwrap();
            let bad = file(&format!("{algorithm}={}", "0".repeat(digest.len())));
            let err = check(&bad, b"abc").unwrap_err();
            assert!(
                err.to_string()
                    .contains(&format!("does not match its {algorithm}")),
                "{err}"
            );
        }
    }

    #[test]
    fn an_unknown_algorithm_alone_is_refused_but_beside_a_known_one_is_passed_over() {
        let err = check(&file("blake2b=00ff"), b"abc").unwrap_err();
        assert!(matches!(err, IndexError::UncheckableHash { .. }), "{err}");
        assert!(err.to_string().contains("blake2b"), "{err}");
        check(
            &file("blake2b=00ff&md5=900150983cd24fb0d6963f7d28e17f72"),
            b"abc",
        )
        .unwrap();
        let f = file("egg=x&sha256=AB");
        assert_eq!(f.sha256.as_deref(), Some("ab"));
        assert!(f.other_hashes.is_empty());
    }
}
