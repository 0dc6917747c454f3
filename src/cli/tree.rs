//! The top of the `/opt` tree as text: what `build` prints after the summary.

use std::fmt::Write as _;

use wheelbarrow::layer;
use wheelbarrow::units::human_bytes;

/// The top of the /opt tree: top-level folders, the site folder, and its biggest entries.
pub fn tree_preview(plan: &layer::LayerPlan) -> String {
    let mut out = String::new();
    let site = format!("{}/", plan.layout.site_dir(plan.python_minor));
    let site_depth = site.matches('/').count();
    let rows = plan.tree(site_depth + 1);
    let mut line = |path: &str, size: u64, files: usize, indent: usize| {
        let _ = writeln!(
            out,
            "  {:>10}  {:>6} files  {}{}",
            human_bytes(size),
            files,
            "  ".repeat(indent),
            wheelbarrow::text::clean(path)
        );
    };
    for (path, size, files) in rows
        .iter()
        .filter(|(p, _, _)| p.matches('/').count() == 1 && p.ends_with('/'))
    {
        line(path, *size, *files, 0);
    }
    if let Some((_, size, files)) = rows.iter().find(|(p, _, _)| *p == site) {
        if site_depth > 1 {
            line(&site, *size, *files, 0);
        }
        let mut children: Vec<_> = rows
            .iter()
            .filter(|(p, _, _)| {
                p.starts_with(&site)
                    && p.len() > site.len()
                    && p[site.len()..].trim_end_matches('/').matches('/').count() == 0
            })
            .collect();
        children.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for (path, size, files) in children.iter().take(12) {
            line(&path[site.len()..], *size, *files, 1);
        }
        if children.len() > 12 {
            let rest: u64 = children[12..].iter().map(|c| c.1).sum();
            let _ = writeln!(
                out,
                "  {:>10}                  … {} more",
                human_bytes(rest),
                children.len() - 12
            );
        }
    }
    out
}
