//! Rows of the layer pane and the /opt tree, derived from the state (shared by update, for
//! moving the cursor, and by the panes, for drawing).

use std::collections::{BTreeMap, BTreeSet};

use wheelbarrow::layer::LayerPlan;
use wheelbarrow::normalize_name;
use wheelbarrow::resolve::ResolvedPackage;

use super::app::App;

/// One row of the layer pane: a pick (and what it resolved to), or a dependency it brought.
#[derive(Debug, Clone, Copy)]
pub struct LayerRow<'a> {
    /// Index into the picks, for picked rows.
    pub pick: Option<usize>,
    /// The project's name as the user or the index spells it.
    pub name: &'a str,
    pub package: Option<&'a ResolvedPackage>,
}

/// Picks first (in the order picked), then the dependencies they brought (by name).
pub fn layer_rows(app: &App) -> Vec<LayerRow<'_>> {
    let resolution = app.layer.resolution.ready();
    let packages = resolution
        .map(|r| r.packages.as_slice())
        .unwrap_or_default();
    let mut picked = BTreeSet::new();
    let mut rows = Vec::new();
    for (i, pick) in app.layer.picks.iter().enumerate() {
        let name = pick.name();
        let key = pick.key();
        let package = packages.iter().find(|p| normalize_name(&p.name) == key);
        picked.insert(key);
        rows.push(LayerRow {
            pick: Some(i),
            name: package.map_or(name, |p| p.name.as_str()),
            package,
        });
    }
    for package in packages {
        if !picked.contains(&normalize_name(&package.name)) {
            rows.push(LayerRow {
                pick: None,
                name: &package.name,
                package: Some(package),
            });
        }
    }
    rows
}

/// One visible row of the /opt tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    /// The path under /opt; folders end in `/`.
    pub path: String,
    pub depth: usize,
    pub size: u64,
    pub files: usize,
}

impl TreeRow {
    pub fn is_folder(&self) -> bool {
        self.path.ends_with('/')
    }

    /// The last component, for drawing.
    pub fn label(&self) -> &str {
        let trimmed = self.path.trim_end_matches('/');
        let start = trimmed.rfind('/').map_or(0, |i| i + 1);
        &self.path[start..]
    }
}

/// The visible rows: top-level entries, and the children of every open folder, biggest first
/// within each folder (sizes from `LayerPlan::tree`).
pub fn tree_rows(plan: &LayerPlan, open: &BTreeSet<String>) -> Vec<TreeRow> {
    let depth = open
        .iter()
        .map(|p| p.matches('/').count())
        .max()
        .unwrap_or(0)
        + 1;
    let mut children: BTreeMap<String, Vec<TreeRow>> = BTreeMap::new();
    for (path, size, files) in plan.tree(depth) {
        let trimmed = path.trim_end_matches('/');
        let parent = trimmed
            .rfind('/')
            .map_or(String::new(), |i| trimmed[..=i].to_string());
        let row_depth = trimmed.matches('/').count();
        children.entry(parent).or_default().push(TreeRow {
            path,
            depth: row_depth,
            size,
            files,
        });
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.path.cmp(&b.path)));
    }
    let mut rows = Vec::new();
    push_children(&children, "", open, &mut rows);
    rows
}

fn push_children(
    children: &BTreeMap<String, Vec<TreeRow>>,
    parent: &str,
    open: &BTreeSet<String>,
    out: &mut Vec<TreeRow>,
) {
    for row in children.get(parent).into_iter().flatten() {
        out.push(row.clone());
        if row.is_folder() && open.contains(&row.path) {
            push_children(children, &row.path, open, out);
        }
    }
}
