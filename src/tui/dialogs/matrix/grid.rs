//! The matrix's first view (`m`): the picks resolved on every target, the version each gets,
//! filled in as each target's resolution finishes (the engine's `Workspace::resolve_targets`,
//! a few at a time). `f` switches to the per-file view (each chosen file's verdict on every
//! target, `crate::tui::views::Matrix`) and back; both share the highlighted column, so Enter
//! switches to the same target from either. Ctrl-C stops the resolutions; what answered stays.
//!
//! ```text
//! ┌ Your picks on every target · ←→↑↓ move · Enter switches there · f files · Esc ┐
//! │            3.9        3.10       …   3.14                                      │
//! │            x86  arm   x86  arm       x86  arm                                  │
//! │pandas      2.2.3 …                                                             │
//! │wheels      41 MB                                                               │
//! │python3.9 on arm64: no set of versions fits … (the highlighted cell in words)   │
//! └────────────────────────────────────────────────────────────────────────────────┘
//! ```

use wheelbarrow::layer::{Cell, Column, TargetGrid};

use crate::tui::app::App;
use crate::tui::dialogs::Dialog;
use crate::tui::msg::Command;

/// Which of the matrix's two views is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatrixMode {
    /// The picks resolved on every target.
    #[default]
    Versions,
    /// Each chosen file's verdict on every target (and the layer's row).
    Files,
}

/// The versions view's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridState {
    pub grid: TargetGrid,
    /// The request this grid answers; answers of another are dropped.
    pub generation: u64,
    /// The highlighted row of the versions view.
    pub row: usize,
    /// Ctrl-C stopped the resolutions before every target answered.
    pub stopped: bool,
    /// The engine could not run the resolutions at all (an internal error), in words.
    pub failed: Option<String>,
}

impl GridState {
    /// Still resolving: some target has not answered, and nothing stopped it.
    pub fn running(&self) -> bool {
        !self.stopped && self.failed.is_none() && self.grid.answered() < self.grid.targets.len()
    }
}

/// Starts the versions view's resolutions for the matrix just opened.
pub fn start(app: &mut App) -> Vec<Command> {
    app.grid_generation += 1;
    let generation = app.grid_generation;
    let spec = app.spec();
    let Some(Dialog::Matrix(m)) = &mut app.dialog else {
        return Vec::new();
    };
    let targets = m.targets.clone();
    m.grid = Some(GridState {
        grid: TargetGrid::new(targets.clone()),
        generation,
        row: 0,
        stopped: false,
        failed: None,
    });
    m.mode = MatrixMode::Versions;
    vec![Command::ResolveTargets {
        generation,
        spec,
        targets,
    }]
}

/// The grid of the open matrix, when it is the one `generation` asked for.
fn grid_of(app: &mut App, generation: u64) -> Option<&mut GridState> {
    match &mut app.dialog {
        Some(Dialog::Matrix(m)) => m.grid.as_mut().filter(|g| g.generation == generation),
        _ => None,
    }
}

/// One target answered: its column filled.
pub fn answered(app: &mut App, generation: u64, at: usize, column: Column) -> Vec<Command> {
    if let Some(g) = grid_of(app, generation)
        && let Some(slot) = g.grid.columns.get_mut(at)
    {
        *slot = column;
    }
    Vec::new()
}

/// The resolutions ended: every target answered, or the engine failed (`Err`, in words).
pub fn finished(
    app: &mut App,
    generation: u64,
    result: Result<(), crate::tui::failure::Failure>,
) -> Vec<Command> {
    if let (Some(g), Err(problem)) = (grid_of(app, generation), result) {
        g.failed = Some(problem.to_string());
    }
    Vec::new()
}

/// `f`: the other view of the matrix.
pub fn toggle(app: &mut App) {
    if let Some(Dialog::Matrix(m)) = &app.dialog
        && m.rows.is_empty()
    {
        app.error = Some(format!(
            "no files to show: the layer did not resolve on {}, so no file is chosen there",
            app.target
        ));
        return;
    }
    if let Some(Dialog::Matrix(m)) = &mut app.dialog
        && m.grid.is_some()
    {
        m.mode = match m.mode {
            MatrixMode::Versions => MatrixMode::Files,
            MatrixMode::Files => MatrixMode::Versions,
        };
    }
}

/// Ctrl-C while the grid fills: the resolutions stop, what answered stays. `None` when no grid
/// is filling (Ctrl-C then does what it does elsewhere).
pub fn interrupt(app: &mut App) -> Option<Vec<Command>> {
    let Some(Dialog::Matrix(m)) = &mut app.dialog else {
        return None;
    };
    let g = m.grid.as_mut().filter(|g| g.running())?;
    g.stopped = true;
    let left = g.grid.targets.len() - g.grid.answered();
    app.notice = Some(format!(
        "stopped resolving on every target: {left} not answered (m starts again)"
    ));
    Some(vec![Command::CancelTargets])
}

/// Up and Down in the versions view move its row; `false` when it is not shown.
pub fn move_row(app: &mut App, by: isize) -> bool {
    let Some(Dialog::Matrix(m)) = &mut app.dialog else {
        return false;
    };
    if m.mode != MatrixMode::Versions {
        return false;
    }
    if let Some(g) = &mut m.grid {
        // The rows, then the wheels' row.
        let last = g.grid.rows().len();
        g.row = g.row.saturating_add_signed(by).min(last);
    }
    true
}

/// The highlighted cell in words: the version and what it differs from, or why the set does
/// not resolve there.
pub fn cell_words(g: &GridState, column: usize) -> String {
    let Some(target) = g.grid.targets.get(column) else {
        return String::new();
    };
    let rows = g.grid.rows();
    match &g.grid.columns[column] {
        Column::Pending if g.stopped => format!("{target}: not resolved (stopped)"),
        Column::Pending => format!("{target}: resolving…"),
        Column::Failed(f) => {
            let mut words = format!("{target}: {}", f.headline);
            for line in &f.explanation {
                words.push_str(" · ");
                words.push_str(line);
            }
            words
        }
        Column::Resolved(answer) => {
            let Some(row) = rows.get(g.row) else {
                return format!(
                    "{target}: {} of wheels ({} packages)",
                    wheelbarrow::units::human_bytes(answer.wheel_bytes),
                    answer.versions.len()
                );
            };
            let reference = g.grid.reference().map(|r| &g.grid.targets[r]);
            match (&row.cells[column], reference) {
                (
                    Cell::Version {
                        version,
                        differs: true,
                    },
                    Some(r),
                ) => {
                    format!(
                        "{target}: {} {version} (on {r}: {})",
                        row.name,
                        on(row, g, r)
                    )
                }
                (Cell::Version { version, .. }, _) => format!("{target}: {} {version}", row.name),
                (Cell::NotNeeded, _) => format!("{target}: {} is not needed there", row.name),
                _ => String::new(),
            }
        }
    }
}

/// What the reference target gets of `row`, in words.
fn on(row: &wheelbarrow::layer::Row, g: &GridState, reference: &wheelbarrow::Target) -> String {
    let at = g.grid.targets.iter().position(|t| t == reference);
    match at.map(|i| &row.cells[i]) {
        Some(Cell::Version { version, .. }) => version.clone(),
        _ => "not needed".into(),
    }
}
