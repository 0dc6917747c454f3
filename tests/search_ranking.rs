//! Ranking puts what people mean first, on a tenth of the real project list
//! (`tests/fixtures/search/names.txt.gz`, made by `scripts/make_search_fixture.py`; it keeps
//! every name near the queries below, so all the real decoys are there).

use std::io::Read;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use wheelbarrow::search::{Known, MatchKind, Matcher, NameList, SearchWorker, Snapshot};

fn names() -> NameList {
    let gz = include_bytes!("fixtures/search/names.txt.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .unwrap();
    NameList::from_names(text.lines().map(String::from))
}

fn matcher() -> Matcher {
    Matcher::new(Arc::new(names()), Arc::new(Known::builtin(&[])))
}

fn top(m: &mut Matcher, query: &str, n: usize) -> Vec<String> {
    m.search(query, 0, n)
        .rows
        .into_iter()
        .map(|r| r.name)
        .collect()
}

#[test]
fn an_exact_name_comes_first_whatever_its_spelling() {
    let mut m = matcher();
    for (query, expected) in [
        ("pyyaml", "PyYAML"),
        ("PyYAML", "PyYAML"),
        ("pydantic_core", "pydantic_core"),
        ("pydantic-core", "pydantic_core"),
        ("requests", "requests"),
        ("Django", "Django"),
    ] {
        let snapshot = m.search(query, 0, 5);
        let first = &snapshot.rows[0];
        assert_eq!(
            (first.name.to_lowercase().replace('_', "-"), first.kind),
            (expected.to_lowercase().replace('_', "-"), MatchKind::Exact),
            "{query}: {:?}",
            snapshot.rows
        );
    }
}

#[test]
fn prefixes_typos_and_import_names_find_the_intended_project_in_the_top_three() {
    let mut m = matcher();
    let cases = [
        // common prefixes
        ("req", "requests"),
        ("pyda", "pydantic"),
        ("nump", "numpy"),
        ("bot", "boto3"),
        ("fasta", "fastapi"),
        ("sqlalc", "sqlalchemy"),
        ("pand", "pandas"),
        ("djan", "django"),
        ("cryp", "cryptography"),
        ("orj", "orjson"),
        ("powert", "aws-lambda-powertools"),
        // typos
        ("pydntic", "pydantic"),
        ("reqeusts", "requests"),
        ("nunpy", "numpy"),
        ("pandsa", "pandas"),
        ("djnago", "django"),
        ("fastpai", "fastapi"),
        ("requets", "requests"),
        // import names
        ("yaml", "pyyaml"),
        ("sklearn", "scikit-learn"),
        ("cv2", "opencv-python-headless"),
        ("PIL", "pillow"),
        ("bs4", "beautifulsoup4"),
        ("jwt", "pyjwt"),
        ("dateutil", "python-dateutil"),
        ("dotenv", "python-dotenv"),
        ("Crypto", "pycryptodome"),
    ];
    let mut misses = Vec::new();
    for (query, expected) in cases {
        let got: Vec<String> = top(&mut m, query, 3)
            .into_iter()
            .map(|n| n.to_lowercase().replace(['_', '.'], "-"))
            .collect();
        if !got.iter().any(|n| n == expected) {
            misses.push(format!("{query:>10} -> {got:?} (wanted {expected})"));
        }
    }
    assert!(misses.is_empty(), "\n{}", misses.join("\n"));
}

#[test]
fn an_import_name_row_says_what_it_maps() {
    let mut m = matcher();
    let snapshot = m.search("yaml", 0, 5);
    let row = snapshot
        .rows
        .iter()
        .find(|r| r.kind == MatchKind::Import)
        .unwrap();
    assert_eq!(row.name, "PyYAML");
    assert_eq!(row.import.as_deref(), Some("yaml"));
}

#[test]
fn popular_projects_outrank_other_prefix_matches() {
    let mut m = matcher();
    let rows = m.search("req", 0, 10).rows;
    let requests = rows.iter().position(|r| r.name == "requests").unwrap();
    let req2 = rows.iter().position(|r| r.name == "req2");
    assert!(req2.is_none_or(|p| p > requests), "{rows:?}");
}

#[test]
fn typing_one_letter_at_a_time_narrows_to_the_same_answer_as_a_fresh_search() {
    let mut typed = matcher();
    let mut fresh = matcher();
    let mut last = None;
    for end in 1..="pydantic-se".len() {
        last = Some(typed.search(&"pydantic-se"[..end], end as u64, 20));
    }
    let last = last.unwrap();
    let direct = fresh.search("pydantic-se", 0, 20);
    assert_eq!(last.rows, direct.rows);
    assert_eq!(last.total, direct.total);
    assert!(last.total > 0);
}

#[test]
fn the_snapshot_has_the_count_and_only_the_top_rows_with_match_positions() {
    let mut m = matcher();
    let snapshot = m.search("flask", 7, 10);
    assert_eq!(snapshot.generation, 7);
    assert_eq!(snapshot.rows.len(), 10);
    assert!(snapshot.total > 100, "{}", snapshot.total);
    let flask = &snapshot.rows[0];
    assert_eq!(flask.name.to_lowercase(), "flask");
    assert_eq!(flask.positions, [0, 1, 2, 3, 4]);
    let empty = m.search("", 8, 10);
    assert_eq!(empty.total, names().len());
    assert_eq!(
        empty.rows.len(),
        10,
        "an empty query shows the most downloaded projects"
    );
    let list = names();
    for row in &empty.rows {
        assert!(
            list.find(&wheelbarrow::search::key_of(&row.name)).is_some(),
            "{} is not on this index",
            row.name
        );
    }
}

#[test]
fn the_worker_answers_the_latest_query_of_a_burst() {
    let (tx, rx) = mpsc::channel::<Snapshot>();
    let worker = SearchWorker::spawn(
        Arc::new(names()),
        Arc::new(Known::builtin(&[])),
        5,
        move |s| {
            let _ = tx.send(s);
        },
    );
    for (generation, query) in ["n", "nu", "num", "nump", "numpy"].iter().enumerate() {
        worker.query(query, generation as u64);
    }
    // Snapshots arrive for some of the queries, ending with the last one.
    let mut last = None;
    while let Ok(s) = rx.recv_timeout(Duration::from_secs(10)) {
        let done = s.generation == 4;
        last = Some(s);
        if done {
            break;
        }
    }
    let last = last.expect("a snapshot arrives");
    assert_eq!((last.generation, last.query.as_str()), (4, "numpy"));
    assert_eq!(last.rows[0].name, "numpy");
    drop(worker);
}

#[test]
fn an_empty_list_still_offers_known_projects_and_import_names() {
    let mut m = Matcher::new(Arc::new(NameList::default()), Arc::new(Known::builtin(&[])));
    let rows = m.search("yaml", 0, 5).rows;
    assert!(rows.iter().any(|r| r.name == "PyYAML"), "{rows:?}");
    let rows = m.search("reques", 0, 5).rows;
    assert_eq!(rows[0].name, "requests");
    for query in ["x", "internal-tool", "zz", ""] {
        m.search(query, 0, 5);
    }
}

/// Twenty everyday queries: the five most-downloaded projects whose names contain each one
/// (by the popularity list, among the fixture's names) should be on its first page of ten.
const EVERYDAY: [&str; 20] = [
    "pandas", "numpy", "boto", "aws", "fast", "redis", "django", "flask", "pytest", "sql", "json",
    "http", "yaml", "google", "azure", "lambda", "crypto", "data", "test", "requests",
];

#[test]
fn the_most_downloaded_matching_projects_are_on_the_first_page() {
    let list = names();
    let known = Known::builtin(&[]);
    let mut m = Matcher::new(Arc::new(names()), Arc::new(Known::builtin(&[])));
    let mut found = 0;
    let mut missed = Vec::new();
    for query in EVERYDAY {
        let mut popular: Vec<(u32, String)> = (0..list.len())
            .filter(|&i| String::from_utf8_lossy(list.key(i)).contains(query))
            .filter_map(|i| Some((known.rank(list.key(i))?, list.name(i).to_string())))
            .collect();
        popular.sort();
        let page: Vec<String> = top(&mut m, query, 10);
        for (_, name) in popular.iter().take(5) {
            if page.contains(name) {
                found += 1;
            } else {
                missed.push(format!("{query}: {name} not in {page:?}"));
            }
        }
    }
    println!("{found} of 100 on the first page");
    assert!(found >= 95, "{found} of 100:\n{}", missed.join("\n"));
}

#[test]
fn within_a_kind_of_match_more_downloaded_projects_come_first() {
    let mut m = matcher();
    let page = top(&mut m, "pandas", 10);
    let at = |name: &str| page.iter().position(|n| n == name);
    assert_eq!(page[0], "pandas", "{page:?}");
    // Popular prefixes, then popular names containing it, before any unlisted prefix.
    assert!(at("pandas-stubs") < at("pandas-gbq"), "{page:?}");
    assert!(at("pandas-gbq") < at("geopandas"), "{page:?}");
    assert!(at("geopandas") < at("pandasql"), "{page:?}");
    for decoy in ["pandas2", "Pandas3", "pandas-f", "pandas-x"] {
        assert!(
            at(decoy).is_none_or(|p| p > at("pandasql").unwrap()),
            "{page:?}"
        );
    }
    let page = top(&mut m, "numpy", 5);
    for decoy in ["numpy2", "numpya", "numpyi"] {
        assert!(!page.iter().any(|n| n == decoy), "{page:?}");
    }
    // (awscli is not among the fixture's names.)
    let page = top(&mut m, "aws", 5);
    assert!(
        page.iter().any(|n| n == "aws-lambda-powertools"),
        "{page:?}"
    );
}

#[test]
fn each_row_carries_the_download_rank_when_the_project_is_listed() {
    let mut m = matcher();
    let rows = m.search("boto", 0, 5).rows;
    let boto3 = rows.iter().find(|r| r.name == "boto3").unwrap();
    assert_eq!(boto3.rank, Some(1));
    let rows = m.search("pandas2", 0, 5).rows;
    let decoy = rows.iter().find(|r| r.name == "pandas2");
    assert!(decoy.is_none_or(|r| r.rank.is_none()), "{rows:?}");
}
