//! Reading an ID document number as people type it: inferring the kind from
//! the number itself, from an explicit "Loại giấy tờ" value, or from the
//! column header ("Hộ chiếu"), and normalizing it.

use crate::error::ValidationError;
use crate::{cccd, Date, IdDocument, IdKind, Sex};

/// What else is known about the number besides its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdHint<'a> {
    /// An explicit document type ("CCCD", "CMND", "Hộ chiếu", "Hộ chiếu Hàn Quốc"…),
    /// from a "Loại giấy tờ" column or the column header itself.
    pub kind_label: Option<&'a str>,
    /// The value came from a numeric spreadsheet cell, so leading zeros may
    /// have been lost (Excel turns 001090012345 into 1090012345).
    pub from_number: bool,
    pub date_of_birth: Option<Date>,
    pub sex: Option<Sex>,
}

/// A parsed document and whether we had to restore leading zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedId {
    pub doc: IdDocument,
    /// How many leading zeros were put back (0 when none).
    pub restored_zeros: usize,
}

/// What an explicit type label designates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelKind {
    Cccd,
    Cmnd,
    /// "Hộ chiếu" without a nationality: Vietnamese if the number fits.
    Passport,
    /// A document we only record (foreign passport, …).
    Other,
}

fn label_kind(label: &str) -> Option<LabelKind> {
    let f = vntext::fold(label);
    if f.is_empty() {
        return None;
    }
    let has = |w: &str| f.contains(w);
    Some(if has("cccd") || has("can cuoc") || f == "cc" {
        LabelKind::Cccd
    } else if has("cmnd") || has("chung minh") || f == "cmt" {
        LabelKind::Cmnd
    } else if has("ho chieu") || has("passport") || f == "hc" {
        // "Hộ chiếu Việt Nam" or plain "Hộ chiếu" may be Vietnamese; any
        // other nationality named is a foreign passport.
        let rest = f
            .replace("ho chieu", "")
            .replace("passport", "")
            .replace("viet nam", "")
            .replace("vietnam", "")
            .replace("vn", "");
        if rest.trim_matches(|c: char| !c.is_alphanumeric()).is_empty() {
            LabelKind::Passport
        } else {
            LabelKind::Other
        }
    } else {
        LabelKind::Other
    })
}

/// Removes the separators people put in numbers (spaces, dots, dashes,
/// underscores, slashes) and a leading apostrophe Excel users type to keep
/// zeros; uppercases letters.
pub fn normalize_number(raw: &str) -> String {
    raw.trim()
        .trim_start_matches('\'')
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '_' | '/' | '\u{a0}' | '\t'))
        .flat_map(char::to_uppercase)
        .collect()
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_vn_passport(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 8 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
}

/// Parses an ID document number, inferring its kind.
///
/// Without a label: 12 digits → CCCD (checked against the province list,
/// the date of birth and the sex), 9 digits → CMND, letter + 7 digits →
/// Vietnamese passport; anything else needs an explicit type.
/// With `from_number`, a CCCD/CMND that lost its leading zeros is restored.
pub fn parse_id(raw: &str, hint: IdHint<'_>) -> Result<ParsedId, ValidationError> {
    // Numbers read from a float cell may come as "1090012345.0".
    let trimmed = raw.trim();
    let raw_num = if hint.from_number {
        trimmed.strip_suffix(".0").unwrap_or(trimmed)
    } else {
        trimmed
    };
    let n = normalize_number(raw_num);
    if n.is_empty() {
        return Err(ValidationError::IdEmpty);
    }
    let label = hint.kind_label.and_then(label_kind);
    let plain = |kind| ParsedId {
        doc: IdDocument {
            kind,
            number: n.clone(),
            label: None,
        },
        restored_zeros: 0,
    };

    match label {
        Some(LabelKind::Cccd) => cccd_with_restore(&n, hint),
        Some(LabelKind::Cmnd) => {
            if !all_digits(&n) {
                return Err(ValidationError::CmndLength {
                    number: n.clone(),
                    len: n.chars().count(),
                });
            }
            match n.len() {
                9 | 12 => Ok(plain(IdKind::Cmnd)),
                // A CMND starting with 0 (Hà Nội's start with 01) loses it in Excel.
                8 if hint.from_number => Ok(restore(&n, 9, IdKind::Cmnd)),
                len => Err(ValidationError::CmndLength { number: n, len }),
            }
        }
        Some(LabelKind::Passport) => {
            if is_vn_passport(&n) {
                Ok(plain(IdKind::PassportVn))
            } else {
                Err(ValidationError::PassportFormat(n))
            }
        }
        Some(LabelKind::Other) => {
            if !n.chars().all(|c| c.is_alphanumeric()) {
                return Err(ValidationError::IdChars(raw.trim().to_string()));
            }
            Ok(ParsedId {
                doc: IdDocument {
                    kind: IdKind::Other,
                    number: n,
                    label: hint.kind_label.map(vntext::clean),
                },
                restored_zeros: 0,
            })
        }
        None => {
            if all_digits(&n) {
                match n.len() {
                    12 => cccd_with_restore(&n, hint),
                    9 => Ok(plain(IdKind::Cmnd)),
                    10 | 11 if hint.from_number => cccd_with_restore(&n, hint),
                    8 if hint.from_number => Ok(restore(&n, 9, IdKind::Cmnd)),
                    _ => Err(ValidationError::IdUnrecognized(raw.trim().to_string())),
                }
            } else if is_vn_passport(&n) {
                Ok(plain(IdKind::PassportVn))
            } else {
                Err(ValidationError::IdUnrecognized(raw.trim().to_string()))
            }
        }
    }
}

fn restore(n: &str, width: usize, kind: IdKind) -> ParsedId {
    let zeros = width.saturating_sub(n.len());
    ParsedId {
        doc: IdDocument {
            kind,
            number: format!("{}{n}", "0".repeat(zeros)),
            label: None,
        },
        restored_zeros: zeros,
    }
}

fn cccd_with_restore(n: &str, hint: IdHint<'_>) -> Result<ParsedId, ValidationError> {
    let parsed = if hint.from_number && all_digits(n) && (10..12).contains(&n.len()) {
        restore(n, 12, IdKind::Cccd)
    } else {
        restore(n, n.len(), IdKind::Cccd)
    };
    cccd::validate(&parsed.doc.number, hint.date_of_birth, hint.sex)?;
    Ok(parsed)
}

/// Reads a sex as written in lists: "Nam", "Nữ", "nu", "M", "F", "male", "female".
pub fn parse_sex(raw: &str) -> Result<Option<Sex>, ValidationError> {
    let f = vntext::fold(raw);
    Ok(match f.as_str() {
        "" => None,
        "nam" | "m" | "male" | "trai" => Some(Sex::Male),
        "nu" | "f" | "female" | "gai" => Some(Sex::Female),
        _ => return Err(ValidationError::SexInvalid(raw.trim().to_string())),
    })
}

/// A full name as it will be stored: NFC, single spaces; must have letters,
/// no digits, at most 100 characters.
pub fn validate_name(raw: &str) -> Result<String, ValidationError> {
    let name = vntext::clean(raw);
    if name.is_empty() {
        return Err(ValidationError::NameEmpty);
    }
    let len = name.chars().count();
    if len > 100 {
        return Err(ValidationError::NameTooLong(len));
    }
    let ok = name.chars().any(char::is_alphabetic)
        && name
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'' || c == '.');
    if !ok {
        return Err(ValidationError::NameInvalid(name));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn p(raw: &str) -> Result<ParsedId, ValidationError> {
        parse_id(raw, IdHint::default())
    }

    #[test]
    fn infers_kinds() {
        assert_eq!(p("001 090 012345").unwrap().doc.kind, IdKind::Cccd);
        assert_eq!(p("001.090.012.345").unwrap().doc.number, "001090012345");
        assert_eq!(p("012345678").unwrap().doc.kind, IdKind::Cmnd);
        assert_eq!(p("c1234567").unwrap().doc.kind, IdKind::PassportVn);
        assert_eq!(p("c1234567").unwrap().doc.number, "C1234567");
        assert_eq!(p("'001090012345").unwrap().doc.kind, IdKind::Cccd);
        assert_eq!(p("").unwrap_err().code(), "id.empty");
        assert_eq!(p("12345").unwrap_err().code(), "id.unrecognized");
        assert_eq!(p("M12345678X").unwrap_err().code(), "id.unrecognized");
        assert_eq!(p("003090012345").unwrap_err().code(), "cccd.bad_province");
    }

    #[test]
    fn restores_leading_zeros_only_from_numeric_cells() {
        let h = IdHint {
            from_number: true,
            ..Default::default()
        };
        let r = parse_id("1090012345", h).unwrap();
        assert_eq!(r.doc.number, "001090012345");
        assert_eq!(r.restored_zeros, 2);
        let r = parse_id("1090012345.0", h).unwrap();
        assert_eq!(r.doc.number, "001090012345");
        let r = parse_id("12345678", h).unwrap();
        assert_eq!(
            (r.doc.kind, r.doc.number.as_str()),
            (IdKind::Cmnd, "012345678")
        );
        // As text, a 10-digit number is not silently padded.
        assert_eq!(p("1090012345").unwrap_err().code(), "id.unrecognized");
    }

    #[test]
    fn labels_decide_the_kind() {
        let with = |label| IdHint {
            kind_label: Some(label),
            ..Default::default()
        };
        let r = parse_id("001090012345", with("CMND")).unwrap();
        assert_eq!(r.doc.kind, IdKind::Cmnd);
        assert_eq!(
            parse_id("B7654321", with("Hộ chiếu")).unwrap().doc.kind,
            IdKind::PassportVn
        );
        assert_eq!(
            parse_id("12345", with("Hộ chiếu")).unwrap_err().code(),
            "passport.format"
        );
        let r = parse_id("M12345678", with("Hộ chiếu Hàn Quốc")).unwrap();
        assert_eq!(r.doc.kind, IdKind::Other);
        assert_eq!(r.doc.label.as_deref(), Some("Hộ chiếu Hàn Quốc"));
        assert_eq!(
            parse_id("1234567", with("Căn cước")).unwrap_err().code(),
            "cccd.length"
        );
        assert_eq!(
            parse_id("1234567890", with("CMND")).unwrap_err().code(),
            "cmnd.length"
        );
    }

    #[test]
    fn cccd_checked_against_dob() {
        let h = IdHint {
            date_of_birth: Some(date!(1992 - 01 - 01)),
            ..Default::default()
        };
        assert_eq!(
            parse_id("001090012345", h).unwrap_err().code(),
            "cccd.birth_year_mismatch"
        );
    }

    #[test]
    fn names_and_sex() {
        assert_eq!(
            validate_name("  Đặng   Thị Thủy ").unwrap(),
            "Đặng Thị Thủy"
        );
        assert_eq!(validate_name(" ").unwrap_err().code(), "name.empty");
        assert_eq!(
            validate_name("Nguyen Van 2").unwrap_err().code(),
            "name.invalid"
        );
        assert_eq!(parse_sex("Nữ").unwrap(), Some(Sex::Female));
        assert_eq!(parse_sex(" nam ").unwrap(), Some(Sex::Male));
        assert_eq!(parse_sex("").unwrap(), None);
        assert_eq!(parse_sex("x").unwrap_err().code(), "sex.invalid");
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,30}", from_number: bool, label in proptest::option::of("\\PC{0,12}")) {
            let _ = parse_id(&s, IdHint { kind_label: label.as_deref(), from_number, ..Default::default() });
        }

        #[test]
        fn valid_cccd_round_trips_through_separators(p in proptest::sample::select(crate::cccd::PROVINCES.to_vec()), g in 0u8..4, rest in "[0-9]{8}") {
            let n = format!("{:03}{g}{rest}", p.0);
            let spaced = format!("{} {} {}", &n[..3], &n[3..6], &n[6..]);
            let r = parse_id(&spaced, IdHint::default()).unwrap();
            prop_assert_eq!(r.doc.kind, IdKind::Cccd);
            prop_assert_eq!(r.doc.number, n);
        }
    }
}
