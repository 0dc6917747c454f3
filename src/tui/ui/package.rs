//! The package pane: the project's summary and versions, the files of the selected version one
//! a row with each tag coloured by whether it fits the target, ✓/✗, ★ for the best build, and
//! the highlighted row's reason in full words below.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};
use wheelbarrow::index::{DistFile, FileKind};
use wheelbarrow::units::human_bytes;
use wheelbarrow::wheel::{FileVerdict, ReleaseVerdicts};

use super::super::app::{App, Pane};
use super::super::loading::Loadable;
use super::super::theme::Theme;
use super::layout::visible_offset;
use super::layout::{Areas, PACKAGE_FOOT_ROWS, inner};
use super::{cursor_style, pane_block};
use wheelbarrow::text::clean;

pub fn render(app: &App, frame: &mut Frame, areas: &Areas) {
    let area = areas.package;
    let name = clean(&app.package.name).into_owned();
    let version = app
        .package
        .release
        .as_ref()
        .map_or(String::new(), |r| format!(" {}", clean(&r.version)));
    let title = if name.is_empty() {
        " Package ".to_string()
    } else {
        format!(" {name}{version} ")
    };
    frame.render_widget(pane_block(app, Pane::Package, title), area);
    let inside = inner(area);
    let project = match &app.package.project {
        Loadable::Idle => {
            let hint = "Enter on a search result opens its files here.";
            frame.render_widget(Paragraph::new(hint).style(app.theme.muted), inside);
            return;
        }
        Loadable::Loading => {
            let text = format!("{} opening {name}…", super::spinner(app));
            frame.render_widget(Paragraph::new(text).style(app.theme.muted), inside);
            return;
        }
        Loadable::Failed(e) => {
            let text = Paragraph::new(clean(e).into_owned())
                .style(app.theme.rejected)
                .wrap(Wrap { trim: true });
            frame.render_widget(text, inside);
            return;
        }
        Loadable::Ready(p) => p,
    };
    let summary = project
        .summary
        .as_deref()
        .map_or_else(|| "(no summary)".into(), |s| clean(s).into_owned());
    let versions = versions_line(app, &project.versions);
    frame.render_widget(
        Paragraph::new(vec![Line::styled(summary, app.theme.muted), versions]),
        inside,
    );
    let Some(release) = &app.package.release else {
        return;
    };
    let list = areas.list(Pane::Package);
    render_files(app, release, frame, list);
    let foot = Rect {
        y: list.y + list.height,
        height: PACKAGE_FOOT_ROWS,
        ..list
    };
    render_reason(app, release, frame, foot);
}

fn versions_line(app: &App, versions: &[String]) -> Line<'static> {
    let count = versions.len();
    let Some(release) = &app.package.release else {
        return Line::styled("no releases", app.theme.muted);
    };
    let i = app.package.version;
    let newer = if i > 0 { "← " } else { "  " };
    let older = if i + 1 < count { " →" } else { "  " };
    let mark = match versions.first() {
        _ if i == 0 => " (newest)".to_string(),
        Some(newest) => format!(" (newest: {})", clean(newest)),
        None => String::new(),
    };
    Line::from(vec![
        Span::styled(newer, app.theme.muted),
        Span::styled(clean(&release.version).into_owned(), app.theme.accent),
        Span::styled(older, app.theme.muted),
        Span::styled(format!("{mark} {}/{count}", i + 1), app.theme.muted),
        if release.best.is_some() {
            Span::raw("")
        } else {
            Span::styled("  ✗ none loads here", app.theme.rejected)
        },
    ])
}

fn render_files(app: &App, release: &ReleaseVerdicts<DistFile>, frame: &mut Frame, area: Rect) {
    let picked = picked_file(app);
    // When a name does not fit, every row leaves out `name-version-` (the title says it), so
    // that the tags line up and stay visible.
    let room = usize::from(area.width).saturating_sub(13);
    let heads = release
        .files
        .iter()
        .all(|f| f.file.filename.chars().count() <= room);
    let items: Vec<ListItem> = release
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut line = file_line(&app.theme, f, release.best == Some(i), heads);
            if picked.as_deref() == Some(f.file.filename.as_str()) {
                line.push_span(Span::styled(" ● picked", app.theme.accent));
            }
            ListItem::new(line)
        })
        .collect();
    if items.is_empty() {
        frame.render_widget(
            Paragraph::new("This release has no files.").style(app.theme.muted),
            area,
        );
        return;
    }
    let offset = visible_offset(app, Pane::Package, area.height);
    let mut state = ListState::default()
        .with_offset(offset)
        .with_selected(Some(app.package.selected));
    let list = List::new(items).highlight_style(cursor_style(app, Pane::Package));
    frame.render_stateful_widget(list, area, &mut state);
}

/// The file pinned for the open project, if it is picked.
fn picked_file(app: &App) -> Option<String> {
    let key = wheelbarrow::normalize_name(&app.package.name);
    app.layer
        .picks
        .iter()
        .find(|p| p.key() == key)
        .and_then(|p| p.filename().map(String::from))
}

/// `★   1.2 MB  name-1.0-cp312-cp312-manylinux_2_17_x86_64.whl`, each tag in the style of its
/// fit; without `head`, only `cp312-cp312-manylinux_2_17_x86_64`.
pub fn file_line(
    theme: &Theme,
    f: &FileVerdict<DistFile>,
    best: bool,
    head: bool,
) -> Line<'static> {
    let mark = match (best, f.verdict.compatible) {
        (true, _) => Span::styled("★ ", theme.best),
        (false, true) => Span::styled("✓ ", theme.compatible),
        (false, false) => Span::styled("✗ ", theme.rejected),
    };
    let size = f.file.size.map_or_else(String::new, human_bytes);
    let mut spans = vec![mark, Span::styled(format!("{size:>9}  "), theme.muted)];
    let filename = clean(&f.file.filename).into_owned();
    match (f.file.kind, split_tags(&filename)) {
        (FileKind::Wheel, Some((name_version, [python, abi, platform]))) => {
            if head {
                spans.push(Span::raw(format!("{name_version}-")));
            }
            let fits = &f.verdict.fits;
            push_tags(&mut spans, theme, python, &fits.python);
            spans.push(Span::raw("-"));
            push_tags(&mut spans, theme, abi, &fits.abi);
            spans.push(Span::raw("-"));
            push_tags(&mut spans, theme, platform, &fits.platform);
            if head {
                spans.push(Span::raw(".whl"));
            }
        }
        (FileKind::Sdist, _) => {
            spans.push(Span::styled(filename, theme.muted));
            spans.push(Span::styled(" source", theme.muted));
        }
        _ => spans.push(Span::styled(filename, theme.muted)),
    }
    Line::from(spans)
}

fn push_tags(spans: &mut Vec<Span<'static>>, theme: &Theme, field: &str, fits: &[bool]) {
    for (i, tag) in field.split('.').enumerate() {
        if i > 0 {
            spans.push(Span::raw("."));
        }
        let style: Style = if fits.get(i).copied().unwrap_or(false) {
            theme.compatible
        } else {
            theme.rejected
        };
        spans.push(Span::styled(tag.to_string(), style));
    }
}

/// `name-version(-build)` and the python, abi and platform fields of a wheel's file name.
pub fn split_tags(filename: &str) -> Option<(&str, [&str; 3])> {
    let stem = filename.strip_suffix(".whl")?;
    let mut parts = stem.rsplitn(4, '-');
    let platform = parts.next()?;
    let abi = parts.next()?;
    let python = parts.next()?;
    let head = parts.next()?;
    Some((head, [python, abi, platform]))
}

fn render_reason(app: &App, release: &ReleaseVerdicts<DistFile>, frame: &mut Frame, area: Rect) {
    let Some(f) = release.files.get(app.package.selected) else {
        return;
    };
    let t = &app.theme;
    let mut reason = clean(&f.verdict.reason).into_owned();
    if let Some(from) = f.file.source.describe() {
        reason = format!("{reason} (from {})", clean(&from));
    }
    let line = if f.verdict.compatible {
        let best = if release.best == Some(app.package.selected) {
            "★ best build: "
        } else {
            "✓ loads: "
        };
        Line::from(vec![Span::styled(best, t.compatible), Span::raw(reason)])
    } else {
        Line::from(vec![
            Span::styled("✗ refused: ", t.rejected),
            Span::raw(reason),
        ])
    };
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), area);
}

#[cfg(test)]
mod tests {
    use super::split_tags;

    #[test]
    fn a_wheel_name_splits_into_its_head_and_three_tag_fields() {
        assert_eq!(
            split_tags("numpy-2.3.1-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"),
            Some((
                "numpy-2.3.1-1",
                [
                    "cp311",
                    "cp311",
                    "manylinux_2_17_x86_64.manylinux2014_x86_64"
                ]
            ))
        );
        assert_eq!(split_tags("numpy-2.3.1.tar.gz"), None);
    }
}
