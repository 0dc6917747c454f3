//! The kinds of GET the index client makes, built on `Fetcher::send`: through the on-disk
//! cache with revalidation, conditional with the caller's validators, byte ranges, and
//! streamed downloads. `file://` URLs are read from disk (`local`) with the same bounds.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, CONTENT_RANGE, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
    RANGE,
};
use url::Url;

use super::cache::{CacheMeta, now_secs};
use super::error::IndexError;
use super::http::{
    Fetcher, header_text, parse_content_range, redact, retry_after, status_error, too_large,
};
use super::local;
use super::project::CacheUse;

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

impl Fetcher {
    /// GET through the cache. `Ok(None)` means 404/410: the thing does not exist.
    /// `freshness` is how long a cached copy is served without asking; `None` means forever
    /// (immutable things such as METADATA files). `check` reads a body (with its content type)
    /// into what the caller wants; only an answer that passes it is cached, and a cached copy
    /// that no longer passes is dropped and asked for again, so a malformed answer is never
    /// served as fresh.
    pub async fn get_cached<T>(
        &self,
        url: &Url,
        accept: &str,
        freshness: Option<Duration>,
        check: impl Fn(&[u8], Option<&str>) -> Result<T, IndexError>,
    ) -> Result<Option<(T, CacheUse)>, IndexError> {
        if local::is_local(url) {
            return match local::read_all(url, self.settings.max_document_bytes)? {
                Some(body) => Ok(Some((check(&body, None)?, CacheUse::Network))),
                None => Ok(None),
            };
        }
        // Kept under the URL without its credentials: they stay in memory, never on disk.
        let key = redact(url);
        let key = key.as_str();
        // A fresh copy is served at once; a fetch is made by one task at a time per URL, and
        // the tasks that waited read what the one before them cached (asked again below).
        let mut flight = None;
        let cached = loop {
            let mut cached = self.cache.get(key);
            if let Some((body, meta)) = &cached {
                let age = meta.age_secs();
                let use_as = if self.settings.offline {
                    Some(CacheUse::Offline(age))
                } else if freshness.is_none_or(|f| age < f.as_secs()) {
                    Some(CacheUse::Fresh(age))
                } else {
                    None
                };
                if let Some(cache_use) = use_as {
                    match check(body, meta.content_type.as_deref()) {
                        Ok(value) => return Ok(Some((value, cache_use))),
                        Err(e) if self.settings.offline => return Err(e),
                        Err(e) => {
                            tracing::info!("dropping the cached copy of {key}: {e}");
                            self.cache.forget(key);
                            cached = None;
                        }
                    }
                }
            } else if self.settings.offline {
                return Err(IndexError::NotCached { url: redact(url) });
            }
            if flight.is_some() {
                break cached;
            }
            flight = Some(self.flights.hold(key).await);
        };
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
                let value = check(&body, meta.content_type.as_deref()).inspect_err(|_| {
                    self.cache.forget(key);
                })?;
                let _ = self.cache.touch(&meta);
                Ok(Some((value, CacheUse::Revalidated)))
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
                let value = check(&answer.body, meta.content_type.as_deref())?;
                if holds_secret(url, &answer.body) {
                    tracing::info!(
                        "not caching {key}: the answer repeats the URL's credentials (they never go to disk)"
                    );
                } else if let Err(e) = self.cache.put(&answer.body, &meta) {
                    tracing::warn!("could not write the cache entry for {key}: {e}");
                }
                Ok(Some((value, CacheUse::Network)))
            }
            s => Err(status_error(url, s.as_u16(), 1)),
        }
    }

    /// GET without the cache (file contents are cached by their own stores).
    pub async fn get(&self, url: &Url) -> Result<Option<Vec<u8>>, IndexError> {
        if local::is_local(url) {
            return local::read_all(url, self.settings.max_document_bytes);
        }
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
        if local::is_local(url) {
            return local::read_range(url, spec, self.settings.max_download_bytes);
        }
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

    /// Streams a GET into `sink`, calling `progress(received, total)` as bytes arrive.
    /// Retries only if nothing was received yet; the caller verifies what arrived.
    pub async fn stream(
        &self,
        url: &Url,
        mut sink: impl FnMut(&[u8]) -> std::io::Result<()>,
        progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
    ) -> Result<u64, IndexError> {
        use futures_util::StreamExt;
        if local::is_local(url) {
            let limit = self.settings.max_download_bytes;
            return local::stream(url, &mut sink, progress, limit);
        }
        self.offline_check(url)?;
        let budget = self.download_budget();
        let started = std::time::Instant::now();
        let (response, slot, attempt) = self
            .retrying(
                url,
                || self.client.get(url.clone()).timeout(budget).send(),
                |r: &reqwest::Response| (r.status(), retry_after(r.headers())),
            )
            .await?;
        if !response.status().is_success() {
            return Err(status_error(url, response.status().as_u16(), attempt));
        }
        // Nothing is retried once bytes have reached the sink; the caller verifies them.
        let total = response.content_length();
        let limit = self.settings.max_download_bytes;
        if total.is_some_and(|t| t > limit) {
            return Err(too_large(url, limit));
        }
        let mut received = 0u64;
        let mut body = response.bytes_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| {
                if e.is_timeout() && received > 0 {
                    IndexError::Stalled {
                        url: redact(url),
                        received,
                        waited: if started.elapsed() >= budget {
                            format!(
                                "the whole download passed {}",
                                super::timeouts::seconds_text(budget)
                            )
                        } else {
                            format!(
                                "nothing came for {}",
                                super::timeouts::seconds_text(self.settings.timeout)
                            )
                        },
                    }
                } else {
                    self.network_error(url, &e, attempt)
                }
            })?;
            if received + chunk.len() as u64 > limit {
                return Err(too_large(url, limit));
            }
            self.keeps_pace(url, received, started.elapsed())?;
            // The sink says what it was writing, and where (see `download`): this is only
            // for a sink that does not.
            sink(&chunk).map_err(|e| IndexError::io(format!("saving {}", redact(url)), e))?;
            received += chunk.len() as u64;
            progress(received, total);
        }
        drop(slot);
        Ok(received)
    }
}

/// Whether `body` repeats the secret of `url`'s credentials: its password, or its user name
/// when that is all it has (a token). Such an answer (an index that writes the credentials
/// into its links) is used but not cached.
fn holds_secret(url: &Url, body: &[u8]) -> bool {
    let secret = match url.password() {
        Some(p) => p,
        None => url.username(),
    };
    if secret.len() < 4 {
        return false;
    }
    let decoded = percent_decode(secret);
    [secret.as_bytes(), decoded.as_slice()]
        .iter()
        .any(|s| memchr::memmem::find(body, s).is_some())
}

/// `%XX` sequences of a URL's part decoded (`%2B` -> `+`); an invalid escape is kept as
/// written.
pub fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_repeating_the_password_or_token_holds_a_secret() {
        let with = Url::parse("http://me:p%40ss-word@h.test/simple/").unwrap();
        assert!(holds_secret(
            &with,
            b"<a href='http://me:p%40ss-word@h.test/x'>"
        ));
        assert!(holds_secret(&with, b"p@ss-word"));
        assert!(!holds_secret(&with, b"<a href='/files/x.whl'>me</a>"));
        let token = Url::parse("https://tok3n-abcdef@h.test/simple/").unwrap();
        assert!(holds_secret(&token, b"https://tok3n-abcdef@h.test/x"));
        let plain = Url::parse("https://h.test/simple/").unwrap();
        assert!(!holds_secret(&plain, b"anything"));
    }
}
