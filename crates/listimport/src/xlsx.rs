//! Our own streaming .xlsx reader: the package's parts are read through
//! [`crate::xml`] straight from the zip, so memory stays bounded whatever
//! the file holds. The shared strings are kept compactly under a cap of
//! count and bytes; a sheet is read row by row, cells past the column limit
//! or longer than Excel allows are marked on their row, never held.
//!
//! calamine read the same files before (it loads every shared string and
//! whole text nodes first); the cell semantics are kept: Excel serial dates
//! in date-formatted cells, 1904 workbooks, inline and rich-text strings,
//! `_xHHHH_` escapes, error cells.

use crate::cells::{Row, RowProblem};
use crate::error::ImportError;
use crate::limits::{MAX_CELL_CHARS, MAX_COLUMNS, MAX_SHARED_STRINGS, MAX_SHARED_TEXT};
use crate::sheets::RowSource;
use crate::xml::{Event, Reader, XmlError};
use identity::Date;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufReader, Cursor};

/// Most raw bytes of one cell's text kept while reading it: past this the
/// text is over [`MAX_CELL_CHARS`] characters however it is escaped.
const MAX_RAW_CELL: usize = MAX_CELL_CHARS * 8;
/// Storage unit of the shared strings (one allocation per MB, no doubling).
const CHUNK: usize = 1 << 20;
/// Most cell formats read from styles.xml (Excel allows 64,000).
const MAX_XFS: usize = 100_000;

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;
/// A part of the package being read.
type Part<'z, 'a> = Reader<BufReader<zip::read::ZipFile<'z, Cursor<&'a [u8]>>>>;

/// The shared-string table, packed: 1 MB chunks of text and 8 bytes per
/// string.
#[derive(Default)]
pub(crate) struct SharedStrings {
    chunks: Vec<String>,
    /// `(offset, len)`: offset counts from the first chunk's start, a
    /// string never straddles two chunks; `len == u32::MAX` marks a string
    /// longer than Excel allows (only its being too long is kept).
    entries: Vec<(u32, u32)>,
    bytes: usize,
}

const TOO_LONG: u32 = u32::MAX;

impl SharedStrings {
    fn push(&mut self, s: Option<&str>) {
        let Some(s) = s else {
            self.entries.push((0, TOO_LONG));
            return;
        };
        let fits = self
            .chunks
            .last()
            .is_some_and(|c| c.len() + s.len() <= CHUNK);
        if !fits {
            self.chunks.push(String::with_capacity(CHUNK));
        }
        let i = self.chunks.len() - 1;
        let chunk = &mut self.chunks[i];
        let offset = i * CHUNK + chunk.len();
        chunk.push_str(s);
        self.bytes += s.len();
        // Offsets stay below the text cap, far below 4 GB.
        self.entries.push((offset as u32, s.len() as u32));
    }

    /// `Some(Ok(text))`, `Some(Err(()))` for a too-long string, `None` past
    /// the end.
    fn get(&self, i: usize) -> Option<Result<&str, ()>> {
        let (offset, len) = *self.entries.get(i)?;
        if len == TOO_LONG {
            return Some(Err(()));
        }
        let (c, start) = (offset as usize / CHUNK, offset as usize % CHUNK);
        Some(Ok(self
            .chunks
            .get(c)
            .and_then(|s| s.get(start..start + len as usize))
            .unwrap_or("")))
    }
}

/// How a cell format shows numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumFmt {
    Other,
    Date,
    /// `[h]:mm:ss`: a duration, not a date.
    Duration,
}

/// Built-in date and time formats (ECMA-376 18.8.30, and the East Asian
/// ones Excel also shows as dates), as calamine classifies them.
fn builtin_format(id: u32) -> NumFmt {
    match id {
        14..=22 | 27..=36 | 45 | 47 | 50..=58 => NumFmt::Date,
        46 => NumFmt::Duration,
        _ => NumFmt::Other,
    }
}

/// Whether a custom format code shows a date: a `d`, `m`, `y`, `h` or `s`
/// outside quotes, escapes and brackets (calamine's rule, MIT licence).
fn custom_format(code: &str) -> NumFmt {
    let (mut escaped, mut quoted, mut brackets, mut ampm) = (false, false, 0u8, false);
    let mut prev = ' ';
    let mut hms = false;
    for c in code.chars() {
        match (c, escaped, quoted, ampm, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => quoted = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => quoted = true,
            (';', ..) => return NumFmt::Other,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return NumFmt::Duration,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ampm = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return NumFmt::Date,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return NumFmt::Date
            }
            _ => {
                if !(hms && c.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = c;
    }
    NumFmt::Other
}

/// Reverses Excel's `_xHHHH_` escapes of characters XML cannot hold.
fn unescape_ooxml(s: &str) -> Cow<'_, str> {
    if !s.contains("_x") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let code = tail
            .get(2..6)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()) && tail.get(6..7) == Some("_"))
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        match code {
            Some(c) => {
                out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Collects a cell's text, raw bytes capped at [`MAX_RAW_CELL`].
#[derive(Default)]
struct TextBuf {
    bytes: Vec<u8>,
    cut: bool,
}

impl TextBuf {
    fn clear(&mut self) {
        self.bytes.clear();
        self.cut = false;
    }
    fn push(&mut self, t: &[u8]) {
        let room = MAX_RAW_CELL.saturating_sub(self.bytes.len());
        if t.len() > room {
            self.cut = true;
        }
        self.bytes.extend_from_slice(&t[..t.len().min(room)]);
    }
    /// The text, or `None` when longer than Excel allows.
    fn text(&self) -> Option<Cow<'_, str>> {
        if self.cut {
            return None;
        }
        let s = String::from_utf8_lossy(&self.bytes);
        let s = match unescape_ooxml(&s) {
            Cow::Borrowed(_) => s,
            Cow::Owned(o) => Cow::Owned(o),
        };
        (s.chars().count() <= MAX_CELL_CHARS).then_some(s)
    }
}

fn corrupt(name: &str, part: &str, e: impl std::fmt::Display) -> ImportError {
    ImportError::Corrupt {
        name: name.to_string(),
        detail: format!("{part}: {e}"),
    }
}

/// A part of the package, `None` when it is not there.
fn part<'z, 'a>(
    zip: &'z mut Zip<'a>,
    name: &str,
    path: &str,
) -> Result<Option<Part<'z, 'a>>, ImportError> {
    match zip.by_name(path) {
        Ok(f) => Ok(Some(Reader::new(BufReader::with_capacity(64 * 1024, f)))),
        Err(zip::result::ZipError::FileNotFound) => Ok(None),
        Err(e) => Err(corrupt(name, path, e)),
    }
}

/// Joins a relationship target to the folder of the part that names it.
fn resolve(base_dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{base_dir}{target}"),
    };
    let mut out: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

/// `Id → (type's last segment, resolved target)` of a relationships part.
fn relationships(
    zip: &mut Zip<'_>,
    name: &str,
    path: &str,
    base_dir: &str,
) -> Result<HashMap<String, (String, String)>, ImportError> {
    let mut out = HashMap::new();
    let Some(mut x) = part(zip, name, path)? else {
        return Ok(out);
    };
    loop {
        match x.next().map_err(|e| corrupt(name, path, e))? {
            Event::Start(t) if t.name() == b"Relationship" => {
                if out.len() >= 100_000 {
                    return Err(corrupt(name, path, "quá nhiều liên kết"));
                }
                if t.attr(b"TargetMode").as_deref() == Some("External") {
                    continue;
                }
                if let (Some(id), Some(target)) = (t.attr(b"Id"), t.attr(b"Target")) {
                    let typ = t.attr(b"Type").unwrap_or_default();
                    let kind = typ.rsplit('/').next().unwrap_or("").to_string();
                    out.insert(id.into_owned(), (kind, resolve(base_dir, &target)));
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

struct Workbook {
    /// `(sheet name, part path)` of every worksheet, in workbook order.
    sheets: Vec<(String, String)>,
    is_1904: bool,
    shared_strings: Option<String>,
    styles: Option<String>,
}

fn workbook(zip: &mut Zip<'_>, name: &str) -> Result<Workbook, ImportError> {
    let root = relationships(zip, name, "_rels/.rels", "")?;
    let path = root
        .values()
        .find(|(k, _)| k == "officeDocument")
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let dir = dir_of(&path).to_string();
    let file = path.rsplit('/').next().unwrap_or("");
    let rels = relationships(zip, name, &format!("{dir}_rels/{file}.rels"), &dir)?;
    let by_kind = |kind: &str, default: &str| {
        rels.values()
            .find(|(k, _)| k == kind)
            .map(|(_, p)| p.clone())
            .or_else(|| Some(format!("{dir}{default}")))
    };
    let mut wb = Workbook {
        sheets: Vec::new(),
        is_1904: false,
        shared_strings: by_kind("sharedStrings", "sharedStrings.xml"),
        styles: by_kind("styles", "styles.xml"),
    };
    let Some(mut x) = part(zip, name, &path)? else {
        return Err(ImportError::NotSpreadsheet {
            name: name.to_string(),
        });
    };
    loop {
        match x.next().map_err(|e| corrupt(name, &path, e))? {
            Event::Start(t) if t.name() == b"sheet" => {
                if wb.sheets.len() >= 10_000 {
                    return Err(corrupt(name, &path, "quá nhiều trang"));
                }
                let sheet_name = t.attr(b"name").unwrap_or_default().into_owned();
                let id = t.attr_exact(b"r:id").or_else(|| t.attr(b"id"));
                // Chart and dialog sheets hold no cells: only worksheets.
                if let Some((kind, target)) = id.and_then(|id| rels.get(id.as_ref())) {
                    if kind == "worksheet" {
                        wb.sheets.push((sheet_name, target.clone()));
                    }
                }
            }
            Event::Start(t) if t.name() == b"workbookPr" => {
                if let Some(v) = t.attr(b"date1904") {
                    wb.is_1904 = v == "1" || v == "true";
                }
            }
            Event::Eof => return Ok(wb),
            _ => {}
        }
    }
}

fn shared_strings(zip: &mut Zip<'_>, name: &str, path: &str) -> Result<SharedStrings, ImportError> {
    let mut sst = SharedStrings::default();
    let Some(mut x) = part(zip, name, path)? else {
        return Ok(sst);
    };
    let too_much = || ImportError::TooMuchText {
        name: name.to_string(),
        limit_mb: MAX_SHARED_TEXT / (1024 * 1024),
    };
    let mut buf = TextBuf::default();
    // Depth inside <si>, <t> and <rPh> (phonetic text is not the cell's).
    let (mut in_si, mut in_t, mut in_rph) = (false, false, false);
    loop {
        match x.next().map_err(|e| corrupt(name, path, e))? {
            Event::Start(t) => match t.name() {
                b"si" => {
                    in_si = true;
                    buf.clear();
                }
                b"t" if in_si => in_t = true,
                b"rPh" => in_rph = true,
                _ => {}
            },
            Event::Text(s) if in_t && !in_rph => buf.push(s),
            Event::End(n) => match n {
                b"si" => {
                    in_si = false;
                    if sst.entries.len() >= MAX_SHARED_STRINGS {
                        return Err(too_much());
                    }
                    sst.push(buf.text().as_deref());
                    if sst.bytes > MAX_SHARED_TEXT {
                        return Err(too_much());
                    }
                }
                b"t" => in_t = false,
                b"rPh" => in_rph = false,
                _ => {}
            },
            Event::Eof => return Ok(sst),
            _ => {}
        }
    }
}

/// How each cell format (`s` attribute) shows numbers.
fn styles(zip: &mut Zip<'_>, name: &str, path: &str) -> Result<Vec<NumFmt>, ImportError> {
    let mut out = Vec::new();
    let Some(mut x) = part(zip, name, path)? else {
        return Ok(out);
    };
    let mut custom: HashMap<u32, NumFmt> = HashMap::new();
    let mut in_cell_xfs = false;
    loop {
        match x.next().map_err(|e| corrupt(name, path, e))? {
            Event::Start(t) => match t.name() {
                b"numFmt" if custom.len() < MAX_XFS => {
                    let id = t.attr(b"numFmtId").and_then(|v| v.trim().parse().ok());
                    if let (Some(id), Some(code)) = (id, t.attr(b"formatCode")) {
                        custom.insert(id, custom_format(&code));
                    }
                }
                b"cellXfs" => in_cell_xfs = true,
                b"xf" if in_cell_xfs => {
                    if out.len() >= MAX_XFS {
                        return Err(corrupt(name, path, "quá nhiều định dạng ô"));
                    }
                    let id: Option<u32> = t.attr(b"numFmtId").and_then(|v| v.trim().parse().ok());
                    out.push(match id {
                        Some(id) => custom
                            .get(&id)
                            .copied()
                            .unwrap_or_else(|| builtin_format(id)),
                        None => NumFmt::Other,
                    });
                }
                _ => {}
            },
            Event::End(b"cellXfs") => in_cell_xfs = false,
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// `A1`-style reference → 0-based column, when it has letters.
fn column_of(r: &str) -> Option<u32> {
    let mut col: u32 = 0;
    let mut any = false;
    for b in r.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' => {
                any = true;
                col = col
                    .checked_mul(26)?
                    .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)?;
            }
            _ => break,
        }
    }
    any.then(|| col - 1)
}

/// One worksheet, row by row.
struct SheetRows<'s, R: std::io::BufRead> {
    x: Reader<R>,
    name: &'s str,
    path: &'s str,
    sst: &'s SharedStrings,
    formats: &'s [NumFmt],
    is_1904: bool,
    /// Row number the next `<row>` without an `r` gets.
    next_row: u32,
    in_data: bool,
    done: bool,
    text: TextBuf,
}

impl<R: std::io::BufRead> SheetRows<'_, R> {
    fn err(&self, e: XmlError) -> ImportError {
        corrupt(self.name, self.path, e)
    }

    /// Reads one `<c>` (its start tag just read) into `row`.
    fn cell(
        &mut self,
        row: &mut Row,
        column: u32,
        style: Option<usize>,
        typ: Option<&str>,
    ) -> Result<(), ImportError> {
        self.text.clear();
        // Text of <v>, or of the <t>s of <is> (not of <rPh>).
        let (mut in_v, mut in_t, mut in_rph, mut depth) = (false, false, false, 1usize);
        let mut has_value = false;
        loop {
            let ev = self
                .x
                .next()
                .map_err(|e| corrupt(self.name, self.path, e))?;
            match ev {
                Event::Start(t) => {
                    depth += 1;
                    match t.name() {
                        b"v" if typ != Some("inlineStr") => {
                            in_v = true;
                            has_value = true;
                        }
                        b"t" => in_t = true,
                        b"is" => has_value = true,
                        b"rPh" => in_rph = true,
                        b"f" => {
                            self.x
                                .skip_element()
                                .map_err(|e| corrupt(self.name, self.path, e))?;
                            depth -= 1;
                        }
                        _ => {}
                    }
                }
                Event::Text(s) => {
                    if in_v || (in_t && !in_rph) {
                        self.text.push(s);
                    }
                }
                Event::End(n) => {
                    depth -= 1;
                    match n {
                        b"v" => in_v = false,
                        b"t" => in_t = false,
                        b"rPh" => in_rph = false,
                        _ => {}
                    }
                    if depth == 0 {
                        break;
                    }
                }
                Event::Eof => return Err(corrupt(self.name, self.path, "tệp XML bị cắt cụt")),
            }
        }
        if !has_value || (self.text.bytes.is_empty() && !self.text.cut) {
            return Ok(());
        }
        if (column as usize) >= MAX_COLUMNS {
            row.column_ok(column);
            return Ok(());
        }
        let Some(text) = self.text.text() else {
            row.set_problem(RowProblem::CellTooLong { column });
            return Ok(());
        };
        match typ {
            Some("s") => {
                let i: usize = text
                    .trim()
                    .parse()
                    .map_err(|_| corrupt(self.name, self.path, "chỉ số chuỗi không hợp lệ"))?;
                match self.sst.get(i) {
                    Some(Ok(s)) => row.push_text(column, s),
                    Some(Err(())) => row.set_problem(RowProblem::CellTooLong { column }),
                    None => {
                        return Err(corrupt(self.name, self.path, "chỉ số chuỗi không tồn tại"))
                    }
                }
            }
            Some("inlineStr") | Some("str") | Some("d") => row.push_text(column, &text),
            Some("e") => row.push_text(column, "#LỖI"),
            Some("b") => match text.trim() {
                "1" | "true" | "TRUE" => row.push_bool(column, true),
                "0" | "false" | "FALSE" => row.push_bool(column, false),
                other => row.push_text(column, other),
            },
            _ => match text.trim().parse::<f64>() {
                Ok(n) => match style.and_then(|s| self.formats.get(s)) {
                    Some(NumFmt::Date) => row.push_date(column, excel_date(n, self.is_1904)),
                    Some(NumFmt::Duration) => row.push_date(column, None),
                    _ => row.push_number(column, n),
                },
                Err(_) => row.push_text(column, &text),
            },
        }
        Ok(())
    }
}

/// A date-formatted serial as a date; `None` for Excel's 29/02/1900 and
/// time-only values.
fn excel_date(n: f64, is_1904: bool) -> Option<Date> {
    if !n.is_finite() || n < 1.0 {
        return None;
    }
    let dt = calamine::ExcelDateTime::new(n, calamine::ExcelDateTimeType::DateTime, is_1904);
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    let month = time::Month::try_from(m).ok()?;
    Date::from_calendar_date(i32::from(y), month, d).ok()
}

impl<R: std::io::BufRead> RowSource for SheetRows<'_, R> {
    fn next_row(&mut self) -> Result<Option<Row>, ImportError> {
        if self.done {
            return Ok(None);
        }
        let mut row: Option<Row> = None;
        let mut next_col: u32 = 0;
        loop {
            let ev = self
                .x
                .next()
                .map_err(|e| corrupt(self.name, self.path, e))?;
            match ev {
                Event::Start(t) => match t.name() {
                    b"sheetData" => self.in_data = true,
                    b"row" if self.in_data => {
                        let n = t
                            .attr(b"r")
                            .and_then(|r| r.trim().parse::<u32>().ok())
                            .unwrap_or(self.next_row);
                        self.next_row = n.saturating_add(1);
                        row = Some(Row::new(n));
                        next_col = 0;
                    }
                    b"c" if self.in_data => {
                        let column = t.attr(b"r").and_then(|r| column_of(&r)).unwrap_or(next_col);
                        next_col = column.saturating_add(1);
                        let style = t.attr(b"s").and_then(|s| s.trim().parse().ok());
                        let typ = t.attr(b"t").map(|t| t.into_owned());
                        // A cell outside any <row>: a row of its own.
                        if row.is_none() {
                            row = Some(Row::new(self.next_row));
                            self.next_row = self.next_row.saturating_add(1);
                        }
                        if let Some(r) = row.as_mut() {
                            self.cell(r, column, style, typ.as_deref())?;
                        }
                    }
                    _ if self.in_data => {}
                    // Outside the data: columns, views, formats… skipped
                    // whole (they can be long, never matter).
                    b"worksheet" => {}
                    _ => self.x.skip_element().map_err(|e| self.err(e))?,
                },
                Event::End(b"row") => {
                    if let Some(mut r) = row.take() {
                        r.finish();
                        if !r.is_empty() {
                            return Ok(Some(r));
                        }
                    }
                }
                Event::End(b"sheetData") | Event::Eof => {
                    self.done = true;
                    return Ok(row.filter(|r| !r.is_empty()).map(|mut r| {
                        r.finish();
                        r
                    }));
                }
                _ => {}
            }
        }
    }
}

/// Reads every worksheet of an .xlsx, in workbook order, handing each to
/// `each(sheet name, its rows)`.
pub(crate) fn read(
    name: &str,
    bytes: &[u8],
    each: &mut dyn FnMut(&str, &mut dyn RowSource) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    crate::limits::check_xlsx_unpacked(name, bytes, crate::limits::MAX_UNPACKED_BYTES)?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ImportError::Corrupt {
        name: name.to_string(),
        detail: e.to_string(),
    })?;
    let wb = workbook(&mut zip, name)?;
    let sst = match &wb.shared_strings {
        Some(p) => shared_strings(&mut zip, name, p)?,
        None => SharedStrings::default(),
    };
    let formats = match &wb.styles {
        Some(p) => styles(&mut zip, name, p)?,
        None => Vec::new(),
    };
    for (sheet, path) in &wb.sheets {
        let Some(x) = part(&mut zip, name, path)? else {
            return Err(corrupt(name, path, "thiếu trang tính"));
        };
        let mut rows = SheetRows {
            x,
            name,
            path,
            sst: &sst,
            formats: &formats,
            is_1904: wb.is_1904,
            next_row: 1,
            in_data: false,
            done: false,
            text: TextBuf::default(),
        };
        each(sheet, &mut rows)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(custom_format("dd/mm/yyyy"), NumFmt::Date);
        assert_eq!(custom_format("0.00"), NumFmt::Other);
        assert_eq!(custom_format("\"d\"0"), NumFmt::Other);
        assert_eq!(custom_format("[h]:mm:ss"), NumFmt::Duration);
        assert_eq!(builtin_format(14), NumFmt::Date);
        assert_eq!(builtin_format(49), NumFmt::Other);
    }

    #[test]
    fn escapes_references_and_paths() {
        assert_eq!(unescape_ooxml("a_x000D_b_x_c"), "a\rb_x_c");
        assert_eq!(column_of("B5"), Some(1));
        assert_eq!(column_of("AA10"), Some(26));
        assert_eq!(column_of("XFD1"), Some(16383));
        assert_eq!(column_of("12"), None);
        assert_eq!(
            resolve("xl/", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("xl/", "/xl/sheet.xml"), "xl/sheet.xml");
        assert_eq!(resolve("xl/sub/", "../s.xml"), "xl/s.xml");
    }

    #[test]
    fn shared_strings_pack_into_chunks() {
        let mut s = SharedStrings::default();
        let big = "x".repeat(CHUNK - 3);
        s.push(Some("ab"));
        s.push(Some(&big));
        s.push(None);
        s.push(Some("cd"));
        assert_eq!(s.get(0), Some(Ok("ab")));
        assert_eq!(s.get(1), Some(Ok(big.as_str())));
        assert_eq!(s.get(2), Some(Err(())));
        assert_eq!(s.get(3), Some(Ok("cd")));
        assert_eq!(s.get(4), None);
        assert_eq!(s.chunks.len(), 2);
    }
}
