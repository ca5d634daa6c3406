//! CSV read straight from the file's bytes, row by row: no copy of the whole
//! text, no allocation for an empty field, cells capped while reading, so a
//! row costs its own bytes whatever the file holds.
//!
//! Quoting follows RFC 4180 as Excel writes it (`""` inside quotes; a quote
//! inside an unquoted field is a plain character); a record ends at LF, CRLF
//! or a lone CR. Row numbers are the line a record starts on, as a text
//! editor (and Excel opening the file) shows it.

use crate::cells::{Row, RowProblem};
use crate::limits::{MAX_CELL_CHARS, MAX_COLUMNS};
use vntext::Legacy;

/// How the file's text is encoded, decided once for the whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Legacy(Legacy),
}

/// How much of a file the legacy-encoding judge reads (enough lines to tell;
/// bounded so a 20 MB file is not decoded three times over).
const JUDGE_SAMPLE: usize = 256 * 1024;

/// Decides the encoding on evidence: UTF-8 when it has at least as many
/// well-formed multi-byte sequences as bad bytes (a stray byte in a UTF-8
/// file is that row's problem, not the file's), a legacy encoding when there
/// is no UTF-8 evidence or its reading of the text is clearly better.
pub(crate) fn decide_encoding(body: &[u8]) -> Encoding {
    let (mut multibyte, mut bad) = (0usize, 0usize);
    let mut rest = body;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                multibyte += s.bytes().filter(|&b| b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let ok = e.valid_up_to();
                multibyte += rest[..ok].iter().filter(|&&b| b >= 0xC0).count();
                bad += 1;
                rest = &rest[ok + e.error_len().unwrap_or(rest.len() - ok).max(1)..];
            }
        }
    }
    if bad == 0 {
        return Encoding::Utf8;
    }
    let sample = judge_sample(body);
    let (legacy_text, legacy) = vntext::decode_legacy_bytes(&sample);
    if multibyte == 0 {
        return Encoding::Legacy(legacy);
    }
    let utf8_score = syllables(&String::from_utf8_lossy(&sample));
    let legacy_score = syllables(&legacy_text);
    if multibyte >= bad && legacy_score <= 2 * utf8_score {
        Encoding::Utf8
    } else if legacy_score > utf8_score {
        Encoding::Legacy(legacy)
    } else {
        Encoding::Utf8
    }
}

/// Lines holding non-ASCII bytes, delimiters turned into spaces so that
/// words stand alone, up to [`JUDGE_SAMPLE`] bytes.
fn judge_sample(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in body.split(|&b| b == b'\n') {
        if out.len() >= JUDGE_SAMPLE {
            break;
        }
        if line.is_ascii() {
            continue;
        }
        let take = line.len().min(JUDGE_SAMPLE - out.len());
        out.extend(line[..take].iter().map(|&b| match b {
            b',' | b';' | b'\t' | b'"' | b'\r' => b' ',
            b => b,
        }));
        out.push(b'\n');
    }
    out
}

/// How many non-ASCII words of a text are Vietnamese syllables.
fn syllables(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| !w.is_ascii())
        .flat_map(|w| w.split('-'))
        .map(|w| w.trim_matches(|c: char| c.is_ascii_punctuation() || c.is_ascii_digit()))
        .filter(|w| vntext::is_syllable(w))
        .count()
}

/// Picks the separator: the one among `;`, `,` and tab seen most often
/// outside quotes in the first lines (Vietnamese-locale Excel writes `;`).
pub(crate) fn sniff_delimiter(text: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut lines = 0;
    for &c in text {
        match c {
            b'"' => in_quotes = !in_quotes,
            b';' if !in_quotes => counts[0] += 1,
            b',' if !in_quotes => counts[1] += 1,
            b'\t' if !in_quotes => counts[2] += 1,
            b'\n' if !in_quotes => {
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

/// Most bytes kept of one field: [`MAX_CELL_CHARS`] characters of up to
/// four bytes; past it the field is only scanned.
const MAX_FIELD_BYTES: usize = MAX_CELL_CHARS * 4;

/// The rows of a CSV file.
pub(crate) struct CsvRows<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    delimiter: u8,
    pub encoding: Encoding,
    field: Vec<u8>,
}

impl<'a> CsvRows<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> CsvRows<'a> {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        CsvRows {
            bytes: body,
            pos: 0,
            line: 1,
            delimiter: sniff_delimiter(body),
            encoding: decide_encoding(body),
            field: Vec::new(),
        }
    }

    /// Consumes a line end at `pos` (LF, CRLF or CR), if there is one.
    fn line_end(&mut self) -> bool {
        match self.bytes.get(self.pos) {
            Some(b'\n') => self.pos += 1,
            Some(b'\r') => {
                self.pos += 1;
                if self.bytes.get(self.pos) == Some(&b'\n') {
                    self.pos += 1;
                }
            }
            _ => return false,
        }
        self.line = self.line.saturating_add(1);
        true
    }

    /// Reads one field into `self.field` (only while `keep`); returns
    /// whether it was cut at [`MAX_FIELD_BYTES`] and whether it holds
    /// anything but spaces.
    fn field(&mut self, keep: bool) -> (bool, bool) {
        self.field.clear();
        let (mut cut, mut nonblank) = (false, false);
        let b = self.bytes;
        let mut quoted = b.get(self.pos) == Some(&b'"');
        if quoted {
            self.pos += 1;
        }
        let mut push = |field: &mut Vec<u8>, c: u8| {
            if !c.is_ascii_whitespace() {
                nonblank = true;
            }
            if keep {
                if field.len() < MAX_FIELD_BYTES {
                    field.push(c);
                } else {
                    cut = true;
                }
            }
        };
        while let Some(&c) = b.get(self.pos) {
            if quoted {
                self.pos += 1;
                match c {
                    b'"' if b.get(self.pos) == Some(&b'"') => {
                        self.pos += 1;
                        push(&mut self.field, b'"');
                    }
                    b'"' => quoted = false,
                    b'\n' => {
                        self.line = self.line.saturating_add(1);
                        push(&mut self.field, c);
                    }
                    b'\r' => {
                        if b.get(self.pos) != Some(&b'\n') {
                            self.line = self.line.saturating_add(1);
                        }
                        push(&mut self.field, c);
                    }
                    _ => push(&mut self.field, c),
                }
            } else if c == self.delimiter || c == b'\n' || c == b'\r' {
                break;
            } else {
                self.pos += 1;
                push(&mut self.field, c);
            }
        }
        (cut, nonblank)
    }

    /// Decodes, trims and stores the field just read as cell `column`.
    fn store(&mut self, row: &mut Row, column: u32) {
        let raw = trim_ascii(&self.field);
        if raw.is_empty() {
            return;
        }
        match self.encoding {
            Encoding::Utf8 => match std::str::from_utf8(raw) {
                Ok(s) if s.is_ascii() => row.push_text(column, s),
                Ok(s) => row.push_text(column, &vntext::nfc(s)),
                Err(e) => {
                    let byte = raw.get(e.valid_up_to()).copied().unwrap_or(0);
                    row.set_problem(RowProblem::BadEncoding { column, byte });
                }
            },
            Encoding::Legacy(enc) => {
                let text = match enc {
                    Legacy::Tcvn3 => vntext::decode_tcvn3(raw),
                    Legacy::Vni => vntext::decode_vni(raw),
                    Legacy::Windows1258 => vntext::decode_windows_1258(raw),
                };
                row.push_text(column, text.trim());
            }
        }
    }

    /// The next row holding anything, or `None` at the end.
    pub(crate) fn next_row(&mut self) -> Option<Row> {
        loop {
            while self.line_end() {}
            if self.pos >= self.bytes.len() {
                return None;
            }
            let mut row = Row::new(self.line);
            let mut column: u32 = 0;
            loop {
                let keep = (column as usize) < MAX_COLUMNS && row.problem.is_none();
                let (cut, nonblank) = self.field(keep);
                if keep {
                    if cut {
                        row.set_problem(RowProblem::CellTooLong { column });
                    } else {
                        self.store(&mut row, column);
                    }
                } else if nonblank {
                    // Past the limit (or past a problem): only whether the
                    // row is too wide is still worth knowing.
                    row.column_ok(column);
                }
                if self.bytes.get(self.pos) == Some(&self.delimiter) {
                    self.pos += 1;
                    column = column.saturating_add(1);
                } else {
                    break;
                }
            }
            self.line_end();
            row.finish();
            if !row.is_empty() {
                return Some(row);
            }
        }
    }
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &b[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cells::CellRef;

    fn rows(text: &[u8]) -> Vec<Row> {
        let mut r = CsvRows::new(text);
        std::iter::from_fn(|| r.next_row()).collect()
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"a;b;c\r\n1;2;3\r\n"), b';');
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter(b"\"x;y;z\",b,c\n\"1;2\",2,3\n"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\n"), b'\t');
    }

    #[test]
    fn line_numbers_quotes_and_line_ends() {
        let r = rows(b"\xEF\xBB\xBFa;b\r\n\r\n\"Nguy\xE1\xBB\x85n; V\"\"\";2\r\n\"x\ny\";3\rlast;\"q\"z\n;;\n");
        let got: Vec<(u32, Vec<String>)> = r
            .iter()
            .map(|row| {
                let cells = row
                    .cells()
                    .map(|(j, c)| match c {
                        CellRef::Text(s) => format!("{j}:{s}"),
                        other => format!("{j}:{other:?}"),
                    })
                    .collect();
                (row.number, cells)
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, vec!["0:a".to_string(), "1:b".into()]),
                (3, vec!["0:Nguyễn; V\"".into(), "1:2".into()]),
                (4, vec!["0:x\ny".into(), "1:3".into()]),
                (6, vec!["0:last".into(), "1:qz".into()]),
            ]
        );
    }

    #[test]
    fn encoding_on_evidence() {
        let utf8 = "Nguyễn Văn An;Đặng Thị Thủy\n".as_bytes();
        assert_eq!(decide_encoding(utf8), Encoding::Utf8);
        let mut stray = utf8.to_vec();
        stray.push(0xFF);
        assert_eq!(decide_encoding(&stray), Encoding::Utf8);
        // windows-1258 "Nguyễn Văn Thắng": no UTF-8 sequence at all.
        let cp = b"Nguy\xEA\xDEn V\xE3n Th\xE3\xECng\n";
        assert_eq!(decide_encoding(cp), Encoding::Legacy(Legacy::Windows1258));
    }
}
