//! The grid of packages × targets that the matrix shows: the version each target gets, where it
//! differs from the reference target (the newest that resolves), the wheels' total per target,
//! and for a target where the set does not resolve, its headline and explanation. Filled one
//! target at a time (the TUI draws it while it fills); plain data, drawn by each front end in
//! its own way.
//!
//! ```text
//!              python3.11/x86_64  python3.12/x86_64  python3.13/x86_64
//!  pandas      2.2.3*             3.0.1              3.0.1
//!  numpy       1.26.4*            2.3.1              ✗
//!  wheels      24.1 MB            25.0 MB            no set of versions fits …
//! ```

use std::collections::BTreeMap;

use super::TargetOutcome;
use crate::lambda::{Arch, Target};
use crate::resolve::{Resolution, ResolveError};

/// What is known of one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// Still resolving.
    Pending,
    Resolved(Answer),
    /// The set does not resolve there.
    Failed(Failure),
}

/// The versions one target gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Normalised project name → (name as the index spells it, version).
    pub versions: BTreeMap<String, (String, String)>,
    /// The projects the user asked for (normalised).
    pub requested: Vec<String>,
    /// The wheels going into the layer, as far as the index gives their sizes.
    pub wheel_bytes: u64,
    /// Wheels going in whose size the index does not give.
    pub unknown_sizes: usize,
}

/// Why the set does not resolve on a target, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The first line of the error.
    pub headline: String,
    /// The rest: the facts that clash, one a line.
    pub explanation: Vec<String>,
}

/// One cell of the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Pending,
    /// The version this target gets; `differs` when the reference target gets another (or
    /// does not need the project).
    Version {
        version: String,
        differs: bool,
    },
    /// This target does not need the project (a marker, or a dependency of another version).
    NotNeeded,
    /// The set does not resolve on this target.
    Failed,
}

/// A row: one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// As the index spells it.
    pub name: String,
    pub requested: bool,
    pub cells: Vec<Cell>,
}

/// Packages × targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetGrid {
    pub targets: Vec<Target>,
    pub columns: Vec<Column>,
}

impl Answer {
    pub fn of(resolution: &Resolution) -> Answer {
        let mut answer = Answer {
            versions: BTreeMap::new(),
            requested: Vec::new(),
            wheel_bytes: 0,
            unknown_sizes: 0,
        };
        for p in &resolution.packages {
            let key = crate::wheel::normalize_name(&p.name);
            if p.requested {
                answer.requested.push(key.clone());
            }
            if !p.excluded {
                match p.size {
                    Some(bytes) => answer.wheel_bytes += bytes,
                    None => answer.unknown_sizes += 1,
                }
            }
            answer
                .versions
                .insert(key, (p.name.clone(), p.version.clone()));
        }
        answer
    }
}

impl Failure {
    pub fn of(error: &ResolveError) -> Failure {
        if let ResolveError::NoSolution(no) = error {
            return Failure {
                headline: format!("no set of versions fits {}", no.target),
                explanation: no.explanation.clone(),
            };
        }
        let text = error.to_string();
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        Failure {
            headline: lines.next().unwrap_or("failed").to_string(),
            explanation: lines.map(ToString::to_string).collect(),
        }
    }
}

impl TargetGrid {
    /// A grid of `targets`, every column still pending.
    pub fn new(targets: Vec<Target>) -> TargetGrid {
        let columns = targets.iter().map(|_| Column::Pending).collect();
        TargetGrid { targets, columns }
    }

    /// A grid of finished answers.
    pub fn of(outcomes: &[TargetOutcome]) -> TargetGrid {
        let mut grid = TargetGrid::new(outcomes.iter().map(|o| o.target.clone()).collect());
        for (at, o) in outcomes.iter().enumerate() {
            grid.fill(at, o);
        }
        grid
    }

    /// Fills the column at `at` with a target's answer.
    pub fn fill(&mut self, at: usize, outcome: &TargetOutcome) {
        if let Some(column) = self.columns.get_mut(at) {
            *column = match &outcome.result {
                Ok(resolution) => Column::Resolved(Answer::of(resolution)),
                Err(e) => Column::Failed(Failure::of(e)),
            };
        }
    }

    /// How many targets have answered.
    pub fn answered(&self) -> usize {
        self.columns
            .iter()
            .filter(|c| !matches!(c, Column::Pending))
            .count()
    }

    /// Every target answered and resolves.
    pub fn all_resolve(&self) -> bool {
        self.columns
            .iter()
            .all(|c| matches!(c, Column::Resolved(_)))
    }

    /// The column the others are compared with: the newest runtime that resolves, on x86_64
    /// before arm64.
    pub fn reference(&self) -> Option<usize> {
        (0..self.targets.len())
            .filter(|&i| matches!(self.columns[i], Column::Resolved(_)))
            .max_by_key(|&i| {
                let t = &self.targets[i];
                (t.runtime.python_minor, t.arch == Arch::X86_64)
            })
    }

    /// One row a project any target gets: the projects asked for first (in the order the
    /// first answering target lists them), then the others by name.
    pub fn rows(&self) -> Vec<Row> {
        let answers: Vec<Option<&Answer>> = self
            .columns
            .iter()
            .map(|c| match c {
                Column::Resolved(a) => Some(a),
                _ => None,
            })
            .collect();
        let mut names: BTreeMap<String, (String, bool)> = BTreeMap::new();
        for a in answers.iter().flatten() {
            for (key, (name, _)) in &a.versions {
                let requested = a.requested.contains(key);
                let entry = names.entry(key.clone()).or_insert((name.clone(), false));
                entry.1 |= requested;
            }
        }
        let reference = self.reference().and_then(|i| answers[i]);
        let mut rows: Vec<Row> = names
            .into_iter()
            .map(|(key, (name, requested))| {
                let wanted = reference.and_then(|r| r.versions.get(&key)).map(|v| &v.1);
                let cells = self
                    .columns
                    .iter()
                    .map(|c| match c {
                        Column::Pending => Cell::Pending,
                        Column::Failed(_) => Cell::Failed,
                        Column::Resolved(a) => match a.versions.get(&key) {
                            None => Cell::NotNeeded,
                            Some((_, version)) => Cell::Version {
                                version: version.clone(),
                                differs: reference.is_some() && wanted != Some(version),
                            },
                        },
                    })
                    .collect();
                Row {
                    name,
                    requested,
                    cells,
                }
            })
            .collect();
        rows.sort_by_key(|r| !r.requested);
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuntimeTable;

    fn answer(pairs: &[(&str, &str)], requested: &[&str]) -> Column {
        Column::Resolved(Answer {
            versions: pairs
                .iter()
                .map(|(n, v)| ((*n).to_string(), ((*n).to_string(), (*v).to_string())))
                .collect(),
            requested: requested.iter().map(ToString::to_string).collect(),
            wheel_bytes: 10,
            unknown_sizes: 0,
        })
    }

    fn grid() -> TargetGrid {
        let table = RuntimeTable::builtin();
        let targets = vec![
            table.target(Some("python3.11"), None).unwrap(),
            table.target(Some("python3.12"), None).unwrap(),
            table.target(Some("python3.12"), Some("arm64")).unwrap(),
        ];
        TargetGrid::new(targets)
    }

    #[test]
    fn versions_that_differ_from_the_newest_target_are_marked() {
        let mut g = grid();
        g.columns[0] = answer(&[("app", "1.0"), ("fastlib", "1.0")], &["app"]);
        g.columns[1] = answer(&[("app", "1.0"), ("fastlib", "2.0")], &["app"]);
        g.columns[2] = Column::Failed(Failure {
            headline: "no set of versions fits python3.12 on arm64".into(),
            explanation: vec![],
        });
        assert_eq!(g.reference(), Some(1));
        let rows = g.rows();
        assert_eq!(rows[0].name, "app");
        assert!(rows[0].requested);
        let fastlib = &rows[1];
        assert_eq!(
            fastlib.cells,
            vec![
                Cell::Version {
                    version: "1.0".into(),
                    differs: true
                },
                Cell::Version {
                    version: "2.0".into(),
                    differs: false
                },
                Cell::Failed
            ]
        );
        assert!(!g.all_resolve());
        assert_eq!(g.answered(), 3);
    }

    #[test]
    fn a_grid_still_filling_has_pending_cells_and_no_project_of_its_own() {
        let mut g = grid();
        assert!(g.rows().is_empty());
        assert_eq!(g.reference(), None);
        g.columns[2] = answer(&[("app", "1.0")], &["app"]);
        let rows = g.rows();
        assert_eq!(rows[0].cells[0], Cell::Pending);
        assert_eq!(g.answered(), 1);
    }
}
