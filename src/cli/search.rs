//! `wheelbarrow search QUERY`: the project names that match, best first.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

use wheelbarrow::index::{IndexClient, IndexError};
use wheelbarrow::search::store::{NameStore, Stored};
use wheelbarrow::search::{History, Known, MatchKind, Matcher, NameList, SearchRow, Snapshot};

use super::SearchArgs;
use super::paint::Paint;
use super::progress::Progress;

pub fn run(args: &SearchArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    let settings = args.index.settings()?;
    let freshness = settings.names_freshness;
    let client = IndexClient::new(settings)?;
    let store = NameStore::for_client(&client);
    super::block_on(async {
        let stored = store.load();
        let stale = stored.as_ref().is_none_or(|s| s.meta.age() > freshness);
        let stored = if stale && !args.index.offline {
            refresh(&client, &store, stored).await?
        } else {
            stored
        };
        if stored.is_none() && args.index.offline {
            eprintln!(
                "offline, and the project list is not cached yet: only an exact name can be found"
            );
        }
        let list = stored.map(|s| s.list).unwrap_or_default();
        let picked = History::default_path()
            .map(|p| History::load(&p).picked)
            .unwrap_or_default();
        let mut matcher = Matcher::new(Arc::new(list.clone()), Arc::new(Known::builtin(&picked)));
        let mut snapshot = matcher.search(&args.query, 0, args.limit);
        if !snapshot.rows.iter().any(|r| r.kind == MatchKind::Exact) {
            exact_fallback(&client, &list, &mut snapshot).await;
        }
        if args.json {
            println!("{}", serde_json::to_string_pretty(&snapshot.rows)?);
        } else {
            print!("{}", render(&snapshot, paint));
        }
        Ok(if snapshot.rows.is_empty() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    })
}

/// Loads or refreshes the list with progress; a failed refresh falls back to a stale list.
async fn refresh(
    client: &IndexClient,
    store: &NameStore,
    stored: Option<Stored>,
) -> anyhow::Result<Option<Stored>> {
    let label = if stored.is_some() {
        "Refreshing the project list:"
    } else {
        "Downloading the list of every project (once a day at most):"
    };
    let progress = Progress::new(label);
    let fallback = stored.clone();
    let result = store
        .refresh(client, stored, &|got, total| progress.bytes(got, total))
        .await;
    progress.finish();
    match (result, fallback) {
        (Ok(s), _) => Ok(Some(s)),
        (Err(e), Some(old)) => {
            eprintln!(
                "could not refresh the project list ({e}); using the one from {} ago",
                wheelbarrow::units::human_age(old.meta.age())
            );
            Ok(Some(old))
        }
        (Err(e), None) => {
            eprintln!("could not download the project list ({e}); only an exact name can be found");
            Ok(None)
        }
    }
}

/// Without a list (or with an old one), a full project name still finds its project.
async fn exact_fallback(client: &IndexClient, list: &NameList, snapshot: &mut Snapshot) {
    let query = snapshot.query.trim();
    if query.is_empty() || list.find(&wheelbarrow::search::key_of(query)).is_some() {
        return;
    }
    match client.project(query).await {
        Ok(project) => {
            snapshot.rows.insert(
                0,
                SearchRow {
                    name: project.name,
                    kind: MatchKind::Exact,
                    positions: (0..query.len()).collect(),
                    import: None,
                },
            );
            snapshot.total += 1;
        }
        Err(IndexError::UnknownProject { .. } | IndexError::NotCached { .. }) => {}
        Err(e) => tracing::debug!("exact lookup of {query}: {e}"),
    }
}

fn render(snapshot: &Snapshot, paint: Paint) -> String {
    let mut out = String::new();
    let width = snapshot
        .rows
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(0);
    for row in &snapshot.rows {
        let name = highlight(&row.name, &row.positions, paint);
        let pad = " ".repeat(width.saturating_sub(row.name.len()));
        let why = match (row.kind, &row.import) {
            (MatchKind::Import, Some(import)) => format!("import {import} → {}", row.name),
            (MatchKind::Exact, _) => "exact name".into(),
            (MatchKind::Known, _) => "well-known".into(),
            (MatchKind::Prefix, _) => "starts with it".into(),
            (MatchKind::Substring, _) => "contains it".into(),
            (MatchKind::Fuzzy | MatchKind::Import, _) => "letters in order".into(),
        };
        let _ = writeln!(out, "{name}{pad}  {}", paint.muted(why));
    }
    let _ = writeln!(
        out,
        "{}",
        paint.muted(format_args!(
            "{} shown of {} matching names",
            snapshot.rows.len(),
            snapshot.total
        ))
    );
    out
}

fn highlight(name: &str, positions: &[usize], paint: Paint) -> String {
    name.char_indices()
        .map(|(i, c)| {
            if positions.contains(&i) {
                paint.strong(c)
            } else {
                c.to_string()
            }
        })
        .collect()
}
