//! Switching the target (from the picker, `dialogs::target`, the matrix's Enter, or `u` taking
//! an offer): what happens to the picks, and a line saying what the switch changed. The engine's workspace keeps each target's answer, so switching back is
//! instant.

use std::collections::BTreeMap;
use std::sync::Arc;

use wheelbarrow::Target;
use wheelbarrow::layer::Budget;
use wheelbarrow::resolve::{Resolution, parse_requirement};
use wheelbarrow::units::human_bytes;

use super::super::app::App;
use super::super::layer_state::Pick;
use super::super::msg::Command;
use super::requests::resolve_picks;

/// Resolves the picks again for `target` (and the other targets of one `python/` tree).
pub(crate) fn switch(
    app: &mut App,
    target: Target,
    also: Vec<Target>,
    switched: String,
) -> Vec<Command> {
    app.target = target;
    app.also = also;
    app.error = None;
    // Verdicts and look-ups were for the old target.
    app.search.peeks.clear();
    if app.package.release.is_some() {
        app.show_version(app.package.version);
    }
    app.layer.before = app
        .layer
        .resolution
        .ready()
        .cloned()
        .map(|r| (r, app.layer.budget.clone()));
    let commands = resolve_picks(app);
    app.notice = Some(switched);
    commands
}

/// `u` after a pinned build (or a locked version) was refused here: pick the version that loads
/// instead (its best file is chosen by the resolver). For a locked project the lock's pin gives
/// way to that version, with the index's hashes of its files (hash-checking stays on).
pub fn accept_offer(app: &mut App) -> Vec<Command> {
    let Some(offer) = app.layer.offer.take() else {
        app.error = Some("nothing to take: no pinned build was refused here".into());
        return Vec::new();
    };
    let (project, version) = (&offer.project, &offer.version);
    let mut requested =
        match parse_requirement(&format!("{project}=={version}"), "picked in the TUI") {
            Ok(r) => r,
            Err(e) => {
                app.error = Some(e.to_string());
                return Vec::new();
            }
        };
    let key = requested.project();
    let locked = app.layer.locked.iter().any(|r| r.project() == key);
    if locked {
        app.layer.locked.retain(|r| r.project() != key);
        requested.hashes.clone_from(&offer.hashes);
    }
    let pick = Pick { requested };
    match app.layer.picks.iter().position(|p| p.key() == key) {
        Some(i) => app.layer.picks[i] = pick,
        None => app.layer.picks.push(pick),
    }
    app.error = None;
    let commands = resolve_picks(app);
    if locked {
        app.notice = Some(format!(
            "{project} {version} instead of the lock's version: lock it again to keep this"
        ));
    }
    commands
}

/// What one resolution for several targets changed, around the switch's line `switched`:
/// first every package at another version than the first target alone gets, with why (a
/// warning); then the switch; then the portable wheels taken (by name) and the packages only
/// some targets need.
pub fn portable_words(
    portable: &wheelbarrow::resolve::portable::Portable,
    switched: &str,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for older in &portable.older {
        let _ = write!(out, "⚠ {older}; ");
    }
    out.push_str(switched);
    if !portable.instead.is_empty() {
        let names: Vec<&str> = portable
            .instead
            .iter()
            .map(|c| c.project.as_str())
            .collect();
        let _ = write!(
            out,
            "; portable wheels instead of compiled builds: {}",
            names.join(", ")
        );
    }
    for need in &portable.partial {
        let _ = write!(out, "; {need}");
    }
    wheelbarrow::text::clean(&out).into_owned()
}

/// What a switch changed, one line: versions up or down, packages added or gone, the budget.
pub fn summary(
    target: &str,
    before: &(Arc<Resolution>, Option<Budget>),
    after: &Resolution,
    budget: &Budget,
) -> String {
    let versions = |r: &Resolution| -> BTreeMap<String, (String, pep440_rs::Version)> {
        r.included()
            .filter_map(|p| {
                let v = p.version.parse().ok()?;
                Some((wheelbarrow::normalize_name(&p.name), (p.name.clone(), v)))
            })
            .collect()
    };
    let (old, new) = (versions(&before.0), versions(after));
    let mut changes = Vec::new();
    for (key, (name, v)) in &new {
        match old.get(key) {
            Some((_, was)) if was < v => changes.push(format!("{name} up {was} → {v}")),
            Some((_, was)) if was > v => changes.push(format!("{name} down {was} → {v}")),
            Some(_) => {}
            None => changes.push(format!("+{name} {v}")),
        }
    }
    for (key, (name, v)) in &old {
        if !new.contains_key(key) {
            changes.push(format!("−{name} {v}"));
        }
    }
    let size = match &before.1 {
        Some(was) if was.unzipped != budget.unzipped => format!(
            "; unzipped {} → {}",
            human_bytes(was.unzipped),
            human_bytes(budget.unzipped)
        ),
        _ => String::new(),
    };
    if changes.is_empty() {
        format!("on {target}: the same versions{size}")
    } else {
        format!("on {target}: {}{size}", changes.join(", "))
    }
}
