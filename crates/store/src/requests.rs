//! Requests: residents' requests recorded by area police, organizations'
//! imported lists; their persons, rejected rows and attachments.

use std::collections::HashSet;

use identity::{IdDocument, PersonInput};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use workflow::{RequestKind, Role, State};

use crate::audit;
use crate::auth::{self, Session};
use crate::error::{Result, StoreError};
use crate::model::*;
use crate::util::{date_str, now_rfc3339, sha256_hex, today_vn};
use crate::Store;

/// Normalized ID number as stored and looked up: no spaces or dots;
/// uppercase letters (passports).
pub(crate) fn normalize_id_number(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .flat_map(|c| c.to_uppercase())
        .collect()
}

/// Last line of defence before the database: callers validate properly
/// (identity / listimport), the store refuses what would corrupt records.
fn check_person(p: &PersonInput, row: Option<u32>) -> Result<()> {
    let at = row.map(|r| format!("Dòng {r}: ")).unwrap_or_default();
    if vntext::clean(&p.full_name).is_empty() {
        return Err(StoreError::invalid(
            "person.name_required",
            format!("{at}thiếu họ và tên."),
        ));
    }
    if normalize_id_number(&p.id_doc.number).is_empty() {
        return Err(StoreError::invalid(
            "person.id_required",
            format!(
                "{at}thiếu số giấy tờ tùy thân của «{}».",
                vntext::clean(&p.full_name)
            ),
        ));
    }
    if let (Some(from), Some(to)) = (p.valid_from, p.valid_to) {
        if from > to {
            return Err(StoreError::invalid(
                "person.bad_validity",
                format!(
                    "{at}ngày bắt đầu hiệu lực sau ngày kết thúc ({}).",
                    vntext::clean(&p.full_name)
                ),
            ));
        }
    }
    Ok(())
}

/// Insert a person and their permit in state `received`.
/// A category the signer knows (permit::category::ALL), or a clear refusal.
pub(crate) fn check_category(code: u8) -> Result<u8> {
    if permit::category::ALL.contains(&code) {
        Ok(code)
    } else {
        Err(StoreError::invalid(
            "request.bad_category",
            format!("Diện cấp giấy mã {code} không có trong danh mục."),
        ))
    }
}

/// Where a person's row was: its number and sheet in an imported list (none typed in).
#[derive(Clone, Copy, Default)]
pub(crate) struct RowAt<'a> {
    pub row: Option<u32>,
    pub sheet: Option<&'a str>,
}

pub(crate) fn insert_person(
    tx: &Transaction<'_>,
    request_id: i64,
    category: u8,
    at: RowAt<'_>,
    p: &PersonInput,
    warnings: &[String],
    now: &str,
) -> Result<(i64, i64)> {
    let full_name = vntext::clean(&p.full_name);
    let clean_opt = |o: &Option<String>| o.as_deref().map(vntext::clean).filter(|s| !s.is_empty());
    let notes = serde_json::to_string(&p.notes).unwrap_or_else(|_| "[]".into());
    let warnings = serde_json::to_string(warnings).unwrap_or_else(|_| "[]".into());
    let mut ins = tx.prepare_cached(
        "INSERT INTO persons (request_id, row_no, full_name, name_key, id_kind, id_number, id_label,
                              dob, sex, phone, residence, workplace, position, notes, warnings, sheet)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    ins.execute(params![
        request_id,
        at.row,
        full_name,
        vntext::fold(&full_name),
        p.id_doc.kind.as_str(),
        normalize_id_number(&p.id_doc.number),
        p.id_doc.label.as_deref().map(vntext::clean),
        p.date_of_birth.map(date_str),
        p.sex.map(|s| s.as_str()),
        p.phone,
        clean_opt(&p.residence),
        clean_opt(&p.workplace),
        clean_opt(&p.position),
        notes,
        warnings,
        at.sheet,
    ])?;
    let person_id = tx.last_insert_rowid();
    let mut permit = tx.prepare_cached(
        "INSERT INTO permits (person_id, request_id, state, purpose, area, valid_from, valid_to, updated_at, category)
         VALUES (?1, ?2, 'received', ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    permit.execute(params![
        person_id,
        request_id,
        clean_opt(&p.purpose),
        clean_opt(&p.area),
        p.valid_from.map(date_str),
        p.valid_to.map(date_str),
        now,
        category,
    ])?;
    Ok((person_id, tx.last_insert_rowid()))
}

fn active_holder_in(conn: &rusqlite::Connection, number: &str) -> Result<Option<ActiveHolder>> {
    let today = date_str(today_vn());
    let mut st = conn.prepare_cached(
        "SELECT p.id, pm.id, p.request_id, p.full_name, pm.state, pm.valid_to, o.name
         FROM persons p
         JOIN permits pm ON pm.person_id = p.id
         JOIN requests r ON r.id = p.request_id
         LEFT JOIN organizations o ON o.id = r.org_id
         WHERE p.id_number = ?1
           AND pm.state IN ('approved', 'stamped', 'printed', 'delivered')
           AND (pm.valid_to IS NULL OR pm.valid_to >= ?2)
         ORDER BY pm.id DESC LIMIT 1",
    )?;
    let v = st
        .query_row(params![number, today], |r| {
            let state: String = r.get(4)?;
            Ok(ActiveHolder {
                person_id: r.get(0)?,
                permit_id: r.get(1)?,
                request_id: r.get(2)?,
                full_name: r.get(3)?,
                state: State::parse(&state).unwrap_or(State::Approved),
                valid_to: r.get(5)?,
                org_name: r.get(6)?,
            })
        })
        .optional()?;
    Ok(v)
}

fn check_no_duplicates<'a>(
    numbers: impl Iterator<Item = (Option<u32>, &'a PersonInput)>,
) -> Result<()> {
    let mut seen = HashSet::new();
    for (row, p) in numbers {
        let n = normalize_id_number(&p.id_doc.number);
        if !seen.insert(n.clone()) {
            let at = row.map(|r| format!("Dòng {r}: ")).unwrap_or_default();
            return Err(StoreError::invalid(
                "request.duplicate_person",
                format!(
                    "{at}số giấy tờ {n} ({}) xuất hiện hai lần trong cùng yêu cầu.",
                    vntext::clean(&p.full_name)
                ),
            ));
        }
    }
    Ok(())
}

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<RequestSummary> {
    let kind: String = r.get(1)?;
    Ok(RequestSummary {
        id: r.get(0)?,
        kind: RequestKind::parse(&kind).unwrap_or(RequestKind::Resident),
        org_id: r.get(2)?,
        org_name: r.get(3)?,
        org_ref: r.get(4)?,
        source_name: r.get(5)?,
        note: r.get(6)?,
        created_by: r.get(7)?,
        created_at: r.get(8)?,
        persons: 0,
        rejected_rows: 0,
        states: Vec::new(),
    })
}

const SUMMARY_SQL: &str = "SELECT r.id, r.kind, r.org_id, o.name, o.ref_code, r.source_name, r.note, u.username, r.created_at
     FROM requests r JOIN users u ON u.id = r.created_by LEFT JOIN organizations o ON o.id = r.org_id";

impl Store {
    /// Whether someone with this ID number holds an active permit (approved,
    /// stamped, printed or delivered, still valid today) in this ward.
    pub fn active_permit_holder(&self, id: &IdDocument) -> Result<Option<ActiveHolder>> {
        active_holder_in(&self.conn, &normalize_id_number(&id.number))
    }

    /// Record residents' request (area police). Permits start `received`.
    pub fn create_resident_request(&self, s: &Session, req: &NewResidentRequest) -> Result<i64> {
        if req.persons.is_empty() {
            return Err(StoreError::invalid(
                "request.empty",
                "Yêu cầu cần ít nhất một người.",
            ));
        }
        for p in &req.persons {
            check_person(p, None)?;
        }
        check_no_duplicates(req.persons.iter().map(|p| (None, p)))?;
        let category = check_category(req.category)?;
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            auth::require(&me, "ghi nhận yêu cầu của người dân", &[Role::AreaPolice])?;
            for p in &req.persons {
                if let Some(h) = active_holder_in(tx, &normalize_id_number(&p.id_doc.number))? {
                    return Err(StoreError::invalid(
                        "request.already_holds_permit",
                        format!(
                            "«{}» (số giấy tờ {}) đang có giấy đi đường còn hiệu lực (#{}, {}).",
                            h.full_name, p.id_doc.number, h.permit_id, h.state
                        ),
                    ));
                }
            }
            let now = now_rfc3339();
            tx.execute(
                "INSERT INTO requests (kind, note, created_by, created_at) VALUES ('resident', ?1, ?2, ?3)",
                params![req.note.as_deref().map(vntext::clean), me.user_id, now],
            )?;
            let request_id = tx.last_insert_rowid();
            for p in &req.persons {
                insert_person(tx, request_id, category, RowAt::default(), p, &[], &now)?;
            }
            audit::append(
                tx,
                &auth::actor(&me),
                "request.create",
                "request",
                Some(request_id),
                serde_json::json!({"kind": "resident", "persons": req.persons.len(), "category": category}),
            )?;
            Ok(request_id)
        })
    }

    /// Store an organization's list: valid rows become persons with permits
    /// (`received`), rejected rows are kept with their reasons. One transaction.
    pub fn import_list(
        &self,
        s: &Session,
        org_ref: &str,
        source_name: &str,
        valid: &[ImportRow],
        rejected: &[RejectedRow],
    ) -> Result<ImportSummary> {
        if valid.is_empty() && rejected.is_empty() {
            return Err(StoreError::invalid(
                "import.empty",
                "Danh sách không có dòng dữ liệu nào.",
            ));
        }
        for r in valid {
            check_person(&r.person, Some(r.row))?;
        }
        check_no_duplicates(valid.iter().map(|r| (Some(r.row), &r.person)))?;
        let org = self.organization_by_ref(s, org_ref)?;
        let source_name = vntext::clean(source_name);
        let what = format!(
            "nhập danh sách «{source_name}» ({} dòng)",
            valid.len() + rejected.len()
        );
        self.write_batch(&s.username, &what, |tx| {
            let me = auth::current(tx, s)?;
            auth::require(&me, "nhập danh sách của tổ chức", &[Role::WardOfficial])?;
            let now = now_rfc3339();
            tx.execute(
                "INSERT INTO requests (kind, org_id, source_name, created_by, created_at)
                 VALUES ('organization_list', ?1, ?2, ?3, ?4)",
                params![org.id, source_name, me.user_id, now],
            )?;
            let request_id = tx.last_insert_rowid();
            for r in valid {
                insert_person(
                    tx,
                    request_id,
                    org.category,
                    RowAt {
                        row: Some(r.row),
                        sheet: r.sheet.as_deref(),
                    },
                    &r.person,
                    &r.warnings,
                    &now,
                )?;
            }
            {
                let mut st = tx.prepare_cached(
                    "INSERT INTO request_rows_rejected (request_id, row_no, reason, code, sheet)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?;
                for r in rejected {
                    st.execute(params![request_id, r.row, r.reason, r.code, r.sheet])?;
                }
            }
            audit::append(
                tx,
                &auth::actor(&me),
                "request.import",
                "request",
                Some(request_id),
                serde_json::json!({
                    "org": org.ref_code,
                    "source": source_name,
                    "persons": valid.len(),
                    "rejected": rejected.len(),
                }),
            )?;
            Ok(ImportSummary {
                request_id,
                persons: valid.len() as u64,
                rejected: rejected.len() as u64,
            })
        })
    }

    fn fill_summary(&self, mut s: RequestSummary) -> Result<RequestSummary> {
        let mut st = self.conn.prepare_cached(
            "SELECT state, count(*) FROM permits WHERE request_id = ?1 GROUP BY state",
        )?;
        let rows = st
            .query_map([s.id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut states: Vec<(State, u64)> = rows
            .into_iter()
            .filter_map(|(st, n)| State::parse(&st).map(|st| (st, n as u64)))
            .collect();
        states.sort();
        s.persons = states.iter().map(|(_, n)| n).sum();
        s.states = states;
        s.rejected_rows = self.conn.query_row(
            "SELECT count(*) FROM request_rows_rejected WHERE request_id = ?1",
            [s.id],
            |r| r.get::<_, i64>(0),
        )? as u64;
        Ok(s)
    }

    /// The newest `limit` requests with their per-state counts.
    pub fn list_requests(&self, _s: &Session, limit: u32) -> Result<Vec<RequestSummary>> {
        let mut st = self
            .conn
            .prepare(&format!("{SUMMARY_SQL} ORDER BY r.id DESC LIMIT ?1"))?;
        let v = st
            .query_map([limit], summary_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        v.into_iter().map(|s| self.fill_summary(s)).collect()
    }

    /// One request with its persons, their permits, and the rejected rows.
    pub fn request(&self, _s: &Session, request_id: i64) -> Result<RequestDetail> {
        let summary = self
            .conn
            .query_row(
                &format!("{SUMMARY_SQL} WHERE r.id = ?1"),
                [request_id],
                summary_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("yêu cầu", request_id))?;
        let summary = self.fill_summary(summary)?;
        let mut st = self.conn.prepare(
            "SELECT p.id, p.row_no, p.full_name, p.id_kind, p.id_number, p.id_label, p.dob, p.sex, p.phone,
                    p.residence, p.workplace, p.position, p.notes, p.warnings,
                    pm.id, pm.state, pm.serial, pm.purpose, pm.area, pm.valid_from, pm.valid_to,
                    pm.decision_reason, u.username, pm.decided_at, p.sheet
             FROM persons p JOIN permits pm ON pm.person_id = p.id
             LEFT JOIN users u ON u.id = pm.decided_by
             WHERE p.request_id = ?1 ORDER BY p.id",
        )?;
        let persons = st
            .query_map([request_id], |r| {
                let notes: String = r.get(12)?;
                let warnings: String = r.get(13)?;
                let state: String = r.get(15)?;
                Ok(PersonPermit {
                    person_id: r.get(0)?,
                    row: r.get(1)?,
                    sheet: r.get(24)?,
                    full_name: r.get(2)?,
                    id_kind: r.get(3)?,
                    id_number: r.get(4)?,
                    id_label: r.get(5)?,
                    date_of_birth: r.get(6)?,
                    sex: r.get(7)?,
                    phone: r.get(8)?,
                    residence: r.get(9)?,
                    workplace: r.get(10)?,
                    position: r.get(11)?,
                    notes: serde_json::from_str(&notes).unwrap_or_default(),
                    warnings: serde_json::from_str(&warnings).unwrap_or_default(),
                    permit: PermitInfo {
                        id: r.get(14)?,
                        state: State::parse(&state).unwrap_or(State::Received),
                        serial: r.get(16)?,
                        purpose: r.get(17)?,
                        area: r.get(18)?,
                        valid_from: r.get(19)?,
                        valid_to: r.get(20)?,
                        decision_reason: r.get(21)?,
                        decided_by: r.get(22)?,
                        decided_at: r.get(23)?,
                    },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut st = self.conn.prepare(
            "SELECT row_no, reason, code, sheet FROM request_rows_rejected WHERE request_id = ?1
             ORDER BY id",
        )?;
        let rejected_rows = st
            .query_map([request_id], |r| {
                Ok(RejectedRow {
                    row: r.get(0)?,
                    reason: r.get(1)?,
                    sheet: r.get(3)?,
                    code: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(RequestDetail {
            summary,
            persons,
            rejected_rows,
        })
    }

    /// Keep a supporting document sent with a request (any role that can see it).
    pub fn add_attachment(
        &self,
        s: &Session,
        request_id: i64,
        filename: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<AttachmentInfo> {
        let sha = sha256_hex(bytes);
        let id = self.write(|tx| {
            let me = auth::current(tx, s)?;
            auth::require(
                &me,
                "đính kèm tài liệu",
                &[Role::AreaPolice, Role::WardOfficial],
            )?;
            let exists: Option<i64> = tx
                .query_row("SELECT id FROM requests WHERE id = ?1", [request_id], |r| r.get(0))
                .optional()?;
            if exists.is_none() {
                return Err(StoreError::not_found("yêu cầu", request_id));
            }
            tx.execute(
                "INSERT INTO attachments (request_id, filename, mime, sha256, bytes, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![request_id, vntext::clean(filename), mime.trim(), sha, bytes, now_rfc3339()],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                &auth::actor(&me),
                "attachment.add",
                "request",
                Some(request_id),
                serde_json::json!({"attachment": id, "filename": filename, "sha256": sha, "size": bytes.len()}),
            )?;
            Ok(id)
        })?;
        self.attachments(s, request_id)?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| StoreError::not_found("tệp đính kèm", id))
    }

    pub fn attachments(&self, _s: &Session, request_id: i64) -> Result<Vec<AttachmentInfo>> {
        let mut st = self.conn.prepare(
            "SELECT id, request_id, filename, mime, sha256, length(bytes), created_at
             FROM attachments WHERE request_id = ?1 ORDER BY id",
        )?;
        let v = st
            .query_map([request_id], |r| {
                Ok(AttachmentInfo {
                    id: r.get(0)?,
                    request_id: r.get(1)?,
                    filename: r.get(2)?,
                    mime: r.get(3)?,
                    sha256: r.get(4)?,
                    size: r.get::<_, i64>(5)? as u64,
                    created_at: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(v)
    }

    /// The bytes of one attachment.
    pub fn attachment_bytes(&self, _s: &Session, attachment_id: i64) -> Result<Vec<u8>> {
        self.conn
            .query_row(
                "SELECT bytes FROM attachments WHERE id = ?1",
                [attachment_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("tệp đính kèm", attachment_id))
    }
}

/// Media type of an attached document from its file name (scans, PDFs,
/// spreadsheets organizations send): what the CLI and the app record when
/// the sender did not say.
pub fn mime_for_filename(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xls" => "application/vnd.ms-excel",
        "csv" => "text/csv",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use identity::IdKind;

    #[test]
    fn id_numbers_normalize() {
        assert_eq!(normalize_id_number(" 001 089.012345 "), "001089012345");
        assert_eq!(normalize_id_number("c1234567"), "C1234567");
    }

    #[test]
    fn person_checks() {
        let p = PersonInput {
            full_name: "  ".into(),
            id_doc: IdDocument {
                kind: IdKind::Cccd,
                number: "001089012345".into(),
                label: None,
            },
            date_of_birth: None,
            sex: None,
            phone: None,
            residence: None,
            workplace: None,
            position: None,
            purpose: None,
            area: None,
            valid_from: None,
            valid_to: None,
            notes: vec![],
        };
        assert_eq!(
            check_person(&p, Some(3)).unwrap_err().code(),
            "person.name_required"
        );
        let p2 = PersonInput {
            full_name: "An".into(),
            id_doc: IdDocument {
                number: " ".into(),
                ..p.id_doc.clone()
            },
            ..p.clone()
        };
        assert_eq!(
            check_person(&p2, None).unwrap_err().code(),
            "person.id_required"
        );
        let p3 = PersonInput {
            full_name: "An".into(),
            valid_from: Some(time::macros::date!(2026 - 02 - 01)),
            valid_to: Some(time::macros::date!(2026 - 01 - 01)),
            ..p
        };
        assert_eq!(
            check_person(&p3, None).unwrap_err().code(),
            "person.bad_validity"
        );
    }
}
