//! Turns a file into a grid of cells: sniffs the format from the bytes,
//! reads spreadsheets with calamine and CSV with the csv crate (after
//! decoding it: UTF-8 with or without BOM, else a legacy encoding).

use crate::error::ImportError;
use crate::limits::{self, MAX_ROWS, MAX_UNPACKED_BYTES};
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

/// One cell, borrowed from the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum CellRef<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    /// A date-formatted spreadsheet cell; `None` when it is not a real date
    /// (Excel's 29/02/1900, a time-only value).
    Date(Option<Date>),
    Bool(bool),
}

impl CellRef<'_> {
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            CellRef::Empty => true,
            CellRef::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A sheet's cells, with the sheet row number of the first row.
pub(crate) enum Grid {
    Sheet(calamine::Range<Data>),
    Csv(Vec<(u32, Vec<String>)>),
}

pub(crate) struct Table {
    pub grid: Grid,
    pub sheet: Option<String>,
    /// The legacy encoding a CSV file was decoded from, when not UTF-8.
    pub encoding: Option<vntext::Legacy>,
}

impl Table {
    pub(crate) fn height(&self) -> usize {
        match &self.grid {
            Grid::Sheet(r) => r.height(),
            Grid::Csv(rows) => rows.len(),
        }
    }

    pub(crate) fn width(&self) -> usize {
        match &self.grid {
            Grid::Sheet(r) => r.width(),
            Grid::Csv(rows) => rows.iter().map(|(_, r)| r.len()).max().unwrap_or(0),
        }
    }

    /// Row number as the spreadsheet program shows it (1-based).
    pub(crate) fn row_number(&self, i: usize) -> u32 {
        match &self.grid {
            Grid::Sheet(r) => r.start().map(|(row, _)| row).unwrap_or(0) + i as u32 + 1,
            Grid::Csv(rows) => rows.get(i).map(|(line, _)| *line).unwrap_or(0),
        }
    }

    /// Column letter as the spreadsheet shows it (A, B, …, AA).
    pub(crate) fn column_name(&self, j: usize) -> String {
        let offset = match &self.grid {
            Grid::Sheet(r) => r.start().map(|(_, c)| c as usize).unwrap_or(0),
            Grid::Csv(_) => 0,
        };
        column_letters(offset + j)
    }

    pub(crate) fn cell(&self, i: usize, j: usize) -> CellRef<'_> {
        match &self.grid {
            Grid::Sheet(r) => match r.get((i, j)) {
                None | Some(Data::Empty) => CellRef::Empty,
                Some(Data::String(s)) | Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => {
                    CellRef::Text(s)
                }
                Some(Data::Int(v)) => CellRef::Number(*v as f64),
                Some(Data::Float(v)) => CellRef::Number(*v),
                Some(Data::Bool(b)) => CellRef::Bool(*b),
                Some(Data::DateTime(dt)) => {
                    if dt.is_datetime() {
                        let (y, m, d, ..) = dt.to_ymd_hms_milli();
                        let date = time::Month::try_from(m)
                            .ok()
                            .and_then(|m| Date::from_calendar_date(i32::from(y), m, d).ok())
                            .filter(|_| dt.as_f64() >= 1.0);
                        CellRef::Date(date)
                    } else {
                        CellRef::Date(None)
                    }
                }
                Some(Data::Error(_)) => CellRef::Text("#LỖI"),
            },
            Grid::Csv(rows) => match rows.get(i).and_then(|(_, r)| r.get(j)) {
                None => CellRef::Empty,
                Some(s) if s.is_empty() => CellRef::Empty,
                Some(s) => CellRef::Text(s),
            },
        }
    }
}

pub(crate) fn column_letters(mut j: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (j % 26) as u8);
        if j < 26 {
            break;
        }
        j = j / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
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

/// The sheets of a workbook, in order, or the single table of a CSV.
///
/// A malformed file can make the spreadsheet parser panic (seen with
/// mangled .xls files); that is caught and reported as a corrupt file, never
/// a crash of the app.
pub(crate) fn load(name: &str, bytes: &[u8], format: Format) -> Result<Vec<Table>, ImportError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        load_inner(name, bytes, format)
    }))
    .unwrap_or_else(|_| {
        Err(ImportError::Corrupt {
            name: name.to_string(),
            detail: "cấu trúc tệp không hợp lệ".to_string(),
        })
    })
}

fn load_inner(name: &str, bytes: &[u8], format: Format) -> Result<Vec<Table>, ImportError> {
    let corrupt = |e: &dyn std::fmt::Display| ImportError::Corrupt {
        name: name.to_string(),
        detail: e.to_string(),
    };
    match format {
        Format::Xlsx => {
            limits::check_xlsx_unpacked(name, bytes, MAX_UNPACKED_BYTES)?;
            let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| {
                    if is_zip_without_workbook(bytes) {
                        ImportError::NotSpreadsheet {
                            name: name.to_string(),
                        }
                    } else {
                        corrupt(&e)
                    }
                })?;
            xlsx_sheets(&mut wb, name)
        }
        Format::Xls => {
            crate::xls_guard::check(name, bytes)?;
            let mut wb: calamine::Xls<_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
            sheets(&mut wb, name)
        }
        Format::Csv => {
            let (text, encoding) = decode_text(bytes);
            Ok(vec![Table {
                grid: Grid::Csv(read_csv(&text, name)?),
                sheet: None,
                encoding,
            }])
        }
    }
}

fn is_zip_without_workbook(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map(|z| z.index_for_name("xl/workbook.xml").is_none())
        .unwrap_or(false)
}

/// Reads .xlsx sheets cell by cell. `worksheet_range` would allocate the
/// dense bounding box of the cells first, so two cells at A1 and XFD1048576
/// in a 5 KB file would ask for hundreds of GB: the box is checked first.
fn xlsx_sheets(
    wb: &mut calamine::Xlsx<Cursor<&[u8]>>,
    name: &str,
) -> Result<Vec<Table>, ImportError> {
    let corrupt = |e: &dyn std::fmt::Display| ImportError::Corrupt {
        name: name.to_string(),
        detail: e.to_string(),
    };
    let mut out = Vec::new();
    for sheet in wb.sheet_names() {
        let mut reader = wb.worksheet_cells_reader(&sheet).map_err(|e| corrupt(&e))?;
        let mut cells = Vec::new();
        // Rows holding a value, counted while streaming so that a list far
        // over the row limit is refused before it is all in memory.
        let (mut rows, mut last_row) = (0usize, None);
        while let Some(c) = reader.next_cell().map_err(|e| corrupt(&e))? {
            if matches!(c.get_value(), calamine::DataRef::Empty) {
                continue;
            }
            let row = c.get_position().0;
            if last_row != Some(row) {
                last_row = Some(row);
                rows += 1;
                if rows > MAX_ROWS + crate::header::HEADER_SEARCH_ROWS {
                    return Err(ImportError::TooManyRows {
                        rows,
                        limit: MAX_ROWS,
                    });
                }
            }
            if cells.len() >= limits::MAX_CELLS {
                return Err(limits::sheet_too_large(name, &sheet, cells.len(), 0));
            }
            cells.push(calamine::Cell::new(
                c.get_position(),
                Data::from(c.get_value().clone()),
            ));
        }
        limits::check_area(name, &sheet, cells.iter().map(|c| c.get_position()))?;
        out.push(Table {
            grid: Grid::Sheet(calamine::Range::from_sparse(cells)),
            sheet: Some(sheet),
            encoding: None,
        });
    }
    Ok(out)
}

fn sheets<'b, R>(wb: &mut R, name: &str) -> Result<Vec<Table>, ImportError>
where
    R: Reader<Cursor<&'b [u8]>>,
    R::Error: std::fmt::Display,
{
    let mut out = Vec::new();
    for sheet in wb.sheet_names() {
        let range = wb
            .worksheet_range(&sheet)
            .map_err(|e| ImportError::Corrupt {
                name: name.to_string(),
                detail: e.to_string(),
            })?;
        out.push(Table {
            grid: Grid::Sheet(range),
            sheet: Some(sheet),
            encoding: None,
        });
    }
    Ok(out)
}

/// Decodes CSV bytes: UTF-8 (BOM removed), else the legacy encoding whose
/// reading looks most like Vietnamese (windows-1258, TCVN3, VNI). Returns the
/// text and the name of a legacy encoding when one was used.
pub(crate) fn decode_text(bytes: &[u8]) -> (String, Option<vntext::Legacy>) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => (vntext::nfc(s), None),
        Err(_) => {
            let (s, enc) = vntext::decode_legacy_bytes(body);
            (s, Some(enc))
        }
    }
}

/// Picks the separator: the one among `;`, `,` and tab seen most often
/// outside quotes in the first lines (Vietnamese-locale Excel writes `;`).
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut lines = 0;
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => counts[0] += 1,
            ',' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            '\n' if !in_quotes => {
                lines += 1;
                if lines >= 30 {
                    break;
                }
            }
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i == 1)).unwrap_or(1);
    [b';', b',', b'\t'][best]
}

fn read_csv(text: &str, name: &str) -> Result<Vec<(u32, Vec<String>)>, ImportError> {
    // The csv crate's positions are off with CRLF and after blank lines, so
    // parse LF text and count lines ourselves from the record's byte offset.
    let lf;
    let text = if text.contains('\r') {
        lf = text.replace("\r\n", "\n");
        lf.as_str()
    } else {
        text
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut nonblank = 0usize;
    // Line numbers counted ourselves from byte offsets: the row number Excel
    // would show is the line where the record starts.
    let (mut at, mut line) = (0usize, 1u64);
    for rec in rdr.records() {
        let rec = rec.map_err(|e| ImportError::Corrupt {
            name: name.to_string(),
            detail: e.to_string(),
        })?;
        let mut start = rec
            .position()
            .map(|p| p.byte() as usize)
            .unwrap_or(at)
            .min(text.len());
        // The reported start may sit on the blank lines skipped before it.
        while text.as_bytes().get(start) == Some(&b'\n') {
            start += 1;
        }
        if start > at {
            line += text.as_bytes()[at..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            at = start;
        }
        if rec.iter().any(|f| !f.trim().is_empty()) {
            nonblank += 1;
            // Header and title rows come on top of the data rows.
            if nonblank > MAX_ROWS + 20 {
                return Err(ImportError::TooManyRows {
                    rows: nonblank,
                    limit: MAX_ROWS,
                });
            }
        }
        rows.push((
            u32::try_from(line).unwrap_or(u32::MAX),
            rec.iter().map(|f| f.trim().to_string()).collect(),
        ));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

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

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a;b;c\r\n1;2;3\r\n"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("\"x;y;z\",b,c\n\"1;2\",2,3\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
    }

    #[test]
    fn csv_keeps_line_numbers_and_quotes() {
        let (text, enc) = decode_text(b"\xEF\xBB\xBFa;b\r\n\r\n\"Nguy\xE1\xBB\x85n; V\"\"\";2\r\n");
        assert_eq!(enc, None);
        let rows = read_csv(&text, "x").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1, vec!["a", "b"]);
        assert_eq!(rows[1].0, 3);
        assert_eq!(rows[1].1, vec!["Nguyễn; V\"", "2"]);
    }
}
