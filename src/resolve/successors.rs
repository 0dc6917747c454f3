//! Dead ends and what people use instead (`assets/successors.json`, each entry with its source):
//! `cx_Oracle` → `oracledb`, psycopg2 → psycopg2-binary or psycopg[binary], pycrypto →
//! pycryptodome, ... Said when such a project has no wheel that loads on the target, and for
//! the abandoned ones (or those that load but fail on Lambda) whenever they are in a layer, with
//! whether each alternative loads on the target, read from its project page.

use std::fmt;
use std::sync::OnceLock;

use futures_util::future::join_all;
use serde::{Deserialize, Serialize};

use crate::index::IndexClient;
use crate::lambda::Target;
use crate::wheel::{newest_loadable, normalize_name};

#[derive(Debug, Clone, Deserialize)]
struct Table {
    projects: Vec<Entry>,
}

/// One dead end.
#[derive(Debug, Clone, Deserialize)]
struct Entry {
    /// PEP 503 name.
    project: String,
    when: When,
    why: String,
    source: String,
    instead: Vec<Choice>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum When {
    /// Abandoned, or loads but fails on Lambda: said whenever it is in a layer.
    Always,
    /// Said only when none of its wheels loads on the target.
    NoWheel,
}

#[derive(Debug, Clone, Deserialize)]
struct Choice {
    /// What to write in requirements (`psycopg[binary]`).
    requirement: String,
    /// The project whose wheels decide whether it loads (the extra's package), when not the
    /// requirement's own.
    check: Option<String>,
    note: String,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_str(include_str!("../../assets/successors.json"))
            .expect("assets/successors.json is checked by its tests")
    })
}

/// What to use instead of `project`, and whether each alternative loads on the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instead {
    /// The project as the index spells it.
    pub project: String,
    /// Why it is a dead end, in words.
    pub why: String,
    /// Where that is written.
    pub source: String,
    pub alternatives: Vec<Alternative>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alternative {
    pub requirement: String,
    pub note: String,
    /// The newest release with a wheel that loads on the target, when one does.
    pub loads: Option<String>,
    /// The target, for the words.
    pub target: String,
    /// Why it could not be told (the index did not answer), if so.
    pub unknown: Option<String>,
}

impl fmt::Display for Instead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}. Instead:", self.project, self.why)?;
        for (i, a) in self.alternatives.iter().enumerate() {
            let loads = match (&a.loads, &a.unknown) {
                (Some(v), _) => format!("{v} loads on {}", a.target),
                (None, Some(why)) => format!("not looked up: {why}"),
                (None, None) => format!("no release loads on {} either", a.target),
            };
            let sep = if i == 0 { " " } else { "; or " };
            write!(f, "{sep}{} ({}; {loads})", a.requirement, a.note)?;
        }
        write!(f, ". (Source: {})", self.source)
    }
}

/// Whether `project` is a dead end worth saying so even when it resolves.
pub fn always(project: &str) -> bool {
    entry(project).is_some_and(|e| e.when == When::Always)
}

/// Whether anything is known about `project`.
pub fn known(project: &str) -> bool {
    entry(project).is_some()
}

fn entry(project: &str) -> Option<&'static Entry> {
    let key = normalize_name(project);
    table().projects.iter().find(|e| e.project == key)
}

/// What to use instead of each of `projects` (as the index spells them) that is known, each
/// alternative looked up on the index for `target` (pages fetched together).
pub async fn instead(client: &IndexClient, projects: &[String], target: &Target) -> Vec<Instead> {
    let known: Vec<(&String, &Entry)> = projects
        .iter()
        .filter_map(|p| entry(p).map(|e| (p, e)))
        .collect();
    let lookups = known.iter().flat_map(|(_, e)| {
        e.instead.iter().map(|c| {
            let name = c.check.clone().unwrap_or_else(|| base_name(&c.requirement));
            async move { client.project(&name).await }
        })
    });
    let mut pages = join_all(lookups).await.into_iter();
    known
        .into_iter()
        .map(|(project, e)| Instead {
            project: project.clone(),
            why: e.why.clone(),
            source: e.source.clone(),
            alternatives: e
                .instead
                .iter()
                .map(|c| {
                    let (loads, unknown) = match pages.next() {
                        Some(Ok(page)) => (newest_loadable(&page, target), None),
                        Some(Err(err)) => (None, Some(err.to_string())),
                        None => (None, Some("not asked".into())),
                    };
                    Alternative {
                        requirement: c.requirement.clone(),
                        note: c.note.clone(),
                        loads,
                        target: target.to_string(),
                        unknown,
                    }
                })
                .collect(),
        })
        .collect()
}

/// Says what people use instead of a dead end: of a project with no wheel that loads (when
/// nothing resolves), or of an abandoned one in the result.
pub(super) async fn with_successors(
    client: &IndexClient,
    solved: Result<super::Resolution, super::ResolveError>,
    target: &Target,
) -> Result<super::Resolution, super::ResolveError> {
    match solved {
        Ok(mut resolution) => {
            let dead: Vec<String> = resolution
                .packages
                .iter()
                .filter(|p| always(&p.name))
                .map(|p| p.name.clone())
                .collect();
            if !dead.is_empty() {
                resolution.instead = instead(client, &dead, target).await;
            }
            Ok(resolution)
        }
        Err(super::ResolveError::NoSolution(mut no)) => {
            let stuck: Vec<String> = no
                .advice
                .iter()
                .filter_map(super::advice::Advice::without_wheel)
                .filter(|p| known(p))
                .map(str::to_string)
                .collect();
            for instead in instead(client, &stuck, target).await {
                let advice = super::advice::Advice::Instead(Box::new(instead));
                no.explanation.push(advice.to_string());
                no.conflict
                    .clashes
                    .push(super::conflict::Clash::NoneLoads(advice.clone()));
                no.advice.push(advice);
            }
            Err(super::ResolveError::NoSolution(no))
        }
        Err(e) => Err(e),
    }
}

/// `psycopg[binary]` → `psycopg`.
fn base_name(requirement: &str) -> String {
    requirement
        .split(['[', ' ', ';', '=', '<', '>', '!', '~'])
        .next()
        .unwrap_or(requirement)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_and_every_entry_has_a_source_and_an_alternative() {
        let table = table();
        assert!(table.projects.len() >= 8);
        for e in &table.projects {
            assert_eq!(e.project, normalize_name(&e.project), "{}", e.project);
            assert!(e.source.starts_with("https://"), "{}", e.project);
            assert!(!e.instead.is_empty(), "{}", e.project);
            assert!(
                !e.why.ends_with('.'),
                "{}: the words add the stop",
                e.project
            );
        }
        assert!(always("cx_Oracle"));
        assert!(!always("psycopg2"));
        assert!(known("psycopg2"));
        assert!(!known("requests"));
        assert_eq!(base_name("psycopg[binary]"), "psycopg");
        assert_eq!(base_name("oracledb>=2"), "oracledb");
    }

    #[test]
    fn the_words_say_each_alternative_and_whether_it_loads() {
        let instead = Instead {
            project: "cx-Oracle".into(),
            why: "it is continued as python-oracledb".into(),
            source: "https://example.org/doc".into(),
            alternatives: vec![
                Alternative {
                    requirement: "oracledb".into(),
                    note: "thin mode needs no client".into(),
                    loads: Some("2.5.1".into()),
                    target: "python3.11 on x86_64".into(),
                    unknown: None,
                },
                Alternative {
                    requirement: "other".into(),
                    note: "also".into(),
                    loads: None,
                    target: "python3.11 on x86_64".into(),
                    unknown: None,
                },
            ],
        };
        assert_eq!(
            instead.to_string(),
            "cx-Oracle: it is continued as python-oracledb. Instead: oracledb (thin mode needs no client; 2.5.1 loads on python3.11 on x86_64); or other (also; no release loads on python3.11 on x86_64 either). (Source: https://example.org/doc)"
        );
    }
}
