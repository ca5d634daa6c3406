//! Reading and checking the employee lists organizations send.
//!
//! Lists are made by hand in Excel by many different companies; this crate
//! copes with what they really send: .xlsx, .xls and .csv (UTF-8 with or
//! without BOM, `,` or `;`, CRLF, windows-1258, TCVN3/VNI text), a header row
//! anywhere in the first 20 rows, columns named in Vietnamese or English with
//! or without diacritics, Excel serial dates, CCCD numbers that lost their
//! leading zeros, people on several sheets. Every non-blank row ends valid or
//! invalid with a specific Vietnamese reason and its row number as the
//! spreadsheet shows it (and its sheet, when the list spans several).
//!
//! Hostile files cost time linear in their size and bounded memory (under
//! 256 MB for any file within the limits, itself included): rows are read
//! one at a time and hold only their non-empty cells; a row with data past
//! [`MAX_COLUMNS`] or a cell over [`MAX_CELL_CHARS`] is invalid on its own,
//! the text of a workbook and of the report is capped (`list.too_much_text`).
//! `tests/memory.rs` and `benches/hostile.rs` measure it.
//!
//! ```no_run
//! use listimport::{check_file, CheckOptions};
//! let today = time::macros::date!(2026 - 11 - 25);
//! let report = check_file("list.xlsx".as_ref(), &CheckOptions::new(today)).unwrap();
//! println!("{}", report.check_json());
//! ```
//!
//! Duplicates against the store: pass `CheckOptions::active_permit`, a
//! function from an ID document to `Some(description)` when that person
//! already holds an active permit in the ward; such rows are invalid
//! (`list.has_active_permit`). The check itself never touches a database.

mod cells;
mod csv_reader;
mod error;
mod header;
mod limits;
mod record;
mod report;
mod rows;
mod sheets;
mod table;
#[cfg(feature = "testutil")]
pub mod testdata;
mod xls_guard;
mod xlsx;
mod xml;

pub use error::ImportError;
pub use header::{classify, Field, HEADER_SEARCH_ROWS};
pub use limits::{
    MAX_CELL_CHARS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_REPORT_TEXT, MAX_ROWS, MAX_SHARED_STRINGS,
    MAX_SHARED_TEXT, MAX_UNPACKED_BYTES,
};
pub use record::check_record;
pub use report::{ColumnMapping, InvalidRow, ListReport, RowWarning, SheetSummary, ValidRow};
pub use rows::ActivePermitLookup;
pub use table::Format;

use identity::Date;
use std::io::Read;
use std::path::Path;

/// Options of a check.
#[derive(Clone, Copy)]
pub struct CheckOptions<'a> {
    /// "Today", for the date-of-birth checks (a parameter for testability).
    pub today: Date,
    /// Who already holds an active permit in this ward: `Some(description)`.
    pub active_permit: Option<ActivePermitLookup<'a>>,
}

impl<'a> CheckOptions<'a> {
    pub fn new(today: Date) -> Self {
        CheckOptions {
            today,
            active_permit: None,
        }
    }

    pub fn with_active_permit(mut self, f: ActivePermitLookup<'a>) -> Self {
        self.active_permit = Some(f);
        self
    }
}

/// Checks a list file. The size limit is checked before reading it whole.
pub fn check_file(path: &Path, opts: &CheckOptions<'_>) -> Result<ListReport, ImportError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let io = |source| ImportError::Io {
        name: name.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    limits::check_size(&name, len)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // Read at most one byte past the limit, in case the file grows meanwhile.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    check_bytes(&name, &bytes, opts)
}

/// Checks a list given as bytes (an email attachment). `name` is the file
/// name, used in messages and as a hint for CSV.
pub fn check_bytes(
    name: &str,
    bytes: &[u8],
    opts: &CheckOptions<'_>,
) -> Result<ListReport, ImportError> {
    limits::check_size(name, bytes.len() as u64)?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty {
            name: name.to_string(),
        });
    }
    let format = table::sniff(name, bytes)?;
    table::check(name, bytes, format, opts)
}
