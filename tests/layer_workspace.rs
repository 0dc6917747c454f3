//! The layer workspace against a loopback index: re-asking after a change of target, layout or
//! pin gives the new answer, unchanged projects are not fetched again, a pinned file is the one
//! installed (or refused with its reason), and a panicking worker is an internal error.

mod support;

use support::rt;

use std::path::PathBuf;
use std::sync::Arc;

use support::{IndexOptions, TestIndex, WheelBuilder};
use tokio_util::sync::CancellationToken;
use wheelbarrow::RuntimeTable;
use wheelbarrow::index::{IndexClient, IndexSettings};
use wheelbarrow::layer::{LayerError, LayerSpec, Layout, Workspace};
use wheelbarrow::resolve::{ResolveError, parse_requirement};
use wheelbarrow::work::{Phase, Progress, Step};

fn index() -> TestIndex {
    let index = TestIndex::start(IndexOptions::default());
    let add = |b: WheelBuilder| {
        index.add_wheel(&b.build());
    };
    // fastlib 2.0: a cp312 extension and a pure fallback; 1.0 pure only.
    add(WheelBuilder::new("fastlib", "2.0").tag("cp312-cp312-manylinux_2_17_x86_64"));
    add(WheelBuilder::new("fastlib", "2.0"));
    add(WheelBuilder::new("fastlib", "1.0"));
    // modern 3.0 needs glibc 2.28 (python3.12 has it, python3.11 does not); 2.5 loads on both.
    add(WheelBuilder::new("modern", "3.0")
        .tag("py3-none-manylinux_2_28_x86_64")
        .requires_dist("helper"));
    add(WheelBuilder::new("modern", "2.5").requires_dist("helper"));
    add(WheelBuilder::new("helper", "1.0"));
    add(WheelBuilder::new("other", "1.0"));
    index
}

struct Setup {
    index: TestIndex,
    workspace: Workspace,
    table: Arc<RuntimeTable>,
    cache: PathBuf,
}

impl Setup {
    /// The paths the index was asked for, in order.
    fn asked(&self) -> Vec<String> {
        self.index.requests().into_iter().map(|r| r.path).collect()
    }
}

fn setup(tag: &str) -> Setup {
    let index = index();
    let cache = std::env::temp_dir().join(format!("wb-workspace-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    let client =
        IndexClient::new(IndexSettings::for_index(&index.simple(), cache.clone()).unwrap())
            .unwrap();
    let table = Arc::new(RuntimeTable::builtin());
    Setup {
        workspace: Workspace::new(client, table.clone()),
        table,
        cache,
        index,
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.cache);
    }
}

fn spec(s: &Setup, runtime: &str, picks: &[&str]) -> LayerSpec {
    let mut spec = LayerSpec::new(s.table.target(Some(runtime), Some("x86_64")).unwrap());
    for p in picks {
        spec.add(parse_requirement(p, "test").unwrap());
    }
    spec
}

fn versions(r: &wheelbarrow::resolve::Resolution) -> Vec<String> {
    r.packages
        .iter()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect()
}

#[test]
fn a_change_of_target_gives_the_new_answer_and_switching_back_is_kept() {
    let s = setup("target");
    let (none, cancel) = (Progress::none(), CancellationToken::new());
    let rt = rt();
    let on312 = spec(&s, "python3.12", &["modern"]);
    let on311 = spec(&s, "python3.11", &["modern"]);
    let first = rt
        .block_on(s.workspace.resolve(&on312, &none, &cancel))
        .unwrap();
    assert_eq!(versions(&first), ["helper 1.0", "modern 3.0"]);
    let other = rt
        .block_on(s.workspace.resolve(&on311, &none, &cancel))
        .unwrap();
    assert_eq!(versions(&other), ["helper 1.0", "modern 2.5"]);
    let before = s.asked().len();
    let again = rt
        .block_on(s.workspace.resolve(&on312, &none, &cancel))
        .unwrap();
    assert!(
        Arc::ptr_eq(&first, &again),
        "switching back is the kept answer"
    );
    assert_eq!(s.asked().len(), before, "and asks the index nothing");
}

#[test]
fn a_change_of_layout_changes_the_tree_but_not_the_resolution() {
    let s = setup("layout");
    let (none, cancel) = (Progress::none(), CancellationToken::new());
    let rt = rt();
    let mut spec = spec(&s, "python3.12", &["other"]);
    let resolution = rt
        .block_on(s.workspace.resolve(&spec, &none, &cancel))
        .unwrap();
    let site = rt
        .block_on(s.workspace.plan(&spec, &resolution, &none, &cancel))
        .unwrap();
    assert!(
        site.files
            .iter()
            .all(|f| f.path.starts_with("python/lib/python3.12/site-packages/")),
        "{:?}",
        site.files
    );
    spec.plan.layout = Layout::Python;
    let again = rt
        .block_on(s.workspace.resolve(&spec, &none, &cancel))
        .unwrap();
    assert!(Arc::ptr_eq(&resolution, &again));
    let flat = rt
        .block_on(s.workspace.plan(&spec, &again, &none, &cancel))
        .unwrap();
    assert!(
        flat.files
            .iter()
            .any(|f| f.path == "python/other/__init__.py")
    );
    assert!(!flat.files.iter().any(|f| f.path.contains("site-packages")));
}

#[test]
fn adding_a_pick_fetches_only_the_new_project() {
    let s = setup("add");
    let (none, cancel) = (Progress::none(), CancellationToken::new());
    let rt = rt();
    let mut spec = spec(&s, "python3.12", &["modern"]);
    let first = rt
        .block_on(s.workspace.resolve(&spec, &none, &cancel))
        .unwrap();
    rt.block_on(s.workspace.plan(&spec, &first, &none, &cancel))
        .unwrap();
    let before = s.asked().len();
    spec.add(parse_requirement("other", "test").unwrap());
    let second = rt
        .block_on(s.workspace.resolve(&spec, &none, &cancel))
        .unwrap();
    rt.block_on(s.workspace.plan(&spec, &second, &none, &cancel))
        .unwrap();
    let asked: Vec<String> = s.asked()[before..].to_vec();
    assert_eq!(versions(&second), ["helper 1.0", "modern 3.0", "other 1.0"]);
    assert!(!asked.is_empty());
    assert!(
        asked.iter().all(|path| path.contains("other")),
        "only the new project is fetched: {asked:?}"
    );
}

#[test]
fn a_pinned_file_is_the_one_installed() {
    let s = setup("pin");
    let (none, cancel) = (Progress::none(), CancellationToken::new());
    let rt = rt();
    let mut spec = spec(&s, "python3.12", &["fastlib"]);
    let best = rt
        .block_on(s.workspace.resolve(&spec, &none, &cancel))
        .unwrap();
    assert_eq!(
        best.packages[0].filename,
        "fastlib-2.0-cp312-cp312-manylinux_2_17_x86_64.whl"
    );
    assert!(!best.packages[0].pinned_file);
    spec.pin_file("fastlib", "2.0", "fastlib-2.0-py3-none-any.whl")
        .unwrap();
    let pinned = rt
        .block_on(s.workspace.resolve(&spec, &none, &cancel))
        .unwrap();
    assert_eq!(pinned.packages[0].filename, "fastlib-2.0-py3-none-any.whl");
    assert!(pinned.packages[0].pinned_file && pinned.packages[0].requested);
    assert_eq!(spec.picks.len(), 1, "the pin replaced the earlier pick");
}

#[test]
fn a_pinned_file_that_does_not_load_is_refused_with_its_reason_and_the_version_that_does() {
    let s = setup("pin-refused");
    let (none, cancel) = (Progress::none(), CancellationToken::new());
    let rt = rt();
    let mut spec = spec(&s, "python3.11", &[]);
    spec.pin_file(
        "fastlib",
        "2.0",
        "fastlib-2.0-cp312-cp312-manylinux_2_17_x86_64.whl",
    )
    .unwrap();
    let err = rt
        .block_on(s.workspace.resolve(&spec, &none, &cancel))
        .unwrap_err();
    let ResolveError::PinnedFileRefused(refusal) = &err else {
        panic!("{err}");
    };
    assert_eq!(refusal.loads.as_deref(), Some("2.0"));
    assert_eq!(
        err.to_string(),
        "fastlib-2.0-cp312-cp312-manylinux_2_17_x86_64.whl does not load on python3.11 on x86_64: \
         CPython 3.12 extension; this runtime is 3.11. fastlib 2.0 has a file that loads there."
    );
    spec.pin_file("fastlib", "2.0", "fastlib-2.0-nowhere.whl")
        .unwrap();
    let err = rt
        .block_on(s.workspace.resolve(&spec, &none, &cancel))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "fastlib has no file named fastlib-2.0-nowhere.whl on the index"
    );
}

#[test]
fn planning_reports_each_wheel_read_n_of_m() {
    let s = setup("progress");
    let cancel = CancellationToken::new();
    let rt = rt();
    let spec = spec(&s, "python3.12", &["modern", "other"]);
    let steps = Arc::new(std::sync::Mutex::new(Vec::<Step>::new()));
    let sink = steps.clone();
    let progress = Progress::new(move |step: &Step| sink.lock().unwrap().push(step.clone()));
    let resolution = rt
        .block_on(s.workspace.resolve(&spec, &progress, &cancel))
        .unwrap();
    rt.block_on(s.workspace.plan(&spec, &resolution, &progress, &cancel))
        .unwrap();
    let steps = steps.lock().unwrap();
    let read: Vec<(u64, Option<u64>)> = steps
        .iter()
        .filter(|s| s.phase == Phase::ReadingWheels)
        .map(|s| (s.done, s.total))
        .collect();
    assert_eq!(
        read,
        [(0, Some(3)), (1, Some(3)), (2, Some(3)), (3, Some(3))]
    );
    assert!(
        steps
            .iter()
            .any(|s| s.phase == Phase::ReadingProjects && s.subject.as_deref() == Some("modern"))
    );
}

#[test]
fn a_panicking_worker_is_an_internal_error_not_a_cancellation() {
    let s = setup("panic");
    let cancel = CancellationToken::new();
    let rt = rt();
    let spec = spec(&s, "python3.12", &["other"]);
    let broken = Progress::new(|_: &Step| panic!("the sink broke"));
    let err = rt
        .block_on(s.workspace.resolve(&spec, &broken, &cancel))
        .unwrap_err();
    assert!(
        matches!(&err, ResolveError::Internal(m) if m == "the sink broke"),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "internal error while resolving: the sink broke"
    );
    let resolution = rt
        .block_on(s.workspace.resolve(&spec, &Progress::none(), &cancel))
        .unwrap();
    let out = s.cache.join("out.zip");
    let breaks_on_check = Progress::new(|step: &Step| {
        assert_ne!(step.phase, Phase::Checking, "the check sink broke");
    });
    let err = rt
        .block_on(
            s.workspace
                .export(&spec, &resolution, &out, &breaks_on_check, &cancel),
        )
        .unwrap_err();
    assert!(matches!(&err, LayerError::Internal(_)), "{err}");
    assert!(err.to_string().contains("the check sink broke"), "{err}");
    assert!(!out.exists());
}
