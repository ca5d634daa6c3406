//! Reading a whole file: every sheet in turn, its header found among its
//! first rows, then its rows checked one at a time as the reader delivers
//! them. Nothing but the report grows with the file, and the report's text
//! is capped ([`MAX_REPORT_TEXT`]).
//!
//! Every sheet with a recognizable header is read: rows are numbered per
//! sheet, and when more than one sheet holds people each reason and warning
//! names its sheet. A sheet with data but no header is named in a warning.

use crate::cells::Row;
use crate::error::ImportError;
use crate::header::{self, HEADER_SEARCH_ROWS};
use crate::limits::{MAX_HEADER_SEARCH_TEXT, MAX_REPORT_TEXT, MAX_ROWS, MAX_SHEET_SPAN};
use crate::report::{ColumnMapping, InvalidRow, ListReport, RowWarning, SheetSummary, ValidRow};
use crate::rows::{self, Checked, Context, RowChecker, Seen};
use crate::table::Format;
use crate::CheckOptions;

/// A sheet's rows, in sheet order; rows without any cell are not delivered.
pub(crate) trait RowSource {
    fn next_row(&mut self) -> Result<Option<Row>, ImportError>;
}

/// The check of one file, sheet after sheet.
pub(crate) struct Book<'a, 'o> {
    name: &'a str,
    format: Format,
    opts: &'a CheckOptions<'o>,
    /// The legacy encoding a CSV file was decoded from.
    encoding: Option<vntext::Legacy>,
    sheets: Vec<SheetSummary>,
    sheet_names: Vec<Option<String>>,
    valid: Vec<ValidRow>,
    invalid: Vec<InvalidRow>,
    warnings: Vec<RowWarning>,
    /// Warnings about sheets (skipped ones), given first.
    sheet_warnings: Vec<RowWarning>,
    seen: Seen,
    legacy_reported: bool,
    /// Non-blank data rows of all sheets; past [`MAX_ROWS`] only counted.
    rows: usize,
    text: usize,
    /// What the best row of the first sheet without a header looked like.
    no_header: Option<String>,
    any_rows: bool,
}

fn person_text(v: &ValidRow) -> usize {
    let p = &v.person;
    let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    p.full_name.len()
        + p.id_doc.number.len()
        + opt(&p.id_doc.label)
        + opt(&p.phone)
        + opt(&p.residence)
        + opt(&p.workplace)
        + opt(&p.position)
        + opt(&p.purpose)
        + opt(&p.area)
        + p.notes.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>()
        // Each warning is kept twice: on the row and in the report.
        + 2 * v.warnings.iter().map(String::len).sum::<usize>()
}

impl<'a, 'o> Book<'a, 'o> {
    pub(crate) fn new(
        name: &'a str,
        format: Format,
        opts: &'a CheckOptions<'o>,
        encoding: Option<vntext::Legacy>,
    ) -> Self {
        Book {
            name,
            format,
            opts,
            encoding,
            sheets: Vec::new(),
            sheet_names: Vec::new(),
            valid: Vec::new(),
            invalid: Vec::new(),
            warnings: Vec::new(),
            sheet_warnings: Vec::new(),
            seen: Seen::new(),
            legacy_reported: false,
            rows: 0,
            text: 0,
            no_header: None,
            any_rows: false,
        }
    }

    fn counting_only(&self) -> bool {
        self.rows > MAX_ROWS
    }

    /// Keeps `n` more bytes of text in the report, within the cap.
    fn keep(&mut self, n: usize) -> Result<(), ImportError> {
        self.text += n;
        if self.text > MAX_REPORT_TEXT {
            return Err(ImportError::TooMuchText {
                name: self.name.to_string(),
                limit_mb: MAX_REPORT_TEXT / (1024 * 1024),
            });
        }
        Ok(())
    }

    /// Reads one sheet (`name` none for CSV).
    pub(crate) fn sheet(
        &mut self,
        name: Option<&str>,
        src: &mut dyn RowSource,
    ) -> Result<(), ImportError> {
        let index = self.sheets.len();
        self.sheet_names.push(name.map(str::to_string));
        let mut summary = SheetSummary {
            name: name.map(str::to_string),
            header_row: None,
            columns: Vec::new(),
            rows: 0,
            valid: 0,
            invalid: 0,
        };
        // The rows the header is searched in: within HEADER_SEARCH_ROWS of
        // the first row, and a few MB of text at most.
        let mut window: Vec<Row> = Vec::new();
        let mut window_text = 0;
        let mut after: Option<Row> = None;
        while let Some(row) = src.next_row()? {
            let first = window.first().map_or(row.number, |r| r.number);
            self.check_span(index, first, &row)?;
            if row.number.saturating_sub(first) as usize >= HEADER_SEARCH_ROWS
                || window_text + row.text_len() > MAX_HEADER_SEARCH_TEXT
            {
                after = Some(row);
                break;
            }
            window_text += row.text_len();
            window.push(row);
        }
        let Some(first_row) = window.first().map(|r| r.number) else {
            self.sheets.push(summary);
            return Ok(());
        };
        self.any_rows = true;
        let h = match header::find_header(&window) {
            Ok(h) => h,
            Err(found) => {
                // Not read, but a cell far away is still refused as before.
                while let Some(row) = after.take().map(Ok).or_else(|| src.next_row().transpose()) {
                    self.check_span(index, first_row, &row?)?;
                }
                self.no_header.get_or_insert(found);
                if let Some(name) = name {
                    self.sheet_warnings.push(RowWarning {
                        row: first_row,
                        message: format!(
                            "Trang «{name}» có dữ liệu nhưng không có dòng tiêu đề (cột «Họ và tên» và \
                             cột «Số CCCD/CMND») trong 20 dòng đầu nên không được đọc: nếu trang này có \
                             người cần cấp giấy, đề nghị thêm dòng tiêu đề rồi gửi lại"
                        ),
                        sheet: Some(name.to_string()),
                    });
                }
                self.sheets.push(summary);
                return Ok(());
            }
        };
        let header_number = window[h.row].number;
        summary.header_row = Some(header_number);
        summary.columns = h
            .columns
            .iter()
            .map(|(j, f, text)| ColumnMapping {
                column: crate::cells::column_letters(*j),
                header: text.clone(),
                field: *f,
            })
            .collect();
        if let Some(enc) = self.encoding {
            self.legacy_reported = true;
            self.warnings.push(RowWarning {
                row: header_number,
                message: format!(
                    "Tệp không phải UTF-8: đã đọc theo bảng mã {}, kiểm tra lại họ tên",
                    rows::legacy_name(enc)
                ),
                sheet: None,
            });
        }
        let checker = RowChecker::new(&h, self.format == Format::Csv);
        self.sheets.push(summary);
        let rest = window.split_off(h.row + 1);
        drop(window);
        for row in rest.into_iter().chain(after) {
            self.row(&checker, index, first_row, row)?;
        }
        while let Some(row) = src.next_row()? {
            self.row(&checker, index, first_row, row)?;
        }
        Ok(())
    }

    /// Refuses a sheet with a cell far below its first row.
    fn check_span(&self, sheet: usize, first_row: u32, row: &Row) -> Result<(), ImportError> {
        let span = row.number.saturating_sub(first_row) as usize + 1;
        if span <= MAX_SHEET_SPAN {
            return Ok(());
        }
        let cols = match row.problem {
            Some(crate::cells::RowProblem::TooManyColumns { column }) => column as usize + 1,
            _ => row.cells().last().map_or(1, |(j, _)| j + 1),
        };
        Err(crate::limits::sheet_too_large(
            self.name,
            self.sheet_names[sheet].as_deref().unwrap_or(""),
            span,
            cols,
        ))
    }

    fn row(
        &mut self,
        checker: &RowChecker,
        sheet: usize,
        first_row: u32,
        row: Row,
    ) -> Result<(), ImportError> {
        self.check_span(sheet, first_row, &row)?;
        if self.counting_only() {
            if !checker.is_blank(&row) {
                self.rows += 1;
            }
            return Ok(());
        }
        let mut legacy = None;
        let mut ctx = Context {
            opts: self.opts,
            seen: &mut self.seen,
            sheet,
            sheet_names: &self.sheet_names,
            legacy_reported: &mut self.legacy_reported,
        };
        let checked = checker.check(&row, &mut ctx, &mut legacy);
        if matches!(checked, Checked::Blank) {
            return Ok(());
        }
        self.rows += 1;
        if self.counting_only() {
            // Over the limit: the file is refused, only the count matters.
            self.valid = Vec::new();
            self.invalid = Vec::new();
            self.warnings = Vec::new();
            return Ok(());
        }
        let sheet_name = self.sheet_names[sheet].clone();
        if let Some(message) = legacy {
            self.keep(message.len())?;
            self.warnings.push(RowWarning {
                row: row.number,
                message,
                sheet: sheet_name.clone(),
            });
        }
        let summary = &mut self.sheets[sheet];
        match checked {
            Checked::Blank => {}
            Checked::Valid(mut v) => {
                summary.rows += 1;
                summary.valid += 1;
                self.keep(person_text(&v))?;
                for w in &v.warnings {
                    self.warnings.push(RowWarning {
                        row: v.row,
                        message: w.clone(),
                        sheet: sheet_name.clone(),
                    });
                }
                v.sheet = sheet_name;
                self.valid.push(*v);
            }
            Checked::Invalid(mut i) => {
                summary.rows += 1;
                summary.invalid += 1;
                self.keep(i.reason.len())?;
                i.sheet = sheet_name;
                self.invalid.push(i);
            }
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<ListReport, ImportError> {
        if self.rows > MAX_ROWS {
            return Err(ImportError::TooManyRows {
                rows: self.rows,
                limit: MAX_ROWS,
            });
        }
        let Some(first) = self.sheets.iter().find(|s| s.header_row.is_some()).cloned() else {
            return Err(if self.any_rows {
                ImportError::NoHeader {
                    name: self.name.to_string(),
                    found: self.no_header.unwrap_or_default(),
                }
            } else {
                ImportError::Empty {
                    name: self.name.to_string(),
                }
            });
        };
        let several = self
            .sheets
            .iter()
            .filter(|s| s.header_row.is_some())
            .count()
            > 1;
        if several {
            // Row numbers repeat from sheet to sheet: each reason says where.
            let prefix = |sheet: &Option<String>, s: &mut String| {
                if let Some(name) = sheet {
                    s.insert_str(0, &format!("Trang «{name}»: "));
                }
            };
            for i in &mut self.invalid {
                prefix(&i.sheet, &mut i.reason);
            }
            for w in &mut self.warnings {
                prefix(&w.sheet, &mut w.message);
            }
            for v in &mut self.valid {
                for w in &mut v.warnings {
                    prefix(&v.sheet, w);
                }
            }
        }
        let mut warnings = self.sheet_warnings;
        warnings.append(&mut self.warnings);
        Ok(ListReport {
            file_name: self.name.to_string(),
            format: self.format,
            sheet: first.name,
            header_row: first.header_row.unwrap_or(0),
            columns: first.columns,
            sheets: self.sheets,
            rows: self.rows,
            valid: self.valid,
            invalid: self.invalid,
            warnings,
        })
    }
}
