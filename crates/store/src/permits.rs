//! Permit decisions. Every state change: workflow::apply, then the UPDATE,
//! then an audit entry — all inside the caller's one transaction.

use rusqlite::{params, OptionalExtension, Transaction};
use time::Date;
use workflow::{Action, Ctx, RequestKind, State};

use permit::{Certificate, HolderId, IdType, PermitFields, Serial, SigningKey, Token};

use crate::activation::active_certificate;
use crate::audit;
use crate::auth::{self, Session};
use crate::error::{Result, StoreError};
use crate::model::{Stamped, StateCount, Transitioned};
use crate::util::{date_str, now_rfc3339, parse_date, today_vn};
use crate::Store;

mod one_active;

struct PermitRow {
    state: State,
    kind: RequestKind,
    valid_to: Option<Date>,
}

fn load(tx: &Transaction<'_>, permit_id: i64) -> Result<PermitRow> {
    let mut st = tx.prepare_cached(
        "SELECT pm.state, r.kind, pm.valid_to FROM permits pm JOIN requests r ON r.id = pm.request_id
         WHERE pm.id = ?1",
    )?;
    let row: Option<(String, String, Option<String>)> = st
        .query_row([permit_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let (state, kind, valid_to) =
        row.ok_or_else(|| StoreError::not_found("giấy đi đường", permit_id))?;
    Ok(PermitRow {
        state: State::parse(&state).ok_or_else(|| {
            StoreError::invalid(
                "store.corrupt",
                format!("Trạng thái lạ «{state}» của giấy #{permit_id}."),
            )
        })?,
        kind: RequestKind::parse(&kind).unwrap_or(RequestKind::Resident),
        valid_to: valid_to.as_deref().and_then(parse_date),
    })
}

/// Move one permit. `activated` and `today` feed the workflow context.
#[allow(clippy::too_many_arguments)]
fn transition_one(
    tx: &Transaction<'_>,
    me: &Session,
    permit_id: i64,
    action: Action,
    reason: Option<&str>,
    activated: bool,
    today: Date,
    now: &str,
) -> Result<Transitioned> {
    let p = load(tx, permit_id)?;
    let ctx = Ctx {
        kind: p.kind,
        reason,
        activated,
        today,
        valid_to: p.valid_to,
    };
    let next = workflow::apply(p.state, action, &me.roles, &ctx)
        .map_err(|source| StoreError::Workflow { permit_id, source })?;
    if next.is_active() && !p.state.is_active() {
        one_active::make_room(tx, me, permit_id, today, now)?;
    }
    let reason = reason.map(vntext::clean).filter(|r| !r.is_empty());
    let updated = match action {
        Action::Approve | Action::Reject | Action::Revoke => tx
            .prepare_cached(
                "UPDATE permits SET state = ?1, decision_reason = ?2, decided_by = ?3, decided_at = ?4, updated_at = ?4
                 WHERE id = ?5",
            )?
            .execute(params![next.as_str(), reason, me.user_id, now, permit_id]),
        _ => tx
            .prepare_cached("UPDATE permits SET state = ?1, updated_at = ?2 WHERE id = ?3")?
            .execute(params![next.as_str(), now, permit_id]),
    };
    updated.map_err(|e| one_active::explain(tx, permit_id, e))?;
    let mut details = serde_json::json!({"from": p.state.as_str(), "to": next.as_str()});
    if let Some(r) = &reason {
        details["reason"] = serde_json::Value::String(r.clone());
    }
    audit::append(
        tx,
        &auth::actor(me),
        &format!("permit.{}", action.as_str()),
        "permit",
        Some(permit_id),
        details,
    )?;
    Ok(Transitioned {
        permit_id,
        from: p.state,
        to: next,
    })
}

/// stamped → printed for one permit of a completed print job (crate::printing), in the
/// caller's transaction, with its audit entry.
pub(crate) fn transition_for_print(
    tx: &Transaction<'_>,
    me: &Session,
    permit_id: i64,
    activated: bool,
    today: Date,
    now: &str,
) -> Result<Transitioned> {
    transition_one(
        tx,
        me,
        permit_id,
        Action::MarkPrinted,
        None,
        activated,
        today,
        now,
    )
}

/// Next sequence number of this workstation's serials. The counter only goes
/// forward (a trigger refuses anything else) and lives in the caller's
/// transaction: a rolled-back batch gives its numbers back unused, a committed
/// one keeps them for good, so a number is never on two permits.
pub(crate) fn allocate_sequence(tx: &Transaction<'_>) -> Result<u32> {
    let seq: i64 = tx.query_row(
        "UPDATE serial_counter SET last = last + 1 WHERE id = 1 RETURNING last",
        [],
        |r| r.get(0),
    )?;
    u32::try_from(seq).map_err(|_| {
        StoreError::invalid(
            "stamp.serials_exhausted",
            "Đã dùng hết số sê-ri của máy trạm này: dùng máy trạm số khác.",
        )
    })
}

/// The next serial as text, `WWWWW-NN-SSSSSS` (permit::Serial).
pub(crate) fn allocate_serial(tx: &Transaction<'_>) -> Result<String> {
    let (code, ws): (String, u8) = tx
        .query_row("SELECT code, workstation FROM ward WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or(StoreError::WardMissing)?;
    let sequence = allocate_sequence(tx)?;
    Ok(Serial {
        ward_code: code.parse().unwrap_or(0),
        workstation: ws,
        sequence,
    }
    .to_string())
}

/// The person and permit rows a token is built from.
fn permit_fields(tx: &Transaction<'_>, permit_id: i64, sequence: u32) -> Result<PermitFields> {
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        u8,
    );
    let mut st = tx.prepare_cached(
        "SELECT p.full_name, p.id_kind, p.id_number, p.id_label, p.dob, o.name, r.kind,
                pm.purpose, pm.area, pm.valid_from, pm.valid_to, pm.category
         FROM permits pm JOIN persons p ON p.id = pm.person_id JOIN requests r ON r.id = pm.request_id
         LEFT JOIN organizations o ON o.id = r.org_id WHERE pm.id = ?1",
    )?;
    let row: Row = st
        .query_row([permit_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
            ))
        })
        .optional()?
        .ok_or_else(|| StoreError::not_found("giấy đi đường", permit_id))?;
    let (name, id_kind, id_number, id_label, dob, org, kind, purpose, area, from, to, category) =
        row;
    let kind_id: IdType = id_kind
        .parse()
        .map_err(|source| StoreError::Signing { permit_id, source })?;
    let missing = |what: &str| {
        StoreError::invalid(
            "stamp.missing_field",
            format!("Giấy đi đường #{permit_id} chưa có {what}: bổ sung trước khi ký."),
        )
    };
    let area = area
        .filter(|a| !a.trim().is_empty())
        .ok_or_else(|| missing("khu vực/lộ trình"))?;
    let valid_from = from
        .as_deref()
        .and_then(parse_date)
        .ok_or_else(|| missing("ngày bắt đầu hiệu lực"))?;
    let valid_to = to
        .as_deref()
        .and_then(parse_date)
        .ok_or_else(|| missing("ngày hết hiệu lực"))?;
    let organization = org.filter(|_| kind == "organization_list");
    Ok(PermitFields {
        sequence,
        holder_name: name,
        id: HolderId {
            kind: kind_id,
            number: id_number,
            label: id_label.filter(|_| kind_id == IdType::Other),
        },
        date_of_birth: dob.as_deref().and_then(parse_date),
        organization,
        category,
        purpose: purpose.filter(|p| !p.trim().is_empty()),
        area,
        valid_from,
        valid_to,
        daily_hours: None,
    })
}

/// Stamp one approved permit inside the batch's transaction.
#[allow(clippy::too_many_arguments)]
fn stamp_one(
    tx: &Transaction<'_>,
    me: &Session,
    permit_id: i64,
    cert: &Certificate,
    key: &SigningKey,
    today: Date,
    now: &str,
) -> Result<Stamped> {
    let p = load(tx, permit_id)?;
    let ctx = Ctx {
        kind: p.kind,
        reason: None,
        activated: true,
        today,
        valid_to: p.valid_to,
    };
    let next = workflow::apply(p.state, Action::Stamp, &me.roles, &ctx)
        .map_err(|source| StoreError::Workflow { permit_id, source })?;
    // Two active permits of one person from before the schema knew (migration 0008): neither
    // is signed until the official has kept one.
    one_active::refuse_other(tx, permit_id, today)?;
    let sequence = allocate_sequence(tx)?;
    let fields = permit_fields(tx, permit_id, sequence)?;
    let token = Token::sign(&fields, cert, key)
        .map_err(|source| StoreError::Signing { permit_id, source })?;
    let serial = token.serial().to_string();
    let text = token.to_text();
    tx.prepare_cached(
        "UPDATE permits SET state = ?1, serial = ?2, token = ?3, updated_at = ?4, stamped_at = ?4
         WHERE id = ?5",
    )?
    .execute(params![next.as_str(), serial, text, now, permit_id])?;
    audit::append(
        tx,
        &auth::actor(me),
        "permit.stamp",
        "permit",
        Some(permit_id),
        serde_json::json!({"from": p.state.as_str(), "to": next.as_str(), "serial": serial}),
    )?;
    Ok(Stamped {
        permit_id,
        serial,
        token: text,
        already_stamped: false,
    })
}

/// A permit of the batch that already carries a signature (stamped, printed or
/// delivered): reported with its serial instead of refusing the batch.
fn already_stamped(tx: &Transaction<'_>, permit_id: i64) -> Result<Option<Stamped>> {
    let row: Option<(String, Option<String>, Option<String>)> = tx
        .prepare_cached("SELECT state, serial, token FROM permits WHERE id = ?1")?
        .query_row([permit_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(match row {
        Some((state, Some(serial), Some(token)))
            if matches!(state.as_str(), "stamped" | "printed" | "delivered") =>
        {
            Some(Stamped {
                permit_id,
                serial,
                token,
                already_stamped: true,
            })
        }
        _ => None,
    })
}

/// The items of a selection, one per permit id, in the order first given:
/// `gdd stamp 21 21` means permit 21.
fn first_per_id<T: Copy>(items: &[T], id: impl Fn(&T) -> i64) -> Vec<T> {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    items
        .iter()
        .copied()
        .filter(|t| seen.insert(id(t)))
        .collect()
}

impl Store {
    /// Apply `action` to every listed permit in ONE transaction: all move or none.
    /// The first refusal names the permit and why.
    fn bulk(
        &self,
        s: &Session,
        action: Action,
        items: &[(i64, Option<&str>)],
    ) -> Result<Vec<Transitioned>> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let items = &first_per_id(items, |(id, _)| *id)[..];
        // Stamping signs: only `stamp_on` does it. Here a stamp can only be
        // refused (by role, state, or as not activated).
        let activated = action != Action::Stamp && self.is_activated()?;
        self.bulk_as(s, action, items, activated, today_vn())
    }

    fn bulk_as(
        &self,
        s: &Session,
        action: Action,
        items: &[(i64, Option<&str>)],
        activated: bool,
        today: Date,
    ) -> Result<Vec<Transitioned>> {
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            let now = now_rfc3339();
            items
                .iter()
                .map(|(id, reason)| {
                    transition_one(tx, &me, *id, action, *reason, activated, today, &now)
                })
                .collect()
        })
    }

    /// Area police: received → checked.
    pub fn check(&self, s: &Session, permit_ids: &[i64]) -> Result<Vec<Transitioned>> {
        self.bulk(s, Action::Check, &no_reason(permit_ids))
    }

    /// Ward official: approve each permit.
    pub fn approve(&self, s: &Session, permit_ids: &[i64]) -> Result<Vec<Transitioned>> {
        self.bulk(s, Action::Approve, &no_reason(permit_ids))
    }

    /// Ward official: reject each permit with its own reason (required).
    pub fn reject(&self, s: &Session, items: &[(i64, &str)]) -> Result<Vec<Transitioned>> {
        let items: Vec<(i64, Option<&str>)> = items.iter().map(|(id, r)| (*id, Some(*r))).collect();
        self.bulk(s, Action::Reject, &items)
    }

    /// Per-person decisions on a list saved at once ("approve 48, reject 2
    /// with reasons"): ONE transaction, all or nothing.
    pub fn decide(
        &self,
        s: &Session,
        approve: &[i64],
        reject: &[(i64, &str)],
    ) -> Result<Vec<Transitioned>> {
        if let Some((id, _)) = reject.iter().find(|(id, _)| approve.contains(id)) {
            return Err(StoreError::invalid(
                "decision.conflict",
                format!("Giấy đi đường #{id} vừa được chọn phê duyệt vừa bị từ chối."),
            ));
        }
        let approve = first_per_id(approve, |id| *id);
        let reject = first_per_id(reject, |(id, _)| *id);
        let activated = self.is_activated()?;
        let today = today_vn();
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            let now = now_rfc3339();
            let approved = approve.iter().map(|id| {
                transition_one(tx, &me, *id, Action::Approve, None, activated, today, &now)
            });
            let rejected = reject.iter().map(|(id, reason)| {
                transition_one(
                    tx,
                    &me,
                    *id,
                    Action::Reject,
                    Some(reason),
                    activated,
                    today,
                    &now,
                )
            });
            approved.chain(rejected).collect()
        })
    }

    /// Approve every still-undecided permit (received or checked) of a request.
    pub fn approve_request(&self, s: &Session, request_id: i64) -> Result<Vec<Transitioned>> {
        let ids = self.undecided_of(request_id)?;
        self.bulk(s, Action::Approve, &no_reason(&ids))
    }

    /// Reject every still-undecided permit of a request with one reason.
    pub fn reject_request(
        &self,
        s: &Session,
        request_id: i64,
        reason: &str,
    ) -> Result<Vec<Transitioned>> {
        let ids = self.undecided_of(request_id)?;
        let items: Vec<(i64, Option<&str>)> = ids.iter().map(|id| (*id, Some(reason))).collect();
        self.bulk(s, Action::Reject, &items)
    }

    fn undecided_of(&self, request_id: i64) -> Result<Vec<i64>> {
        let exists: Option<i64> = self
            .conn
            .query_row("SELECT id FROM requests WHERE id = ?1", [request_id], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_none() {
            return Err(StoreError::not_found("yêu cầu", request_id));
        }
        let mut st = self.conn.prepare(
            "SELECT id FROM permits WHERE request_id = ?1 AND state IN ('received', 'checked') ORDER BY id",
        )?;
        let ids = st
            .query_map([request_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        if ids.is_empty() {
            return Err(StoreError::invalid(
                "request.nothing_to_decide",
                format!("Yêu cầu #{request_id} không còn người nào chờ quyết định."),
            ));
        }
        Ok(ids)
    }

    /// Ward police, without the key: answers `workflow.not_activated` until
    /// an install key is in date (after the role and state checks, so those
    /// errors come first), then `stamp.key_required` — signing needs the
    /// opened workstation key: [`Store::stamp_with`].
    pub fn stamp(&self, s: &Session, permit_ids: &[i64]) -> Result<Vec<Transitioned>> {
        if !self.is_activated()? {
            return self.bulk(s, Action::Stamp, &no_reason(permit_ids));
        }
        Err(StoreError::invalid(
            "stamp.key_required",
            "Cần mở khóa ký của máy trạm (nhập mật khẩu khóa) để đóng dấu.",
        ))
    }

    /// Ward police: sign approved permits with the workstation key (opened
    /// with [`Store::load_workstation_key`]). ONE transaction for the batch:
    /// each permit is moved to stamped, gets the next serial, a signed token
    /// and an audit entry — all of them or none. `workflow.not_activated`
    /// without an install key in date; `stamp.wrong_key` if `key` is not the
    /// certified one.
    pub fn stamp_with(
        &self,
        s: &Session,
        permit_ids: &[i64],
        key: &SigningKey,
    ) -> Result<Vec<Stamped>> {
        self.stamp_on(s, permit_ids, key, today_vn())
    }

    /// [`Store::stamp_with`] on a given day (tests).
    #[doc(hidden)]
    pub fn stamp_on(
        &self,
        s: &Session,
        permit_ids: &[i64],
        key: &SigningKey,
        today: Date,
    ) -> Result<Vec<Stamped>> {
        let Some(cert) = active_certificate(&self.conn, today)? else {
            // Not activated on `today`: the workflow refuses every permit
            // (role and state errors first, then `workflow.not_activated`).
            self.bulk_as(s, Action::Stamp, &no_reason(permit_ids), false, today)?;
            return Ok(Vec::new());
        };
        if key.verifying_key() != cert.fields().public_key {
            return Err(StoreError::invalid(
                "stamp.wrong_key",
                format!(
                    "Khóa ký đã mở (mã khóa {}) không phải khóa được thành phố chứng nhận cho máy trạm này (mã khóa {}).",
                    permit::KeyId::of(&key.verifying_key()),
                    cert.key_id()
                ),
            ));
        }
        let permit_ids = first_per_id(permit_ids, |id| *id);
        if permit_ids.is_empty() {
            return Ok(Vec::new());
        }
        let guard = self.serial_guard()?;
        let what = format!("đóng dấu {} giấy", permit_ids.len());
        self.write_batch(&s.username, &what, |tx| {
            let me = auth::current(tx, s)?;
            if let Some(g) = &guard {
                g.before(tx)?;
            }
            let now = now_rfc3339();
            let mut out = Vec::with_capacity(permit_ids.len());
            for id in &permit_ids {
                // Run again after a crash, a batch signs what is left.
                match already_stamped(tx, *id)? {
                    Some(done) => out.push(done),
                    None => out.push(stamp_one(tx, &me, *id, &cert, key, today, &now)?),
                }
            }
            if let Some(g) = &guard {
                g.after(tx)?;
            }
            Ok(out)
        })
    }

    /// The signed token (`GD1:…`) and serial of a stamped permit.
    pub fn permit_token(&self, permit_id: i64) -> Result<Option<(String, String)>> {
        let row: Option<(Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT serial, token FROM permits WHERE id = ?1",
                [permit_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            None => Err(StoreError::not_found("giấy đi đường", permit_id)),
            Some((Some(serial), Some(token))) => Ok(Some((serial, token))),
            Some(_) => Ok(None),
        }
    }

    /// Stamped → printed.
    /// Printed outside the print queue (another program, a photocopy of a
    /// spoiled sheet): counts as one print, so the next one is a numbered reprint.
    pub fn mark_printed(&self, s: &Session, permit_ids: &[i64]) -> Result<Vec<Transitioned>> {
        if permit_ids.is_empty() {
            return Ok(Vec::new());
        }
        let activated = self.is_activated()?;
        let today = today_vn();
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            let now = now_rfc3339();
            let mut out = Vec::with_capacity(permit_ids.len());
            for id in permit_ids {
                out.push(transition_one(
                    tx,
                    &me,
                    *id,
                    Action::MarkPrinted,
                    None,
                    activated,
                    today,
                    &now,
                )?);
                tx.execute(
                    "UPDATE permits SET print_count = print_count + 1, last_printed_at = ?1,
                            last_printed_by = ?2 WHERE id = ?3",
                    params![now, me.user_id, id],
                )?;
            }
            Ok(out)
        })
    }

    /// Area police: printed → delivered.
    pub fn mark_delivered(&self, s: &Session, permit_ids: &[i64]) -> Result<Vec<Transitioned>> {
        self.bulk(s, Action::MarkDelivered, &no_reason(permit_ids))
    }

    /// Revoke an active permit (lost, employee left…), reason required.
    pub fn revoke(&self, s: &Session, permit_id: i64, reason: &str) -> Result<Transitioned> {
        self.revoke_with_code(s, permit_id, permit::revocation::reason::OTHER, reason)
    }

    /// [`Store::revoke`] with the reason code (permit::revocation::reason:
    /// lost, left the organization…) that the ward's revocation list carries
    /// to checkpoints.
    pub fn revoke_with_code(
        &self,
        s: &Session,
        permit_id: i64,
        code: u8,
        reason: &str,
    ) -> Result<Transitioned> {
        let activated = self.is_activated()?;
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            let now = now_rfc3339();
            let t = transition_one(
                tx,
                &me,
                permit_id,
                Action::Revoke,
                Some(reason),
                activated,
                today_vn(),
                &now,
            )?;
            tx.execute(
                "UPDATE permits SET revocation_code = ?1 WHERE id = ?2",
                params![code, permit_id],
            )?;
            Ok(t)
        })
    }

    /// The expiry sweep: every non-final permit whose `valid_to` is before
    /// `today` becomes expired, in one transaction. Returns how many.
    pub fn expire_due(&self, s: &Session, today: Date) -> Result<u64> {
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            let ids: Vec<i64> = {
                let mut st = tx.prepare(
                    "SELECT id FROM permits
                     WHERE state IN ('received', 'checked', 'approved', 'stamped', 'printed', 'delivered')
                       AND valid_to IS NOT NULL AND valid_to < ?1 ORDER BY id",
                )?;
                let v = st.query_map([date_str(today)], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
                v
            };
            let now = now_rfc3339();
            for id in &ids {
                transition_one(tx, &me, *id, Action::Expire, None, false, today, &now)?;
            }
            Ok(ids.len() as u64)
        })
    }

    /// Permits per state, every state listed (zeros included), in workflow order.
    pub fn counts_by_state(&self) -> Result<Vec<StateCount>> {
        // Trigger-maintained (migration 0002): constant time at any size.
        let mut st = self
            .conn
            .prepare("SELECT state, count FROM permit_counts")?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(State::ALL
            .into_iter()
            .map(|state| StateCount {
                state,
                label: state.label_vi(),
                count: rows
                    .iter()
                    .find(|(s, _)| s == state.as_str())
                    .map_or(0, |(_, n)| *n as u64),
            })
            .collect())
    }

    /// Allocate the next serial (used by stamping once signing exists).
    #[doc(hidden)]
    pub fn allocate_serial_for_test(&self) -> Result<String> {
        self.write(allocate_serial)
    }
}

fn no_reason(ids: &[i64]) -> Vec<(i64, Option<&'static str>)> {
    ids.iter().map(|id| (*id, None)).collect()
}
