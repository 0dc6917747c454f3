//! How long a network wait may take: `WHEELBARROW_TIMEOUT` (else 30 s) bounds connecting, each
//! silence, and a document or an AWS call as a whole; a download, whose length depends on its
//! size, is bounded by silence and by pace (see [`Fetcher::keeps_pace`]) instead.

use std::time::Duration;

use url::Url;

use super::error::IndexError;
use super::http::{Fetcher, redact};
use super::settings::parse_timeout;

/// How long one network wait may take when `WHEELBARROW_TIMEOUT` is not set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The slowest pace a download is given time for, in bytes a second.
pub const SLOWEST_DOWNLOAD_BYTES_PER_SEC: u64 = 64 * 1024;

/// `WHEELBARROW_TIMEOUT` from the environment, else [`DEFAULT_TIMEOUT`]: the bound on every
/// network wait, the index client's and the AWS calls' alike.
pub fn timeout_from_environment() -> Result<Duration, IndexError> {
    match std::env::var("WHEELBARROW_TIMEOUT") {
        Ok(secs) if !secs.trim().is_empty() => parse_timeout(&secs),
        _ => Ok(DEFAULT_TIMEOUT),
    }
}

/// A timeout in words: whole seconds as such (`30 s`), else with their fraction (`0.5 s`).
pub fn seconds_text(timeout: Duration) -> String {
    if timeout.subsec_millis() == 0 {
        format!("{} s", timeout.as_secs())
    } else {
        let text = format!("{:.3}", timeout.as_secs_f64());
        format!("{} s", text.trim_end_matches('0'))
    }
}

impl Fetcher {
    /// The total bound on one download: the timeout, plus the time the largest download
    /// allowed takes at [`SLOWEST_DOWNLOAD_BYTES_PER_SEC`]. A download that stops moving ends
    /// sooner, when no byte has come for the timeout (the client's read timeout).
    pub(super) fn download_budget(&self) -> Duration {
        self.settings.timeout
            + Duration::from_secs(self.settings.max_download_bytes / SLOWEST_DOWNLOAD_BYTES_PER_SEC)
    }

    /// A download that has had the timeout to get going must keep up at least
    /// [`SLOWEST_DOWNLOAD_BYTES_PER_SEC`] since: a server that trickles a byte now and then is
    /// ended like one that stopped.
    pub(super) fn keeps_pace(
        &self,
        url: &Url,
        received: u64,
        elapsed: Duration,
    ) -> Result<(), IndexError> {
        let late = elapsed.saturating_sub(self.settings.timeout);
        let due = u64::try_from(late.as_millis())
            .unwrap_or(u64::MAX)
            .saturating_mul(SLOWEST_DOWNLOAD_BYTES_PER_SEC)
            / 1000;
        if received >= due {
            return Ok(());
        }
        Err(IndexError::Stalled {
            url: redact(url),
            received,
            waited: format!(
                "slower than {}/s after the first {}",
                crate::units::human_bytes(SLOWEST_DOWNLOAD_BYTES_PER_SEC),
                seconds_text(self.settings.timeout)
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::index::IndexSettings;

    #[test]
    fn a_download_that_trickles_is_ended_once_it_falls_behind_the_slowest_pace() {
        let dir = std::env::temp_dir().join(format!("wb-pace-{}", std::process::id()));
        let mut settings = IndexSettings::for_index("http://h.test/simple/", dir.clone()).unwrap();
        settings.timeout = Duration::from_secs(2);
        let fetcher = Fetcher::new(
            Arc::new(settings),
            crate::index::cache_state::CacheState::probe(&dir),
        )
        .unwrap();
        let url = Url::parse("http://h.test/files/x.whl").unwrap();
        let ms = Duration::from_millis;
        // Nothing is due within the timeout; 64 KiB a second after it.
        assert!(fetcher.keeps_pace(&url, 0, ms(2000)).is_ok());
        assert!(fetcher.keeps_pace(&url, 6_553, ms(2100)).is_ok());
        assert!(fetcher.keeps_pace(&url, 10_000, ms(3000)).is_err());
        let err = fetcher.keeps_pace(&url, 10, ms(2100)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "http://h.test/files/x.whl stopped sending after 10 bytes (slower than 64.0 KB/s after the first 2 s); try again, or raise the timeout with WHEELBARROW_TIMEOUT"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn timeouts_are_said_as_given() {
        assert_eq!(seconds_text(Duration::from_secs(30)), "30 s");
        assert_eq!(seconds_text(Duration::from_millis(500)), "0.5 s");
        assert_eq!(seconds_text(Duration::from_millis(2250)), "2.25 s");
    }
}
