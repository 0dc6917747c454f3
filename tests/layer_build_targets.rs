//! The workspace building one layer for several targets in one call, against a loopback index
//! (`support::matrix`: fastlib 1.0 on python3.11, fastlib 2.0 with helper on python3.12,
//! nothing on python3.13): one site-packages tree per runtime or one python/ tree for all,
//! every resolution answered with its explanation when it fails, and nothing written when one
//! fails or the work is cancelled.

mod support;

use support::rt;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::{IndexOptions, TestIndex, WheelBuilder};
use tokio_util::sync::CancellationToken;
use wheelbarrow::index::{IndexClient, IndexSettings};
use wheelbarrow::layer::LayerError;
use wheelbarrow::layer::{
    BuildEvent, LayerSpec, Layout, TargetsBuildError, TargetsBuilt, Workspace, targets_named,
};
use wheelbarrow::resolve::{ResolveError, parse_requirement};
use wheelbarrow::work::{Phase, Progress, Step};
use wheelbarrow::{RuntimeTable, Target};

/// The loopback index, a workspace over it and a scratch folder (removed on drop).
struct Setup {
    index: TestIndex,
    table: Arc<RuntimeTable>,
    workspace: Workspace,
    dir: PathBuf,
}

impl Setup {
    fn new(tag: &str) -> Setup {
        let index = TestIndex::start(IndexOptions::default());
        support::matrix::add_fixture(&index);
        let dir = std::env::temp_dir().join(format!("wb-targets-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let settings = IndexSettings::for_index(&index.simple(), dir.join("cache")).unwrap();
        let table = Arc::new(RuntimeTable::builtin());
        let workspace = Workspace::new(IndexClient::new(settings).unwrap(), table.clone());
        Setup {
            index,
            table,
            workspace,
            dir,
        }
    }

    fn spec(&self, picks: &[&str], layout: Layout) -> LayerSpec {
        let mut spec = LayerSpec::new(self.table.default_target());
        for p in picks {
            spec.add(parse_requirement(p, "test").unwrap());
        }
        spec.plan.layout = layout;
        spec
    }

    /// The runtimes named, on x86_64.
    fn targets(&self, runtimes: &[&str]) -> Vec<Target> {
        let runtimes: Vec<String> = runtimes.iter().map(ToString::to_string).collect();
        targets_named(&self.table, &runtimes, &["x86_64".to_string()]).unwrap()
    }

    fn out(&self) -> PathBuf {
        self.dir.join("out").join("layer.zip")
    }

    /// Builds with a fresh token; the keys of the targets whose resolutions answered, in the
    /// order heard, beside the answer.
    fn build(
        &self,
        spec: &LayerSpec,
        targets: &[Target],
    ) -> (Result<TargetsBuilt, TargetsBuildError>, Vec<String>) {
        let heard = Mutex::new(Vec::new());
        let result = rt().block_on(self.workspace.build_targets(
            spec,
            targets,
            &self.out(),
            &Progress::none(),
            &CancellationToken::new(),
            |event| {
                if let BuildEvent::Resolved(outcome) = event {
                    heard.lock().unwrap().push(outcome.target.key());
                }
            },
        ));
        let mut heard = heard.into_inner().unwrap();
        heard.sort();
        (result, heard)
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn versions(r: &wheelbarrow::resolve::Resolution) -> Vec<String> {
    r.included()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect()
}

/// Every file in the folder `dir` (none when it does not exist).
fn files_in(dir: &Path) -> Vec<String> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    read.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn zip_names(zip: &Path) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
        .collect()
}

#[test]
fn two_runtimes_are_resolved_each_and_written_side_by_side_in_one_call() {
    let s = Setup::new("two");
    let spec = s.spec(&["fastlib"], Layout::SitePackages);
    let (result, heard) = s.build(&spec, &s.targets(&["python3.11", "python3.12"]));
    let TargetsBuilt::Written {
        resolutions,
        exported,
    } = result.unwrap()
    else {
        panic!("both runtimes resolve");
    };
    assert_eq!(heard, ["python3.11/x86_64", "python3.12/x86_64"]);
    let got: Vec<_> = resolutions
        .iter()
        .map(|r| (r.target.key(), versions(r)))
        .collect();
    assert_eq!(
        got,
        [
            ("python3.11/x86_64".to_string(), vec!["fastlib 1.0".into()]),
            (
                "python3.12/x86_64".to_string(),
                vec!["fastlib 2.0".to_string(), "helper 1.0".into()]
            ),
        ]
    );
    assert_eq!(exported.served.runtimes, ["python3.11", "python3.12"]);
    let names = zip_names(&s.out());
    for (minor, file) in [
        (11, "fastlib-1.0.dist-info/WHEEL"),
        (12, "helper/__init__.py"),
    ] {
        let path = format!("python/lib/python3.{minor}/site-packages/{file}");
        assert!(names.contains(&path), "{path} not in {names:?}");
    }
    assert!(exported.lock_path.is_file() && exported.publish_path.is_file());
    assert!(
        exported
            .publish_command
            .contains("--compatible-runtimes python3.11 python3.12")
    );
}

#[test]
fn a_python_tree_for_two_runtimes_is_one_resolution_serving_both() {
    let s = Setup::new("python");
    let spec = s.spec(&["helper"], Layout::Python);
    let (result, heard) = s.build(&spec, &s.targets(&["python3.11", "python3.12"]));
    let (resolutions, exported) = result.unwrap().written().unwrap();
    // Anchored on the newest runtime; the other is one the wheels must also load on.
    assert_eq!(heard, ["python3.12/x86_64"]);
    assert_eq!(resolutions.len(), 1);
    let portable = resolutions[0].portable.as_ref().expect("resolved for both");
    let keys: Vec<String> = portable.targets.iter().map(Target::key).collect();
    assert_eq!(keys, ["python3.12/x86_64", "python3.11/x86_64"]);
    // A pure wheel: the tree serves the two asked for (and more).
    for asked in ["python3.11", "python3.12"] {
        assert!(exported.served.runtimes.iter().any(|r| r == asked));
    }
    assert!(zip_names(&s.out()).contains(&"python/helper/__init__.py".to_string()));
}

#[test]
fn a_runtime_that_cannot_resolve_is_explained_beside_the_other_and_nothing_is_written() {
    let s = Setup::new("fails");
    let spec = s.spec(&["fastlib"], Layout::SitePackages);
    let (result, heard) = s.build(&spec, &s.targets(&["python3.12", "python3.13"]));
    assert_eq!(heard, ["python3.12/x86_64", "python3.13/x86_64"]);
    let TargetsBuilt::Unresolved(outcomes) = result.unwrap() else {
        panic!("python3.13 has no fastlib wheel");
    };
    assert_eq!(outcomes.len(), 2);
    assert_eq!(outcomes[0].target.key(), "python3.12/x86_64");
    let resolved = outcomes[0].result.as_ref().expect("python3.12 resolves");
    assert_eq!(versions(resolved), ["fastlib 2.0", "helper 1.0"]);
    assert_eq!(outcomes[1].target.key(), "python3.13/x86_64");
    let Err(ResolveError::NoSolution(no)) = &outcomes[1].result else {
        panic!("python3.13: {:?}", outcomes[1].result);
    };
    assert_eq!(no.target, "python3.13 on x86_64");
    assert!(
        no.explanation.iter().any(|l| l.contains("fastlib")),
        "{:?}",
        no.explanation
    );
    assert_eq!(files_in(&s.dir.join("out")), Vec::<String>::new());

    // `written` answers with the failure, worded as a resolution alone words it.
    let (result, _) = s.build(&spec, &s.targets(&["python3.12", "python3.13"]));
    let failure = result.unwrap().written().unwrap_err();
    let mut alone = spec.clone();
    alone.target = s.targets(&["python3.13"]).remove(0);
    let single = rt()
        .block_on(
            s.workspace
                .resolve(&alone, &Progress::none(), &CancellationToken::new()),
        )
        .unwrap_err();
    assert_eq!(failure.to_string(), single.to_string());
}

#[test]
fn a_cancel_while_resolving_or_writing_leaves_nothing_written() {
    let s = Setup::new("cancel");
    // Enough files that the zip reports progress before its last one.
    let mut many = WheelBuilder::new("many", "1.0");
    for i in 0..300 {
        many = many.file(&format!("many/m{i}.py"), b"");
    }
    s.index.add_wheel(&many.build());
    let spec = s.spec(&["fastlib", "many"], Layout::SitePackages);
    let targets = s.targets(&["python3.11", "python3.12"]);
    let out_dir = s.dir.join("out");

    // While resolving: helper (python3.12's) is slow; the cancel comes with python3.11's answer.
    s.index.delay("/simple/helper/", Duration::from_secs(30));
    let cancel = CancellationToken::new();
    let started = std::time::Instant::now();
    let result = rt().block_on(s.workspace.build_targets(
        &spec,
        &targets,
        &s.out(),
        &Progress::none(),
        &cancel,
        |event| {
            if let BuildEvent::Resolved(_) = event {
                cancel.cancel();
            }
        },
    ));
    assert!(
        matches!(
            result,
            Err(TargetsBuildError::Resolve(ResolveError::Cancelled))
        ),
        "{result:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(25), "not stopped");
    assert_eq!(files_in(&out_dir), Vec::<String>::new());
    s.index.delay("/simple/helper/", Duration::ZERO);

    // While writing: the zip's temporary file holds 256 files when the cancel comes.
    let cancel = CancellationToken::new();
    let (stop, begun) = (cancel.clone(), Arc::new(Mutex::new(Vec::new())));
    let (seen, dir) = (begun.clone(), out_dir.clone());
    let progress = Progress::new(move |step: &Step| {
        if step.phase == Phase::Writing && step.done < step.total.unwrap_or(0) {
            *seen.lock().unwrap() = files_in(&dir);
            stop.cancel();
        }
    });
    let result = rt().block_on(s.workspace.build_targets(
        &spec,
        &targets,
        &s.out(),
        &progress,
        &cancel,
        |_| {},
    ));
    assert!(
        matches!(result, Err(TargetsBuildError::Layer(LayerError::Cancelled))),
        "{result:?}"
    );
    assert_eq!(begun.lock().unwrap().len(), 1, "the zip was not begun");
    assert_eq!(files_in(&out_dir), Vec::<String>::new());

    // The same workspace then builds.
    let (result, _) = s.build(&spec, &targets);
    assert!(
        matches!(result, Ok(TargetsBuilt::Written { .. })),
        "{result:?}"
    );
    assert!(s.out().is_file());
}
