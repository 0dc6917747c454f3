//! `p` in the export summary: `update` step by step (commands asserted, answers fed back as
//! the runner sends them), and each state drawn at 80x24 and 160x45.

use ratatui::crossterm::event::KeyCode;
use wheelbarrow::Hints as _;
use wheelbarrow::publish::PublishError;
use wheelbarrow::work::{Phase, Step};

use super::fixtures::{app_with_layer, ctrl, export_summary, key};
use super::panes::{render, sized, text};
use crate::tui::app::App;
use crate::tui::dialogs::{Dialog, export::ExportState};
use crate::tui::msg::{Command, Msg};
use crate::tui::publishing::{PublishOutcome, PublishPlan, PublishState};
use crate::tui::update::update;

const ARN: &str = "arn:aws:lambda:eu-west-1:123456789012:layer:layer-python3_12-x86_64:3";

fn snap(name: &str, app: &App) {
    let (w, h) = app.size;
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), text(&render(app)));
}

/// The export dialog over a finished export of the fixture layer.
fn exported(width: u16, height: u16) -> App {
    let mut app = sized(app_with_layer(width, height), (width, height));
    update(&mut app, key(KeyCode::Char('e')));
    let commands = update(&mut app, key(KeyCode::Enter));
    let [Command::Export { generation, .. }] = &commands[..] else {
        panic!("{commands:?}");
    };
    let generation = *generation;
    update(
        &mut app,
        Msg::Exported {
            generation,
            result: Ok(export_summary()),
        },
    );
    assert!(matches!(export_state(&app), ExportState::Done(_)));
    app
}

fn export_state(app: &App) -> ExportState {
    match &app.dialog {
        Some(Dialog::Export(d)) => d.state.clone(),
        other => panic!("no export dialog: {other:?}"),
    }
}

fn publish_state(app: &App) -> Option<PublishState> {
    match &app.dialog {
        Some(Dialog::Export(d)) => d.publish.clone(),
        other => panic!("no export dialog: {other:?}"),
    }
}

fn plan(size: u64) -> PublishPlan {
    PublishPlan {
        zip: "/work/layer-python3.12-x86_64.zip".into(),
        account: "123456789012".into(),
        region: "eu-west-1".into(),
        endpoint: None,
        layer_name: "layer-python3_12-x86_64".into(),
        description: "fastnum 2.0.0".into(),
        runtimes: vec!["python3.12".into()],
        architectures: vec![wheelbarrow::Arch::X86_64],
        size,
        direct_limit: 50 * 1024 * 1024,
    }
}

fn outcome(new_version: bool) -> PublishOutcome {
    PublishOutcome {
        layer_name: "layer-python3_12-x86_64".into(),
        arn: ARN.into(),
        version: 3,
        new_version,
        reason: if new_version {
            "the zip's bytes differ from version 2's".into()
        } else {
            "version 3 has the same bytes and settings".into()
        },
        region: "eu-west-1".into(),
        account: "123456789012".into(),
        record: "/work/layer-python3.12-x86_64.published.json".into(),
    }
}

/// An engine error as the app shows it: its words, then its hints in the app's terms.
fn describe<E: std::fmt::Display + wheelbarrow::Hints>(err: &E) -> String {
    crate::tui::failure::Failure::of(err).to_string()
}

/// `p`, then the runner's answer to the connect; returns the generation.
fn connect(app: &mut App, answer: Result<PublishPlan, String>) -> u64 {
    let commands = update(app, key(KeyCode::Char('p')));
    let [Command::ConnectPublish { generation, what }] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert_eq!(what.zip.to_str(), Some("/work/layer-python3.12-x86_64.zip"));
    assert_eq!(what.runtimes, ["python3.12"]);
    assert_eq!(what.architectures, [wheelbarrow::Arch::X86_64]);
    assert_eq!(what.description, "fastnum 2.0.0");
    let generation = *generation;
    assert_eq!(
        publish_state(app),
        Some(PublishState::Connecting { generation })
    );
    assert!(app.activity().contains(&"connecting to AWS".to_string()));
    update(
        app,
        Msg::PublishConnected {
            generation,
            result: answer.map_err(Into::into),
        },
    );
    generation
}

/// Enter over the confirmation; returns the plan sent.
fn confirm(app: &mut App, generation: u64) -> PublishPlan {
    let commands = update(app, key(KeyCode::Enter));
    let [
        Command::Publish {
            generation: g,
            plan,
        },
    ] = &commands[..]
    else {
        panic!("{commands:?}");
    };
    assert_eq!(*g, generation);
    assert!(matches!(
        publish_state(app),
        Some(PublishState::Publishing { step: None, .. })
    ));
    plan.clone()
}

#[test]
fn p_in_the_summary_connects_then_shows_account_region_name_runtimes_and_architectures() {
    let mut app = exported(80, 24);
    let generation = connect(&mut app, Ok(plan(15_000_000)));
    let Some(PublishState::Confirm { plan: shown, .. }) = publish_state(&app) else {
        panic!("{:?}", publish_state(&app));
    };
    assert_eq!(*shown, plan(15_000_000));
    let screen = text(&render(&app));
    for words in [
        "account 123456789012 · region eu-west-1",
        "Publish layer-python3_12-x86_64 as a new Lambda layer version?",
        "runtimes: python3.12",
        "architectures: x86_64",
        "goes up directly",
        "Enter publishes · Esc back to the summary",
    ] {
        assert!(screen.contains(words), "{words:?} not in\n{screen}");
    }
    assert_eq!(confirm(&mut app, generation), plan(15_000_000));
}

#[test]
fn publishing_shows_the_engines_steps_then_the_arn_and_version() {
    let mut app = exported(80, 24);
    let generation = connect(&mut app, Ok(plan(15_000_000)));
    confirm(&mut app, generation);
    for (phase, done, total) in [
        (Phase::Hashing, 5_000_000, Some(15_000_000)),
        (Phase::Comparing, 0, Some(1)),
        (Phase::Publishing, 0, None),
    ] {
        let step = Step::new(phase, done, total);
        update(
            &mut app,
            Msg::PublishProgress {
                generation,
                step: step.clone(),
            },
        );
        let Some(PublishState::Publishing { step: shown, .. }) = publish_state(&app) else {
            panic!("{:?}", publish_state(&app));
        };
        assert_eq!(shown, Some(step));
        assert!(text(&render(&app)).contains(phase.label()));
    }
    // A step of an older publish changes nothing.
    update(
        &mut app,
        Msg::PublishProgress {
            generation: generation + 7,
            step: Step::new(Phase::Uploading, 1, Some(2)),
        },
    );
    assert!(!text(&render(&app)).contains(Phase::Uploading.label()));
    update(
        &mut app,
        Msg::Published {
            generation,
            result: Ok(outcome(true)),
        },
    );
    assert_eq!(
        publish_state(&app),
        Some(PublishState::Published(Box::new(outcome(true))))
    );
    let screen = text(&render(&app));
    assert!(
        screen.contains("published layer-python3_12-x86_64 version 3 in eu-west-1"),
        "{screen}"
    );
    assert!(screen.contains("arn:aws:lambda:eu-west-1:123456789012"));
    assert!(screen.contains("layer-python3.12-x86_64.published.json"));
    update(&mut app, key(KeyCode::Enter));
    assert!(app.dialog.is_none(), "Enter over the result closes");
}

#[test]
fn the_same_bytes_already_published_say_unchanged_with_that_versions_arn() {
    let mut app = exported(160, 45);
    let generation = connect(&mut app, Ok(plan(15_000_000)));
    confirm(&mut app, generation);
    update(
        &mut app,
        Msg::Published {
            generation,
            result: Ok(outcome(false)),
        },
    );
    let screen = text(&render(&app));
    assert!(
        screen.contains(&format!("= unchanged: version 3, ARN {ARN}")),
        "{screen}"
    );
    assert!(!screen.contains("✓ published"));
    // Esc goes back to the summary; p there publishes again.
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(publish_state(&app), None);
    assert!(matches!(export_state(&app), ExportState::Done(_)));
    let again = update(&mut app, key(KeyCode::Char('p')));
    assert!(matches!(&again[..], [Command::ConnectPublish { .. }]));
}

#[test]
fn errors_show_the_engines_words_with_its_hints_and_p_tries_again() {
    let no_credentials = PublishError::NoCredentials {
        profile: None,
        detail: "the credential provider was not enabled".into(),
    };
    let denied = PublishError::AccessDenied {
        action: "lambda:PublishLayerVersion",
        detail: "User: arn:aws:iam::123456789012:user/ci is not authorized".into(),
    };
    let bucket = PublishError::NeedsBucket {
        zip: "/work/big.zip".into(),
        size: 60 << 20,
        limit: 50 << 20,
        region: "eu-west-1".into(),
    };
    let cases: [(&PublishError, &[&str]); 3] = [
        (
            &no_credentials,
            &[
                "no AWS credentials found",
                "AWS_ACCESS_KEY_ID",
                "restart with AWS_PROFILE=NAME",
            ],
        ),
        (
            &denied,
            &["the permission lambda:PublishLayerVersion is missing"],
        ),
        (
            &bucket,
            &[
                "has to go up through an S3 bucket in eu-west-1",
                "--s3-bucket BUCKET",
                "the app cannot name a bucket",
            ],
        ),
    ];
    for (err, words) in cases {
        let described = describe(err);
        for w in words {
            assert!(described.contains(w), "{w:?} not in {described}");
        }
        assert_eq!(
            !err.hints().is_empty(),
            described != err.to_string(),
            "a hint adds words, and only a hint: {described}"
        );
        let mut app = exported(160, 45);
        connect(&mut app, Err(described.clone()));
        assert_eq!(
            publish_state(&app),
            Some(PublishState::Failed(described.clone()))
        );
        let screen = text(&render(&app)).replace('\n', " ");
        assert!(screen.contains("✗ not published:"), "{screen}");
        assert!(screen.contains("p tries again · Esc back to the summary"));
        // The dialog stays usable: p connects again.
        let again = update(&mut app, key(KeyCode::Char('p')));
        assert!(
            matches!(&again[..], [Command::ConnectPublish { .. }]),
            "{again:?}"
        );
    }
    // An error of the publish itself (after Enter) lands the same way.
    let mut app = exported(80, 24);
    let generation = connect(&mut app, Ok(plan(15_000_000)));
    confirm(&mut app, generation);
    update(
        &mut app,
        Msg::Published {
            generation,
            result: Err(describe(&denied).into()),
        },
    );
    assert!(
        matches!(publish_state(&app), Some(PublishState::Failed(e)) if e.contains("lambda:PublishLayerVersion"))
    );
}

#[test]
fn over_50_mb_the_confirmation_says_a_bucket_is_needed_and_the_command_that_gives_one() {
    let mut app = exported(160, 45);
    connect(&mut app, Ok(plan(60 << 20)));
    let screen = text(&render(&app)).replace('\n', " ");
    assert!(
        screen.contains("is over the 50.0 MB Lambda takes in a direct upload"),
        "{screen}"
    );
    assert!(
        screen.contains("has to go through an S3 bucket"),
        "{screen}"
    );
    assert!(screen.contains("--s3-bucket BUCKET"), "{screen}");
    assert!(!screen.contains("goes up directly"));
}

#[test]
fn esc_steps_back_at_each_step_but_not_from_a_running_publish() {
    // Connecting: Esc cancels the connect; its late answer is dropped.
    let mut app = exported(80, 24);
    let commands = update(&mut app, key(KeyCode::Char('p')));
    let [Command::ConnectPublish { generation, .. }] = &commands[..] else {
        panic!("{commands:?}");
    };
    let generation = *generation;
    let back = update(&mut app, key(KeyCode::Esc));
    assert!(matches!(&back[..], [Command::CancelPublish]));
    assert_eq!(publish_state(&app), None);
    update(
        &mut app,
        Msg::PublishConnected {
            generation,
            result: Ok(plan(1)),
        },
    );
    assert_eq!(publish_state(&app), None, "a cancelled connect's answer");
    // Confirm: Esc back to the summary, a second Esc closes the dialog.
    connect(&mut app, Ok(plan(1)));
    assert!(update(&mut app, key(KeyCode::Esc)).is_empty());
    assert_eq!(publish_state(&app), None);
    assert!(matches!(export_state(&app), ExportState::Done(_)));
    update(&mut app, key(KeyCode::Esc));
    assert!(app.dialog.is_none());
    // Publishing: Esc leaves it on screen; Ctrl-C cancels through the token, not quitting.
    let mut app = exported(160, 45);
    let generation2 = connect(&mut app, Ok(plan(1)));
    confirm(&mut app, generation2);
    assert!(update(&mut app, key(KeyCode::Esc)).is_empty());
    assert!(matches!(
        publish_state(&app),
        Some(PublishState::Publishing { .. })
    ));
    let screen = text(&render(&app)).replace('\n', " ");
    assert!(
        screen.contains("during it a new version may exist"),
        "{screen}"
    );
    let cancel = update(&mut app, ctrl('c'));
    assert!(matches!(&cancel[..], [Command::CancelPublish]));
    assert!(!app.exit);
    assert!(matches!(
        publish_state(&app),
        Some(PublishState::Publishing {
            cancelling: true,
            ..
        })
    ));
    update(
        &mut app,
        Msg::Published {
            generation: generation2,
            result: Err(describe(&PublishError::Cancelled {
                maybe_published: true,
            })
            .into()),
        },
    );
    let screen = text(&render(&app)).replace('\n', " ");
    assert!(screen.contains("a new version may exist"), "{screen}");
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(publish_state(&app), None);
}

#[test]
fn p_outside_the_summary_types_into_the_path_or_does_nothing() {
    let mut app = sized(app_with_layer(80, 24), (80, 24));
    assert!(update(&mut app, key(KeyCode::Char('p'))).is_empty());
    assert!(app.dialog.is_none() && !app.exit);
    update(&mut app, key(KeyCode::Char('e')));
    let before = match &app.dialog {
        Some(Dialog::Export(d)) => d.input.value().to_string(),
        _ => unreachable!(),
    };
    assert!(update(&mut app, key(KeyCode::Char('p'))).is_empty());
    let Some(Dialog::Export(d)) = &app.dialog else {
        panic!("the dialog closed");
    };
    assert_eq!(
        d.input.value(),
        format!("{before}p"),
        "p is part of the path"
    );
    assert_eq!(d.publish, None);
    // While the export runs, p neither types nor publishes.
    update(&mut app, key(KeyCode::Backspace));
    update(&mut app, key(KeyCode::Enter));
    assert!(update(&mut app, key(KeyCode::Char('p'))).is_empty());
    assert!(matches!(export_state(&app), ExportState::Running { .. }));
    assert_eq!(publish_state(&app), None);
}

#[test]
fn a_layer_over_the_unzipped_limit_or_serving_nothing_is_refused_before_connecting() {
    for (fits, runtimes, words) in [
        (
            false,
            vec!["python3.12".to_string()],
            "no function could use it",
        ),
        (true, Vec::new(), "no compatible runtimes to list"),
    ] {
        let mut app = exported(80, 24);
        if let Some(Dialog::Export(d)) = &mut app.dialog {
            let mut summary = export_summary();
            summary.fits = fits;
            summary.runtimes = runtimes;
            d.state = ExportState::Done(summary);
        }
        assert!(update(&mut app, key(KeyCode::Char('p'))).is_empty());
        assert!(
            matches!(publish_state(&app), Some(PublishState::Failed(e)) if e.contains(words)),
            "{:?}",
            publish_state(&app)
        );
    }
}

#[test]
fn the_publish_states_are_drawn_at_both_sizes() {
    for (width, height) in [(80, 24), (160, 45)] {
        let mut app = exported(width, height);
        let mut with_endpoint = plan(15_000_000);
        with_endpoint.endpoint = Some("http://127.0.0.1:5000".into());
        let generation = connect(&mut app, Ok(with_endpoint));
        snap("publish_confirm", &app);
        confirm(&mut app, generation);
        update(
            &mut app,
            Msg::PublishProgress {
                generation,
                step: Step::new(Phase::Hashing, 5 << 20, Some(15 << 20)),
            },
        );
        snap("publish_progress", &app);
        update(
            &mut app,
            Msg::Published {
                generation,
                result: Ok(outcome(true)),
            },
        );
        snap("publish_result", &app);
        update(&mut app, key(KeyCode::Esc));
        let denied = PublishError::AccessDenied {
            action: "lambda:PublishLayerVersion",
            detail: "User: arn:aws:iam::123456789012:user/ci is not authorized".into(),
        };
        connect(&mut app, Err(describe(&denied)));
        snap("publish_error", &app);
    }
}
