//! One publish: check, hash, compare with the newest version, upload (directly or through S3),
//! publish, and write the record beside the zip.

use aws_sdk_lambda::operation::list_layer_versions::ListLayerVersionsError;
use aws_sdk_lambda::operation::publish_layer_version::PublishLayerVersionOutput;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{
    Architecture, LayerVersionContentInput, LayerVersionsListItem, Runtime,
};
use tokio_util::sync::CancellationToken;

use super::error::from_sdk;
use super::record::write_record;
use super::session::guarded;
use super::{
    Decision, Newest, PublishError, PublishRequest, Published, Session, Upload, check_request,
    code_sha256,
};
use crate::lambda::RuntimeTable;
use crate::text::clean;
use crate::work::{Phase, Progress, Step, join_failure};

impl Session {
    /// Publishes `request.zip` as a new version of `request.layer_name`, unless the newest
    /// version already has the same bytes and settings (and `request.force` is off). Writes the
    /// result beside the zip (`NAME.published.json`) either way.
    pub async fn publish(
        &self,
        request: &PublishRequest,
        table: &RuntimeTable,
        progress: &Progress,
        cancel: &CancellationToken,
    ) -> Result<Published, PublishError> {
        let size = check_request(request, table)?;
        let limit = table.limits.zipped_direct_upload_bytes;
        let needs_bucket = || PublishError::NeedsBucket {
            zip: request.zip.clone(),
            size,
            limit,
            region: self.region.clone(),
        };
        let direct = size <= limit;
        if !direct && request.force && request.s3_bucket.is_none() {
            return Err(needs_bucket());
        }
        let sha = {
            let (zip, progress, cancel) = (request.zip.clone(), progress.clone(), cancel.clone());
            tokio::task::spawn_blocking(move || code_sha256(&zip, size, &progress, &cancel))
                .await
                .map_err(|e| PublishError::Internal(format!("{:?}", join_failure(e))))??
        };
        let name = &request.layer_name;
        progress.report(&Step::new(Phase::Comparing, 0, Some(1)).about(name));
        let newest = self.newest(name, cancel).await?;
        progress.report(&Step::new(Phase::Comparing, 1, Some(1)).about(name));
        let decision = Decision::decide(newest.as_ref(), &sha, request);
        let record = |arn: String, version: i64, upload: Upload| Published {
            layer_name: name.clone(),
            layer_version_arn: arn,
            version,
            new_version: decision.publishes(),
            reason: decision.to_string(),
            region: self.region.clone(),
            account: self.account.clone(),
            code_sha256: sha.clone(),
            compatible_runtimes: request.runtimes.clone(),
            compatible_architectures: request
                .architectures
                .iter()
                .map(ToString::to_string)
                .collect(),
            upload,
            zip: request.zip.clone(),
        };
        if let (Decision::Unchanged { version }, Some(newest)) = (&decision, &newest) {
            let published = record(newest.arn.clone(), *version, Upload::None);
            write_record(&published)?;
            return Ok(published);
        }
        if !direct && request.s3_bucket.is_none() {
            return Err(needs_bucket());
        }
        let (content, upload) =
            Box::pin(self.content(request, &sha, (size, direct), progress, cancel)).await?;
        progress.report(&Step::new(Phase::Publishing, 0, Some(1)).about(name));
        let sent = if direct { size } else { 0 };
        let answer = self.publish_call(request, content, sent, cancel).await?;
        progress.report(&Step::new(Phase::Publishing, 1, Some(1)).about(name));
        let arn = answer
            .layer_version_arn()
            .map(|a| clean(a).into_owned())
            .ok_or_else(|| {
                PublishError::Internal("Lambda's answer holds no LayerVersionArn".into())
            })?;
        if let Some(theirs) = answer.content().and_then(|c| c.code_sha256())
            && theirs != sha
        {
            return Err(PublishError::Mismatch {
                arn,
                theirs: clean(theirs).into_owned(),
                ours: sha,
            });
        }
        let published = record(arn, answer.version(), upload);
        write_record(&published)?;
        Ok(published)
    }

    /// The zip for the request: its bytes when small enough for a direct upload, else an S3
    /// object put there first.
    async fn content(
        &self,
        request: &PublishRequest,
        sha: &str,
        (size, direct): (u64, bool),
        progress: &Progress,
        cancel: &CancellationToken,
    ) -> Result<(LayerVersionContentInput, Upload), PublishError> {
        let Some(bucket) = request.s3_bucket.as_ref().filter(|_| !direct) else {
            let bytes = tokio::fs::read(&request.zip)
                .await
                .map_err(|e| PublishError::io(&request.zip, e))?;
            let content = LayerVersionContentInput::builder()
                .zip_file(Blob::new(bytes))
                .build();
            return Ok((content, Upload::Direct));
        };
        let key = s3_key(&request.layer_name, sha);
        Box::pin(self.upload(request, bucket, &key, size, progress, cancel)).await?;
        let content = LayerVersionContentInput::builder()
            .s3_bucket(bucket)
            .s3_key(&key)
            .build();
        let upload = Upload::S3 {
            bucket: bucket.clone(),
            key,
        };
        Ok((content, upload))
    }

    /// PublishLayerVersion, sending `sent` bytes of zip with it (none when it comes from S3); a
    /// cancellation while it runs may leave a new version behind.
    async fn publish_call(
        &self,
        request: &PublishRequest,
        content: LayerVersionContentInput,
        sent: u64,
        cancel: &CancellationToken,
    ) -> Result<PublishLayerVersionOutput, PublishError> {
        let timeout = self.upload_timeout(sent);
        let call = self
            .lambda
            .publish_layer_version()
            .layer_name(&request.layer_name)
            .set_description(request.description.clone())
            .content(content)
            .set_compatible_runtimes(non_empty(
                request.runtimes.iter().map(|r| Runtime::from(r.as_str())),
            ))
            .set_compatible_architectures(non_empty(
                request
                    .architectures
                    .iter()
                    .map(|a| Architecture::from(a.lambda_name())),
            ))
            .customize()
            .config_override(
                aws_sdk_lambda::config::Builder::new().timeout_config(self.upload_timeouts(sent)),
            )
            .send();
        tokio::select! {
            biased;
            () = cancel.cancelled() => Err(PublishError::Cancelled { maybe_published: true }),
            answer = call => Ok(answer),
        }?
        .map_err(|e| {
            from_sdk(
                &e,
                "lambda:PublishLayerVersion",
                &self.shown_endpoint(),
                timeout,
            )
        })
    }

    /// The newest version of the layer with its CodeSha256 and settings, or `None` when the
    /// layer has no version (Lambda answers an empty list, or not found).
    async fn newest(
        &self,
        name: &str,
        cancel: &CancellationToken,
    ) -> Result<Option<Newest>, PublishError> {
        let endpoint = self.shown_endpoint();
        let listed = guarded(
            cancel,
            self.lambda
                .list_layer_versions()
                .layer_name(name)
                .max_items(50)
                .send(),
        )
        .await?;
        let listed = match listed {
            Ok(listed) => listed,
            Err(e)
                if e.as_service_error()
                    .is_some_and(ListLayerVersionsError::is_resource_not_found_exception) =>
            {
                return Ok(None);
            }
            Err(e) => {
                return Err(from_sdk(
                    &e,
                    "lambda:ListLayerVersions",
                    &endpoint,
                    self.timeout,
                ));
            }
        };
        // Lambda lists the newest first; the largest number is the newest either way.
        let Some(version) = listed
            .layer_versions()
            .iter()
            .map(LayerVersionsListItem::version)
            .max()
        else {
            return Ok(None);
        };
        let got = guarded(
            cancel,
            self.lambda
                .get_layer_version()
                .layer_name(name)
                .version_number(version)
                .send(),
        )
        .await?
        .map_err(|e| from_sdk(&e, "lambda:GetLayerVersion", &endpoint, self.timeout))?;
        Ok(Some(Newest {
            version,
            arn: clean(got.layer_version_arn().unwrap_or_default()).into_owned(),
            code_sha256: got
                .content()
                .and_then(|c| c.code_sha256())
                .unwrap_or_default()
                .to_string(),
            runtimes: got
                .compatible_runtimes()
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
            architectures: got
                .compatible_architectures()
                .iter()
                .map(|a| a.as_str().to_string())
                .collect(),
            description: got.description().unwrap_or_default().to_string(),
        }))
    }

    /// Puts the zip in S3, streamed from disk.
    async fn upload(
        &self,
        request: &PublishRequest,
        bucket: &str,
        key: &str,
        size: u64,
        progress: &Progress,
        cancel: &CancellationToken,
    ) -> Result<(), PublishError> {
        progress.report(&Step::new(Phase::Uploading, 0, Some(size)).about(bucket));
        let body = aws_sdk_s3::primitives::ByteStream::from_path(&request.zip)
            .await
            .map_err(|e| PublishError::io(&request.zip, std::io::Error::other(e)))?;
        Box::pin(guarded(
            cancel,
            self.s3
                .put_object()
                .bucket(bucket)
                .key(key)
                .body(body)
                .customize()
                .config_override(
                    aws_sdk_s3::config::Builder::new().timeout_config(self.upload_timeouts(size)),
                )
                .send(),
        ))
        .await?
        .map_err(|e| {
            from_sdk(
                &e,
                "s3:PutObject",
                &self.shown_endpoint(),
                self.upload_timeout(size),
            )
        })?;
        progress.report(&Step::new(Phase::Uploading, size, Some(size)).about(bucket));
        Ok(())
    }
}

/// `layers/NAME/HEX.zip`: the same bytes go to the same key.
fn s3_key(name: &str, code_sha256: &str) -> String {
    use base64::Engine as _;
    let digest = base64::engine::general_purpose::STANDARD
        .decode(code_sha256)
        .unwrap_or_default();
    format!("layers/{name}/{}.zip", crate::index::hex(&digest))
}

fn non_empty<T>(items: impl Iterator<Item = T>) -> Option<Vec<T>> {
    let items: Vec<T> = items.collect();
    (!items.is_empty()).then_some(items)
}
