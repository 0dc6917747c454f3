//! The list of every project on the index, from the Simple API root (PEP 691 JSON or PEP 503
//! HTML). On the public index that is some 930,000 names in about 40 MB of HTML.

use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::client::IndexClient;
use super::error::IndexError;
use super::http::redact;
use super::simple;
use crate::work::{Phase, Progress, Step};

/// What the index answered for the project list.
#[derive(Debug)]
pub enum RootAnswer {
    /// The list has not changed since the validators given.
    NotModified,
    Names {
        names: Vec<String>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

#[derive(Deserialize)]
struct JsonRoot {
    projects: Vec<JsonProject>,
}

#[derive(Deserialize)]
struct JsonProject {
    name: String,
}

impl IndexClient {
    /// Every project name on the index, with a conditional request when validators from an
    /// earlier answer are given. Progress: `NameList`, bytes.
    pub async fn project_names(
        &self,
        etag: Option<&str>,
        last_modified: Option<&str>,
        progress: &Progress,
        cancel: &CancellationToken,
    ) -> Result<RootAnswer, IndexError> {
        let url = self.settings().api.simple_root().clone();
        let report = |received: u64, total: Option<u64>| {
            progress.report(&Step::new(Phase::NameList, received, total));
        };
        let fetch =
            self.fetcher()
                .get_conditional(&url, simple::ACCEPT, etag, last_modified, &report);
        let answer = tokio::select! {
            answer = fetch => answer?,
            () = cancel.cancelled() => return Err(IndexError::Cancelled),
        };
        let Some(answer) = answer else {
            return Ok(RootAnswer::NotModified);
        };
        let is_json = answer
            .content_type
            .as_deref()
            .is_some_and(|t| t.contains("json"))
            || answer.body.trim_ascii_start().starts_with(b"{");
        let names = if is_json {
            serde_json::from_slice::<JsonRoot>(&answer.body)
                .map_err(|e| IndexError::Malformed {
                    url: redact(&url),
                    expected: "a PEP 691 project list",
                    detail: e.to_string(),
                })?
                .projects
                .into_iter()
                .map(|p| p.name)
                .collect()
        } else {
            let text = String::from_utf8_lossy(&answer.body);
            simple::anchors(&text)
                .into_iter()
                .map(|a| a.text.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
        };
        if names.is_empty() {
            return Err(IndexError::Malformed {
                url: redact(&url),
                expected: "a list of projects",
                detail: "it lists none".into(),
            });
        }
        Ok(RootAnswer::Names {
            names,
            etag: answer.etag,
            last_modified: answer.last_modified,
        })
    }
}
