//! HTTP with the manners an index client needs: bounded concurrency, timeouts, retries with
//! backoff on 5xx, 429 (honouring `Retry-After`) and dropped connections, conditional requests
//! against the on-disk cache, and errors that say what to do.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, CONTENT_RANGE, CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, RANGE, RETRY_AFTER,
};
use tokio::sync::Semaphore;
use url::Url;

use super::cache::{CacheMeta, HttpCache, now_secs};
use super::error::{IndexError, status_hint};
use super::project::CacheUse;
use super::settings::IndexSettings;

/// A body fetched through the cache.
#[derive(Debug)]
pub struct Fetched {
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    pub cache: CacheUse,
}

/// The answer to a range request.
#[derive(Debug)]
pub enum RangeAnswer {
    /// 206: `bytes` start at `start`; the whole file is `total` bytes.
    Partial {
        start: u64,
        total: u64,
        bytes: Vec<u8>,
    },
    /// The server ignored the range and sent the whole file.
    Whole(Vec<u8>),
}

/// A document fetched with a conditional request, with its validators.
#[derive(Debug)]
pub struct Conditional {
    pub body: Vec<u8>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
}

/// A plain answer: status, headers, body.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    settings: Arc<IndexSettings>,
    cache: HttpCache,
    slots: Arc<Semaphore>,
}

impl Fetcher {
    pub fn new(settings: Arc<IndexSettings>) -> Result<Fetcher, IndexError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("wheelbarrow/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(settings.timeout.min(Duration::from_secs(15)))
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
        let client = builder
            .build()
            .map_err(|e| IndexError::Settings(format!("cannot set up HTTPS: {e}")))?;
        Ok(Fetcher {
            cache: HttpCache::new(&settings.cache_dir),
            slots: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            client,
            settings,
        })
    }

    /// GET through the cache. `Ok(None)` means 404/410: the thing does not exist.
    /// `freshness` is how long a cached copy is served without asking; `None` means forever
    /// (immutable things such as METADATA files).
    pub async fn get_cached(
        &self,
        url: &Url,
        accept: &str,
        freshness: Option<Duration>,
    ) -> Result<Option<Fetched>, IndexError> {
        let key = url.as_str();
        let cached = self.cache.get(key);
        if let Some((body, meta)) = &cached {
            let age = meta.age_secs();
            if self.settings.offline {
                return Ok(Some(Fetched {
                    body: body.clone(),
                    content_type: meta.content_type.clone(),
                    cache: CacheUse::Offline(age),
                }));
            }
            if freshness.is_none_or(|f| age < f.as_secs()) {
                return Ok(Some(Fetched {
                    body: body.clone(),
                    content_type: meta.content_type.clone(),
                    cache: CacheUse::Fresh(age),
                }));
            }
        } else if self.settings.offline {
            return Err(IndexError::NotCached { url: redact(url) });
        }
        let validators = cached
            .as_ref()
            .map(|(_, m)| m)
            .filter(|m| m.has_validators());
        let answer = self
            .send(url, |req| {
                let mut req = req.header(ACCEPT, accept);
                if let Some(meta) = validators {
                    if let Some(etag) = &meta.etag {
                        req = req.header(IF_NONE_MATCH, etag);
                    }
                    if let Some(lm) = &meta.last_modified {
                        req = req.header(IF_MODIFIED_SINCE, lm);
                    }
                }
                req
            })
            .await?;
        match answer.status {
            StatusCode::NOT_MODIFIED => {
                let Some((body, meta)) = cached else {
                    return Err(status_error(url, 304, 1));
                };
                let _ = self.cache.touch(&meta);
                Ok(Some(Fetched {
                    body,
                    content_type: meta.content_type,
                    cache: CacheUse::Revalidated,
                }))
            }
            StatusCode::NOT_FOUND | StatusCode::GONE => Ok(None),
            s if s.is_success() => {
                let header = |name| header_text(&answer.headers, name);
                let meta = CacheMeta {
                    url: key.to_string(),
                    etag: header(ETAG),
                    last_modified: header(LAST_MODIFIED),
                    content_type: header(CONTENT_TYPE),
                    fetched_at: now_secs(),
                };
                if let Err(e) = self.cache.put(&answer.body, &meta) {
                    tracing::warn!("could not write the cache entry for {key}: {e}");
                }
                Ok(Some(Fetched {
                    body: answer.body,
                    content_type: meta.content_type,
                    cache: CacheUse::Network,
                }))
            }
            s => Err(status_error(url, s.as_u16(), 1)),
        }
    }

    /// GET without the cache (file contents are cached by their own stores).
    pub async fn get(&self, url: &Url) -> Result<Option<Vec<u8>>, IndexError> {
        self.offline_check(url)?;
        let answer = self.send(url, |r| r).await?;
        match answer.status {
            StatusCode::NOT_FOUND | StatusCode::GONE => Ok(None),
            s if s.is_success() => Ok(Some(answer.body)),
            s => Err(status_error(url, s.as_u16(), 1)),
        }
    }

    /// GET a byte range: `Range: bytes=...` with `spec` such as `-65536` or `100-199`.
    pub async fn get_range(&self, url: &Url, spec: &str) -> Result<RangeAnswer, IndexError> {
        self.offline_check(url)?;
        let range = format!("bytes={spec}");
        let answer = self.send(url, |r| r.header(RANGE, &range)).await?;
        match answer.status {
            StatusCode::PARTIAL_CONTENT => {
                let content_range = answer
                    .headers
                    .get(CONTENT_RANGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                let (start, total) =
                    parse_content_range(content_range).ok_or_else(|| IndexError::Malformed {
                        url: redact(url),
                        expected: "a partial answer with a Content-Range",
                        detail: format!("Content-Range was {content_range:?}"),
                    })?;
                Ok(RangeAnswer::Partial {
                    start,
                    total,
                    bytes: answer.body,
                })
            }
            StatusCode::OK => Ok(RangeAnswer::Whole(answer.body)),
            StatusCode::RANGE_NOT_SATISFIABLE => match self.get(url).await? {
                Some(body) => Ok(RangeAnswer::Whole(body)),
                None => Err(status_error(url, 404, 1)),
            },
            s => Err(status_error(url, s.as_u16(), 1)),
        }
    }

    fn offline_check(&self, url: &Url) -> Result<(), IndexError> {
        if self.settings.offline {
            Err(IndexError::NotCached { url: redact(url) })
        } else {
            Ok(())
        }
    }
}

fn status_error(url: &Url, status: u16, attempts: u32) -> IndexError {
    IndexError::Status {
        url: redact(url),
        status,
        attempts,
        hint: status_hint(status),
    }
}

impl Fetcher {
    /// Sends a GET built by `build`, reading the whole body, with retries.
    async fn send(
        &self,
        url: &Url,
        build: impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<Answer, IndexError> {
        self.send_with(url, build, None).await
    }

    async fn send_with(
        &self,
        url: &Url,
        build: impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
        progress: Option<&(dyn Fn(u64, Option<u64>) + Send + Sync)>,
    ) -> Result<Answer, IndexError> {
        let attempts = self.settings.retries + 1;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = {
                let slot = self
                    .slots
                    .acquire()
                    .await
                    .map_err(|_| IndexError::Cancelled)?;
                let outcome = self.send_once(url, &build, progress).await;
                drop(slot);
                outcome
            };
            let wait = match outcome {
                Ok(answer) if retryable_status(answer.status) => {
                    if attempt >= attempts {
                        return Err(status_error(url, answer.status.as_u16(), attempt));
                    }
                    retry_after(&answer.headers).unwrap_or_else(|| self.backoff(attempt))
                }
                Ok(answer) => return Ok(answer),
                Err(err) => {
                    let transient = err.is_timeout()
                        || err.is_connect()
                        || err.is_request()
                        || err.is_body()
                        || err.is_decode();
                    if let Some(tls) = tls_problem(&err) {
                        return Err(IndexError::Tls {
                            host: url.host_str().unwrap_or_default().to_string(),
                            detail: tls,
                        });
                    }
                    if !transient || attempt >= attempts {
                        return Err(self.network_error(url, &err, attempt));
                    }
                    self.backoff(attempt)
                }
            };
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
        let mut body =
            Vec::with_capacity(usize::try_from(total.unwrap_or(0).min(64 << 20)).unwrap_or(0));
        while let Some(chunk) = response.chunk().await? {
            body.extend_from_slice(&chunk);
            if let Some(report) = progress {
                report(body.len() as u64, total);
            }
        }
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    /// A conditional GET of a large document, reporting progress; `None` when not modified.
    pub async fn get_conditional(
        &self,
        url: &Url,
        accept: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
        progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
    ) -> Result<Option<Conditional>, IndexError> {
        self.offline_check(url)?;
        let build = |req: reqwest::RequestBuilder| {
            let mut req = req.header(ACCEPT, accept);
            if let Some(e) = etag {
                req = req.header(IF_NONE_MATCH, e);
            }
            if let Some(lm) = last_modified {
                req = req.header(IF_MODIFIED_SINCE, lm);
            }
            req
        };
        let answer = self.send_with(url, build, Some(progress)).await?;
        let header = |name| header_text(&answer.headers, name);
        match answer.status {
            StatusCode::NOT_MODIFIED => Ok(None),
            s if s.is_success() => Ok(Some(Conditional {
                etag: header(ETAG),
                last_modified: header(LAST_MODIFIED),
                content_type: header(CONTENT_TYPE),
                body: answer.body,
            })),
            s => Err(status_error(url, s.as_u16(), 1)),
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(6);
        (self.settings.backoff * factor).min(Duration::from_secs(30))
    }

    fn network_error(&self, url: &Url, err: &reqwest::Error, attempts: u32) -> IndexError {
        if err.is_timeout() {
            return IndexError::Timeout {
                url: redact(url),
                seconds: self.settings.timeout.as_secs().max(1),
                attempts,
            };
        }
        IndexError::Network {
            host: url.host_str().unwrap_or_default().to_string(),
            detail: innermost(err),
            attempts,
        }
    }

    /// Streams a GET into `sink`, calling `progress(received, total)` as bytes arrive.
    /// Retries only if nothing was received yet; the caller verifies what arrived.
    pub async fn stream(
        &self,
        url: &Url,
        mut sink: impl FnMut(&[u8]) -> std::io::Result<()>,
        progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
    ) -> Result<u64, IndexError> {
        use futures_util::StreamExt;
        self.offline_check(url)?;
        let attempts = self.settings.retries + 1;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let slot = self
                .slots
                .acquire()
                .await
                .map_err(|_| IndexError::Cancelled)?;
            let response = match self.client.get(url.clone()).send().await {
                Ok(r) if retryable_status(r.status()) && attempt < attempts => {
                    let wait = retry_after(r.headers()).unwrap_or_else(|| self.backoff(attempt));
                    drop(slot);
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Ok(r) if r.status().is_success() => r,
                Ok(r) => return Err(status_error(url, r.status().as_u16(), attempt)),
                Err(e) if (e.is_connect() || e.is_timeout()) && attempt < attempts => {
                    drop(slot);
                    tokio::time::sleep(self.backoff(attempt)).await;
                    continue;
                }
                Err(e) => return Err(self.network_error(url, &e, attempt)),
            };
            let total = response.content_length();
            let mut received = 0u64;
            let mut body = response.bytes_stream();
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| self.network_error(url, &e, attempt))?;
                sink(&chunk).map_err(|e| IndexError::io(url.path(), e))?;
                received += chunk.len() as u64;
                progress(received, total);
            }
            return Ok(received);
        }
    }
}

/// A header's value as text, if present and readable.
fn header_text(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(String::from)
}

fn retryable_status(status: StatusCode) -> bool {
    status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS
}

/// `Retry-After` as seconds or an HTTP date, capped at a minute.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = if let Ok(secs) = value.parse::<u64>() {
        Duration::from_secs(secs)
    } else {
        let when = httpdate::parse_http_date(value).ok()?;
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default()
    };
    Some(wait.min(Duration::from_secs(60)))
}

/// `bytes 100-199/1234` -> (100, 1234).
fn parse_content_range(value: &str) -> Option<(u64, u64)> {
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
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
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
    fn retry_after_reads_seconds_and_caps_them() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert(RETRY_AFTER, "86400".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(60)));
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
