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

fn csv_field(s: &str) -> String {
    // Quote when needed; a leading = + - @ is prefixed so Excel does not run it as a formula.
    let s = if s.starts_with(['=', '+', '-', '@']) && !looks_numeric(s) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn looks_numeric(s: &str) -> bool {
    s.strip_prefix('-')
        .is_some_and(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
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
        let w = |out: &mut W, bytes: &[u8]| out.write_all(bytes).map_err(StoreError::Write);
        w(&mut out, "\u{feff}".as_bytes())?;
        w(&mut out, HEADER.join(",").as_bytes())?;
        w(&mut out, b"\r\n")?;
        // Scoped so the read statement is finished before the audit write begins.
        let n = {
            let mut st = self.conn.prepare(&sql)?;
            let mut rows = st.query(rusqlite::params_from_iter(params))?;
            let mut n = 0u64;
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
                let mut fields = vec![text(0)?, text(1)?, state.clone(), label.to_string()];
                for i in 3..19 {
                    fields.push(text(i)?);
                }
                let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                w(&mut out, line.join(",").as_bytes())?;
                w(&mut out, b"\r\n")?;
                n += 1;
            }
            n
        };
        out.flush().map_err(StoreError::Write)?;
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
                    "state": filter.state.map(|s| s.as_str()),
                    "request_id": filter.request_id,
                    "org_ref": filter.org_ref,
                }),
            )
        })?;
        Ok(n)
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
        assert_eq!(HEADER.len(), 20);
    }
}
