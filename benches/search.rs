//! Search benchmark on the full project list of the configured index (downloaded once into the
//! cache if missing). Prints load time, memory, and keystroke-to-snapshot latency while typing
//! realistic queries one letter at a time through the search worker.
//!
//!     cargo bench --bench search

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use wheelbarrow::index::{IndexClient, IndexSettings};
use wheelbarrow::search::store::NameStore;
use wheelbarrow::search::{Known, NameList, SearchWorker};

const QUERIES: [&str; 14] = [
    "requests",
    "pydantic",
    "fastapi",
    "numpy",
    "boto3",
    "sqlalchemy",
    "psycopg2-binary",
    "aws-lambda-powertools",
    "opencv-python-headless",
    "pydntic",
    "scikit-learn",
    "beautifulsoup4",
    "yaml",
    "orjson",
];

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[allow(clippy::cast_precision_loss)] // figures printed to a tenth
fn main() {
    let settings = IndexSettings::from_environment(None).expect("index settings");
    let client = IndexClient::new(settings).expect("index client");
    let store = NameStore::for_client(&client);
    if store.load().is_none() {
        eprintln!("downloading the project list once...");
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(store.refresh(
            &client,
            None,
            &wheelbarrow::work::Progress::none(),
            &tokio_util::sync::CancellationToken::new(),
        ))
        .expect("project list");
    }
    let path = store.list_path().to_path_buf();

    // Load time: best and median of 7.
    let mut loads = Vec::new();
    let mut list = None;
    let before = rss_kb();
    for _ in 0..7 {
        let t = Instant::now();
        let l = NameList::load(&path).expect("stored list");
        loads.push(t.elapsed());
        list = Some(l);
    }
    let list = Arc::new(list.unwrap());
    let after = rss_kb();
    loads.sort();
    println!("names:                 {}", list.len());
    println!(
        "load cached list:      median {:?}, best {:?}",
        loads[3], loads[0]
    );
    println!(
        "list memory:           {:.1} MB held by the list (RSS grew {:.1} MB)",
        list.heap_bytes() as f64 / 1e6,
        after.saturating_sub(before) as f64 / 1e3
    );

    let (tx, rx) = mpsc::channel();
    let worker = SearchWorker::spawn(list.clone(), Arc::new(Known::builtin(&[])), 50, move |s| {
        let _ = tx.send((Instant::now(), s));
    });
    let mut latencies = Vec::new();
    let mut send_costs = Vec::new();
    let mut generation = 0u64;
    for _round in 0..3 {
        for query in QUERIES {
            for end in 1..=query.len() {
                generation += 1;
                let sent = Instant::now();
                worker.query(&query[..end], generation);
                send_costs.push(sent.elapsed());
                loop {
                    let (at, s) = rx.recv().unwrap();
                    if s.generation == generation {
                        latencies.push(at - sent);
                        break;
                    }
                }
            }
        }
    }
    latencies.sort();
    send_costs.sort();
    println!(
        "keystroke -> snapshot:  {} keystrokes, p50 {:?}, p95 {:?}, max {:?}",
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        latencies[latencies.len() - 1]
    );
    println!(
        "caller's cost to send:  max {:?} (the UI thread never waits on a search)",
        send_costs[send_costs.len() - 1]
    );

    // Fresh single searches (no narrowing) for the first letter, the worst case.
    let mut worst = Vec::new();
    for c in ['a', 'e', 's', 'p'] {
        generation += 1;
        let sent = Instant::now();
        worker.query(&c.to_string(), generation);
        loop {
            let (at, s) = rx.recv().unwrap();
            if s.generation == generation {
                worst.push((c, at - sent, s.total));
                break;
            }
        }
    }
    for (c, t, total) in worst {
        println!("single letter {c:?}:      {t:?} ({total} matches)");
    }
}
