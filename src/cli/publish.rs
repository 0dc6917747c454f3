//! `wheelbarrow publish LAYER.zip --layer-name NAME` and `build … --publish`: the engine's
//! publish, with the credentials and region the AWS CLI would use, printed as text or JSON.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde_json::json;
use tokio_util::sync::CancellationToken;
use wheelbarrow::RuntimeTable;
use wheelbarrow::layer::Served;
use wheelbarrow::publish::{
    AwsSettings, PublishRequest, Published, Session, Upload, default_compatibility,
    parse_architectures, record_path,
};

use super::paint::Paint;
use super::progress::Line;

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The layer zip.
    #[arg(value_name = "LAYER.zip")]
    pub zip: PathBuf,
    /// The layer's name in Lambda: letters, digits, '-' and '_', at most 140 characters.
    #[arg(long, value_name = "NAME")]
    pub layer_name: String,
    #[command(flatten)]
    pub options: PublishOptions,
    /// Print the result as JSON (what is written beside the zip, and where).
    #[arg(long)]
    pub json: bool,
}

/// How to publish: shared by `publish` and `build --publish`.
#[derive(Debug, Clone, Default, Args)]
pub struct PublishOptions {
    /// The version's description, at most 256 characters (`build` describes its packages).
    #[arg(long)]
    pub description: Option<String>,
    /// AWS region (default: AWS_REGION, then the profile's `region`, as the AWS CLI finds it).
    #[arg(long)]
    pub region: Option<String>,
    /// AWS profile from ~/.aws/config (default: AWS_PROFILE, then `default`).
    #[arg(long)]
    pub profile: Option<String>,
    /// S3 bucket (in the same region) a zip over 50 MB goes through.
    #[arg(long, value_name = "BUCKET")]
    pub s3_bucket: Option<String>,
    /// Publish a new version even when the newest one has the same bytes and settings.
    #[arg(long)]
    pub force: bool,
    /// Compatible runtimes, at most 15 (default: every runtime the layer serves).
    #[arg(long, value_name = "RUNTIME", num_args = 1.., value_delimiter = ',')]
    pub compatible_runtimes: Vec<String>,
    /// Compatible architectures, x86_64 and/or arm64 (default: those the layer serves).
    #[arg(long, value_name = "ARCH", num_args = 1.., value_delimiter = ',')]
    pub compatible_architectures: Vec<String>,
}

impl PublishOptions {
    /// The options given, by flag, for refusing them where they do not apply.
    pub fn given(&self) -> Vec<&'static str> {
        let flags = [
            ("--description", self.description.is_some()),
            ("--region", self.region.is_some()),
            ("--profile", self.profile.is_some()),
            ("--s3-bucket", self.s3_bucket.is_some()),
            ("--force", self.force),
            (
                "--compatible-runtimes",
                !self.compatible_runtimes.is_empty(),
            ),
            (
                "--compatible-architectures",
                !self.compatible_architectures.is_empty(),
            ),
        ];
        flags
            .iter()
            .filter(|(_, on)| *on)
            .map(|(f, _)| *f)
            .collect()
    }

    fn settings(&self) -> AwsSettings {
        AwsSettings {
            region: self.region.clone(),
            profile: self.profile.clone(),
            timeout: None,
        }
    }

    /// The request for `zip`: runtimes and architectures as given, else as `served` says (or,
    /// without it, as the zip itself serves); `description` when none is given.
    pub fn request(
        &self,
        zip: &Path,
        layer_name: &str,
        description: Option<String>,
        served: Option<&Served>,
        table: &RuntimeTable,
    ) -> anyhow::Result<PublishRequest> {
        let mut request = PublishRequest::new(zip, layer_name).force(self.force);
        request.description = self.description.clone().or(description);
        request.s3_bucket.clone_from(&self.s3_bucket);
        let read;
        let served =
            if self.compatible_runtimes.is_empty() || self.compatible_architectures.is_empty() {
                match served {
                    Some(served) => Some(served),
                    None => {
                        read = default_compatibility(zip, table)?;
                        Some(&read)
                    }
                }
            } else {
                None
            };
        request.runtimes = match served {
            Some(s) if self.compatible_runtimes.is_empty() => s.runtimes.clone(),
            _ => self.compatible_runtimes.clone(),
        };
        request.architectures = match served {
            Some(s) if self.compatible_architectures.is_empty() => s.architectures.clone(),
            _ => parse_architectures(&self.compatible_architectures)?,
        };
        wheelbarrow::publish::check_settings(&request, table)?;
        Ok(request)
    }

    /// Connects, publishes with a progress line, and returns what was published.
    pub async fn publish(
        &self,
        request: &PublishRequest,
        table: &RuntimeTable,
        cancel: &CancellationToken,
    ) -> anyhow::Result<Published> {
        let session = Session::connect(&self.settings(), cancel).await?;
        let line = Line::new(None);
        let published = session.publish(request, table, &line.sink(), cancel).await;
        line.clear();
        Ok(published?)
    }
}

pub fn run(args: &PublishArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    let table = super::runtime_table();
    let request = args
        .options
        .request(&args.zip, &args.layer_name, None, None, &table)?;
    super::block_on(async {
        let cancel = super::ctrl_c_token();
        let published = args.options.publish(&request, &table, &cancel).await?;
        if args.json {
            super::out::println(&serde_json::to_string_pretty(&as_json(&published))?)?;
        } else {
            super::out::print(&paint.screen(&summary(&published, paint)))?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The record, and where it was written.
pub fn as_json(published: &Published) -> serde_json::Value {
    let mut value = json!(published);
    value["record"] = json!(record_path(&published.zip));
    value
}

/// What was published (or found unchanged), in words.
pub fn summary(p: &Published, paint: Paint) -> String {
    let mut out = String::new();
    let headline = if p.new_version {
        format!(
            "Published {} version {} in {} (account {}): {}.",
            p.layer_name, p.version, p.region, p.account, p.reason
        )
    } else {
        format!(
            "Unchanged, version {} of {} in {} (account {}): {}; no new version was published (--force publishes one anyway).",
            p.version, p.layer_name, p.region, p.account, p.reason
        )
    };
    let _ = writeln!(out, "{}", paint.strong(headline));
    let _ = writeln!(out, "{}", p.layer_version_arn);
    let _ = writeln!(
        out,
        "{}",
        paint.muted(format_args!(
            "Compatible runtimes: {}; architectures: {}. CodeSha256 {}.",
            list(&p.compatible_runtimes),
            list(&p.compatible_architectures),
            p.code_sha256
        ))
    );
    match &p.upload {
        Upload::S3 { bucket, key } => {
            let _ = writeln!(out, "Uploaded through s3://{bucket}/{key}.");
        }
        Upload::Direct | Upload::None => {}
    }
    let _ = writeln!(out, "Recorded in {}.", record_path(&p.zip).display());
    out
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none listed".into()
    } else {
        items.join(", ")
    }
}

/// `build --publish`: the publish options, checked before anything is built.
pub struct AfterBuild {
    options: PublishOptions,
    layer_name: String,
}

/// Checks `build`'s publish options before the build: refused without `--publish` (never
/// ignored), and held to Lambda's limits with it.
pub fn before_build(
    args: &super::BuildArgs,
    table: &RuntimeTable,
) -> anyhow::Result<Option<AfterBuild>> {
    if !args.publish {
        let mut given = args.aws.given();
        if args.layer_name.is_some() {
            given.insert(0, "--layer-name");
        }
        if !given.is_empty() {
            anyhow::bail!(
                "{} only apply with --publish; add --publish to publish the layer after building it",
                given.join(", ")
            );
        }
        return Ok(None);
    }
    let layer_name = args
        .layer_name
        .clone()
        .unwrap_or_else(|| wheelbarrow::layer::layer_name(&args.output, &table.limits));
    let nothing = Served {
        targets: Vec::new(),
        runtimes: Vec::new(),
        architectures: Vec::new(),
        left_out: Vec::new(),
    };
    args.aws
        .request(&args.output, &layer_name, None, Some(&nothing), table)?;
    Ok(Some(AfterBuild {
        options: args.aws.clone(),
        layer_name,
    }))
}

impl AfterBuild {
    /// Publishes what the build exported: the runtimes it serves unless others were given,
    /// described by its packages unless a description was given. A layer over the unzipped
    /// budget is not published (no function could use it).
    pub async fn publish(
        &self,
        exported: &wheelbarrow::layer::Exported,
        resolution: &wheelbarrow::resolve::Resolution,
        table: &RuntimeTable,
        cancel: &CancellationToken,
    ) -> anyhow::Result<Published> {
        if !exported.budget.fits {
            anyhow::bail!(
                "not published: {} is over Lambda's unzipped limit for a function and its layers, so no function could use it",
                exported.built.zip.display()
            );
        }
        let description = wheelbarrow::layer::layer_description(resolution, &table.limits);
        let request = self.options.request(
            &exported.built.zip,
            &self.layer_name,
            Some(description),
            Some(&exported.served),
            table,
        )?;
        self.options.publish(&request, table, cancel).await
    }
}
