//! Today's date, and the little calendar arithmetic the runtime table needs (ISO dates only).
//!
//! `WHEELBARROW_TODAY=YYYY-MM-DD` stands in for the system clock: tests freeze the day with it,
//! and a user can see what the table will say on a later day. The front ends check it once at
//! start ([`today_from_environment`]) so a malformed value is refused in words, not ignored.

/// Today's date in UTC as `YYYY-MM-DD`: `WHEELBARROW_TODAY` when it holds a date, else the
/// system clock.
pub fn today() -> String {
    match today_from_environment() {
        Ok(Some(day)) => day,
        _ => civil_date(i64::try_from(crate::units::now_secs() / 86_400).unwrap_or(0)),
    }
}

/// `WHEELBARROW_TODAY`, checked: `Ok(None)` when unset or empty, an error sentence when it is
/// not a date.
pub fn today_from_environment() -> Result<Option<String>, String> {
    match std::env::var("WHEELBARROW_TODAY") {
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) if is_iso_date(v.trim()) => Ok(Some(v.trim().to_string())),
        Ok(v) => Err(format!(
            "WHEELBARROW_TODAY={v:?} is not a date: write it as YYYY-MM-DD (e.g. 2027-07-01), or unset it to use the system clock"
        )),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err("WHEELBARROW_TODAY is not valid text: write it as YYYY-MM-DD".into())
        }
    }
}

/// Whether `s` is a real calendar day written `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    days_of(s).is_some()
}

/// Days from `earlier` to `later` (negative when `later` is before); `None` if either is not
/// an ISO date.
pub fn days_between(earlier: &str, later: &str) -> Option<i64> {
    Some(days_of(later)? - days_of(earlier)?)
}

/// Days since 1970-01-01 of an ISO date, if it is one.
fn days_of(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&month) || day < 1 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // A day past the month's end comes back as another date.
    (civil_from_days(days) == (year, month, day)).then_some(days)
}

/// Converts days since 1970-01-01 to an ISO date.
pub(crate) fn civil_date(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar (Howard
/// Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) to days since 1970-01-01 (Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_match_known_days() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_723), "2024-01-01");
        assert_eq!(civil_date(20_778), "2026-11-21");
    }

    #[test]
    fn days_between_counts_calendar_days_and_refuses_what_is_not_a_date() {
        assert_eq!(days_between("2026-06-30", "2026-12-27"), Some(180));
        assert_eq!(days_between("2024-02-28", "2024-03-01"), Some(2));
        assert_eq!(days_between("2027-01-01", "2026-12-31"), Some(-1));
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "26-01-01",
            "2026-1-01",
            "2026-01-0x",
            "",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
        assert!(is_iso_date("2028-02-29"));
    }
}
