//! The job contract: a panic answers the job's failure (and what waited stops waiting), the
//! answer of a replaced job is dropped, a cancel answers nothing or the job's own words, for
//! jobs on the runtime, on the blocking pool, and the publisher's. Each test runs on one
//! thread, so nothing the jobs do happens before the test awaits.

use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;
use wheelbarrow::Arch;

use super::super::failure::Failure;
use super::super::loading::Loadable;
use super::super::msg::{Command, Msg};
use super::super::publishing::{PublishPlan, ToPublish};
use super::super::tests::fixtures::app_with_layer;
use super::super::update::update;
use super::{Job, Jobs, Runner, Slot, blocking};

fn jobs() -> (Jobs, UnboundedReceiver<Msg>) {
    let (tx, rx) = unbounded_channel();
    (Jobs::new(tokio::runtime::Handle::current(), tx), rx)
}

/// Every message the jobs send, once all of them ended (the channel closes when the last
/// sender, `jobs`' and the tasks', is gone).
async fn all_answers(jobs: Jobs, mut rx: UnboundedReceiver<Msg>) -> Vec<Msg> {
    drop(jobs);
    let mut out = Vec::new();
    let collect = async {
        while let Some(msg) = rx.recv().await {
            out.push(msg);
        }
    };
    tokio::time::timeout(Duration::from_secs(10), collect)
        .await
        .expect("the jobs ended");
    out
}

/// The words of a `Msg::JobFailed` (what the test jobs answer on a panic).
fn failed_words(msg: &Msg) -> String {
    match msg {
        Msg::JobFailed(failure) => failure.to_string(),
        other => panic!("not a failure: {other:?}"),
    }
}

/// A resolution with a bug, found after its first step.
async fn lost_project() -> Msg {
    tokio::task::yield_now().await;
    panic!("the resolver lost a project")
}

#[tokio::test]
async fn a_resolution_that_panics_answers_an_internal_error_and_the_spinner_stops() {
    let mut app = app_with_layer(160, 45);
    app.layer.generation += 1;
    let generation = app.layer.generation;
    app.layer.resolution = Loadable::Loading;
    assert!(app.animating(), "resolving turns the spinner");
    let (mut jobs, rx) = jobs();
    jobs.spawn(
        Job::new(Slot::Layer, "resolving"),
        |_| lost_project(),
        move |e| Msg::Resolved {
            generation,
            result: Err(e),
        },
    );
    let answers = all_answers(jobs, rx).await;
    let [msg] = <[Msg; 1]>::try_from(answers).expect("one answer");
    update(&mut app, msg);
    assert!(app.layer.resolution.is_failed());
    assert_eq!(
        app.error.as_deref(),
        Some("internal error while resolving: the resolver lost a project")
    );
    assert!(!app.animating(), "{:?}", app.activity());
}

#[tokio::test]
async fn a_blocking_job_that_panics_answers_its_failure_with_the_panics_message() {
    let (mut jobs, rx) = jobs();
    jobs.spawn_blocking(
        Job::new(Slot::Save, "saving the picks"),
        |_| -> Msg { panic!("{} of {} written", 1, 3) },
        |e| Msg::Saved(Err(e)),
    );
    let answers = all_answers(jobs, rx).await;
    let [Msg::Saved(Err(failure))] = &answers[..] else {
        panic!("{answers:?}");
    };
    assert_eq!(
        failure.to_string(),
        "internal error while saving the picks: 1 of 3 written"
    );
}

#[tokio::test]
async fn a_panic_on_the_blocking_pool_inside_a_job_is_the_jobs_failure() {
    // As the matrix's offers and the name list's loader do: an empty answer no more.
    let (mut jobs, rx) = jobs();
    jobs.spawn(
        Job::new(Slot::Offers, "looking up the releases that load"),
        |_| async {
            let offers = blocking(|| -> super::super::msg::Offers { panic!("bad page") }).await;
            Msg::MatrixOffers(Ok(offers))
        },
        |e| Msg::MatrixOffers(Err(e)),
    );
    let answers = all_answers(jobs, rx).await;
    let [Msg::MatrixOffers(Err(failure))] = &answers[..] else {
        panic!("{answers:?}");
    };
    assert_eq!(
        failure.headline,
        "internal error while looking up the releases that load: bad page"
    );
}

#[tokio::test]
async fn the_answer_of_a_job_replaced_in_its_slot_is_dropped_even_when_it_comes() {
    let (mut jobs, rx) = jobs();
    let (release, released) = oneshot::channel::<()>();
    // The older job answers after a cancel too (as an export does), but only once released:
    // after the newer one started.
    jobs.spawn(
        Job::new(Slot::Export, "exporting").answering_cancel(),
        |_| async move {
            let _ = released.await;
            Msg::JobFailed(Failure::said("the older export"))
        },
        Msg::JobFailed,
    );
    jobs.spawn(
        Job::new(Slot::Export, "exporting").answering_cancel(),
        |_| async { Msg::JobFailed(Failure::said("the newer export")) },
        Msg::JobFailed,
    );
    release.send(()).unwrap();
    // Another slot is not replaced by them.
    jobs.spawn(
        Job::new(Slot::Peek, "looking a project up"),
        |_| async { Msg::JobFailed(Failure::said("a peek")) },
        Msg::JobFailed,
    );
    let answers = all_answers(jobs, rx).await;
    let mut words: Vec<String> = answers.iter().map(failed_words).collect();
    words.sort();
    assert_eq!(words, ["a peek", "the newer export"]);
}

#[tokio::test]
async fn cancelling_a_job_on_the_runtime_drops_it_and_answers_nothing() {
    /// Says when the job's future is dropped.
    struct Guard(Option<oneshot::Sender<()>>);
    impl Drop for Guard {
        fn drop(&mut self) {
            let _ = self.0.take().map(|tx| tx.send(()));
        }
    }
    let (mut jobs, rx) = jobs();
    let (dropped_tx, dropped) = oneshot::channel::<()>();
    let guard = Guard(Some(dropped_tx));
    jobs.spawn(
        Job::new(Slot::Targets, "resolving on each target"),
        |_| async move {
            let _guard = guard;
            std::future::pending::<()>().await;
            Msg::JobFailed(Failure::said("never"))
        },
        Msg::JobFailed,
    );
    tokio::task::yield_now().await;
    jobs.cancel(Slot::Targets);
    tokio::time::timeout(Duration::from_secs(10), dropped)
        .await
        .expect("the job was dropped")
        .unwrap();
    assert!(all_answers(jobs, rx).await.is_empty());
}

#[tokio::test]
async fn cancelling_a_blocking_job_hands_it_the_cancel_and_answers_as_it_says() {
    // One that says what a cancel left (as opening a layer zip does), and one whose answer a
    // cancel drops (as a completion's).
    let (mut jobs, rx) = jobs();
    let (started_tx, started) = std::sync::mpsc::channel::<()>();
    let watch = |started: std::sync::mpsc::Sender<()>, words: &'static str| {
        move |cancel: CancellationToken| {
            let _ = started.send(());
            while !cancel.is_cancelled() {
                std::thread::sleep(Duration::from_millis(2));
            }
            Msg::JobFailed(Failure::said(words))
        }
    };
    jobs.spawn_blocking(
        Job::new(Slot::OpenZip, "opening a layer zip").answering_cancel(),
        watch(started_tx.clone(), "opening cancelled"),
        Msg::JobFailed,
    );
    jobs.spawn_blocking(
        Job::new(Slot::Complete, "completing a path"),
        watch(started_tx, "completed anyway"),
        Msg::JobFailed,
    );
    for _ in 0..2 {
        // The blocking pool runs them on threads of its own.
        started
            .recv_timeout(Duration::from_secs(10))
            .expect("both jobs started");
    }
    jobs.cancel(Slot::OpenZip);
    jobs.cancel(Slot::Complete);
    let answers = all_answers(jobs, rx).await;
    let words: Vec<String> = answers.iter().map(failed_words).collect();
    assert_eq!(words, ["opening cancelled"]);
}

/// A folder of this test's own under the system's temporary folder, empty.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wb-tui-runner-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A runner whose index is a closed loopback port (nothing here reaches it) and whose cache is
/// `cache`.
fn runner_on(cache: &std::path::Path) -> (Runner, UnboundedReceiver<Msg>) {
    let settings =
        wheelbarrow::index::IndexSettings::for_index("http://127.0.0.1:9/simple/", cache.into())
            .unwrap();
    let client = wheelbarrow::index::IndexClient::new(settings).unwrap();
    let table = std::sync::Arc::new(wheelbarrow::RuntimeTable::builtin());
    let workspace = wheelbarrow::layer::Workspace::new(client, table);
    let (tx, rx) = unbounded_channel();
    let runner = Runner::new(workspace, tx, tokio::runtime::Handle::current());
    (runner, rx)
}

/// Every answer the runner's jobs send, once they all ended.
async fn runner_answers(runner: Runner, rx: UnboundedReceiver<Msg>) -> Vec<Msg> {
    let Runner { jobs, search, .. } = runner;
    drop(search); // its thread holds a sender too
    all_answers(jobs, rx).await
}

#[tokio::test]
async fn cancelling_the_publishers_connect_answers_nothing_and_its_publish_still_answers() {
    let cache = scratch("publish");
    let zip = cache.join("layer.zip");
    let what = ToPublish {
        zip: zip.clone(),
        description: "fastnum 2.0.0".into(),
        runtimes: vec!["python3.12".into()],
        architectures: vec![Arch::X86_64],
    };
    // Not cancelled, the connect answers (here: the zip is not there, found before any
    // connection is made).
    let (mut runner, rx) = runner_on(&cache);
    runner.run(Command::ConnectPublish {
        generation: 1,
        what: what.clone(),
    });
    let answers = runner_answers(runner, rx).await;
    assert!(
        matches!(
            &answers[..],
            [Msg::PublishConnected {
                generation: 1,
                result: Err(_)
            }]
        ),
        "{answers:?}"
    );
    // Cancelled (Esc while connecting), it answers nothing.
    let (mut runner, rx) = runner_on(&cache);
    runner.run(Command::ConnectPublish {
        generation: 2,
        what,
    });
    runner.run(Command::CancelPublish);
    let answers = runner_answers(runner, rx).await;
    assert!(answers.is_empty(), "{answers:?}");
    // A publish answers after a cancel too (the engine says what the cancel left; here there
    // is no connection to publish through).
    let (mut runner, rx) = runner_on(&cache);
    let plan = PublishPlan {
        zip,
        account: "123456789012".into(),
        region: "eu-west-1".into(),
        endpoint: None,
        layer_name: "layer".into(),
        description: "fastnum 2.0.0".into(),
        runtimes: vec!["python3.12".into()],
        architectures: vec![Arch::X86_64],
        size: 1,
        direct_limit: 50 << 20,
    };
    runner.run(Command::Publish {
        generation: 3,
        plan,
    });
    runner.run(Command::CancelPublish);
    let answers = runner_answers(runner, rx).await;
    assert!(
        matches!(
            &answers[..],
            [Msg::Published {
                generation: 3,
                result: Err(_)
            }]
        ),
        "{answers:?}"
    );
    let _ = std::fs::remove_dir_all(&cache);
}
