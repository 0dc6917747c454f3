//! The workspace resolving one set on many targets against a loopback index: the answers equal
//! one resolution per target, each identical request reaches the index once although the
//! targets resolve at once, progress counts targets, and a cancel mid-matrix leaves the
//! workspace usable.

mod support;

use support::rt;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::wheel::WheelBuilder;
use support::{IndexOptions, TestIndex};
use tokio_util::sync::CancellationToken;
use wheelbarrow::index::{FileSource, FindLinks, IndexClient, IndexSettings};
use wheelbarrow::layer::{LayerSpec, TargetGrid, Workspace, targets_named};
use wheelbarrow::resolve::{ResolveError, parse_requirement};
use wheelbarrow::work::{Phase, Progress, Step};
use wheelbarrow::{RuntimeTable, Target};

struct Setup {
    index: TestIndex,
    table: Arc<RuntimeTable>,
    cache: PathBuf,
}

impl Setup {
    fn new(tag: &str) -> Setup {
        let index = TestIndex::start(IndexOptions::default());
        support::matrix::add_fixture(&index);
        let cache = std::env::temp_dir().join(format!("wb-matrix-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&cache);
        Setup {
            index,
            table: Arc::new(RuntimeTable::builtin()),
            cache,
        }
    }

    /// A workspace with a cache of its own (`name` under this setup's folder).
    fn workspace(&self, name: &str) -> Workspace {
        self.workspace_with(name, Vec::new())
    }

    /// The same, with find-links locations searched beside the index.
    fn workspace_with(&self, name: &str, find_links: Vec<FindLinks>) -> Workspace {
        let mut settings =
            IndexSettings::for_index(&self.index.simple(), self.cache.join(name)).unwrap();
        settings.find_links = find_links;
        Workspace::new(IndexClient::new(settings).unwrap(), self.table.clone())
    }

    fn spec(&self, picks: &[&str]) -> LayerSpec {
        let mut spec = LayerSpec::new(self.table.default_target());
        for p in picks {
            spec.add(parse_requirement(p, "test").unwrap());
        }
        spec
    }

    fn targets(&self, runtimes: &[&str]) -> Vec<Target> {
        let runtimes: Vec<String> = runtimes.iter().map(ToString::to_string).collect();
        targets_named(&self.table, &runtimes, &[]).unwrap()
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.cache);
    }
}

fn versions(r: &wheelbarrow::resolve::Resolution) -> BTreeMap<String, String> {
    r.packages
        .iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect()
}

#[test]
fn each_target_gets_what_its_own_resolution_gets_and_a_failure_keeps_its_explanation() {
    let s = Setup::new("agree");
    let rt = rt();
    let (none, cancel) = (Progress::none(), CancellationToken::new());
    let spec = s.spec(&["fastlib"]);
    let targets = s.targets(&["python3.11", "python3.12", "python3.13"]);
    let matrix = s.workspace("matrix");
    let outcomes = rt
        .block_on(matrix.resolve_targets(&spec, &targets, &none, &cancel, |_, _| {}))
        .unwrap();
    assert_eq!(outcomes.len(), 6);
    let alone = s.workspace("alone");
    for (target, outcome) in targets.iter().zip(&outcomes) {
        assert_eq!(&outcome.target, target);
        let mut one = spec.clone();
        one.target = target.clone();
        let single = rt.block_on(alone.resolve(&one, &none, &cancel));
        match (&outcome.result, single) {
            (Ok(m), Ok(r)) => assert_eq!(versions(m), versions(&r), "{target}"),
            (Err(m), Err(r)) => assert_eq!(m.to_string(), r.to_string(), "{target}"),
            (m, r) => panic!("{target}: the matrix says {m:?}, a resolution {r:?}"),
        }
    }
    let on311 = outcomes[0].result.as_ref().unwrap();
    assert_eq!(versions(on311)["fastlib"], "1.0");
    let on312 = outcomes[2].result.as_ref().unwrap();
    assert_eq!(versions(on312)["fastlib"], "2.0");
    assert_eq!(versions(on312)["helper"], "1.0");
    let grid = TargetGrid::of(&outcomes);
    let Some(wheelbarrow::layer::Column::Failed(failure)) = grid.columns.get(4) else {
        panic!(
            "python3.13 on x86_64 should not resolve: {:?}",
            grid.columns.get(4)
        );
    };
    assert_eq!(
        failure.headline,
        "no set of versions fits python3.13 on x86_64"
    );
    assert!(
        failure.explanation.iter().any(|l| l.contains("fastlib")),
        "{failure:?}"
    );
    assert_eq!(
        grid.reference(),
        Some(2),
        "python3.12 on x86_64 is the newest that resolves"
    );
}

#[test]
fn with_a_find_links_folder_each_target_still_gets_what_its_own_resolution_gets() {
    let s = Setup::new("links");
    // The folder adds a newer helper and fastlib 1.0 for python3.13 (which the index lacks);
    // it holds nothing of the other projects.
    let dir = s.cache.join("wheels");
    std::fs::create_dir_all(&dir).unwrap();
    let mut wheels = vec![WheelBuilder::new("helper", "1.1").build()];
    for arch in ["x86_64", "aarch64"] {
        wheels.push(
            WheelBuilder::new("fastlib", "1.0")
                .tag(&format!("cp313-cp313-manylinux_2_17_{arch}"))
                .build(),
        );
    }
    for w in &wheels {
        std::fs::write(dir.join(&w.filename), &w.bytes).unwrap();
    }
    let links = FindLinks::parse_list(dir.to_str().unwrap(), "--find-links", &dir).unwrap();
    let rt = rt();
    let (none, cancel) = (Progress::none(), CancellationToken::new());
    let spec = s.spec(&["fastlib"]);
    let targets = s.targets(&["python3.11", "python3.12", "python3.13"]);
    let matrix = s.workspace_with("matrix", links.clone());
    let outcomes = rt
        .block_on(matrix.resolve_targets(&spec, &targets, &none, &cancel, |_, _| {}))
        .unwrap();
    let alone = s.workspace_with("alone", links);
    for (target, outcome) in targets.iter().zip(&outcomes) {
        let mut one = spec.clone();
        one.target = target.clone();
        let single = rt.block_on(alone.resolve(&one, &none, &cancel)).unwrap();
        let m = outcome.result.as_ref().unwrap();
        assert_eq!(versions(m), versions(&single), "{target}");
        let sources = |r: &wheelbarrow::resolve::Resolution| -> Vec<FileSource> {
            r.packages.iter().map(|p| p.source.clone()).collect()
        };
        assert_eq!(sources(m), sources(&single), "{target}");
    }
    let on313 = outcomes[4].result.as_ref().unwrap();
    assert_eq!(versions(on313)["fastlib"], "1.0");
    assert!(matches!(on313.packages[0].source, FileSource::FindLinks(_)));
    let on312 = outcomes[2].result.as_ref().unwrap();
    assert_eq!(
        versions(on312)["helper"],
        "1.1",
        "the folder's newer helper"
    );
    assert_eq!(
        on312
            .packages
            .iter()
            .find(|p| p.name == "fastlib")
            .unwrap()
            .source,
        FileSource::Index
    );
}

#[test]
fn targets_resolving_at_once_ask_the_index_for_each_thing_once_and_report_n_of_m() {
    let s = Setup::new("once");
    // Slow answers keep the targets' requests in flight together.
    s.index.delay("/simple/", Duration::from_millis(150));
    let rt = rt();
    let steps = Arc::new(Mutex::new(Vec::new()));
    let seen = steps.clone();
    let progress = Progress::new(move |step: &Step| seen.lock().unwrap().push(step.clone()));
    let spec = s.spec(&["fastlib"]);
    let targets = s.targets(&["python3.11", "python3.12"]);
    let outcomes = rt
        .block_on(s.workspace("w").resolve_targets(
            &spec,
            &targets,
            &progress,
            &CancellationToken::new(),
            |_, _| {},
        ))
        .unwrap();
    assert!(outcomes.iter().all(|o| o.result.is_ok()));
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in s.index.requests() {
        *counts.entry(r.path).or_default() += 1;
    }
    assert!(counts.contains_key("/simple/fastlib/"), "{counts:?}");
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "asked more than once: {twice:?}");
    let steps = steps.lock().unwrap();
    assert!(steps.iter().all(|s| s.phase == Phase::ResolvingTargets));
    let done: Vec<u64> = steps.iter().map(|s| s.done).collect();
    assert_eq!(done, [0, 1, 2, 3, 4]);
    assert!(steps.iter().all(|s| s.total == Some(4)));
}

#[test]
fn a_cancel_mid_matrix_stops_it_and_the_workspace_answers_after() {
    let s = Setup::new("cancel");
    // helper (needed on python3.12 only) is slow: the python3.11 targets answer first.
    s.index.delay("/simple/helper/", Duration::from_secs(30));
    let rt = rt();
    let spec = s.spec(&["fastlib"]);
    let targets = s.targets(&["python3.11", "python3.12"]);
    let workspace = s.workspace("w");
    let cancel = CancellationToken::new();
    let answered = Arc::new(Mutex::new(Vec::new()));
    let (stop, seen) = (cancel.clone(), answered.clone());
    let started = std::time::Instant::now();
    let result = rt.block_on(workspace.resolve_targets(
        &spec,
        &targets,
        &Progress::none(),
        &cancel,
        move |at, _| {
            seen.lock().unwrap().push(at);
            stop.cancel();
        },
    ));
    assert!(matches!(result, Err(ResolveError::Cancelled)), "{result:?}");
    assert_eq!(answered.lock().unwrap().len(), 1);
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "the cancel did not stop the slow targets"
    );
    s.index.delay("/simple/helper/", Duration::ZERO);
    let again = rt
        .block_on(workspace.resolve_targets(
            &spec,
            &targets,
            &Progress::none(),
            &CancellationToken::new(),
            |_, _| {},
        ))
        .unwrap();
    let fastlib: Vec<String> = again
        .iter()
        .map(|o| versions(o.result.as_ref().unwrap())["fastlib"].clone())
        .collect();
    assert_eq!(fastlib, ["1.0", "1.0", "2.0", "2.0"]);
}
