//! CSV export of permits (opens in Excel: UTF-8 with BOM, CRLF).

use std::io::Write;

use rusqlite::types::Value;
use serde::Deserialize;
use workflow::State;

use crate::audit;
use crate::auth::{self, Session};
use crate::error::{Result, StoreError};
use crate::org::normalize_ref;
use crate::Store;

/// Which permits to export; all fields optional (none = every permit).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExportFilter {
    pub state: Option<State>,
    pub request_id: Option<i64>,
    /// Organization reference code.
    pub org_ref: Option<String>,
}

const HEADER: [&str; 20] = [
    "ma_giay",
    "so_seri",
    "trang_thai",
    "ten_trang_thai",
    "ho_ten",
    "loai_giay_to",
    "so_giay_to",
    "ngay_sinh",
    "gioi_tinh",
    "dien_thoai",
    "to_chuc",
    "ma_to_chuc",
    "ma_yeu_cau",
    "muc_dich",
    "khu_vuc",
    "hieu_luc_tu",
    "hieu_luc_den",
    "ly_do",
    "nguoi_quyet_dinh",
    "thoi_diem_quyet_dinh",
];

/// Characters that make a spreadsheet read a cell as a formula (or a DDE
/// command) when they start it; a tab or carriage return at the start is
/// trimmed by some programs to reveal the next one.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One CSV field, safe in Excel and LibreOffice whichever separator they read
/// it with (`,` as written, or `;` as Vietnamese-locale Excel does): every
/// piece that a `,`, `;`, tab or line break could make into a cell of its own
/// is neutralized (a `'` before a formula character), not only the start of
/// the field; then quoted when it holds a separator, a quote or a line break.
fn csv_field(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut piece_start = true;
    let mut piece = s;
    while !piece.is_empty() {
        let c = piece.chars().next().unwrap_or(' ');
        if piece_start {
            // Spaces and quotes before the formula character do not protect it.
            let lead = piece.len() - piece.trim_start_matches([' ', '"']).len();
            let rest = &piece[lead..];
            if rest.starts_with(FORMULA_START) && !looks_numeric(rest) {
                out.push_str(&piece[..lead]);
                out.push('\'');
                piece = rest;
                piece_start = false;
                continue;
            }
        }
        out.push(c);
        piece_start = matches!(c, ',' | ';' | '\t' | '\n' | '\r');
        piece = &piece[c.len_utf8()..];
    }
    if out.contains([',', '"', '\n', '\r', ';', '\t']) {
        format!("\"{}\"", out.replace('"', "\"\""))
    } else {
        out
    }
}

/// A negative number (`-12`) is data, not a formula.
fn looks_numeric(s: &str) -> bool {
    let digits = s.split([',', ';', '\t', '\n', '\r']).next().unwrap_or("");
    digits
        .strip_prefix('-')
        .is_some_and(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
}

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Excel workbook, every cell a typed string: nothing is ever evaluated.
    /// The default for officials.
    Xlsx,
    /// UTF-8 with BOM, CRLF, `,`-separated, formula characters neutralized.
    Csv,
}

impl ExportFormat {
    /// From a file name: `.csv` is CSV, anything else the workbook.
    pub fn for_path(path: &std::path::Path) -> ExportFormat {
        match path.extension().map(|e| e.to_string_lossy().to_lowercase()) {
            Some(e) if e == "csv" => ExportFormat::Csv,
            _ => ExportFormat::Xlsx,
        }
    }
}

impl Store {
    /// Write matching permits as CSV to `out`; returns the number of rows.
    /// The export itself is recorded in the audit trail (personal data left the store).
    pub fn export_csv<W: Write>(
        &self,
        s: &Session,
        mut out: W,
        filter: &ExportFilter,
    ) -> Result<u64> {
        let w = |out: &mut W, bytes: &[u8]| out.write_all(bytes).map_err(StoreError::Write);
        w(&mut out, "\u{feff}".as_bytes())?;
        w(&mut out, HEADER.join(",").as_bytes())?;
        w(&mut out, b"\r\n")?;
        let n = self.export_rows(filter, |fields| {
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            w(&mut out, line.join(",").as_bytes())?;
            w(&mut out, b"\r\n")
        })?;
        out.flush().map_err(StoreError::Write)?;
        self.audit_export(s, filter, n, ExportFormat::Csv)?;
        Ok(n)
    }

    /// Write matching permits as an .xlsx workbook to `out`: one sheet, a bold
    /// header, every value a string cell (an ID number keeps its leading zeros,
    /// a `=…` stays text). Rows are streamed: memory stays flat at any size.
    pub fn export_xlsx<W: Write + std::io::Seek + Send>(
        &self,
        s: &Session,
        out: W,
        filter: &ExportFilter,
    ) -> Result<u64> {
        use rust_xlsxwriter::{Format, Workbook};
        let xe =
            |e: rust_xlsxwriter::XlsxError| StoreError::Write(std::io::Error::other(e.to_string()));
        let mut wb = Workbook::new();
        let sheet = wb.add_worksheet_with_constant_memory().map_err(xe)?;
        sheet.set_name("Giay di duong").map_err(xe)?;
        let bold = Format::new().set_bold();
        for (j, h) in HEADER.iter().enumerate() {
            sheet
                .write_string_with_format(0, j as u16, *h, &bold)
                .map_err(xe)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xe)?;
        let mut row = 0u32;
        let n = self.export_rows(filter, |fields| {
            row += 1;
            for (j, f) in fields.iter().enumerate() {
                if !f.is_empty() {
                    sheet.write_string(row, j as u16, f).map_err(xe)?;
                }
            }
            Ok(())
        })?;
        wb.save_to_writer(out).map_err(xe)?;
        self.audit_export(s, filter, n, ExportFormat::Xlsx)?;
        Ok(n)
    }

    /// Every matching permit's fields, in [`HEADER`] order, to `each`.
    fn export_rows(
        &self,
        filter: &ExportFilter,
        mut each: impl FnMut(&[String]) -> Result<()>,
    ) -> Result<u64> {
        let mut wh = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        if let Some(st) = filter.state {
            params.push(Value::Text(st.as_str().into()));
            wh.push(format!("pm.state = ?{}", params.len()));
        }
        if let Some(r) = filter.request_id {
            params.push(Value::Integer(r));
            wh.push(format!("pm.request_id = ?{}", params.len()));
        }
        if let Some(r) = &filter.org_ref {
            let norm = normalize_ref(r)
                .ok_or_else(|| StoreError::not_found("tổ chức có mã tham chiếu", r.trim()))?;
            params.push(Value::Text(norm));
            wh.push(format!("o.ref_code = ?{}", params.len()));
        }
        let where_sql = if wh.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", wh.join(" AND "))
        };
        let sql = format!(
            "SELECT pm.id, pm.serial, pm.state, p.full_name, p.id_kind, p.id_number, p.dob, p.sex, p.phone,
                    o.name, o.ref_code, pm.request_id, pm.purpose, pm.area, pm.valid_from, pm.valid_to,
                    pm.decision_reason, u.username, pm.decided_at
             FROM permits pm JOIN persons p ON p.id = pm.person_id
             JOIN requests r ON r.id = pm.request_id
             LEFT JOIN organizations o ON o.id = r.org_id
             LEFT JOIN users u ON u.id = pm.decided_by
             {where_sql} ORDER BY pm.id"
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(params))?;
        let mut n = 0u64;
        let mut fields = Vec::with_capacity(HEADER.len());
        while let Some(r) = rows.next()? {
            let text = |i: usize| -> rusqlite::Result<String> {
                Ok(match r.get::<_, Value>(i)? {
                    Value::Null => String::new(),
                    Value::Integer(v) => v.to_string(),
                    Value::Real(v) => v.to_string(),
                    Value::Text(t) => t,
                    Value::Blob(_) => String::new(),
                })
            };
            let state = text(2)?;
            let label = State::parse(&state).map(|s| s.label_vi()).unwrap_or("");
            fields.clear();
            fields.extend([text(0)?, text(1)?, state.clone(), label.to_string()]);
            for i in 3..19 {
                fields.push(text(i)?);
            }
            each(&fields)?;
            n += 1;
        }
        Ok(n)
    }

    fn audit_export(
        &self,
        s: &Session,
        filter: &ExportFilter,
        n: u64,
        format: ExportFormat,
    ) -> Result<()> {
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            audit::append(
                tx,
                &auth::actor(&me),
                "permit.export",
                "permit",
                None,
                serde_json::json!({
                    "rows": n,
                    "format": format,
                    "state": filter.state.map(|s| s.as_str()),
                    "request_id": filter.request_id,
                    "org_ref": filter.org_ref,
                }),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("Nguyễn Văn A"), "Nguyễn Văn A");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
        assert_eq!(csv_field("-12"), "-12");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(HEADER.len(), 20);
    }

    /// How a spreadsheet that splits on `sep` (ignoring quotes, the worst case)
    /// and trims spaces and quotes sees the cells of one field.
    fn cells_seen(field: &str, sep: char) -> Vec<String> {
        field
            .split(sep)
            .flat_map(|c| c.split(['\n', '\r', '\t']))
            .map(|c| c.trim_matches([' ', '"']).to_string())
            .collect()
    }

    #[test]
    fn a_formula_hidden_after_a_separator_is_neutralized_for_both_separators() {
        let attack = "Đi làm;=cmd|' /C calc'!A0;";
        let f = csv_field(attack);
        for sep in [',', ';'] {
            for cell in cells_seen(&f, sep) {
                assert!(
                    !cell.starts_with(FORMULA_START),
                    "«{cell}» of {f} split on {sep:?}"
                );
            }
        }
        assert!(f.contains("Đi làm;'=cmd"), "{f}");
        for attack in [
            "a,+1+1",
            "x; @SUM(1)",
            "tên\n-2+3",
            "\"=1\"",
            "\t=HYPERLINK(\"x\")",
            "a;\r=1",
        ] {
            let f = csv_field(attack);
            for sep in [',', ';'] {
                for cell in cells_seen(&f, sep) {
                    assert!(!cell.starts_with(FORMULA_START), "«{cell}» of {f:?}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn no_field_ever_starts_a_cell_with_a_formula(s in "[=+@;,\\-\"a 1\\t\\r\\n]{0,24}") {
            let f = csv_field(&s);
            for sep in [',', ';'] {
                for cell in cells_seen(&f, sep) {
                    proptest::prop_assert!(
                        !cell.starts_with(FORMULA_START) || looks_numeric(&cell),
                        "«{}» of {:?} → {:?}", cell, s, f
                    );
                }
            }
        }
    }
}
