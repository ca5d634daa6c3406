//! The ward's signed revocation list: every permit this workstation's store
//! knows as revoked (with a serial, i.e. once stamped), signed by the
//! workstation key and carrying its certificate, so a checkpoint that trusts
//! only the city root can check it. Numbers only go up (a verifier keeps the
//! newest list of each issuer).

use permit::revocation::{Reason, RevocationContent, RevocationList, RevokedPermit};
use permit::{Serial, SigningKey};
use rusqlite::params;
use serde::Serialize;
use time::OffsetDateTime;

use crate::activation::active_certificate;
use crate::audit;
use crate::auth::{self, Session};
use crate::error::{Result, StoreError};
use crate::util::{now_rfc3339, today_vn};
use crate::{Role, Store};

/// A list just signed, with its armored text (`GDD-REVOCATIONS-V1`).
#[derive(Debug, Clone, Serialize)]
pub struct PublishedRevocations {
    pub number: u32,
    pub issued_at: String,
    pub permits: usize,
    pub key_id: String,
    pub text: String,
}

/// Longest reason text a list carries (permit's limit); longer reasons are cut.
const MAX_REASON_CHARS: usize = 200;

impl Store {
    /// Ward police or administrator, with the opened workstation key: sign
    /// the ward's revocation list (numbered after the last one published).
    pub fn export_revocations(
        &self,
        s: &Session,
        key: &SigningKey,
    ) -> Result<PublishedRevocations> {
        let cert = active_certificate(&self.conn, today_vn())?.ok_or_else(|| {
            StoreError::invalid(
                "revocations.not_activated",
                "Máy trạm chưa được kích hoạt (chưa có khóa cài đặt còn hạn): chưa ký được danh sách thu hồi.",
            )
        })?;
        if key.verifying_key() != cert.fields().public_key {
            return Err(StoreError::invalid(
                "revocations.wrong_key",
                "Khóa ký đã mở không phải khóa được chứng nhận cho máy trạm này.",
            ));
        }
        let ward_code = cert.fields().ward_code;
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            auth::require(
                &me,
                "ký danh sách thu hồi",
                &[Role::WardPolice, Role::WardAdmin],
            )?;
            let mut permits = Vec::new();
            {
                let mut st = tx.prepare(
                    "SELECT serial, coalesce(revocation_code, 0), coalesce(decision_reason, '')
                     FROM permits WHERE state = 'revoked' AND serial IS NOT NULL ORDER BY serial",
                )?;
                let rows = st.query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, u8>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })?;
                for row in rows {
                    let (serial, code, text) = row?;
                    let serial: Serial = serial.parse().map_err(|_| {
                        StoreError::invalid(
                            "store.corrupt",
                            format!("Số sê-ri «{serial}» trong cơ sở dữ liệu không hợp lệ."),
                        )
                    })?;
                    // Only this ward's permits can be in its list (a restored
                    // store of another ward would be refused by the verifier).
                    if serial.ward_code != ward_code {
                        continue;
                    }
                    permits.push(RevokedPermit {
                        serial,
                        reason: Reason {
                            code,
                            text: text.chars().take(MAX_REASON_CHARS).collect(),
                        },
                    });
                }
            }
            let last: Option<u32> =
                tx.query_row("SELECT max(number) FROM revocation_lists", [], |r| r.get(0))?;
            let number = last.unwrap_or(0) + 1;
            let issued_at = OffsetDateTime::now_utc();
            let count = permits.len();
            let list = RevocationList::sign_by_workstation(
                RevocationContent {
                    number,
                    issued_at,
                    permits,
                    keys: Vec::new(),
                },
                key,
                &cert,
            )
            .map_err(|e| StoreError::invalid(e.code(), e.to_string()))?;
            let key_id = cert.key_id().to_string();
            let now = now_rfc3339();
            tx.execute(
                "INSERT INTO revocation_lists (number, issued_at, permits, key_id, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![number, now, count as i64, key_id, me.user_id],
            )?;
            audit::append(
                tx,
                &auth::actor(&me),
                "revocations.export",
                "workstation",
                None,
                serde_json::json!({"number": number, "permits": count, "key_id": key_id}),
            )?;
            Ok(PublishedRevocations {
                number,
                issued_at: now,
                permits: count,
                key_id,
                text: list.to_text(),
            })
        })
    }
}
