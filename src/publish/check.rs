//! What can be checked before any request: the layer name, the description, the compatible
//! runtimes and architectures against Lambda's limits, and the zip itself. Each refusal says
//! what is wrong and what Lambda allows.

use std::io::Read;
use std::path::Path;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::{PublishError, PublishRequest};
use crate::lambda::{Arch, RuntimeTable};
use crate::text::clean;
use crate::work::{Phase, Progress, Step};
use tokio_util::sync::CancellationToken;

/// Checks everything about `request` that needs no network: Lambda's limits and the zip.
/// Returns the zip's size in bytes.
pub fn check_request(request: &PublishRequest, table: &RuntimeTable) -> Result<u64, PublishError> {
    check_settings(request, table)?;
    check_zip(&request.zip, table.limits.unzipped_bytes)
}

/// Checks the name, description, runtimes and architectures against Lambda's limits (not the
/// zip, which may not be written yet).
pub fn check_settings(request: &PublishRequest, table: &RuntimeTable) -> Result<(), PublishError> {
    let limits = &table.limits;
    check_layer_name(&request.layer_name, limits.layer_name_chars)?;
    if let Some(description) = &request.description {
        let chars = description.chars().count();
        if chars > limits.layer_description_chars as usize {
            return Err(PublishError::Description {
                chars,
                limit: limits.layer_description_chars,
            });
        }
    }
    if request.runtimes.len() > limits.layer_compatible_runtimes as usize {
        return Err(PublishError::TooMany {
            what: "compatible runtimes",
            count: request.runtimes.len(),
            limit: limits.layer_compatible_runtimes,
        });
    }
    for (i, runtime) in request.runtimes.iter().enumerate() {
        let known = table.runtimes.iter().any(|r| r.name == runtime.as_str());
        if !known {
            return Err(PublishError::UnknownRuntime {
                given: clean(runtime).into_owned(),
                known: table
                    .runtimes
                    .iter()
                    .map(|r| r.name.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if request.runtimes[..i].contains(runtime) {
            return Err(PublishError::Repeated {
                what: "runtime",
                value: runtime.clone(),
            });
        }
    }
    if request.architectures.len() > limits.layer_compatible_architectures as usize {
        return Err(PublishError::TooMany {
            what: "compatible architectures",
            count: request.architectures.len(),
            limit: limits.layer_compatible_architectures,
        });
    }
    for (i, arch) in request.architectures.iter().enumerate() {
        if request.architectures[..i].contains(arch) {
            return Err(PublishError::Repeated {
                what: "architecture",
                value: arch.to_string(),
            });
        }
    }
    Ok(())
}

/// A layer name Lambda accepts: 1 to `limit` characters, letters, digits, `-` and `_` (the name
/// form of PublishLayerVersion's `LayerName` pattern; an ARN is refused with what to give).
pub fn check_layer_name(name: &str, limit: u32) -> Result<(), PublishError> {
    let shown = clean(name).into_owned();
    if name.is_empty() {
        return Err(PublishError::LayerName {
            name: shown,
            problem: "is empty".into(),
        });
    }
    if name.starts_with("arn:") {
        return Err(PublishError::LayerName {
            name: shown,
            problem: "is an ARN; give the layer's name alone (the part after `layer:`), the region and account come from the AWS settings".into(),
        });
    }
    let chars = name.chars().count();
    if chars > limit as usize {
        return Err(PublishError::LayerName {
            name: shown,
            problem: format!("has {chars} characters; Lambda allows at most {limit}"),
        });
    }
    if let Some((at, bad)) = name
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        let bad = if bad.is_control() || bad.is_whitespace() {
            format!("{bad:?}")
        } else {
            format!("'{bad}'")
        };
        return Err(PublishError::LayerName {
            name: shown,
            problem: format!(
                "has {bad} at position {}; Lambda allows only letters, digits, '-' and '_'",
                at + 1
            ),
        });
    }
    Ok(())
}

/// Why the zip to publish cannot be looked at: it is not there (say what makes one), or the
/// system's reason.
pub(super) fn unreadable_zip(zip: &Path, error: std::io::Error) -> PublishError {
    if error.kind() == std::io::ErrorKind::NotFound {
        PublishError::File {
            path: zip.to_path_buf(),
            problem: "does not exist: give the path of the layer zip to publish (`wheelbarrow build REQ... -o LAYER.zip` writes one)".into(),
        }
    } else {
        PublishError::io(zip, error)
    }
}

/// The zip is a file, not empty, and not larger than the unzipped limit (a zip that big
/// cannot hold a layer Lambda would accept). Returns its size.
fn check_zip(zip: &Path, unzipped_limit: u64) -> Result<u64, PublishError> {
    let meta = std::fs::metadata(zip).map_err(|e| unreadable_zip(zip, e))?;
    let problem = if !meta.is_file() {
        Some("is not a file".to_string())
    } else if meta.len() == 0 {
        Some("is empty".to_string())
    } else if meta.len() > unzipped_limit {
        Some(format!(
            "is {} bytes, more than Lambda's {unzipped_limit}-byte limit for a function and its layers unzipped, so no function could use it",
            meta.len()
        ))
    } else {
        None
    };
    match problem {
        Some(problem) => Err(PublishError::File {
            path: zip.to_path_buf(),
            problem,
        }),
        None => Ok(meta.len()),
    }
}

/// The zip's CodeSha256 as Lambda computes it (base64 of the sha256 of the zip's bytes), read
/// in chunks with [`Phase::Hashing`] progress.
pub fn code_sha256(
    zip: &Path,
    size: u64,
    progress: &Progress,
    cancel: &CancellationToken,
) -> Result<String, PublishError> {
    let mut file = std::fs::File::open(zip).map_err(|e| PublishError::io(zip, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut done = 0u64;
    loop {
        if cancel.is_cancelled() {
            return Err(PublishError::Cancelled {
                maybe_published: false,
            });
        }
        let n = file.read(&mut buf).map_err(|e| PublishError::io(zip, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        done += n as u64;
        progress.report(&Step::new(Phase::Hashing, done, Some(size)));
    }
    Ok(base64::engine::general_purpose::STANDARD.encode(hasher.finalize()))
}

/// Architectures from their names, each refused in words when unknown.
pub fn parse_architectures(names: &[String]) -> Result<Vec<Arch>, PublishError> {
    names
        .iter()
        .map(|n| {
            n.parse::<Arch>()
                .map_err(|_| PublishError::UnknownArchitecture(clean(n).into_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_names_follow_lambdas_pattern_and_length() {
        assert!(check_layer_name("numpy-py312_x86", 140).is_ok());
        let cases = [
            ("", "is empty"),
            ("my layer", "has ' ' at position 3"),
            ("a.b", "has '.' at position 2"),
            ("tab\there", "has '\\t' at position 4"),
            ("arn:aws:lambda:us-east-1:123456789012:layer:x", "is an ARN"),
        ];
        for (name, expected) in cases {
            let err = check_layer_name(name, 140).unwrap_err().to_string();
            assert!(err.contains(expected), "{name:?}: {err}");
        }
        let long = "a".repeat(141);
        let err = check_layer_name(&long, 140).unwrap_err().to_string();
        assert!(
            err.contains("has 141 characters; Lambda allows at most 140"),
            "{err}"
        );
        assert!(check_layer_name(&"a".repeat(140), 140).is_ok());
    }

    #[test]
    fn runtimes_architectures_and_description_are_held_to_lambdas_limits() {
        let table = RuntimeTable::builtin();
        let dir = std::env::temp_dir().join(format!("wb-publish-check-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let zip = dir.join("layer.zip");
        std::fs::write(&zip, b"PK\x05\x06").unwrap();
        let ok = PublishRequest::new(&zip, "layer")
            .runtimes(["python3.12", "python3.13"])
            .architectures([Arch::X86_64, Arch::Arm64]);
        assert_eq!(check_request(&ok, &table).unwrap(), 4);

        let cases: Vec<(PublishRequest, &str)> = vec![
            (
                ok.clone().description("d".repeat(257)),
                "the description has 257 characters; Lambda allows at most 256",
            ),
            (
                ok.clone().runtimes(vec!["python3.12"; 16]),
                "16 compatible runtimes; Lambda allows at most 15",
            ),
            (
                ok.clone().runtimes(["python3.12", "python3.12"]),
                "the runtime python3.12 is listed twice",
            ),
            (
                ok.clone().runtimes(["nodejs20.x"]),
                "unknown runtime 'nodejs20.x' for a Python layer",
            ),
            (
                ok.clone().architectures([Arch::Arm64, Arch::Arm64]),
                "the architecture arm64 is listed twice",
            ),
            (
                ok.clone()
                    .architectures([Arch::Arm64, Arch::Arm64, Arch::X86_64]),
                "3 compatible architectures; Lambda allows at most 2",
            ),
            (PublishRequest::new(&dir, "layer"), "is not a file"),
        ];
        for (request, expected) in cases {
            let err = check_request(&request, &table).unwrap_err().to_string();
            assert!(err.contains(expected), "{expected}: {err}");
        }
        std::fs::write(&zip, b"").unwrap();
        let err = check_request(&ok, &table).unwrap_err().to_string();
        assert!(err.ends_with("layer.zip is empty"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn code_sha256_is_base64_of_the_zips_sha256_as_lambda_reports_it() {
        let dir = std::env::temp_dir().join(format!("wb-publish-sha-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let zip = dir.join("x.zip");
        std::fs::write(&zip, b"abc").unwrap();
        // sha256("abc") = ba7816bf...; base64 of those 32 bytes.
        let sha = code_sha256(&zip, 3, &Progress::none(), &CancellationToken::new()).unwrap();
        assert_eq!(sha, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
