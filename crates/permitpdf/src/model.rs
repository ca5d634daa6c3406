//! What the printer needs to know about one stamped permit. The store builds
//! it from its rows; nothing here touches the database.

use time::{Date, OffsetDateTime, UtcOffset};

/// The issuing ward, as printed in the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WardHeader {
    /// "UBND PHƯỜNG BA ĐÌNH"
    pub ubnd: String,
    /// "CÔNG AN PHƯỜNG BA ĐÌNH"
    pub police: String,
    /// "Phường Ba Đình" (place line: "Phường Ba Đình, ngày … tháng … năm …")
    pub ward_name: String,
    /// "09616"
    pub ward_code: String,
}

/// The digital stamp: who signed, where, when, with which key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StampMark {
    pub workstation: u8,
    pub stamped_at: OffsetDateTime,
    /// The workstation key's fingerprint as the app shows it.
    pub key_fingerprint: String,
    /// Signed under the demo root: printed as a sample with no value.
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintPermit {
    /// "09616-01-000123"
    pub serial: String,
    pub holder_name: String,
    /// "CCCD 001090012345"
    pub id_label: String,
    pub date_of_birth: Option<Date>,
    pub organization: Option<String>,
    pub address: Option<String>,
    /// Category name or the purpose text.
    pub purpose: String,
    pub area: String,
    pub valid_from: Date,
    pub valid_to: Date,
    /// "06:00–18:00"
    pub daily_hours: Option<String>,
    pub issued_on: Date,
    pub ward: WardHeader,
    pub stamp: StampMark,
    /// The signed token text ("GD1:…") that the QR carries.
    pub token: String,
    /// 0 for the original print, N for "BẢN IN LẠI lần N".
    pub reprint: u32,
}

/// Permit dates are Vietnam calendar days (UTC+7, no daylight saving).
const VIETNAM: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// "05/03/2026": dates always carry the year (the 2021 permits did not).
pub fn date_vi(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// "Phường Ba Đình, ngày 05 tháng 03 năm 2026"
pub fn place_date_vi(place: &str, d: Date) -> String {
    format!(
        "{place}, ngày {:02} tháng {:02} năm {}",
        d.day(),
        u8::from(d.month()),
        d.year()
    )
}

/// "20/11/2026 08:30" in Vietnam time.
pub fn datetime_vi(t: OffsetDateTime) -> String {
    let t = t.to_offset(VIETNAM);
    format!("{} {:02}:{:02}", date_vi(t.date()), t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn vietnamese_dates() {
        assert_eq!(date_vi(date!(2026 - 03 - 05)), "05/03/2026");
        assert_eq!(
            place_date_vi("Phường Ba Đình", date!(2026 - 11 - 20)),
            "Phường Ba Đình, ngày 20 tháng 11 năm 2026"
        );
        assert_eq!(
            datetime_vi(datetime!(2026-11-20 01:30 UTC)),
            "20/11/2026 08:30"
        );
    }
}
