//! Dates as lists carry them: Excel serial numbers or day-first text.

use crate::error::ValidationError;
use crate::Date;
use time::Month;

/// Converts an Excel serial date (1900 date system) to a date.
///
/// Excel counts 1900-01-01 as day 1 and keeps Lotus 1-2-3's mistake of a
/// 29 February 1900 (serial 60), so serials from 61 on are one day ahead of
/// a plain count from 1899-12-31. Serial 60 itself is not a real date. A time
/// of day (fractional part) is ignored.
pub fn from_excel_serial(serial: f64) -> Result<Date, ValidationError> {
    let bad = || ValidationError::DateInvalid(format!("{serial}"));
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return Err(bad());
    }
    let days = serial.floor() as i64;
    if days == 60 {
        return Err(bad());
    }
    let offset = if days < 60 { days } else { days - 1 };
    let base = Date::from_calendar_date(1899, Month::December, 31).map_err(|_| bad())?;
    base.checked_add(time::Duration::days(offset))
        .ok_or_else(bad)
}

/// The Excel serial number of a date (1900 system), for writing fixtures.
pub fn to_excel_serial(d: Date) -> f64 {
    let base = Date::from_calendar_date(1899, Month::December, 31).unwrap_or(Date::MIN);
    let days = (d - base).whole_days();
    (if days >= 60 { days + 1 } else { days }) as f64
}

/// Parses a date written as text: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy,
/// dd.mm.yyyy (day first, as in Vietnam) or ISO yyyy-mm-dd. A time part after
/// a space or 'T' is ignored. Two-digit years are refused: they are ambiguous
/// for dates of birth.
pub fn parse_date_text(raw: &str) -> Result<Date, ValidationError> {
    let bad = || ValidationError::DateInvalid(raw.trim().to_string());
    let t = raw.trim();
    let t = t.split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return Err(bad());
    }
    let num = |s: &str| -> Result<u32, ValidationError> {
        if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (y, m, d) = if parts[0].len() == 4 {
        (num(parts[0])?, num(parts[1])?, num(parts[2])?)
    } else if parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
        (num(parts[2])?, num(parts[1])?, num(parts[0])?)
    } else {
        return Err(bad());
    };
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(bad)?;
    let day = u8::try_from(d).map_err(|_| bad())?;
    let year = i32::try_from(y).map_err(|_| bad())?;
    Date::from_calendar_date(year, month, day).map_err(|_| bad())
}

/// Formats as dd/mm/yyyy, the way Vietnamese officials read dates.
pub fn format_vn(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

/// A date of birth must not be in the future and give an age of at most 120.
pub fn check_birth_date(dob: Date, today: Date) -> Result<(), ValidationError> {
    if dob > today {
        return Err(ValidationError::BirthInFuture(format_vn(dob)));
    }
    let mut age = today.year() - dob.year();
    if (u8::from(today.month()), today.day()) < (u8::from(dob.month()), dob.day()) {
        age -= 1;
    }
    if age > 120 {
        return Err(ValidationError::BirthTooOld(format_vn(dob)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn excel_serials_with_the_1900_bug() {
        assert_eq!(from_excel_serial(1.0).unwrap(), date!(1900 - 01 - 01));
        assert_eq!(from_excel_serial(59.0).unwrap(), date!(1900 - 02 - 28));
        assert!(from_excel_serial(60.0).is_err());
        assert_eq!(from_excel_serial(61.0).unwrap(), date!(1900 - 03 - 01));
        assert_eq!(from_excel_serial(33_000.0).unwrap(), date!(1990 - 05 - 07));
        assert_eq!(
            from_excel_serial(45_943.541).unwrap(),
            date!(2025 - 10 - 13)
        );
        assert!(from_excel_serial(0.0).is_err());
        assert!(from_excel_serial(f64::NAN).is_err());
        assert!(from_excel_serial(-3.0).is_err());
    }

    #[test]
    fn text_formats() {
        let d = date!(1990 - 09 - 05);
        for s in [
            "05/09/1990",
            "5/9/1990",
            "05-09-1990",
            "05.09.1990",
            "1990-09-05",
            " 05/09/1990 00:00:00",
            "1990-09-05T00:00:00",
        ] {
            assert_eq!(parse_date_text(s).unwrap(), d, "{s}");
        }
        for s in [
            "",
            "31/02/1990",
            "05/09/90",
            "1990/13/01",
            "abc",
            "5/9",
            "05/09/1990/1",
            "١٢/٠٩/١٩٩٠",
        ] {
            assert_eq!(
                parse_date_text(s).unwrap_err().code(),
                "date.invalid",
                "{s}"
            );
        }
    }

    #[test]
    fn birth_date_plausibility() {
        let today = date!(2026 - 11 - 25);
        assert!(check_birth_date(date!(1990 - 01 - 01), today).is_ok());
        assert!(check_birth_date(today, today).is_ok());
        assert_eq!(
            check_birth_date(date!(2026 - 11 - 26), today)
                .unwrap_err()
                .code(),
            "dob.future"
        );
        assert!(check_birth_date(date!(1905 - 11 - 26), today).is_ok());
        assert_eq!(
            check_birth_date(date!(1905 - 11 - 25), today)
                .unwrap_err()
                .code(),
            "dob.implausible"
        );
    }

    proptest! {
        #[test]
        fn text_never_panics(s in "\\PC{0,24}") {
            let _ = parse_date_text(&s);
        }

        #[test]
        fn serial_never_panics(f in proptest::num::f64::ANY) {
            let _ = from_excel_serial(f);
        }

        #[test]
        fn serial_and_text_round_trip(days in 0i64..60_000) {
            let d = date!(1900 - 03 - 01) + time::Duration::days(days);
            prop_assert_eq!(from_excel_serial(to_excel_serial(d)).unwrap(), d);
            prop_assert_eq!(parse_date_text(&format_vn(d)).unwrap(), d);
        }
    }
}
