//! Sizes and ages as people read them, and the one clock the engine reads.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since 1970-01-01 UTC, from the system clock (0 if the clock is before then).
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `42 s`, `17 min`, `3 h`, `12 days`: an age rounded down to the unit that reads best.
pub fn human_age(age: Duration) -> String {
    match age.as_secs() {
        secs @ 0..=89 => format!("{secs} s"),
        secs @ 90..=5399 => format!("{} min", secs / 60),
        secs @ 5400..=129_599 => format!("{} h", secs / 3600),
        secs => format!("{} days", secs / 86_400),
    }
}

/// `1536` -> `1.5 KB`, `262144000` -> `250.0 MB` (binary multiples, as Lambda's limits are).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    #[allow(clippy::cast_precision_loss)] // a display value; a tenth is all the precision shown
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// `n` and the noun, singular for one ("1 module", "2 modules"); `noun` takes an `s`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `262144000` -> `262,144,000`: exact figures people can read.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `size` and the `limit` it is over, as a sentence can set them side by side: in KB or MB,
/// unless both read the same there (a 52,430,800-byte zip over a 52,428,800-byte limit would
/// read "50.0 MB, over the 50.0 MB"), then in exact bytes.
pub fn sizes_against(size: u64, limit: u64) -> (String, String) {
    let (shown, shown_limit) = (human_bytes(size), human_bytes(limit));
    if shown == shown_limit {
        (
            format!("{} bytes", grouped(size)),
            format!("{} bytes", grouped(limit)),
        )
    } else {
        (shown, shown_limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_say_one_thing_in_the_singular() {
        assert_eq!(count(1, "module"), "1 module");
        assert_eq!(count(0, "module"), "0 modules");
        assert_eq!(count(82, "module"), "82 modules");
    }

    #[test]
    fn ages_read_in_the_unit_that_fits() {
        let age = |s| human_age(Duration::from_secs(s));
        assert_eq!(age(0), "0 s");
        assert_eq!(age(89), "89 s");
        assert_eq!(age(90), "1 min");
        assert_eq!(age(5399), "89 min");
        assert_eq!(age(5400), "1 h");
        assert_eq!(age(129_600), "1 days");
        assert_eq!(age(30 * 86_400), "30 days");
    }

    #[test]
    fn sizes_read_as_people_expect() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KB");
        assert_eq!(human_bytes(262_144_000), "250.0 MB");
        assert_eq!(human_bytes(5 << 30), "5.0 GB");
    }

    #[test]
    fn a_size_just_over_its_limit_is_said_in_exact_bytes() {
        assert_eq!(
            sizes_against(52_430_800, 52_428_800),
            (
                "52,430,800 bytes".to_string(),
                "52,428,800 bytes".to_string()
            )
        );
        assert_eq!(
            sizes_against(60 << 20, 50 << 20),
            ("60.0 MB".to_string(), "50.0 MB".to_string())
        );
        assert_eq!(grouped(262_144_000), "262,144,000");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
    }
}
