//! The result of checking a list: every non-blank row ends valid or invalid.

use crate::table::Format;
use identity::PersonInput;
use serde::Serialize;

/// A row that can be imported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidRow {
    /// Row number as the spreadsheet shows it (1-based), on its sheet.
    pub row: u32,
    pub person: PersonInput,
    /// Things fixed or worth a look (restored leading zeros, …).
    pub warnings: Vec<String>,
    /// The sheet the row is on (workbooks; none for CSV and typed records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

/// A row that cannot be imported, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidRow {
    pub row: u32,
    /// Vietnamese, every problem of the row, separated by "; ". When the
    /// list spans several sheets it starts with «Trang "…": ».
    pub reason: String,
    /// Machine code of the first problem (e.g. `cccd.bad_province`).
    pub code: String,
    /// The sheet the row is on (workbooks; none for CSV and typed records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

/// A warning on a row, or on a sheet (then `row` is its first row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowWarning {
    pub row: u32,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

/// How one sheet of a workbook (or the one table of a CSV) was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetSummary {
    /// Its name (none for CSV).
    pub name: Option<String>,
    /// Row of its header; none for a sheet skipped for having no header.
    pub header_row: Option<u32>,
    pub columns: Vec<ColumnMapping>,
    /// Its non-blank data rows: `valid + invalid`.
    pub rows: usize,
    pub valid: usize,
    pub invalid: usize,
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
    /// First sheet the list was read from (none for CSV); every sheet with
    /// a header is read, see `sheets`.
    pub sheet: Option<String>,
    /// Row number of the first sheet's header, as the spreadsheet shows it.
    pub header_row: u32,
    /// The first sheet's columns.
    pub columns: Vec<ColumnMapping>,
    /// Every sheet of the workbook, in order, read or skipped.
    pub sheets: Vec<SheetSummary>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
}

#[derive(Serialize)]
struct CheckWarning<'a> {
    row: u32,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
}

#[derive(Serialize)]
struct CheckJson<'a> {
    rows: usize,
    valid: usize,
    invalid: Vec<CheckInvalid<'a>>,
    warnings: Vec<CheckWarning<'a>>,
}

impl ListReport {
    /// More than one sheet of people was read.
    pub fn several_sheets(&self) -> bool {
        self.sheets
            .iter()
            .filter(|s| s.header_row.is_some())
            .count()
            > 1
    }

    /// Exactly what `gdd list check FILE --json` prints:
    /// `{"rows": N, "valid": V, "invalid": [{"row", "reason"}], "warnings": [{"row", "message"}]}`;
    /// entries also carry `"sheet"` when the list spans several sheets.
    pub fn check_json(&self) -> serde_json::Value {
        let several = self.several_sheets();
        let j = CheckJson {
            rows: self.rows,
            valid: self.valid.len(),
            invalid: self
                .invalid
                .iter()
                .map(|r| CheckInvalid {
                    row: r.row,
                    reason: &r.reason,
                    sheet: r.sheet.as_deref().filter(|_| several),
                })
                .collect(),
            warnings: self
                .warnings
                .iter()
                .map(|w| CheckWarning {
                    row: w.row,
                    message: &w.message,
                    sheet: w.sheet.as_deref().filter(|_| several),
                })
                .collect(),
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
