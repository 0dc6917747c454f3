//! `wheelbarrow search QUERY`: the project names that match, best first.

use super::out::say;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

use wheelbarrow::index::IndexClient;
use wheelbarrow::search::store::{ExactLookup, ListNotice, NameStore, exact_lookup};
use wheelbarrow::search::{History, Known, MatchKind, Matcher, Snapshot};
use wheelbarrow::work::Progress;

use super::SearchArgs;
use super::paint::Paint;
use super::progress::Line;

pub fn run(args: &SearchArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    let client = IndexClient::new(args.index.settings()?)?;
    let store = NameStore::for_client(&client);
    super::block_on(async {
        let refreshing = NameStore::is_stale(&client, store.load().as_ref());
        let label = if store.list_path().exists() {
            "Refreshing the project list:"
        } else {
            "Downloading the list of every project (once a day at most):"
        };
        let line = Line::new(Some(label.to_string()));
        let progress = if refreshing {
            line.sink()
        } else {
            Progress::none()
        };
        let opened = store.open(&client, &progress, &super::ctrl_c_token()).await;
        line.clear();
        if let Some(notice) = &opened.notice {
            say!("{}", super::paint::plain_screen(&notice_text(notice)));
        }
        let list = opened.stored.map(|s| s.list).unwrap_or_default();
        let picked = History::default_path()
            .map(|p| History::load(&p).picked)
            .unwrap_or_default();
        let known = Arc::new(Known::builtin(&picked));
        let mut matcher = Matcher::new(Arc::new(list.clone()), known.clone());
        let mut snapshot = matcher.search(&args.query, 0, args.limit);
        if exact_lookup(&client, &list, &mut snapshot).await == ExactLookup::NotCached {
            let notice = ListNotice::ExactNotCached(args.query.trim().to_string());
            say!("{}", super::paint::plain_screen(&notice_text(&notice)));
        }
        if args.json {
            super::out::println(&serde_json::to_string_pretty(&snapshot.rows)?)?;
        } else {
            super::out::print(&paint.screen(&render(&snapshot, &known, paint)))?;
        }
        Ok(if snapshot.rows.is_empty() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    })
}

/// The engine's notice in the CLI's words (ages as people say them).
fn notice_text(notice: &ListNotice) -> String {
    match notice {
        ListNotice::RefreshFailed { error, age } => format!(
            "could not refresh the project list ({error}); using the one from {} ago",
            wheelbarrow::units::human_age(*age)
        ),
        other => other.to_string(),
    }
}

fn render(snapshot: &Snapshot, known: &Known, paint: Paint) -> String {
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
            (MatchKind::Known, _) if row.rank.is_some() => "most downloaded".into(),
            (MatchKind::Known, _) => "picked before".into(),
            (MatchKind::Prefix, _) => "starts with it".into(),
            (MatchKind::Substring, _) => "contains it".into(),
            (MatchKind::Fuzzy | MatchKind::Import, _) => "letters in order".into(),
        };
        let rank = row.rank.map(|r| format!("#{r}")).unwrap_or_default();
        let _ = writeln!(out, "{name}{pad}  {rank:>6}  {}", paint.muted(why));
    }
    if snapshot.rows.iter().any(|r| r.rank.is_some()) {
        let _ = writeln!(
            out,
            "{}",
            paint.muted(format_args!(
                "#N: the project's download rank over 30 days (the {} most downloaded, as of {})",
                wheelbarrow::units::grouped(known.ranks.len() as u64),
                known.ranks_as_of
            ))
        );
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
