//! One row of a sheet as the readers deliver it: only its non-empty cells,
//! so a row costs what it holds, never the width of the widest row.

use crate::limits::{MAX_CELL_CHARS, MAX_COLUMNS};
use identity::Date;

/// One cell, borrowed from its row.
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

/// A cell value as a row stores it (text lives in the row's buffer).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    Text { start: u32, end: u32 },
    Number(f64),
    Date(Option<Date>),
    Bool(bool),
}

/// Why a row could not be read whole. The row is then refused with this
/// reason alone: what was read of it is not the whole row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowProblem {
    /// A non-empty cell at this (0-based) column, past [`MAX_COLUMNS`].
    TooManyColumns { column: u32 },
    /// A cell longer than [`MAX_CELL_CHARS`] characters.
    CellTooLong { column: u32 },
    /// A byte that is not UTF-8 in a UTF-8 text file.
    BadEncoding { column: u32, byte: u8 },
}

impl RowProblem {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            RowProblem::TooManyColumns { .. } => "list.too_many_columns",
            RowProblem::CellTooLong { .. } => "list.cell_too_long",
            RowProblem::BadEncoding { .. } => "list.bad_encoding",
        }
    }

    /// The Vietnamese reason, naming the cell (column letters and row).
    pub(crate) fn message(&self, row: u32) -> String {
        match *self {
            RowProblem::TooManyColumns { column } => format!(
                "Ô {}{row} nằm ngoài giới hạn {MAX_COLUMNS} cột của danh sách (cột A đến {}): \
                 đề nghị xóa dữ liệu thừa ở các cột sau cột {}",
                column_letters(column as usize),
                column_letters(MAX_COLUMNS - 1),
                column_letters(MAX_COLUMNS - 1),
            ),
            RowProblem::CellTooLong { column } => format!(
                "Ô {}{row} dài hơn 32.767 ký tự (giới hạn của Excel): đề nghị kiểm tra lại nội dung ô này",
                column_letters(column as usize)
            ),
            RowProblem::BadEncoding { column, byte } => format!(
                "Ô {}{row} có ký tự không đọc được (byte 0x{byte:02X}): tệp lưu dạng UTF-8 nhưng ô này \
                 bị hỏng, đề nghị đơn vị gõ lại ô này rồi gửi lại",
                column_letters(column as usize)
            ),
        }
    }
}

/// A row's non-empty cells, sorted by column.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    /// Row number as the spreadsheet shows it (1-based).
    pub number: u32,
    cells: Vec<(u32, Value)>,
    text: String,
    pub problem: Option<RowProblem>,
    sorted: bool,
}

impl Row {
    pub(crate) fn new(number: u32) -> Row {
        Row {
            number,
            sorted: true,
            ..Row::default()
        }
    }

    /// Bytes of text the row holds (for the memory budgets).
    pub(crate) fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Nothing read: no cell and no problem.
    pub(crate) fn is_empty(&self) -> bool {
        self.cells.is_empty() && self.problem.is_none()
    }

    /// Keeps the first problem of a row.
    pub(crate) fn set_problem(&mut self, p: RowProblem) {
        self.problem.get_or_insert(p);
    }

    /// False (and the row marked too wide) for a column past the limit;
    /// readers call it before storing anything of a non-empty cell.
    pub(crate) fn column_ok(&mut self, column: u32) -> bool {
        if (column as usize) < MAX_COLUMNS {
            return true;
        }
        self.set_problem(RowProblem::TooManyColumns { column });
        false
    }

    fn push(&mut self, column: u32, v: Value) {
        if self.cells.last().is_some_and(|(c, _)| *c >= column) {
            self.sorted = false;
        }
        self.cells.push((column, v));
    }

    /// Stores a text cell; empty text is no cell, over-long text marks the row.
    pub(crate) fn push_text(&mut self, column: u32, s: &str) {
        if s.is_empty() || !self.column_ok(column) {
            return;
        }
        if s.len() > MAX_CELL_CHARS && s.chars().count() > MAX_CELL_CHARS {
            self.set_problem(RowProblem::CellTooLong { column });
            return;
        }
        let start = self.text.len();
        self.text.push_str(s);
        // The text of a row is far below 4 GB: its cells are capped.
        let (start, end) = (start as u32, self.text.len() as u32);
        self.push(column, Value::Text { start, end });
    }

    pub(crate) fn push_number(&mut self, column: u32, n: f64) {
        if self.column_ok(column) {
            self.push(column, Value::Number(n));
        }
    }

    pub(crate) fn push_date(&mut self, column: u32, d: Option<Date>) {
        if self.column_ok(column) {
            self.push(column, Value::Date(d));
        }
    }

    pub(crate) fn push_bool(&mut self, column: u32, b: bool) {
        if self.column_ok(column) {
            self.push(column, Value::Bool(b));
        }
    }

    /// Sorts the cells by column once read (a sheet may list them in any
    /// order); of two cells in one column the last one read wins.
    pub(crate) fn finish(&mut self) {
        if !self.sorted {
            self.cells.sort_by_key(|(c, _)| *c);
            let mut out: Vec<(u32, Value)> = Vec::with_capacity(self.cells.len());
            for (c, v) in self.cells.drain(..) {
                match out.last_mut() {
                    Some(last) if last.0 == c => last.1 = v,
                    _ => out.push((c, v)),
                }
            }
            self.cells = out;
            self.sorted = true;
        }
    }

    fn value(&self, v: Value) -> CellRef<'_> {
        match v {
            Value::Text { start, end } => {
                CellRef::Text(self.text.get(start as usize..end as usize).unwrap_or(""))
            }
            Value::Number(n) => CellRef::Number(n),
            Value::Date(d) => CellRef::Date(d),
            Value::Bool(b) => CellRef::Bool(b),
        }
    }

    pub(crate) fn cell(&self, column: usize) -> CellRef<'_> {
        match self
            .cells
            .binary_search_by_key(&column, |(c, _)| *c as usize)
        {
            Ok(i) => self.value(self.cells[i].1),
            Err(_) => CellRef::Empty,
        }
    }

    /// `(column, cell)` of every stored cell, in column order.
    pub(crate) fn cells(&self) -> impl Iterator<Item = (usize, CellRef<'_>)> {
        self.cells
            .iter()
            .map(|(c, v)| (*c as usize, self.value(*v)))
    }
}

/// Column letters as the spreadsheet shows them (A, B, …, AA).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(255), "IV");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn rows_keep_only_what_they_hold() {
        let mut r = Row::new(7);
        r.push_text(2, "b");
        r.push_number(0, 1.0);
        r.push_text(1, "");
        r.push_text(2, "c");
        r.finish();
        assert_eq!(r.cell(0), CellRef::Number(1.0));
        assert_eq!(r.cell(1), CellRef::Empty);
        assert_eq!(r.cell(2), CellRef::Text("c"));
        assert_eq!(r.cells().count(), 2);
        assert!(r.problem.is_none());

        r.push_text(MAX_COLUMNS as u32, "x");
        r.push_text(3, &"é".repeat(MAX_CELL_CHARS + 1));
        assert_eq!(
            r.problem,
            Some(RowProblem::TooManyColumns {
                column: MAX_COLUMNS as u32
            })
        );
        let mut r = Row::new(1);
        r.push_text(3, &"é".repeat(MAX_CELL_CHARS));
        assert!(r.problem.is_none());
        r.push_text(4, &"é".repeat(MAX_CELL_CHARS + 1));
        assert_eq!(r.problem, Some(RowProblem::CellTooLong { column: 4 }));
        assert!(r.problem.unwrap().message(1).contains("E1"));
    }
}
