//! The layer pane: the picks and the dependencies they brought, each with its version, size and
//! who required it; runtime-provided ones marked with what leaving them out saves.

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use wheelbarrow::units::human_bytes;

use super::super::app::{App, Pane};
use super::super::loading::Loadable;
use super::super::rows::{LayerRow, layer_rows};
use super::layout::visible_offset;
use super::layout::{Areas, inner};
use super::{cursor_style, fit, pane_block};
use wheelbarrow::text::clean;

pub fn render(app: &App, frame: &mut Frame, areas: &Areas) {
    let area = areas.layer;
    let picks = app.layer.picks.len();
    let provided = if app.layer.exclude_runtime_provided {
        " · no runtime pkgs"
    } else {
        ""
    };
    let locked = app
        .layer
        .picks
        .iter()
        .find_map(super::super::layer_state::Pick::lock)
        .map(|lock| format!(" · locked by {}", clean(lock)))
        .unwrap_or_default();
    let bytecode = match app.layer.plan.ready().and_then(|p| p.bytecode.as_ref()) {
        // Before the export it is an estimate from the sources' sizes: said as one.
        Some(cost) if cost.estimated => format!(" · bytecode ≈+{}", human_bytes(cost.unzipped)),
        Some(cost) => format!(" · bytecode +{}", human_bytes(cost.unzipped)),
        None if app.layer.bytecode => " · bytecode".to_string(),
        None => String::new(),
    };
    let title = format!(
        " Layer: {picks} pick{}{locked}{provided}{bytecode} ",
        if picks == 1 { "" } else { "s" }
    );
    frame.render_widget(pane_block(app, Pane::Layer, title), area);
    let inside = inner(area);
    let state_line = match (&app.layer.resolution, &app.layer.plan) {
        _ if picks == 0 => Line::styled("No picks yet: Enter on a file picks it.", app.theme.muted),
        (Loadable::Loading, _) => Line::styled(
            format!("{} resolving…", super::spinner(app)),
            app.theme.muted,
        ),
        (Loadable::Failed(e), _) | (_, Loadable::Failed(e)) => {
            Line::styled(format!("✗ {}", clean(first_line(e))), app.theme.rejected)
        }
        (_, Loadable::Loading) => Line::styled(
            format!("{} reading the wheels' file lists…", super::spinner(app)),
            app.theme.muted,
        ),
        _ => {
            let (name, version) = columns(usize::from(inside.width));
            Line::styled(
                format!(
                    "  {:<name$} {:<version$} {:>9}  required by",
                    "package", "version", "size"
                ),
                app.theme.muted,
            )
        }
    };
    frame.render_widget(
        Paragraph::new(state_line),
        ratatui::layout::Rect {
            height: 1,
            ..inside
        },
    );
    let list = areas.list(Pane::Layer);
    let width = usize::from(list.width);
    let items: Vec<ListItem> = layer_rows(app)
        .iter()
        .map(|row| ListItem::new(row_line(app, row, width)))
        .collect();
    let offset = visible_offset(app, Pane::Layer, list.height);
    let mut state = ListState::default()
        .with_offset(offset)
        .with_selected(Some(app.layer.selected));
    frame.render_stateful_widget(
        List::new(items).highlight_style(cursor_style(app, Pane::Layer)),
        list,
        &mut state,
    );
}

/// Widths of the name and version columns for a pane `width` cells wide.
fn columns(width: usize) -> (usize, usize) {
    if width < 60 { (13, 8) } else { (20, 10) }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

fn row_line(app: &App, row: &LayerRow, width: usize) -> Line<'static> {
    let t = &app.theme;
    let locked = row
        .pick
        .and_then(|i| app.layer.picks.get(i))
        .is_some_and(|p| p.lock().is_some());
    let mark = if locked {
        // Its version is the lock's: ◆ where a free pick has ●.
        Span::styled("◆ ", t.accent)
    } else if row.pick.is_some() {
        Span::styled("● ", t.accent)
    } else {
        Span::raw("  ")
    };
    let (name_width, version_width) = columns(width);
    let name = fit(&clean(row.name), name_width);
    let Some(package) = row.package else {
        // Not resolved yet: the requirement, and the build it is pinned to.
        let pick = row.pick.and_then(|i| app.layer.picks.get(i));
        let requirement = pick.map_or_else(
            || row.name.to_string(),
            super::super::layer_state::Pick::requirement,
        );
        let pinned = pick
            .and_then(|p| p.filename())
            .map(|f| match super::package::split_tags(f) {
                Some((_, tags)) => format!("  {}", tags.join("-")),
                None => format!("  {f}"),
            })
            .unwrap_or_default();
        // A pinned build that does not load on the target (after a switch) shows red, ✗ marked.
        let refused = pick
            .and_then(|p| p.filename())
            .and_then(|f| wheelbarrow::WheelName::parse(f).ok())
            .is_some_and(|w| !w.verdict(&app.target).compatible);
        let (requirement, style) = if refused {
            (format!("✗ {requirement}"), t.rejected)
        } else {
            (requirement, t.muted)
        };
        let requirement = fit(&clean(&requirement), width.saturating_sub(2));
        let room = width.saturating_sub(2 + requirement.chars().count());
        return Line::from(vec![
            mark,
            Span::styled(
                requirement,
                if refused {
                    t.rejected
                } else {
                    Style::default()
                },
            ),
            Span::styled(fit(&clean(&pinned), room), style),
        ]);
    };
    let unzipped = app
        .layer
        .plan
        .ready()
        .and_then(|plan| plan.packages.iter().find(|p| p.name == package.name))
        .map(|p| p.unzipped)
        .or(package.size);
    let size = unzipped.map_or_else(String::new, human_bytes);
    let by = package.required_by.first().map_or("", String::as_str);
    let mut spans = vec![
        mark,
        Span::raw(format!("{name:<name_width$} ")),
        Span::raw(format!(
            "{:<version_width$} ",
            fit(&clean(&package.version), version_width)
        )),
        Span::styled(format!("{size:>9}  "), t.muted),
    ];
    if package.runtime_provided {
        let saves = unzipped.map_or_else(String::new, |s| {
            format!(": leaving it out saves {}", human_bytes(s))
        });
        let what = if package.excluded {
            "left out, the runtime has it"
        } else {
            "the runtime has it"
        };
        spans.push(Span::styled(format!("{what}{saves}"), t.warning));
    } else {
        spans.push(Span::styled(
            fit(
                &clean(by),
                width.saturating_sub(3 + name_width + version_width + 11),
            ),
            t.muted,
        ));
    }
    Line::from(spans)
}
