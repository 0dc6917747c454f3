//! The runtimes a finished layer zip serves, whoever built it: read from the site folders it
//! holds and each distribution's `.dist-info` (`WHEEL`'s `Tag:` lines and `Root-Is-Purelib`,
//! `METADATA`'s `Requires-Python`), judged by the engine's tag rules.
//!
//! Only `.dist-info` folders are judged: code installed without one (an `.egg-info`, loose
//! modules, `.so` files copied by hand) is not seen here; `layer::inspect` checks native files.

use std::collections::BTreeMap;
use std::path::Path;

use tokio_util::sync::CancellationToken;

use super::LayerError;
use super::inspect_budget::{Inflater, Unread};
use super::served::{Served, all_targets, choose};
use crate::index::{CoreMetadata, ZipEntry, zipdir};
use crate::lambda::{RuntimeTable, Target};
use crate::text::clean;
use crate::wheel::{WheelName, requires_python_allows};
use crate::work::Progress;

/// At most this many bytes of a `WHEEL` file are read.
const WHEEL_FILE_MAX: u64 = 64 * 1024;
/// At most this many bytes of a `METADATA` file (its long description included) are read.
const METADATA_MAX: u64 = 16 * 1024 * 1024;

/// A folder Python imports from, as a layer lays it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Site {
    /// `python/`: read by every runtime.
    Python,
    /// `python/lib/python3.X/site-packages`: read only by 3.X.
    Version(u32),
}

impl Site {
    fn of(name: &str) -> Option<(Site, &str)> {
        let rest = name.strip_prefix("python/")?;
        if let Some(versioned) = rest.strip_prefix("lib/python3.") {
            let (minor, inside) = versioned.split_once('/')?;
            let inside = inside.strip_prefix("site-packages/")?;
            return Some((Site::Version(minor.parse().ok()?), inside));
        }
        Some((Site::Python, rest))
    }

    fn path(self) -> String {
        match self {
            Site::Python => "python/".into(),
            Site::Version(m) => format!("python/lib/python3.{m}/site-packages"),
        }
    }

    fn read_by(self, target: &Target) -> bool {
        match self {
            Site::Python => true,
            Site::Version(m) => m == target.runtime.python_minor,
        }
    }
}

/// What one `.dist-info` folder says.
#[derive(Debug, Default)]
struct Dist {
    label: String,
    /// `None` when there is no `WHEEL` file (or it could not be read, with why).
    tags: Option<Result<Vec<String>, String>>,
    purelib: Option<bool>,
    requires_python: Option<Result<Option<String>, String>>,
}

/// The targets the layer zip at `zip` serves (the rule of [`super::served_by`], with the newest
/// runtime served on the most architectures as the anchor).
pub fn served_by_zip(zip: &Path, table: &RuntimeTable) -> Result<Served, LayerError> {
    let bytes = super::inspect_budget::read_layer_zip(zip, &table.limits)?;
    let entries = zipdir::list_whole(&bytes).map_err(|e| {
        LayerError::NotALayer(format!("{} is not a readable zip file: {e}", zip.display()))
    })?;
    let (progress, cancel) = (Progress::none(), CancellationToken::new());
    let inflater = Inflater::new(&bytes, table.limits.unzipped_bytes, &progress, &cancel);
    Ok(served_by_entries(&inflater, &entries, table))
}

/// [`served_by_zip`] of a zip already read and listed, its reads charged to `zip`'s budget.
pub(super) fn served_by_entries(
    zip: &Inflater,
    entries: &[ZipEntry],
    table: &RuntimeTable,
) -> Served {
    let (sites, dists) = read_sites(zip, entries);
    let answers: Vec<_> = all_targets(table)
        .into_iter()
        .map(|t| {
            let answer = zip_on(&sites, &dists, &t);
            (t, answer)
        })
        .collect();
    let layout = if sites.iter().all(|s| *s == Site::Python) {
        super::Layout::Python
    } else {
        super::Layout::SitePackages
    };
    choose(&answers, None, table).narrowed_to_scripts(layout, &scripts(zip, entries))
}

/// Each `bin/` script whose first line is `#!/var/lang/bin/python3.X`, with X.
fn scripts(zip: &Inflater, entries: &[ZipEntry]) -> Vec<(String, u32)> {
    entries
        .iter()
        .filter(|e| e.name.starts_with("bin/") && !e.is_dir())
        .filter_map(|e| {
            let head = zip.prefix(e, 64).ok()?;
            let rest = head.strip_prefix(b"#!/var/lang/bin/python3.")?;
            let digits: String = rest
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .map(|b| char::from(*b))
                .collect();
            Some((e.name.clone(), digits.parse().ok()?))
        })
        .collect()
}

/// The site folders holding files, and every `.dist-info` in them.
fn read_sites(zip: &Inflater, entries: &[ZipEntry]) -> (Vec<Site>, BTreeMap<(Site, String), Dist>) {
    let mut sites = Vec::new();
    let mut dists: BTreeMap<(Site, String), Dist> = BTreeMap::new();
    for e in entries.iter().filter(|e| !e.is_dir()) {
        let Some((site, inside)) = Site::of(&e.name) else {
            continue;
        };
        if !sites.contains(&site) {
            sites.push(site);
        }
        let Some((dir, file)) = inside.split_once('/') else {
            continue;
        };
        let Some(stem) = dir.strip_suffix(".dist-info") else {
            continue;
        };
        let dist = dists.entry((site, dir.to_string())).or_default();
        if dist.label.is_empty() {
            dist.label = stem.replacen('-', " ", 1);
        }
        match file {
            "WHEEL" => {
                let text = read_text(zip, e, WHEEL_FILE_MAX);
                dist.purelib = text.as_ref().ok().and_then(|t| root_is_purelib(t));
                dist.tags = Some(text.map(|t| tag_lines(&t)));
            }
            "METADATA" => {
                let text = read_text(zip, e, METADATA_MAX);
                dist.requires_python = Some(text.map(|t| {
                    CoreMetadata::parse(&t).and_then(|m| {
                        dist.label = format!("{} {}", m.name, m.version);
                        m.requires_python
                    })
                }));
            }
            _ => {}
        }
    }
    sites.sort();
    (sites, dists)
}

fn read_text(zip: &Inflater, e: &ZipEntry, max: u64) -> Result<String, String> {
    if e.size > max {
        return Err(format!(
            "{} is {} bytes, more than the {max} read",
            e.name, e.size
        ));
    }
    let data = zip.member(e).map_err(|why| match why {
        Unread::Broken(e) => e,
        Unread::Stopped => format!("{} was not read (inspecting stopped before it)", e.name),
    })?;
    Ok(String::from_utf8_lossy(&data).into_owned())
}

fn header(text: &str, key: &str) -> impl Iterator<Item = String> {
    text.lines().filter_map(move |l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().to_string())
    })
}

fn tag_lines(text: &str) -> Vec<String> {
    header(text, "Tag").collect()
}

fn root_is_purelib(text: &str) -> Option<bool> {
    header(text, "Root-Is-Purelib")
        .next()
        .map(|v| v.eq_ignore_ascii_case("true"))
}

/// Whether every distribution the target reads loads there, or why not.
fn zip_on(
    sites: &[Site],
    dists: &BTreeMap<(Site, String), Dist>,
    target: &Target,
) -> Result<(), String> {
    if sites.is_empty() {
        return Err("the zip holds no Python packages (nothing under python/)".into());
    }
    if !sites.iter().any(|s| s.read_by(target)) {
        let held: Vec<String> = sites.iter().map(|s| s.path()).collect();
        return Err(format!(
            "{} reads python/ and python/lib/python3.{}/site-packages; this zip has packages only in {}",
            target.runtime.name,
            target.runtime.python_minor,
            held.join(", ")
        ));
    }
    for ((site, _), dist) in dists.iter().filter(|((s, _), _)| s.read_by(target)) {
        dist_on(dist, *site, target)?;
    }
    Ok(())
}

/// At most this many characters of a distribution's name and version go into a reason.
const LABEL_MAX: usize = 200;

fn dist_on(dist: &Dist, site: Site, target: &Target) -> Result<(), String> {
    let label: String = clean(&dist.label).chars().take(LABEL_MAX).collect();
    let tags = match &dist.tags {
        None => {
            return Err(format!(
                "{label} (in {}) has no WHEEL file, so where it loads is unknown",
                site.path()
            ));
        }
        Some(Err(why)) => return Err(format!("{label}: {}", clean(why))),
        Some(Ok(tags)) if tags.is_empty() && dist.purelib == Some(true) => {
            vec!["py3-none-any".to_string()]
        }
        Some(Ok(tags)) if tags.is_empty() => {
            return Err(format!(
                "{label}: its WHEEL file names no Tag lines and is not pure Python (Root-Is-Purelib), so where it loads is unknown"
            ));
        }
        Some(Ok(tags)) => tags.clone(),
    };
    let mut first_refusal = None;
    let mut loads = false;
    for tag in &tags {
        let verdict = match tag_name(tag) {
            Ok(name) => name.verdict(target),
            Err(why) => return Err(format!("{label}: {why}")),
        };
        if verdict.compatible {
            loads = true;
            break;
        }
        first_refusal.get_or_insert_with(|| format!("tag {}: {}", clean(tag), verdict.reason));
    }
    if !loads {
        return Err(format!(
            "{label} does not load there ({})",
            first_refusal.unwrap_or_default()
        ));
    }
    match &dist.requires_python {
        Some(Ok(Some(spec))) if requires_python_allows(spec, target) == Ok(false) => Err(format!(
            "{label} requires Python {} (its METADATA's Requires-Python)",
            clean(spec)
        )),
        Some(Err(why)) => Err(format!("{label}: {}", clean(why))),
        _ => Ok(()),
    }
}

/// A `Tag:` line (`cp312-cp312-manylinux_2_17_x86_64`) as a wheel name, to reuse the engine's
/// verdict.
fn tag_name(tag: &str) -> Result<WheelName, String> {
    let parts: Vec<&str> = tag.split('-').collect();
    let plain = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    };
    if parts.len() != 3 || !parts.iter().all(|p| plain(p)) {
        return Err(format!(
            "its WHEEL file has a Tag line that is not python-abi-platform: {}",
            clean(tag)
        ));
    }
    WheelName::parse(&format!("x-0-{tag}.whl")).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_placed_in_the_site_folder_python_reads() {
        assert_eq!(
            Site::of("python/requests/__init__.py"),
            Some((Site::Python, "requests/__init__.py"))
        );
        assert_eq!(
            Site::of("python/lib/python3.12/site-packages/a-1.dist-info/WHEEL"),
            Some((Site::Version(12), "a-1.dist-info/WHEEL"))
        );
        assert_eq!(Site::of("lib/libpq.so.5"), None);
        assert_eq!(Site::of("python/lib/python3.x/site-packages/a.py"), None);
    }

    #[test]
    fn wheel_files_give_their_tags_and_purelib() {
        let text = "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp312-cp312-manylinux_2_17_x86_64\nTag: cp312-cp312-manylinux2014_x86_64\n";
        assert_eq!(tag_lines(text).len(), 2);
        assert_eq!(root_is_purelib(text), Some(false));
        assert!(tag_name("cp312-cp312-manylinux_2_17_x86_64").is_ok());
        assert!(tag_name("../../x-y-z").is_err());
        assert!(tag_name("py3-none").is_err());
    }
}
