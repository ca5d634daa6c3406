//! Sniffs the format of a file from its bytes and reads it with the right
//! reader: our own for .xlsx and CSV (streaming, bounded), calamine for .xls
//! (after `xls_guard` has bounded what it will allocate).

use crate::cells::Row;
use crate::csv_reader::{CsvRows, Encoding};
use crate::error::ImportError;
use crate::report::ListReport;
use crate::sheets::{Book, RowSource};
use crate::CheckOptions;
use calamine::{Data, Reader};
use identity::Date;
use serde::Serialize;
use std::io::Cursor;

/// The kind of file read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Xls,
    Csv,
}

/// Sniffs the format from the content (never trust the extension alone).
pub(crate) fn sniff(name: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Format::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Format::Xls);
    }
    let head = &bytes[..bytes.len().min(8192)];
    let lower = name.to_lowercase();
    let texty = !head.contains(&0)
        && !head.starts_with(b"%PDF")
        && !head.starts_with(b"\x89PNG")
        && !head.starts_with(b"\xFF\xD8\xFF");
    // Text is only taken as CSV when named so (or unnamed): a letter or a
    // script with commas in it is not a list.
    let csv_name =
        [".csv", ".txt", ".tsv"].iter().any(|e| lower.ends_with(e)) || !lower.contains('.');
    if texty && csv_name {
        return Ok(Format::Csv);
    }
    Err(ImportError::NotSpreadsheet {
        name: name.to_string(),
    })
}

/// Reads and checks a whole file.
///
/// A malformed file can make the spreadsheet parser panic (seen with
/// mangled .xls files); that is caught and reported as a corrupt file, never
/// a crash of the app.
pub(crate) fn check(
    name: &str,
    bytes: &[u8],
    format: Format,
    opts: &CheckOptions<'_>,
) -> Result<ListReport, ImportError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_inner(name, bytes, format, opts)
    }))
    .unwrap_or_else(|_| {
        Err(ImportError::Corrupt {
            name: name.to_string(),
            detail: "cấu trúc tệp không hợp lệ".to_string(),
        })
    })
}

fn check_inner(
    name: &str,
    bytes: &[u8],
    format: Format,
    opts: &CheckOptions<'_>,
) -> Result<ListReport, ImportError> {
    match format {
        Format::Xlsx => {
            let mut book = Book::new(name, format, opts, None);
            crate::xlsx::read(name, bytes, &mut |sheet, rows| {
                book.sheet(Some(sheet), rows)
            })?;
            book.finish()
        }
        Format::Xls => {
            crate::xls_guard::check(name, bytes)?;
            let mut wb: calamine::Xls<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e: calamine::XlsError| ImportError::Corrupt {
                    name: name.to_string(),
                    detail: e.to_string(),
                })?;
            let mut book = Book::new(name, format, opts, None);
            let names: Vec<String> = wb.sheet_names().to_vec();
            for sheet in names {
                let range = wb
                    .worksheet_range(&sheet)
                    .map_err(|e| ImportError::Corrupt {
                        name: name.to_string(),
                        detail: e.to_string(),
                    })?;
                book.sheet(
                    Some(&sheet),
                    &mut RangeRows {
                        range: &range,
                        next: 0,
                    },
                )?;
            }
            book.finish()
        }
        Format::Csv => {
            let mut rows = CsvRows::new(bytes);
            let legacy = match rows.encoding {
                Encoding::Utf8 => None,
                Encoding::Legacy(l) => Some(l),
            };
            let mut book = Book::new(name, format, opts, legacy);
            book.sheet(None, &mut rows)?;
            book.finish()
        }
    }
}

impl RowSource for CsvRows<'_> {
    fn next_row(&mut self) -> Result<Option<Row>, ImportError> {
        Ok(CsvRows::next_row(self))
    }
}

/// The rows of a sheet calamine has read (.xls).
struct RangeRows<'r> {
    range: &'r calamine::Range<Data>,
    next: usize,
}

impl RowSource for RangeRows<'_> {
    fn next_row(&mut self) -> Result<Option<Row>, ImportError> {
        let (r0, c0) = self.range.start().unwrap_or((0, 0));
        while self.next < self.range.height() {
            let i = self.next;
            self.next += 1;
            let mut row = Row::new(r0 + i as u32 + 1);
            for j in 0..self.range.width() {
                let col = c0 + j as u32;
                match self.range.get((i, j)) {
                    None | Some(Data::Empty) => {}
                    Some(Data::String(s))
                    | Some(Data::DateTimeIso(s))
                    | Some(Data::DurationIso(s)) => row.push_text(col, s),
                    Some(Data::Int(v)) => row.push_number(col, *v as f64),
                    Some(Data::Float(v)) => row.push_number(col, *v),
                    Some(Data::Bool(b)) => row.push_bool(col, *b),
                    Some(Data::DateTime(dt)) => {
                        let date = if dt.is_datetime() {
                            let (y, m, d, ..) = dt.to_ymd_hms_milli();
                            time::Month::try_from(m)
                                .ok()
                                .and_then(|m| Date::from_calendar_date(i32::from(y), m, d).ok())
                                .filter(|_| dt.as_f64() >= 1.0)
                        } else {
                            None
                        };
                        row.push_date(col, date);
                    }
                    Some(Data::Error(_)) => row.push_text(col, "#LỖI"),
                }
            }
            row.finish();
            if !row.is_empty() {
                return Ok(Some(row));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats_and_refuses_others() {
        assert_eq!(sniff("a.xlsx", b"PK\x03\x04....").unwrap(), Format::Xlsx);
        assert_eq!(
            sniff(
                "a.xls",
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]
            )
            .unwrap(),
            Format::Xls
        );
        assert_eq!(
            sniff("a.csv", "Họ tên;CCCD\r\n".as_bytes()).unwrap(),
            Format::Csv
        );
        assert_eq!(
            sniff("a.xlsx", b"%PDF-1.4 ...").unwrap_err().code(),
            "list.not_spreadsheet"
        );
        assert_eq!(
            sniff("a.png", b"\x89PNG\r\n\x1a\n\0\0").unwrap_err().code(),
            "list.not_spreadsheet"
        );
        assert_eq!(
            sniff("a.bin", b"\0\x01\x02").unwrap_err().code(),
            "list.not_spreadsheet"
        );
        assert_eq!(
            sniff("a.py", b"x = f(a, b)\n").unwrap_err().code(),
            "list.not_spreadsheet"
        );
    }
}
