//! The person as a ward records them: ID documents, phone numbers, dates.
//!
//! These types are shared by list import (which validates what companies send),
//! the store (which persists it) and, later, the permit token.

use serde::{Deserialize, Serialize};
pub use time::Date;

pub mod cccd;
pub mod dates;
pub mod document;
mod error;
pub mod phone;

pub use dates::{check_birth_date, format_vn, from_excel_serial, parse_date_text};
pub use document::{normalize_number, parse_id, parse_sex, validate_name, IdHint, ParsedId};
pub use error::ValidationError;
pub use phone::{parse_phone, Phone};

/// Kind of identity document. Stored in the database as the `as_str` code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// Căn cước công dân: 12 digits.
    Cccd,
    /// Chứng minh nhân dân: 9 or 12 digits.
    Cmnd,
    /// Vietnamese passport: one letter + 7 digits.
    PassportVn,
    /// Any other document (foreign passport, …): free text, type given explicitly.
    Other,
}

impl IdKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Cccd => "cccd",
            IdKind::Cmnd => "cmnd",
            IdKind::PassportVn => "passport_vn",
            IdKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<IdKind> {
        Some(match s {
            "cccd" => IdKind::Cccd,
            "cmnd" => IdKind::Cmnd,
            "passport_vn" => IdKind::PassportVn,
            "other" => IdKind::Other,
            _ => return None,
        })
    }
}

/// An identity document: kind plus normalized number (digits only for
/// CCCD/CMND, uppercase for passports). `label` names the document when
/// `kind` is `Other` ("Hộ chiếu Hàn Quốc", …).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IdDocument {
    pub kind: IdKind,
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    pub fn parse(s: &str) -> Option<Sex> {
        match s {
            "male" => Some(Sex::Male),
            "female" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// A person's details as entered by area police or imported from a list:
/// validated, trimmed, NFC. What the store persists and a permit is made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonInput {
    /// NFC, trimmed, single spaces.
    pub full_name: String,
    pub id_doc: IdDocument,
    pub date_of_birth: Option<Date>,
    pub sex: Option<Sex>,
    /// Digits only: 10 for mobiles, 11 for landlines (024 + 8).
    pub phone: Option<String>,
    pub residence: Option<String>,
    pub workplace: Option<String>,
    pub position: Option<String>,
    pub purpose: Option<String>,
    /// Area or route the permit covers.
    pub area: Option<String>,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    /// Columns we did not recognize, kept as (header, value).
    #[serde(default)]
    pub notes: Vec<(String, String)>,
}
