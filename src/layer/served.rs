//! The runtimes and architectures a layer serves: every Lambda target on which the whole layer
//! loads, and what `publish-layer-version` should list as its compatible runtimes and
//! architectures.
//!
//! Lambda does not check those lists (they are metadata for the console and tools), so listing
//! the right ones is this module's job. A target is served when its Python reads the layout's
//! site folder (`python/` is read by every runtime, `python/lib/python3.X/site-packages` only
//! by 3.X) and every included wheel loads there: the engine's own verdict
//! ([`crate::wheel::file_verdict`]: tags, glibc, architecture, `Requires-Python`).
//!
//! Lambda stores the two lists separately, so what is published is a product: every listed
//! runtime on every listed architecture. When the served targets are not a product, the rule
//! is: **the architectures are those on which the anchor runtime is served** (the runtime the
//! layer was built for; for a zip read from disk, the newest runtime served on the most
//! architectures), **and the runtimes are those served on all of these architectures**, at most
//! [`crate::Limits::layer_compatible_runtimes`] of them (the newest). Every target not listed
//! is in [`Served::left_out`] with the reason in words.

use serde::Serialize;

use super::Layout;
use crate::lambda::{Arch, Runtime, RuntimeTable, Target};
use crate::resolve::Resolution;
use crate::text::clean;

/// Where a layer loads, and what its publish command lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Served {
    /// Every runtime × architecture where the whole layer loads (table order: oldest runtime
    /// first, x86_64 before arm64).
    pub targets: Vec<Target>,
    /// What `--compatible-runtimes` lists (oldest first).
    pub runtimes: Vec<String>,
    /// What `--compatible-architectures` lists.
    pub architectures: Vec<Arch>,
    /// Targets not listed, each with the reason in words.
    #[serde(serialize_with = "left_out_entries")]
    pub left_out: Vec<(Target, String)>,
}

fn left_out_entries<S: serde::Serializer>(
    left_out: &[(Target, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Entry<'a> {
        runtime: &'a str,
        arch: Arch,
        reason: &'a str,
    }
    s.collect_seq(left_out.iter().map(|(t, reason)| Entry {
        runtime: &t.runtime.name,
        arch: t.arch,
        reason,
    }))
}

impl Served {
    /// The listed set in words: "serves python3.9–python3.14 on x86_64 and arm64".
    pub fn summary(&self) -> String {
        if self.runtimes.is_empty() || self.architectures.is_empty() {
            return match self.left_out.first() {
                Some((t, why)) => format!("serves no Lambda runtime ({t}: {why})"),
                None => "serves no Lambda runtime".into(),
            };
        }
        let archs: Vec<&str> = self.architectures.iter().map(|a| a.lambda_name()).collect();
        let archs = match archs.as_slice() {
            [one] => format!("{one} only"),
            many => many.join(" and "),
        };
        format!("serves {} on {archs}", runtime_ranges(&self.runtimes))
    }
}

impl Served {
    /// In the `python/` layout, which every runtime reads, a script whose `#!` names one
    /// runtime's Python (`#!/var/lang/bin/python3.14`) runs only there: the other runtimes are
    /// left out, each with the script and the Python its `#!` names.
    #[must_use]
    pub fn narrowed_to_scripts(mut self, layout: Layout, scripts: &[(String, u32)]) -> Served {
        let Some((path, minor)) = scripts.first() else {
            return self;
        };
        if layout != Layout::Python {
            return self;
        }
        let named: Vec<u32> = scripts.iter().map(|(_, m)| *m).collect();
        let (kept, dropped): (Vec<Target>, Vec<Target>) = self
            .targets
            .into_iter()
            .partition(|t| named.contains(&t.runtime.python_minor));
        for t in dropped {
            let why = format!(
                "its script {} starts with #!/var/lang/bin/python3.{minor}, which {} does not have",
                clean(path),
                t.runtime.name
            );
            self.runtimes.retain(|r| *r != t.runtime.name);
            self.left_out.push((t, why));
        }
        self.targets = kept;
        self
    }
}

/// `python3.9–python3.14`, or `python3.9, python3.11–python3.12` when there are gaps (by minor
/// version; names that are not `python3.N` are listed as they are).
fn runtime_ranges(names: &[String]) -> String {
    let minor = |n: &str| {
        n.strip_prefix("python3.")
            .and_then(|m| m.parse::<u32>().ok())
    };
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        match (runs.last_mut(), minor(name)) {
            (Some((_, end)), Some(m)) if minor(&names[*end]).is_some_and(|e| e + 1 == m) => {
                *end = i;
            }
            _ => runs.push((i, i)),
        }
    }
    runs.iter()
        .map(|&(start, end)| {
            if start == end {
                names[start].clone()
            } else {
                format!("{}–{}", names[start], names[end])
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every runtime × architecture the table offers, oldest runtime first.
pub(super) fn all_targets(table: &RuntimeTable) -> Vec<Target> {
    table
        .runtimes
        .iter()
        .flat_map(|r| {
            r.architectures.iter().map(|a| Target {
                runtime: r.clone(),
                arch: *a,
            })
        })
        .collect()
}

/// The targets a resolution serves in `layout` (see the module documentation for the rule).
///
/// Read from the resolution: each included package's chosen file (its tags and the index's
/// `Requires-Python`), its METADATA's `Requires-Python`, and the requirements a marker left out
/// on `built_for` (e.g. `exceptiongroup; python_version < "3.11"`): a runtime on which one of
/// them holds would lack that package, so it is not served.
pub fn served_by(
    resolution: &Resolution,
    layout: Layout,
    built_for: &Target,
    table: &RuntimeTable,
) -> Served {
    let answers: Vec<_> = all_targets(table)
        .into_iter()
        .map(|t| {
            let answer = resolution_on(resolution, layout, built_for, &t);
            (t, answer)
        })
        .collect();
    choose(&answers, Some(&built_for.runtime), table)
}

/// The targets one zip of several resolutions serves, each resolution in its own runtime's
/// `site-packages` (see [`super::build_several`]): a target is served when one of them was
/// resolved for its Python version and the whole of it loads there. The anchor is the newest
/// of their runtimes.
pub fn served_by_all(resolutions: &[&Resolution], table: &RuntimeTable) -> Served {
    let built: Vec<&str> = resolutions
        .iter()
        .map(|r| r.target.runtime.name.as_str())
        .collect();
    let answers: Vec<_> = all_targets(table)
        .into_iter()
        .map(|t| {
            let mine = resolutions
                .iter()
                .find(|r| r.target.runtime.python_minor == t.runtime.python_minor);
            let answer = match mine {
                Some(r) => resolution_on(r, Layout::SitePackages, &r.target, &t),
                None => Err(format!(
                    "the zip has no python/lib/python3.{}/site-packages (it holds {})",
                    t.runtime.python_minor,
                    built.join(" and ")
                )),
            };
            (t, answer)
        })
        .collect();
    let newest = resolutions
        .iter()
        .map(|r| &r.target.runtime)
        .max_by_key(|r| r.python_minor);
    choose(&answers, newest, table)
}

/// Whether the whole layer loads on `target`, or why not.
fn resolution_on(
    resolution: &Resolution,
    layout: Layout,
    built_for: &Target,
    target: &Target,
) -> Result<(), String> {
    let built_minor = built_for.runtime.python_minor;
    if layout == Layout::SitePackages && target.runtime.python_minor != built_minor {
        return Err(format!(
            "{} does not read {}, where this layer's packages are (it reads python/ and python/lib/python3.{}/site-packages)",
            target.runtime.name,
            layout.site_dir(built_minor),
            target.runtime.python_minor
        ));
    }
    for p in resolution.included() {
        let verdict = crate::wheel::file_verdict(&p.file, target);
        if !verdict.compatible {
            return Err(format!(
                "{} {} does not load there ({}: {})",
                clean(&p.name),
                clean(&p.version),
                clean(&p.filename),
                verdict.reason
            ));
        }
        if let Some(spec) = &p.requires_python
            && crate::wheel::requires_python_allows(spec, target) == Ok(false)
        {
            return Err(format!(
                "{} {} requires Python {} (its METADATA's Requires-Python)",
                clean(&p.name),
                clean(&p.version),
                clean(spec)
            ));
        }
    }
    if let Some(missing) = crate::resolve::missing_on(resolution, target) {
        return Err(missing);
    }
    Ok(())
}

/// The product rule over each target's answer; `anchor` is the runtime whose architectures are
/// listed (when it is served somewhere).
pub(super) fn choose(
    answers: &[(Target, Result<(), String>)],
    anchor: Option<&Runtime>,
    table: &RuntimeTable,
) -> Served {
    let loads = |r: &Runtime, a: Arch| {
        answers
            .iter()
            .any(|(t, ok)| ok.is_ok() && t.runtime.name == r.name && t.arch == a)
    };
    let archs_of = |r: &Runtime| -> Vec<Arch> {
        r.architectures
            .iter()
            .copied()
            .filter(|a| loads(r, *a))
            .collect()
    };
    let anchor = anchor
        .filter(|r| !archs_of(r).is_empty())
        .or_else(|| {
            table
                .runtimes
                .iter()
                .filter(|r| !archs_of(r).is_empty())
                .max_by_key(|r| (archs_of(r).len(), r.python_minor))
        })
        .cloned();
    let architectures = anchor.as_ref().map(archs_of).unwrap_or_default();
    let mut runtimes: Vec<&Runtime> = table
        .runtimes
        .iter()
        .filter(|r| !architectures.is_empty() && architectures.iter().all(|a| loads(r, *a)))
        .collect();
    let limit = usize::try_from(table.limits.layer_compatible_runtimes).unwrap_or(usize::MAX);
    let over = runtimes.len().saturating_sub(limit);
    let dropped: Vec<String> = runtimes.drain(..over).map(|r| r.name.clone()).collect();
    let listed = |t: &Target| {
        architectures.contains(&t.arch) && runtimes.iter().any(|r| r.name == t.runtime.name)
    };
    let mut targets = Vec::new();
    let mut left_out = Vec::new();
    for (t, answer) in answers {
        match answer {
            Err(why) => left_out.push((t.clone(), why.clone())),
            Ok(()) => {
                targets.push(t.clone());
                if !listed(t) {
                    let why = product_reason(
                        t,
                        anchor.as_ref(),
                        &architectures,
                        &dropped,
                        answers,
                        limit,
                    );
                    left_out.push((t.clone(), why));
                }
            }
        }
    }
    Served {
        targets,
        runtimes: runtimes.iter().map(|r| r.name.clone()).collect(),
        architectures,
        left_out,
    }
}

/// Why a target where the whole layer loads is still not listed.
fn product_reason(
    t: &Target,
    anchor: Option<&Runtime>,
    architectures: &[Arch],
    dropped: &[String],
    answers: &[(Target, Result<(), String>)],
    limit: usize,
) -> String {
    const TWO_LISTS: &str = "the whole layer loads here, but Lambda lists compatible runtimes and architectures as two separate lists";
    if dropped.contains(&t.runtime.name) {
        return format!(
            "the whole layer loads here, but PublishLayerVersion takes at most {limit} compatible runtimes; the newest {limit} are listed"
        );
    }
    if !architectures.contains(&t.arch) {
        let anchor = anchor.map_or("the anchor runtime", |r| r.name.as_str());
        return format!(
            "{TWO_LISTS}, and {} is left out because the layer does not load on {anchor} on {}",
            t.arch, t.arch
        );
    }
    let missing = architectures.iter().find(|a| {
        !answers
            .iter()
            .any(|(o, ok)| ok.is_ok() && o.runtime.name == t.runtime.name && o.arch == **a)
    });
    match missing {
        Some(a) => format!(
            "{TWO_LISTS}, and {} is left out because the layer does not load on it on {a}",
            t.runtime.name
        ),
        None => TWO_LISTS.to_string(),
    }
}

#[cfg(test)]
#[path = "served_tests.rs"]
mod tests;
