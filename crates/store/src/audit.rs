//! The audit trail: append-only, hash-chained, with a head record.
//!
//! Entry hash = SHA-256 of the canonical JSON array
//! `[seq, at, user_id, username, action, entity, entity_id, details, prev_hash]`.
//! Each entry names the previous hash, so editing, deleting or reordering a
//! past entry breaks the chain; the head (count, last hash) catches removal of
//! the newest entries, which a chain alone cannot.

use rusqlite::{params, Transaction};
use serde::Serialize;

use crate::error::Result;
use crate::util::{now_rfc3339, sha256_hex};
use crate::Store;

/// Who did it: a logged-in user, or the system (no user id).
pub(crate) struct Actor<'a> {
    pub user_id: Option<i64>,
    pub username: &'a str,
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    seq: i64,
    at: &str,
    user_id: Option<i64>,
    username: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    details: &str,
    prev_hash: &str,
) -> String {
    let canonical = serde_json::json!([
        seq, at, user_id, username, action, entity, entity_id, details, prev_hash
    ]);
    sha256_hex(canonical.to_string().as_bytes())
}

/// Append one entry inside the caller's transaction (so the entry exists iff
/// the change it records does).
pub(crate) fn append(
    tx: &Transaction<'_>,
    actor: &Actor<'_>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    details: serde_json::Value,
) -> Result<()> {
    let (count, prev): (i64, String) = tx.query_row(
        "SELECT count, last_hash FROM audit_head WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let seq = count + 1;
    let at = now_rfc3339();
    let details = details.to_string();
    let hash = entry_hash(
        seq,
        &at,
        actor.user_id,
        actor.username,
        action,
        entity,
        entity_id,
        &details,
        &prev,
    );
    tx.execute(
        "INSERT INTO audit_log (seq, at, user_id, username, action, entity, entity_id, details, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![seq, at, actor.user_id, actor.username, action, entity, entity_id, details, prev, hash],
    )?;
    tx.execute(
        "UPDATE audit_head SET count = ?1, last_hash = ?2 WHERE id = 1",
        params![seq, hash],
    )?;
    Ok(())
}

/// Result of [`Store::audit_verify`].
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    /// Entries found in the table.
    pub entries: u64,
    pub ok: bool,
    /// The first place the chain breaks, if any.
    pub first_bad: Option<AuditProblem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditProblem {
    /// Sequence number where it breaks (for the head: the count it records).
    pub seq: i64,
    /// `audit.gap`, `audit.edited`, `audit.chain`, `audit.head`.
    pub code: &'static str,
    /// Vietnamese explanation.
    pub message: String,
}

/// One audit entry as shown to users.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub details: serde_json::Value,
}

impl Store {
    /// Walk the whole chain and the head. Reads only.
    pub fn audit_verify(&self) -> Result<AuditReport> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, user_id, username, action, entity, entity_id, details, prev_hash, hash
             FROM audit_log ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut entries: u64 = 0;
        let mut prev = String::new();
        let mut first_bad = None;
        while let Some(r) = rows.next()? {
            entries += 1;
            if first_bad.is_some() {
                continue;
            }
            let seq: i64 = r.get(0)?;
            let stored_prev: String = r.get(8)?;
            let stored_hash: String = r.get(9)?;
            let expect_seq = entries as i64;
            let bad = |code, message: String| Some(AuditProblem { seq, code, message });
            if seq != expect_seq {
                first_bad = bad(
                    "audit.gap",
                    format!("Thiếu bản ghi nhật ký trước số {seq} (mong đợi số {expect_seq}): có bản ghi đã bị xoá."),
                );
                continue;
            }
            let computed = entry_hash(
                seq,
                &r.get::<_, String>(1)?,
                r.get(2)?,
                &r.get::<_, String>(3)?,
                &r.get::<_, String>(4)?,
                &r.get::<_, String>(5)?,
                r.get(6)?,
                &r.get::<_, String>(7)?,
                &stored_prev,
            );
            if stored_prev != prev {
                first_bad = bad(
                    "audit.chain",
                    format!("Bản ghi nhật ký số {seq} không nối tiếp bản ghi trước: nhật ký đã bị xoá hoặc đảo thứ tự."),
                );
            } else if computed != stored_hash {
                first_bad = bad(
                    "audit.edited",
                    format!("Bản ghi nhật ký số {seq} đã bị sửa sau khi ghi."),
                );
            }
            prev = stored_hash;
        }
        if first_bad.is_none() {
            let (count, last): (i64, String) = self.conn.query_row(
                "SELECT count, last_hash FROM audit_head WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if count != entries as i64 || last != prev {
                first_bad = Some(AuditProblem {
                    seq: count,
                    code: "audit.head",
                    message: format!(
                        "Nhật ký ghi nhận {count} bản ghi nhưng chỉ còn {entries}, hoặc bản ghi cuối đã bị thay: các bản ghi mới nhất đã bị xoá hoặc sửa."
                    ),
                });
            }
        }
        Ok(AuditReport {
            entries,
            ok: first_bad.is_none(),
            first_bad,
        })
    }

    /// The newest `limit` entries, optionally for one entity ("permit", 42).
    pub fn audit_entries(
        &self,
        entity: Option<(&str, i64)>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        let map = |r: &rusqlite::Row<'_>| -> rusqlite::Result<AuditEntry> {
            let details: String = r.get(6)?;
            Ok(AuditEntry {
                seq: r.get(0)?,
                at: r.get(1)?,
                username: r.get(2)?,
                action: r.get(3)?,
                entity: r.get(4)?,
                entity_id: r.get(5)?,
                details: serde_json::from_str(&details)
                    .unwrap_or(serde_json::Value::String(details)),
            })
        };
        let cols = "SELECT seq, at, username, action, entity, entity_id, details FROM audit_log";
        let out = match entity {
            Some((e, id)) => {
                let mut st = self.conn.prepare(&format!(
                    "{cols} WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq DESC LIMIT ?3"
                ))?;
                let v = st
                    .query_map(params![e, id, limit], map)?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                v
            }
            None => {
                let mut st = self
                    .conn
                    .prepare(&format!("{cols} ORDER BY seq DESC LIMIT ?1"))?;
                let v = st
                    .query_map(params![limit], map)?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                v
            }
        };
        Ok(out)
    }
}
