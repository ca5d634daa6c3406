//! The chip CCCD card's own QR (`number|old CMND|full name|DOB ddmmyyyy|sex|
//! address|issue date ddmmyyyy`): a verifier that scans the card as well as the
//! permit can check that they name the same person.

use crate::details::HolderDetails;
use serde::Serialize;
use thiserror::Error;
use time::{Date, Month};
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardInfo {
    pub number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_cmnd: Option<String>,
    pub full_name: String,
    pub date_of_birth: String,
    pub sex: String,
    pub address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum CardError {
    #[error("không phải mã QR của thẻ căn cước (cần các trường ngăn bởi dấu |)")]
    NotACardQr,
    #[error("số căn cước trên thẻ không phải 12 chữ số")]
    BadNumber,
    #[error("ngày sinh trên thẻ không đọc được (cần dạng ddmmyyyy)")]
    BadDate,
}

impl CardError {
    pub fn code(&self) -> &'static str {
        match self {
            CardError::NotACardQr => "card.not_a_card_qr",
            CardError::BadNumber => "card.bad_number",
            CardError::BadDate => "card.bad_date",
        }
    }
}

fn ddmmyyyy(s: &str) -> Option<Date> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: u8 = s[0..2].parse().ok()?;
    let m: u8 = s[2..4].parse().ok()?;
    let y: i32 = s[4..8].parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

pub fn parse_card_qr(text: &str) -> Result<CardInfo, CardError> {
    let parts: Vec<&str> = text.trim().split('|').map(str::trim).collect();
    if parts.len() < 6 {
        return Err(CardError::NotACardQr);
    }
    let number = parts[0];
    if number.len() != 12 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CardError::BadNumber);
    }
    let dob = ddmmyyyy(parts[3]).ok_or(CardError::BadDate)?;
    let issued_on = parts
        .get(6)
        .and_then(|s| ddmmyyyy(s))
        .map(|d| d.to_string());
    Ok(CardInfo {
        number: number.to_string(),
        old_cmnd: Some(parts[1]).filter(|s| !s.is_empty()).map(str::to_string),
        full_name: parts[2].nfc().collect(),
        date_of_birth: dob.to_string(),
        sex: parts[4].to_string(),
        address: parts[5].to_string(),
        issued_on,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardMatch {
    pub card: CardInfo,
    /// The permit's ID is this card's number (or the old CMND printed on it).
    pub number: bool,
    /// Same name, ignoring case and extra spaces (diacritics must match).
    pub name: bool,
    /// `None` when the permit carries no date of birth.
    pub date_of_birth: Option<bool>,
}

impl CardMatch {
    pub fn all(&self) -> bool {
        self.number && self.name && self.date_of_birth != Some(false)
    }
}

fn name_key(s: &str) -> String {
    s.nfc()
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Compares a scanned card with a verified permit's holder.
pub fn match_card(card_qr: &str, holder: &HolderDetails) -> Result<CardMatch, CardError> {
    let card = parse_card_qr(card_qr)?;
    let number = match holder.id_type.as_str() {
        "cccd" => holder.id_number == card.number,
        "cmnd" => {
            holder.id_number == card.number
                || card.old_cmnd.as_deref() == Some(holder.id_number.as_str())
        }
        _ => false,
    };
    let name = name_key(&holder.holder_name) == name_key(&card.full_name);
    let date_of_birth = holder
        .date_of_birth
        .as_ref()
        .map(|d| *d == card.date_of_birth);
    Ok(CardMatch {
        card,
        number,
        name,
        date_of_birth,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn holder() -> HolderDetails {
        HolderDetails {
            serial: "00004-01-000001".into(),
            holder_name: "Nguyễn Thị Minh Khai".into(),
            id_type: "cccd".into(),
            id_number: "001185012345".into(),
            id_label: None,
            date_of_birth: Some("1985-07-21".into()),
            organization: None,
            category: 3,
            category_name: String::new(),
            purpose: None,
            area: "Phường Láng".into(),
            valid_from: "2026-11-20".into(),
            valid_to: "2026-12-19".into(),
            daily_hours: None,
            ward_code: "00004".into(),
            dataset: "2025-07".into(),
            workstation: 1,
        }
    }

    const CARD: &str =
        "001185012345|012345678|Nguyễn Thị Minh Khai|21071985|Nữ|Số 1 Láng Hạ, Hà Nội|01062021";

    #[test]
    fn same_person() {
        let m = match_card(CARD, &holder()).unwrap();
        assert!(m.all(), "{m:?}");
        assert_eq!(m.card.issued_on.as_deref(), Some("2021-06-01"));
        // NFD on one side, capitals and double spaces on the other: still the same.
        let nfd: String = "NGUYỄN  THỊ MINH KHAI".nfd().collect();
        let m = match_card(&CARD.replace("Nguyễn Thị Minh Khai", &nfd), &holder()).unwrap();
        assert!(m.name);
    }

    #[test]
    fn different_person_or_details() {
        let m = match_card(&CARD.replace("Khai", "Khải"), &holder()).unwrap();
        assert!(!m.name && !m.all());
        let m = match_card(&CARD.replace("21071985", "22071985"), &holder()).unwrap();
        assert_eq!(m.date_of_birth, Some(false));
        let mut h = holder();
        h.id_type = "cmnd".into();
        h.id_number = "012345678".into();
        assert!(match_card(CARD, &h).unwrap().number);
        h.id_number = "012345679".into();
        assert!(!match_card(CARD, &h).unwrap().number);
    }

    #[test]
    fn not_a_card() {
        assert_eq!(
            match_card("GD1:ABC", &holder()).unwrap_err().code(),
            "card.not_a_card_qr"
        );
        assert_eq!(
            parse_card_qr("12345|||01011990|Nam|x").unwrap_err(),
            CardError::BadNumber
        );
        assert_eq!(
            parse_card_qr("001185012345||A|31021990|Nam|x").unwrap_err(),
            CardError::BadDate
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in ".{0,200}", t in "[0-9|]{0,60}") {
            let _ = match_card(&s, &holder());
            let _ = match_card(&t, &holder());
        }
    }
}
