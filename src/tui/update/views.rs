//! The keys of the views and small dialogs: the matrix (open it, move among its cells, Enter
//! switches to the cell's target), files of your own, the versions list, the reserve, saving.

use super::super::action::Action;
use super::super::app::App;
use super::super::dialog::Dialog;
use super::super::msg::Command;

/// `a`: the add dialog, empty.
pub fn open_add(app: &mut App) -> Vec<Command> {
    app.dialog = Some(Dialog::Add {
        input: tui_input::Input::default(),
    });
    Vec::new()
}

/// Tab in the add dialog: the runner completes the path.
pub fn complete(app: &App) -> Vec<Command> {
    match &app.dialog {
        Some(Dialog::Add { input } | Dialog::Open { input }) => vec![Command::Complete {
            text: input.value().to_string(),
        }],
        _ => Vec::new(),
    }
}

/// A completion, used only if the path was not changed meanwhile.
pub fn completed(app: &mut App, from: &str, to: String) -> Vec<Command> {
    if let Some(Dialog::Add { input } | Dialog::Open { input }) = &mut app.dialog
        && input.value() == from
    {
        *input = tui_input::Input::new(to);
    }
    Vec::new()
}

/// An addition checked by the runner: into the layer, the tree planned again; or why not (the
/// dialog stays open to fix it).
pub fn added(app: &mut App, result: Result<wheelbarrow::layer::Addition, String>) -> Vec<Command> {
    let addition = match result {
        Ok(a) => a,
        Err(e) => {
            app.error = Some(e);
            return Vec::new();
        }
    };
    app.dialog = None;
    app.error = None;
    app.notice = Some(format!(
        "added {} as /opt/{}",
        addition.source.display(),
        addition.dest
    ));
    app.layer.additions.retain(|a| a.dest != addition.dest);
    app.layer.additions.push(addition);
    super::requests::replan(app)
}

/// `m`: the layer's packages against every target, the current one highlighted; in the package
/// pane, the open release's files.
pub fn open_matrix(app: &mut App) -> Vec<Command> {
    if app.focus == super::super::app::Pane::Package
        && let (Some(project), Some(release)) =
            (app.package.project.ready(), app.package.release.as_ref())
    {
        let targets: Vec<_> = app.targets.iter().map(|r| r.target.clone()).collect();
        let m =
            super::super::views::release_matrix(project, &release.version, &app.target, &targets);
        app.dialog = Some(Dialog::Matrix(Box::new(m)));
        return Vec::new();
    }
    match app.layer.resolution.ready() {
        Some(resolution) => {
            let targets: Vec<_> = app.targets.iter().map(|r| r.target.clone()).collect();
            let scripts: Vec<String> = app
                .layer
                .plan
                .ready()
                .map(|plan| {
                    plan.files
                        .iter()
                        .filter(|f| f.is_script())
                        .map(|f| f.path.clone())
                        .collect()
                })
                .unwrap_or_default();
            let m = super::super::views::matrix(
                resolution,
                app.layer.layout,
                &app.target,
                &targets,
                &app.table,
                &scripts,
            );
            let projects = m.rows.iter().filter_map(|r| r.project.clone()).collect();
            app.dialog = Some(Dialog::Matrix(Box::new(m)));
            let mut commands = crate::tui::target_grid::start(app);
            commands.push(Command::MatrixOffers { projects, targets });
            return commands;
        }
        None => app.error = Some("the matrix needs a layer: pick a build first".into()),
    }
    Vec::new()
}

/// Left and Right move among the matrix's targets; `false` when the matrix is not open.
pub fn move_column(app: &mut App, action: Action) -> bool {
    let (Some(Dialog::Matrix(m)), Action::Left | Action::Right) = (&mut app.dialog, action) else {
        return false;
    };
    let last = m.targets.len().saturating_sub(1);
    m.column = if action == Action::Left {
        m.column.saturating_sub(1)
    } else {
        (m.column + 1).min(last)
    };
    true
}

/// Enter on a cell: switch to that target, as the picker does (the same summary line).
pub fn confirm_matrix(app: &mut App) -> Vec<Command> {
    let Some(Dialog::Matrix(m)) = &app.dialog else {
        return Vec::new();
    };
    let Some(target) = m.targets.get(m.column).cloned() else {
        return Vec::new();
    };
    super::target::open(app);
    if let Some(Dialog::Target { selected, .. }) = &mut app.dialog {
        *selected = app
            .targets
            .iter()
            .position(|r| r.target == target)
            .unwrap_or(0);
    }
    super::target::apply(app)
}

/// `v`: the open project's releases, the one shown highlighted.
pub fn versions(app: &mut App) -> Vec<Command> {
    match app.package.project.ready() {
        Some(project) => {
            let rows = crate::tui::views::version_rows(project, &app.target);
            let selected = app.package.version.min(rows.len().saturating_sub(1));
            app.dialog = Some(Dialog::Versions { rows, selected });
        }
        None => app.error = Some("open a project first (Enter on a search result)".into()),
    }
    Vec::new()
}

/// `s`: where to save the picks, prefilled in the current directory.
pub fn save(app: &mut App) -> Vec<Command> {
    if app.layer.picks.is_empty() {
        app.error = Some("nothing to save yet: pick a build first".into());
        return Vec::new();
    }
    let name = format!(
        "requirements-{}-{}.txt",
        app.target.runtime.name,
        app.target.arch.lambda_name()
    );
    let path = app.cwd.join(name).display().to_string();
    app.dialog = Some(Dialog::Save {
        input: tui_input::Input::new(path),
    });
    Vec::new()
}

/// Enter in the reserve dialog: whole megabytes, from 0 to less than the limit; the budget is
/// counted again at once (a pure function of the plan).
pub fn set_reserve(app: &mut App, text: &str) {
    let limit_mb = app.limits.unzipped_bytes / (1024 * 1024);
    let parsed = text.trim().parse::<u64>().map_err(|_| {
        format!(
            "'{}' is not a number of megabytes from 0 to {}",
            text.trim(),
            limit_mb - 1
        )
    });
    match parsed.and_then(|mb| {
        wheelbarrow::layer::reserve_from_mb(mb, &app.limits).map(|bytes| (mb, bytes))
    }) {
        Ok((mb, bytes)) => {
            app.reserve = bytes;
            app.dialog = None;
            app.error = None;
            app.notice = Some(format!(
                "{mb} MB kept for your function and other layers; the layer may use {} MB",
                limit_mb - mb
            ));
            if let Some(plan) = app.layer.plan.ready() {
                app.layer.budget = Some(wheelbarrow::layer::budget(plan, &app.limits, app.reserve));
            }
        }
        Err(problem) => app.error = Some(problem),
    }
}

/// The runner's answer for the matrix: the newest release of each package that loads on each
/// target (kept only while the matrix is open).
pub fn offers(app: &mut App, offers: super::super::msg::Offers) -> Vec<Command> {
    if let Some(Dialog::Matrix(m)) = &mut app.dialog {
        m.offers = Some(offers);
    }
    Vec::new()
}

/// What the plan warns of (two packages writing one path, a binary of your own that will not
/// load here), added to the status line; `i` in the layer pane shows them all.
pub fn warnings_notice(app: &mut App, plan: &wheelbarrow::layer::LayerPlan) {
    let Some(first) = plan.warnings.first() else {
        return;
    };
    let more = match plan.warnings.len() {
        1 => String::new(),
        n => format!(" (and {} more: i)", n - 1),
    };
    let warning = format!("⚠ {first}{more}");
    app.notice = Some(match app.notice.take() {
        Some(before) => format!("{before} · {warning}"),
        None => warning,
    });
}

/// The cache folder cannot be written: said in the status line (the headless commands say it
/// on stderr), before an error already there, as the runtime table's notice is at the start.
pub fn cache_problem(app: &mut App, problem: &wheelbarrow::index::CacheProblem) -> Vec<Command> {
    let said = format!("warning: {problem}");
    app.error = Some(match app.error.take() {
        Some(error) => format!("{said} · {error}"),
        None => said,
    });
    Vec::new()
}
