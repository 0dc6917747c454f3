//! What goes beside the zip: a lock file pip can install from, and the exact command that
//! publishes the layer.

use std::fmt::Write as _;
use std::path::Path;

use super::{Layout, Served};
use crate::index::FileSource;
use crate::lambda::Limits;
use crate::resolve::Resolution;
use crate::text::clean;

/// A requirements file pinning every package of the layer to the exact wheel, with hashes;
/// its header holds the pip command that installs the same files on any machine (see
/// [`pip_command`](super::pip_command)). A wheel named by URL or path is written `name @ URL` (a local one as its
/// `file://` URL); the find-links locations that supplied wheels are written as
/// `--find-links` lines, so pip finds them too.
pub fn lock_file(resolution: &Resolution, layout: Layout) -> String {
    let mut out = format!(
        "# Locked by wheelbarrow for {} (layout {layout}).\n# The same wheels on any machine (pip's --platform matches tags literally, so every level the\n# runtime loads is listed):\n",
        resolution.target
    );
    out.push_str(&super::pip_command::comment_lines(
        &super::pip_command::pip_command(&resolution.target, layout),
    ));
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

/// The lock file of one zip holding several resolutions: each package pinned for its runtime's
/// Python with a marker (`numpy==2.2.6 ; python_version == "3.11"`), so pip installs, on each
/// Python, the wheels that runtime's tree holds.
pub fn lock_file_several(resolutions: &[&Resolution], layout: Layout) -> String {
    let names: Vec<String> = resolutions.iter().map(|r| r.target.to_string()).collect();
    let mut out = format!(
        "# Locked by wheelbarrow for {} (layout {layout}), one site-packages each.\n# The same wheels: pip install --only-binary=:all: --require-hashes -r THIS_FILE, run on Linux by\n# each runtime's Python (pip reads the python_version markers with the Python that runs it)\n",
        names.join(" and ")
    );
    for r in resolutions {
        let minor = r.target.runtime.python_minor;
        for p in r.included() {
            let _ = write!(
                out,
                "{}=={} ; python_version == \"3.{minor}\"",
                p.name, p.version
            );
            if let Some(sha) = &p.sha256 {
                let _ = write!(out, " \\\n    --hash=sha256:{sha}");
            }
            out.push('\n');
        }
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
/// the limit's characters, starting with a letter or digit (a name such as `-rf` would read as
/// an option wherever it is passed). Accented letters lose their accents (`été` → `ete`), any
/// other character becomes `-` (runs of them one), and a name with no letter or digit left
/// (`日本.zip`, `--.zip`) is `layer`.
pub fn layer_name(zip: &Path, limits: &Limits) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    use unicode_normalization::char::is_combining_mark;
    let stem = zip
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = String::with_capacity(stem.len());
    for c in stem.nfd().filter(|c| !is_combining_mark(*c)) {
        let c = if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        };
        if !(c == '-' && (name.is_empty() || name.ends_with('-'))) {
            name.push(c);
        }
    }
    name.truncate(usize::try_from(limits.layer_name_chars).unwrap_or(140));
    let name = name.trim_matches(['-', '_']);
    if name.is_empty() {
        "layer".into()
    } else {
        name.to_string()
    }
}

/// The layer's description for `publish-layer-version`: the packages it holds, with their
/// versions, in name order; when they do not fit in the limit's characters, as many as fit
/// and how many more there are.
pub fn layer_description(resolution: &Resolution, limits: &Limits) -> String {
    layer_description_of(&[resolution], limits)
}

/// The description of one zip holding several resolutions: each package version once.
pub fn layer_description_of(resolutions: &[&Resolution], limits: &Limits) -> String {
    let max = usize::try_from(limits.layer_description_chars).unwrap_or(256);
    let mut names: Vec<String> = resolutions
        .iter()
        .flat_map(|r| r.included())
        .map(|p| {
            clean(&format!("{} {}", p.name, p.version))
                .chars()
                .filter(|c| !c.is_control())
                .collect()
        })
        .collect();
    names.sort_by_key(|n: &String| n.to_lowercase());
    names.dedup();
    if names.is_empty() {
        return "Python packages".into();
    }
    let chars = |s: &str| s.chars().count();
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        let candidate = if out.is_empty() {
            name.clone()
        } else {
            format!("{out}, {name}")
        };
        let rest = names.len() - i - 1;
        let tail = if rest == 0 {
            String::new()
        } else {
            format!(" and {rest} more")
        };
        if chars(&candidate) + chars(&tail) <= max {
            out = candidate;
            continue;
        }
        // What was kept so far fits with its own " and N more" (checked when it was kept).
        let left = names.len() - i;
        if out.is_empty() {
            return format!("{left} Python packages");
        }
        let _ = write!(out, " and {left} more");
        break;
    }
    out
}

/// The `aws lambda publish-layer-version` command for this zip, listing the runtimes and
/// architectures it serves and describing it; through S3 when the zip is over the
/// direct-upload limit.
pub fn publish_command(
    zip: &Path,
    zipped: u64,
    served: &Served,
    description: &str,
    limits: &Limits,
) -> String {
    let name = layer_name(zip, limits);
    let path = zip.to_string_lossy();
    let fileb = shell_quote(&format!("fileb://{path}"));
    let file = shell_quote(&path);
    let description = shell_quote(description);
    let runtimes: Vec<String> = served.runtimes.iter().map(|r| shell_quote(r)).collect();
    let archs: Vec<&str> = served
        .architectures
        .iter()
        .map(|a| a.lambda_name())
        .collect();
    // Values as `--option=VALUE`: whatever a value holds, it cannot read as an option.
    let mut compat = format!("  --description={description}");
    if !runtimes.is_empty() {
        let _ = write!(
            compat,
            " \\\n  --compatible-runtimes {}",
            runtimes.join(" ")
        );
    }
    if !archs.is_empty() {
        let _ = write!(
            compat,
            " \\\n  --compatible-architectures {}",
            archs.join(" ")
        );
    }
    let header = if runtimes.is_empty() {
        format!(
            "# The layer {}: no compatible runtimes are listed.\n",
            clean(&served.summary())
        )
    } else {
        String::new()
    };
    if zipped <= limits.zipped_direct_upload_bytes {
        format!(
            "{header}aws lambda publish-layer-version \\\n  --layer-name={name} \\\n  --zip-file {fileb} \\\n{compat}\n"
        )
    } else {
        format!(
            "{header}# The zip is over the direct-upload limit: upload it to S3, then publish from there.\n\
             aws s3 cp {file} s3://YOUR-BUCKET/layers/{name}.zip\n\
             aws lambda publish-layer-version \\\n  --layer-name={name} \\\n  --content S3Bucket=YOUR-BUCKET,S3Key=layers/{name}.zip \\\n{compat}\n"
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

    fn served(runtimes: &[&str], architectures: &[crate::lambda::Arch]) -> Served {
        Served {
            targets: Vec::new(),
            runtimes: runtimes.iter().map(|r| (*r).to_string()).collect(),
            architectures: architectures.to_vec(),
            left_out: Vec::new(),
        }
    }

    #[test]
    fn layer_names_from_file_names_never_start_with_a_dash_and_transliterate() {
        let limits = &RuntimeTable::builtin().limits;
        for (file, name) in [
            ("-rf.zip", "rf"),
            ("日本.zip", "layer"),
            ("été.zip", "ete"),
            ("--.zip", "layer"),
            ("out/my layer.zip", "my-layer"),
            ("a..b__c.zip", "a-b__c"),
            ("Café-Ünïcode 2.zip", "Cafe-Unicode-2"),
            ("日本-numpy.zip", "numpy"),
        ] {
            let got = layer_name(Path::new(file), limits);
            assert_eq!(got, name, "{file}");
            assert!(
                got.starts_with(|c: char| c.is_ascii_alphanumeric()),
                "{got}"
            );
            assert!(
                got.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{got}"
            );
        }
    }

    #[test]
    fn small_zips_upload_directly_and_big_ones_through_s3() {
        use crate::lambda::Arch;
        let table = RuntimeTable::builtin();
        let limits = &table.limits;
        let arm = served(&["python3.12"], &[Arch::Arm64]);
        let both = served(&["python3.11", "python3.12"], &[Arch::X86_64, Arch::Arm64]);
        let direct = publish_command(
            Path::new("out/my layer.zip"),
            1000,
            &arm,
            "six 1.17.0",
            limits,
        );
        assert!(direct.contains("--layer-name=my-layer"), "{direct}");
        assert!(
            direct.contains("--zip-file 'fileb://out/my layer.zip'"),
            "{direct}"
        );
        assert!(direct.contains("--description='six 1.17.0'"), "{direct}");
        assert!(
            direct.contains("--compatible-runtimes python3.12 \\\n"),
            "{direct}"
        );
        assert!(
            direct.ends_with("--compatible-architectures arm64\n"),
            "{direct}"
        );
        let s3 = publish_command(Path::new("big.zip"), 60 << 20, &both, "it's", limits);
        assert!(
            s3.contains("aws s3 cp big.zip s3://YOUR-BUCKET/layers/big.zip"),
            "{s3}"
        );
        assert!(
            s3.contains("--content S3Bucket=YOUR-BUCKET,S3Key=layers/big.zip"),
            "{s3}"
        );
        assert!(s3.contains("--description='it'\\''s'"), "{s3}");
        assert!(
            s3.contains("--compatible-runtimes python3.11 python3.12"),
            "{s3}"
        );
        assert!(
            s3.contains("--compatible-architectures x86_64 arm64"),
            "{s3}"
        );
    }

    #[test]
    fn a_layer_that_serves_nothing_lists_no_runtime_and_says_why() {
        let table = RuntimeTable::builtin();
        let nothing = served(&[], &[]);
        let cmd = publish_command(Path::new("l.zip"), 10, &nothing, "x 1", &table.limits);
        assert!(
            cmd.starts_with("# The layer serves no Lambda runtime"),
            "{cmd}"
        );
        assert!(!cmd.contains("--compatible-runtimes"), "{cmd}");
    }

    fn resolution_of(names: &[&str]) -> Resolution {
        let table = RuntimeTable::builtin();
        let packages = names
            .iter()
            .map(|n| {
                crate::resolve::ResolvedPackage::for_tests(
                    &format!("{n}-1.0-py3-none-any.whl"),
                    None,
                )
            })
            .collect();
        Resolution {
            target: table.default_target(),
            packages,
            skipped: Vec::new(),
            deprecated: None,
            instead: Vec::new(),
            portable: None,
            marker_skips: Vec::new(),
        }
    }

    #[test]
    fn the_description_names_the_packages_and_says_how_many_did_not_fit() {
        let limits = RuntimeTable::builtin().limits;
        assert_eq!(
            layer_description(&resolution_of(&["numpy", "six"]), &limits),
            "numpy 1.0, six 1.0"
        );
        let many: Vec<String> = (0..60).map(|i| format!("package_number_{i:02}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let text = layer_description(&resolution_of(&refs), &limits);
        assert!(text.chars().count() <= 256, "{} chars: {text}", text.len());
        let shown = text.matches(" 1.0").count();
        assert!(shown > 5, "{text}");
        assert!(
            text.ends_with(&format!(" and {} more", 60 - shown)),
            "{text}"
        );
        let long = "n".repeat(300);
        assert_eq!(
            layer_description(&resolution_of(&[long.as_str()]), &limits),
            "1 Python packages"
        );
    }
}
