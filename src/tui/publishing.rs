//! Publishing from the export summary (`p`): the states the dialog goes through, and the
//! runner's side of the two engine calls (`Session::connect`, then `Session::publish`).
//!
//! ```text
//!  Done(summary) ──p──▶ Connecting ──runner: check, connect──▶ Confirm(plan) ──Enter──▶
//!  Publishing(step) ──runner: publish──▶ Published(outcome) │ Failed(words and hints)
//!  Esc: Connecting (cancelled) / Confirm / Published / Failed ──▶ back to the summary
//!  Ctrl-C while publishing: the token; the engine says whether a version may exist
//! ```
//!
//! The types here are plain data, so that `update` and the screens do not depend on the
//! `publish` feature; only the runner's side calls the engine.

use std::path::PathBuf;

use wheelbarrow::Arch;
use wheelbarrow::work::Step;

/// What the confirmation shows: the runner's answer to the connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishPlan {
    pub zip: PathBuf,
    pub account: String,
    pub region: String,
    /// Where requests go when not AWS's own endpoints (`AWS_ENDPOINT_URL`).
    pub endpoint: Option<String>,
    pub layer_name: String,
    pub description: String,
    pub runtimes: Vec<String>,
    pub architectures: Vec<Arch>,
    /// The zip's size in bytes.
    pub size: u64,
    /// Lambda's limit for a zip sent with the request; over it, S3 is needed.
    pub direct_limit: u64,
}

impl PublishPlan {
    /// Over the direct-upload limit: the zip has to go through an S3 bucket.
    pub fn needs_bucket(&self) -> bool {
        self.size > self.direct_limit
    }
}

/// What publishing ended with: a new version, or the newest one found unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishOutcome {
    pub layer_name: String,
    pub arn: String,
    pub version: i64,
    /// False: the newest version already had these bytes and settings.
    pub new_version: bool,
    /// Why, in the engine's words.
    pub reason: String,
    pub region: String,
    pub account: String,
    /// Where the record was written beside the zip.
    pub record: PathBuf,
}

/// Where publishing from the export summary is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishState {
    /// Checking the zip and connecting (credentials, region, account) in the runner.
    Connecting {
        generation: u64,
    },
    /// Waiting for Enter.
    Confirm {
        generation: u64,
        plan: Box<PublishPlan>,
    },
    /// The engine is at work; `cancelling` once Ctrl-C was pressed.
    Publishing {
        generation: u64,
        plan: Box<PublishPlan>,
        step: Option<Step>,
        cancelling: bool,
    },
    Published(Box<PublishOutcome>),
    /// Why not, with the engine's hints in the app's words.
    Failed(String),
}

/// The runner's side: the connection the confirmation shows (its jobs run in the runner's
/// `Publish` slot, which owns their token).
#[derive(Default)]
pub struct Publisher {
    #[cfg(feature = "publish")]
    session: std::sync::Arc<std::sync::Mutex<Option<(u64, wheelbarrow::publish::Session)>>>,
}

/// What the summary hands to the connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToPublish {
    pub zip: PathBuf,
    pub description: String,
    pub runtimes: Vec<String>,
    pub architectures: Vec<Arch>,
}

#[cfg(not(feature = "publish"))]
pub const NOT_BUILT_IN: &str = "publishing is not built into this wheelbarrow (it was built without the `publish` feature): run the publish script beside the zip (it calls the AWS CLI), or a wheelbarrow built with the feature";

#[cfg(not(feature = "publish"))]
mod absent {
    use wheelbarrow::RuntimeTable;

    use super::super::failure::Failure;
    use super::super::msg::Msg;
    use super::super::runner::{Job, Jobs, Slot};
    use super::{NOT_BUILT_IN, PublishPlan, Publisher, ToPublish};

    // The same signatures as with the feature, where the session is kept.
    #[allow(clippy::unused_self)]
    impl Publisher {
        pub fn connect(
            &mut self,
            jobs: &mut Jobs,
            _table: &RuntimeTable,
            generation: u64,
            _what: ToPublish,
        ) {
            jobs.spawn(
                Job::new(Slot::Publish, "connecting to AWS"),
                move |_| async move {
                    let result = Err(Failure::said(NOT_BUILT_IN));
                    Msg::PublishConnected { generation, result }
                },
                move |e| Msg::PublishConnected {
                    generation,
                    result: Err(e),
                },
            );
        }

        pub fn publish(
            &mut self,
            jobs: &mut Jobs,
            _table: &RuntimeTable,
            generation: u64,
            _plan: PublishPlan,
        ) {
            jobs.spawn(
                Job::new(Slot::Publish, "publishing").answering_cancel(),
                move |_| async move {
                    let result = Err(Failure::said(NOT_BUILT_IN));
                    Msg::Published { generation, result }
                },
                move |e| Msg::Published {
                    generation,
                    result: Err(e),
                },
            );
        }
    }
}

#[cfg(feature = "publish")]
mod engine {
    use std::sync::Arc;

    use wheelbarrow::RuntimeTable;
    use wheelbarrow::publish::{
        AwsSettings, PublishError, PublishRequest, Session, check_request, record_path,
    };
    use wheelbarrow::text::clean;
    use wheelbarrow::work::{Progress, Step};

    use super::super::failure::Failure;
    use super::super::msg::Msg;
    use super::super::runner::{Job, Jobs, Slot};
    use super::{PublishOutcome, PublishPlan, Publisher, ToPublish};

    impl Publisher {
        /// Checks the request against Lambda's limits and the zip (no network), then connects
        /// with the credentials and region the AWS CLI would use; keeps the session for the
        /// publish of this generation. A cancel answers nothing.
        pub fn connect(
            &mut self,
            jobs: &mut Jobs,
            table: &RuntimeTable,
            generation: u64,
            what: ToPublish,
        ) {
            let (table, slot) = (table.clone(), self.session.clone());
            jobs.spawn(
                Job::new(Slot::Publish, "connecting to AWS"),
                move |token| async move {
                    let connected = async {
                        let request = request(&what, &table);
                        let size = check_request(&request, &table)?;
                        let session = Session::connect(&AwsSettings::default(), &token).await?;
                        let plan = PublishPlan {
                            zip: what.zip,
                            account: session.account.clone(),
                            region: session.region.clone(),
                            endpoint: session.endpoint.as_deref().map(|e| clean(e).into_owned()),
                            layer_name: request.layer_name,
                            description: what.description,
                            runtimes: what.runtimes,
                            architectures: what.architectures,
                            size,
                            direct_limit: table.limits.zipped_direct_upload_bytes,
                        };
                        if let Ok(mut slot) = slot.lock() {
                            *slot = Some((generation, session));
                        }
                        Ok::<_, PublishError>(plan)
                    };
                    let result = match connected.await {
                        Err(PublishError::Cancelled { .. }) => return None,
                        result => result.map_err(|e| Failure::of(&e)),
                    };
                    Some(Msg::PublishConnected { generation, result })
                },
                move |e| Msg::PublishConnected {
                    generation,
                    result: Err(e),
                },
            );
        }

        /// Publishes `plan` through the session its connect made. Answers after a cancel too,
        /// with the engine's words for what a cancel left.
        pub fn publish(
            &mut self,
            jobs: &mut Jobs,
            table: &RuntimeTable,
            generation: u64,
            plan: PublishPlan,
        ) {
            let session = self.session.lock().ok().and_then(|mut s| s.take());
            let table = Arc::new(table.clone());
            let progress_tx = jobs.sender().clone();
            let progress = Progress::new(move |step: &Step| {
                let _ = progress_tx.send(Msg::PublishProgress {
                    generation,
                    step: step.clone(),
                });
            });
            jobs.spawn(
                Job::new(Slot::Publish, "publishing").answering_cancel(),
                move |token| async move {
                    let result =
                        published(session, generation, plan, &table, &progress, &token).await;
                    Msg::Published { generation, result }
                },
                move |e| Msg::Published {
                    generation,
                    result: Err(e),
                },
            );
        }
    }

    /// What `Session::publish` of `plan` gave, through the session of this generation.
    async fn published(
        session: Option<(u64, Session)>,
        generation: u64,
        plan: PublishPlan,
        table: &RuntimeTable,
        progress: &Progress,
        token: &tokio_util::sync::CancellationToken,
    ) -> Result<PublishOutcome, Failure> {
        let Some((_, session)) = session.filter(|(g, _)| *g == generation) else {
            return Err(Failure::said(
                "the connection for this publish is gone: press p to connect again",
            ));
        };
        let what = ToPublish {
            zip: plan.zip.clone(),
            description: plan.description.clone(),
            runtimes: plan.runtimes.clone(),
            architectures: plan.architectures.clone(),
        };
        let request = request(&what, table);
        let published = session
            .publish(&request, table, progress, token)
            .await
            .map_err(|e| Failure::of(&e))?;
        Ok(PublishOutcome {
            layer_name: published.layer_name,
            arn: published.layer_version_arn,
            version: published.version,
            new_version: published.new_version,
            reason: published.reason,
            region: published.region,
            account: published.account,
            record: record_path(&published.zip),
        })
    }

    /// The request: the zip's layer name, the packages as description, the served set.
    fn request(what: &ToPublish, table: &RuntimeTable) -> PublishRequest {
        let name = wheelbarrow::layer::layer_name(&what.zip, &table.limits);
        PublishRequest::new(&what.zip, name)
            .description(what.description.clone())
            .runtimes(what.runtimes.clone())
            .architectures(what.architectures.clone())
    }
}
