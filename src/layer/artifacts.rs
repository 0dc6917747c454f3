//! What goes beside the zip: a lock file pip can install from, and the exact command that
//! publishes the layer.

use std::fmt::Write as _;
use std::path::Path;

use super::Layout;
use crate::index::FileSource;
use crate::lambda::{Limits, Target};
use crate::resolve::Resolution;

/// A requirements file pinning every package of the layer to the exact wheel, with hashes:
/// `pip install --require-hashes --only-binary=:all: -r` installs the same files. A wheel named
/// by URL or path is written `name @ URL` (a local one as its `file://` URL); the find-links
/// locations that supplied wheels are written as `--find-links` lines, so pip finds them too.
pub fn lock_file(resolution: &Resolution, layout: Layout) -> String {
    let mut out = format!(
        "# Locked by wheelbarrow for {} (layout {layout}).\n# The same wheels: pip install --only-binary=:all: --require-hashes -r THIS_FILE\n",
        resolution.target
    );
    let mut locations: Vec<&str> = Vec::new();
    for p in resolution.included() {
        if let FileSource::FindLinks(location) = &p.source
            && !locations.contains(&location.as_str())
        {
            locations.push(location);
            let _ = writeln!(out, "--find-links {}", shell_quote(location));
        }
    }
    for p in resolution.included() {
        if p.source == FileSource::Direct {
            let _ = write!(out, "{} @ {}", p.name, p.url);
        } else {
            let _ = write!(out, "{}=={}", p.name, p.version);
        }
        if let Some(sha) = &p.sha256 {
            let _ = write!(out, " \\\n    --hash=sha256:{sha}");
        }
        out.push('\n');
    }
    let left_out: Vec<_> = resolution.packages.iter().filter(|p| p.excluded).collect();
    if !left_out.is_empty() {
        out.push_str("# Left out (the runtime provides them):");
        for p in left_out {
            let _ = write!(out, " {}=={}", p.name, p.version);
        }
        out.push('\n');
    }
    out
}

/// `text` as one shell word: in single quotes, each `'` written as `'\''`; plain words that
/// need no quoting stay as they are.
pub fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// A layer name AWS accepts, from the zip's file name: letters, digits, `-` and `_`, at most
/// the limit's characters.
pub fn layer_name(zip: &Path, limits: &Limits) -> String {
    let stem = zip
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    name.truncate(usize::try_from(limits.layer_name_chars).unwrap_or(140));
    if name.is_empty() {
        "python-layer".into()
    } else {
        name
    }
}

/// The `aws lambda publish-layer-version` command for this zip; through S3 when the zip is over
/// the direct-upload limit.
pub fn publish_command(zip: &Path, zipped: u64, target: &Target, limits: &Limits) -> String {
    let name = layer_name(zip, limits);
    let path = zip.to_string_lossy();
    let fileb = shell_quote(&format!("fileb://{path}"));
    let file = shell_quote(&path);
    let compat = format!(
        "  --compatible-runtimes {} \\\n  --compatible-architectures {}",
        target.runtime.name, target.arch
    );
    if zipped <= limits.zipped_direct_upload_bytes {
        format!(
            "aws lambda publish-layer-version \\\n  --layer-name {name} \\\n  --zip-file {fileb} \\\n{compat}\n"
        )
    } else {
        format!(
            "# The zip is over the direct-upload limit: upload it to S3, then publish from there.\n\
             aws s3 cp {file} s3://YOUR-BUCKET/layers/{name}.zip\n\
             aws lambda publish-layer-version \\\n  --layer-name {name} \\\n  --content S3Bucket=YOUR-BUCKET,S3Key=layers/{name}.zip \\\n{compat}\n"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::RuntimeTable;

    #[test]
    fn shell_words_are_quoted_only_when_they_need_it() {
        assert_eq!(shell_quote("out/layer.zip"), "out/layer.zip");
        assert_eq!(shell_quote("my layer.zip"), "'my layer.zip'");
        assert_eq!(shell_quote("it's $(x) `y`"), "'it'\\''s $(x) `y`'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn small_zips_upload_directly_and_big_ones_through_s3() {
        let table = RuntimeTable::builtin();
        let limits = &table.limits;
        let arm = table.target(Some("python3.12"), Some("arm64")).unwrap();
        let x86 = table.target(Some("python3.12"), Some("x86_64")).unwrap();
        let direct = publish_command(Path::new("out/my layer.zip"), 1000, &arm, limits);
        assert!(direct.contains("--layer-name my-layer"), "{direct}");
        assert!(
            direct.contains("--zip-file 'fileb://out/my layer.zip'"),
            "{direct}"
        );
        assert!(direct.contains("--compatible-runtimes python3.12"));
        assert!(direct.contains("--compatible-architectures arm64"));
        let s3 = publish_command(Path::new("big.zip"), 60 << 20, &x86, limits);
        assert!(
            s3.contains("aws s3 cp big.zip s3://YOUR-BUCKET/layers/big.zip"),
            "{s3}"
        );
        assert!(
            s3.contains("--content S3Bucket=YOUR-BUCKET,S3Key=layers/big.zip"),
            "{s3}"
        );
    }
}
