//! Small helpers: hashing, time, dates.

use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Current time, UTC, RFC 3339 — the format of every `*_at` column.
pub(crate) fn now_rfc3339() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_else(|_| OffsetDateTime::now_utc().unix_timestamp().to_string())
}

/// Vietnam's time zone (UTC+7, no daylight saving).
pub(crate) fn vn_offset() -> UtcOffset {
    UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// Today's date in Vietnam (UTC+7): validity dates are local calendar days.
pub fn today_vn() -> Date {
    OffsetDateTime::now_utc().to_offset(vn_offset()).date()
}

/// `YYYY-MM-DD`, the format of every date column.
pub(crate) fn date_str(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let mut it = s.splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn sha256_known_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn dates_round_trip() {
        let d = date!(2025 - 07 - 01);
        assert_eq!(date_str(d), "2025-07-01");
        assert_eq!(parse_date("2025-07-01"), Some(d));
        assert_eq!(parse_date("2025-13-01"), None);
        assert_eq!(parse_date("garbage"), None);
    }
}
