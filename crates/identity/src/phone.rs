//! Vietnamese phone numbers: mobiles are 10 digits (03x, 05x, 07x, 08x, 09x),
//! landlines 11 digits (02x area codes, 024 for Hà Nội). People write them
//! with +84/84, spaces, dots and dashes; Excel drops the leading 0.

use crate::error::ValidationError;

/// A normalized phone number and whether the leading 0 was restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// Digits only, starting with 0.
    pub digits: String,
    pub restored_zero: bool,
}

impl Phone {
    pub fn is_mobile(&self) -> bool {
        self.digits.len() == 10
    }
}

/// Parses and validates a phone number. `from_number`: the value came from a
/// numeric spreadsheet cell, so a missing leading 0 is restored.
pub fn parse_phone(raw: &str, from_number: bool) -> Result<Phone, ValidationError> {
    let bad = || ValidationError::PhoneInvalid(raw.trim().to_string());
    let t = raw.trim().trim_start_matches('\'');
    let mut s = String::with_capacity(t.len());
    for (i, c) in t.chars().enumerate() {
        match c {
            '0'..='9' => s.push(c),
            '+' if i == 0 => {}
            ' ' | '.' | '-' | '(' | ')' | '\u{a0}' => {}
            _ => return Err(bad()),
        }
    }
    if from_number {
        if let Some(x) = s.strip_suffix("0").filter(|_| t.ends_with(".0")) {
            s = x.to_string();
        }
    }
    // International prefix: 84 followed by the national number without its 0.
    let national = if let Some(rest) = s
        .strip_prefix("84")
        .filter(|r| r.len() == 9 || r.len() == 10)
    {
        format!("0{rest}")
    } else if let Some(rest) = s
        .strip_prefix("840")
        .filter(|r| r.len() == 9 || r.len() == 10)
    {
        format!("0{rest}")
    } else {
        s
    };
    let (digits, restored_zero) = if !national.starts_with('0')
        && (from_number || raw.trim_start().starts_with('+'))
        && (national.len() == 9 || national.len() == 10)
    {
        (format!("0{national}"), true)
    } else {
        (national, false)
    };
    let b = digits.as_bytes();
    if b.first() != Some(&b'0') {
        return Err(bad());
    }
    match b.len() {
        10 => {
            if matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9') {
                Ok(Phone {
                    digits,
                    restored_zero,
                })
            } else {
                Err(ValidationError::PhonePrefix(raw.trim().to_string()))
            }
        }
        11 => {
            if b[1] == b'2' {
                Ok(Phone {
                    digits,
                    restored_zero,
                })
            } else {
                Err(ValidationError::PhonePrefix(raw.trim().to_string()))
            }
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(raw: &str) -> String {
        parse_phone(raw, false).unwrap().digits
    }

    #[test]
    fn accepts_common_spellings() {
        assert_eq!(ok("0912 345 678"), "0912345678");
        assert_eq!(ok("0912.345.678"), "0912345678");
        assert_eq!(ok("+84 912 345 678"), "0912345678");
        assert_eq!(ok("84912345678"), "0912345678");
        assert_eq!(ok("(024) 3825 1234"), "02438251234");
        assert_eq!(ok("+84 24 3825 1234"), "02438251234");
        assert_eq!(ok("0345-678-901"), "0345678901");
    }

    #[test]
    fn restores_zero_from_numeric_cells() {
        let p = parse_phone("912345678", true).unwrap();
        assert_eq!(p.digits, "0912345678");
        assert!(p.restored_zero);
        let p = parse_phone("912345678.0", true).unwrap();
        assert_eq!(p.digits, "0912345678");
        assert!(parse_phone("912345678", false).is_err());
    }

    #[test]
    fn rejects_bad_numbers() {
        assert_eq!(
            parse_phone("0112345678", false).unwrap_err().code(),
            "phone.bad_prefix"
        );
        assert_eq!(
            parse_phone("0612345678", false).unwrap_err().code(),
            "phone.bad_prefix"
        );
        assert_eq!(
            parse_phone("091234567", false).unwrap_err().code(),
            "phone.invalid"
        );
        assert_eq!(
            parse_phone("09123456789", false).unwrap_err().code(),
            "phone.bad_prefix"
        );
        assert_eq!(
            parse_phone("0912a45678", false).unwrap_err().code(),
            "phone.invalid"
        );
        assert_eq!(parse_phone("", false).unwrap_err().code(), "phone.invalid");
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,24}", n: bool) {
            let _ = parse_phone(&s, n);
        }

        #[test]
        fn mobile_round_trips(p in "0[35789][0-9]{8}") {
            let spaced = format!("{} {} {}", &p[..4], &p[4..7], &p[7..]);
            prop_assert_eq!(parse_phone(&spaced, false).unwrap().digits, p.clone());
            let intl = format!("+84{}", &p[1..]);
            prop_assert_eq!(parse_phone(&intl, false).unwrap().digits, p);
        }
    }
}
