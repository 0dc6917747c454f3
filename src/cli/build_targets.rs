//! The targets `build` is asked for: `--runtime a,b` and `--arch x86_64,arm64`, each list in
//! the order given, and what the build says about a layer made for several of them at once.
//!
//! A `python/` tree is read by every runtime, so several targets share one resolution whose
//! wheels load on all of them ([`wheelbarrow::resolve::portable`]); a site-packages tree is read
//! by one runtime, so several runtimes get one resolution each (and each of those is shared by
//! the architectures asked): the engine's `LayerSpec::for_targets` decides, and
//! `Workspace::build_targets` does it.

use std::fmt::Write as _;

use wheelbarrow::lambda::{RuntimeTable, Target};
use wheelbarrow::layer::Served;
use wheelbarrow::resolve::portable::{Portable, targets_text};

use super::paint::Paint;

/// The comma-separated items of `list`, each once, in the order given; refused when none is
/// named. `option`, `what` and the examples word the refusal.
pub fn names(
    list: &str,
    option: &str,
    what: &str,
    (one, several): (&str, &str),
) -> anyhow::Result<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    for name in list.split(',').map(str::trim).filter(|r| !r.is_empty()) {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    anyhow::ensure!(
        !names.is_empty(),
        "{option} {list:?} names no {what}: give one ({one}) or several, comma-separated ({several})"
    );
    Ok(names)
}

/// The runtimes and architectures asked for (`None`: the table's default).
pub struct Asked {
    pub runtimes: Vec<Option<String>>,
    pub archs: Vec<Option<String>>,
}

impl Asked {
    pub fn of(target: &super::TargetArgs) -> anyhow::Result<Asked> {
        let runtimes = match target.runtime.as_deref() {
            Some(list) => names(
                list,
                "--runtime",
                "runtime",
                ("python3.12", "python3.11,python3.12"),
            )?
            .into_iter()
            .map(Some)
            .collect(),
            None => vec![None],
        };
        let archs = match target.arch.as_deref() {
            Some(list) => names(list, "--arch", "architecture", ("x86_64", "x86_64,arm64"))?
                .into_iter()
                .map(Some)
                .collect(),
            None => vec![None],
        };
        Ok(Asked { runtimes, archs })
    }

    /// Every runtime on every architecture asked for, each once, in the order named (the
    /// engine anchors each resolution on the newest runtime on the first architecture).
    pub fn targets(&self, table: &RuntimeTable) -> anyhow::Result<Vec<Target>> {
        let mut all: Vec<Target> = Vec::new();
        for runtime in &self.runtimes {
            for arch in &self.archs {
                let target = table.target(runtime.as_deref(), arch.as_deref())?;
                if !all.contains(&target) {
                    all.push(target);
                }
            }
        }
        Ok(all)
    }
}

/// What the build says of a layer resolved for several targets: that one tree serves them,
/// each portable wheel taken, each package only some need; and a warning for any target asked
/// for that the layer does not serve after all, with why.
pub fn portable_text(portable: &Portable, served: &Served, paint: Paint) -> String {
    let mut out = String::new();
    let asked = targets_text(&portable.targets);
    let _ = writeln!(
        out,
        "One python/ tree for {asked}: every wheel in it loads on each of them."
    );
    for choice in &portable.instead {
        let _ = writeln!(
            out,
            "{}",
            paint.muted(format_args!(
                "  {choice}, so the layer {}",
                served.summary()
            ))
        );
    }
    for older in &portable.older {
        let _ = writeln!(out, "{}", paint.warning(format_args!("  ⚠ {older}")));
    }
    for need in &portable.partial {
        let _ = writeln!(out, "{}", paint.muted(format_args!("  {need}")));
    }
    for t in &portable.targets {
        let listed =
            served.runtimes.contains(&t.runtime.name) && served.architectures.contains(&t.arch);
        if listed {
            continue;
        }
        let why = served.left_out.iter().find(|(o, _)| o == t).map_or(
            "it is not among the targets the layer serves",
            |(_, why)| why.as_str(),
        );
        let _ = writeln!(
            out,
            "{}",
            paint.warning(format_args!(
                "⚠ {t} was asked for, but the publish command does not list it: {}",
                wheelbarrow::text::clean(why)
            ))
        );
    }
    out
}
