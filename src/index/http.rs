//! HTTP with the manners an index client needs: bounded concurrency, timeouts, retries with
//! backoff on 5xx, 429 (honouring `Retry-After`) and dropped connections, and errors that say
//! what to do. The kinds of GET built on this (through the cache, conditional, ranged,
//! streamed) are in `requests`.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

use super::cache::HttpCache;
use super::cache_state::CacheState;
use super::error::{IndexError, status_hint};
use super::settings::IndexSettings;

/// A plain answer: status, headers, body.
pub(super) struct Answer {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
    /// The answer passed the bound on its size; reading stopped there and `body` is partial.
    pub(super) too_large: bool,
}

#[derive(Debug, Clone)]
pub struct Fetcher {
    pub(super) client: reqwest::Client,
    pub(super) settings: Arc<IndexSettings>,
    pub(super) cache: HttpCache,
    pub(super) slots: Arc<Semaphore>,
    /// Identical requests in flight at once go to the index once (see `flights`).
    pub(super) flights: super::flights::Flights,
}

impl Fetcher {
    pub(crate) fn new(
        settings: Arc<IndexSettings>,
        state: CacheState,
    ) -> Result<Fetcher, IndexError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("wheelbarrow/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(settings.timeout.min(Duration::from_secs(15)))
            // No byte for this long ends any answer; a whole document must come within it too
            // (downloads get longer, see `download_budget`).
            .read_timeout(settings.timeout)
            .timeout(settings.timeout);
        for (path, setting) in &settings.extra_ca_files {
            let pem = std::fs::read(path).map_err(|e| {
                IndexError::Settings(format!(
                    "{setting} names {}, which cannot be read: {e}",
                    path.display()
                ))
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                IndexError::Settings(format!(
                    "{setting} names {}, which is not a PEM certificate bundle: {e}",
                    path.display()
                ))
            })?;
            if certs.is_empty() {
                return Err(IndexError::Settings(format!(
                    "{setting} names {}, which holds no PEM certificates",
                    path.display()
                )));
            }
            builder = builder.tls_certs_merge(certs);
        }
        if let Some(proxy) = &settings.proxy {
            let p = reqwest::Proxy::all(proxy).map_err(|e| {
                IndexError::Settings(format!("pip's proxy setting {proxy:?} is not usable: {e}"))
            })?;
            builder = builder.proxy(p);
        }
        let client = builder.build().map_err(|e| {
            let certs: Vec<String> = settings
                .extra_ca_files
                .iter()
                .map(|(path, setting)| format!("{setting} ({})", path.display()))
                .collect();
            let with = if certs.is_empty() {
                String::new()
            } else {
                format!(" with the certificates from {}", certs.join(", "))
            };
            IndexError::Settings(format!("cannot set up HTTPS{with}: {}", innermost(&e)))
        })?;
        Ok(Fetcher {
            cache: HttpCache::new(&settings.cache_dir, state),
            slots: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            flights: super::flights::Flights::default(),
            client,
            settings,
        })
    }

    /// Sends a GET built by `build`, reading the whole body, with retries.
    pub(super) async fn send(
        &self,
        url: &Url,
        build: impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<Answer, IndexError> {
        self.send_with(url, build, None).await
    }

    pub(super) async fn send_with(
        &self,
        url: &Url,
        build: impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
        progress: Option<&(dyn Fn(u64, Option<u64>) + Send + Sync)>,
    ) -> Result<Answer, IndexError> {
        let (answer, slot, _) = self
            .retrying(
                url,
                || self.send_once(url, &build, progress),
                |a: &Answer| (a.status, retry_after(&a.headers)),
            )
            .await?;
        drop(slot);
        if answer.too_large {
            return Err(too_large(url, self.settings.max_document_bytes));
        }
        Ok(answer)
    }

    /// The one retry loop of the index client. Runs `once` in a concurrency slot until it
    /// gives an answer worth returning: 5xx and 429 are retried (after `Retry-After` when the
    /// index gives one, else with backoff) and become [`IndexError::Status`] on the last
    /// attempt; dropped connections, timeouts and broken bodies are retried with backoff; a
    /// TLS failure is reported at once as [`IndexError::Tls`] (retrying cannot mend it).
    /// Returns the answer with its slot, which the caller keeps while it reads on, and the
    /// number of attempts made.
    pub(super) async fn retrying<T, Fut>(
        &self,
        url: &Url,
        once: impl Fn() -> Fut,
        status: impl Fn(&T) -> (StatusCode, Option<Duration>),
    ) -> Result<(T, OwnedSemaphorePermit, u32), IndexError>
    where
        Fut: std::future::Future<Output = Result<T, reqwest::Error>>,
    {
        let attempts = self.settings.retries + 1;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let slot = Arc::clone(&self.slots)
                .acquire_owned()
                .await
                .map_err(|_| IndexError::Cancelled)?;
            let wait = match once().await {
                Ok(answer) => {
                    let (code, retry_after) = status(&answer);
                    if !retryable_status(code) {
                        return Ok((answer, slot, attempt));
                    }
                    if attempt >= attempts {
                        return Err(status_error(url, code.as_u16(), attempt));
                    }
                    match retry_after {
                        // Waiting longer than one request may take is not worth it: say so.
                        Some(wait) if wait > self.settings.timeout => {
                            return Err(IndexError::WaitTooLong {
                                url: redact(url),
                                status: code.as_u16(),
                                wait_secs: wait.as_secs(),
                                budget_secs: self.settings.timeout.as_secs().max(1),
                            });
                        }
                        Some(wait) => {
                            tracing::info!("{url} answered {code}; waiting {wait:?} as it asks");
                            wait
                        }
                        None => self.backoff(attempt),
                    }
                }
                Err(err) => {
                    if err.is_builder() {
                        return Err(IndexError::Unfetchable {
                            url: crate::text::clean(&redact(url)).into_owned(),
                            detail: innermost(&err),
                        });
                    }
                    if let Some(tls) = tls_problem(&err) {
                        return Err(IndexError::Tls {
                            host: url.host_str().unwrap_or_default().to_string(),
                            detail: tls,
                        });
                    }
                    let transient = err.is_timeout()
                        || err.is_connect()
                        || err.is_request()
                        || err.is_body()
                        || err.is_decode();
                    if !transient || attempt >= attempts {
                        return Err(self.network_error(url, &err, attempt));
                    }
                    self.backoff(attempt)
                }
            };
            drop(slot);
            tracing::debug!("retrying {url} in {wait:?} (attempt {attempt} of {attempts})");
            tokio::time::sleep(wait).await;
        }
    }

    async fn send_once(
        &self,
        url: &Url,
        build: &impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
        progress: Option<&(dyn Fn(u64, Option<u64>) + Send + Sync)>,
    ) -> Result<Answer, reqwest::Error> {
        let mut response = build(self.client.get(url.clone())).send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let total = response.content_length();
        let limit = self.settings.max_document_bytes;
        let mut too_large = total.is_some_and(|t| t > limit);
        let mut body =
            Vec::with_capacity(usize::try_from(total.unwrap_or(0).min(limit)).unwrap_or(0));
        while !too_large && let Some(chunk) = response.chunk().await? {
            if body.len() as u64 + chunk.len() as u64 > limit {
                too_large = true;
                break;
            }
            // Grow by doubling as usual, but never past the bound: memory stays within it.
            let needed = body.len() + chunk.len();
            if needed > body.capacity() {
                let doubled =
                    (body.capacity() * 2).min(usize::try_from(limit).unwrap_or(usize::MAX));
                body.reserve_exact(doubled.max(needed) - body.len());
            }
            body.extend_from_slice(&chunk);
            if let Some(report) = progress {
                report(body.len() as u64, total);
            }
        }
        Ok(Answer {
            status,
            headers,
            body,
            too_large,
        })
    }

    pub(super) fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(6);
        (self.settings.backoff * factor).min(Duration::from_secs(30))
    }

    pub(super) fn network_error(
        &self,
        url: &Url,
        err: &reqwest::Error,
        attempts: u32,
    ) -> IndexError {
        if err.is_timeout() {
            return IndexError::Timeout {
                url: redact(url),
                seconds: self.settings.timeout.as_secs().max(1),
                attempts,
            };
        }
        IndexError::Network {
            host: url
                .host_str()
                .filter(|h| !h.is_empty())
                .map_or_else(|| redact(url), String::from),
            detail: innermost(err),
            attempts,
        }
    }

    pub(super) fn offline_check(&self, url: &Url) -> Result<(), IndexError> {
        if self.settings.offline {
            Err(IndexError::NotCached { url: redact(url) })
        } else {
            Ok(())
        }
    }
}

/// [`IndexError::TooLarge`] for `url` and the bound it passed.
pub(super) fn too_large(url: &Url, limit: u64) -> IndexError {
    IndexError::TooLarge {
        url: redact(url),
        limit,
    }
}

pub(super) fn status_error(url: &Url, status: u16, attempts: u32) -> IndexError {
    IndexError::Status {
        url: redact(url),
        status,
        attempts,
        hint: status_hint(status),
    }
}

/// A header's value as text, if present and readable.
pub(super) fn header_text(
    headers: &HeaderMap,
    name: reqwest::header::HeaderName,
) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(String::from)
}

fn retryable_status(status: StatusCode) -> bool {
    status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS
}

/// `Retry-After` as seconds or an HTTP date.
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = if let Ok(secs) = value.parse::<u64>() {
        Duration::from_secs(secs)
    } else {
        let when = httpdate::parse_http_date(value).ok()?;
        let when = when.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
        Duration::from_secs(when.saturating_sub(crate::units::now_secs()))
    };
    Some(wait)
}

/// `bytes 100-199/1234` -> (100, 1234).
pub(super) fn parse_content_range(value: &str) -> Option<(u64, u64)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, _) = range.split_once('-')?;
    Some((start.trim().parse().ok()?, total.trim().parse().ok()?))
}

/// The deepest cause of an error, which is usually the one that explains it.
fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

/// A certificate or handshake problem somewhere in the chain, described.
fn tls_problem(err: &reqwest::Error) -> Option<String> {
    // From the causes only: reqwest's own message quotes the URL, whose words ("alert" in
    // `javascript:alert(1)`, a project named `ssl-utils`) say nothing about the connection.
    let mut current = std::error::Error::source(err);
    while let Some(e) = current {
        let text = e.to_string();
        let lower = text.to_ascii_lowercase();
        let tls_words = [
            "certificate",
            "handshake",
            "tls",
            "ssl",
            "corrupt message",
            "alert",
        ];
        if tls_words.iter().any(|w| lower.contains(w)) {
            return Some(innermost(e));
        }
        current = e.source();
    }
    None
}

/// A URL safe to show: no credentials.
pub fn redact(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_password(None);
    let _ = shown.set_username("");
    shown.set_fragment(None);
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_gives_start_and_total() {
        assert_eq!(parse_content_range("bytes 100-199/1234"), Some((100, 1234)));
        assert_eq!(parse_content_range("bytes */1234"), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert(RETRY_AFTER, "86400".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(86400)));
        h.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
    }

    #[test]
    fn redacted_urls_lose_credentials_and_fragments() {
        let url = Url::parse("https://u:p@h.test/x.whl#sha256=ab").unwrap();
        assert_eq!(redact(&url), "https://h.test/x.whl");
    }
}
