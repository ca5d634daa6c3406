//! The result of checking a list: every non-blank row ends valid or invalid.

use crate::table::Format;
use identity::PersonInput;
use serde::Serialize;

/// A row that can be imported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidRow {
    /// Row number as the spreadsheet shows it (1-based).
    pub row: u32,
    pub person: PersonInput,
    /// Things fixed or worth a look (restored leading zeros, …).
    pub warnings: Vec<String>,
}

/// A row that cannot be imported, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidRow {
    pub row: u32,
    /// Vietnamese, every problem of the row, separated by "; ".
    pub reason: String,
    /// Machine code of the first problem (e.g. `cccd.bad_province`).
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowWarning {
    pub row: u32,
    pub message: String,
}

/// How a column was understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnMapping {
    /// Column letter (A, B, …).
    pub column: String,
    pub header: String,
    pub field: crate::Field,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListReport {
    pub file_name: String,
    pub format: Format,
    /// Sheet the list was read from (none for CSV).
    pub sheet: Option<String>,
    /// Row number of the header, as the spreadsheet shows it.
    pub header_row: u32,
    pub columns: Vec<ColumnMapping>,
    /// Non-blank data rows: always `valid.len() + invalid.len()`.
    pub rows: usize,
    pub valid: Vec<ValidRow>,
    pub invalid: Vec<InvalidRow>,
    /// All warnings, of valid rows and of the file.
    pub warnings: Vec<RowWarning>,
}

#[derive(Serialize)]
struct CheckInvalid<'a> {
    row: u32,
    reason: &'a str,
}

#[derive(Serialize)]
struct CheckJson<'a> {
    rows: usize,
    valid: usize,
    invalid: Vec<CheckInvalid<'a>>,
    warnings: &'a [RowWarning],
}

impl ListReport {
    /// Exactly what `gdd list check FILE --json` prints:
    /// `{"rows": N, "valid": V, "invalid": [{"row", "reason"}], "warnings": [{"row", "message"}]}`.
    pub fn check_json(&self) -> serde_json::Value {
        let j = CheckJson {
            rows: self.rows,
            valid: self.valid.len(),
            invalid: self
                .invalid
                .iter()
                .map(|r| CheckInvalid {
                    row: r.row,
                    reason: &r.reason,
                })
                .collect(),
            warnings: &self.warnings,
        };
        serde_json::to_value(j).unwrap_or(serde_json::Value::Null)
    }
}

/// A refused typed-in record ([`crate::check_record`]) is an error of its own.
impl std::fmt::Display for InvalidRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for InvalidRow {}
