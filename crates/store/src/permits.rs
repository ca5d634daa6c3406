//! Permit decisions. Every state change: workflow::apply, then the UPDATE,
//! then an audit entry — all inside the caller's one transaction.

use rusqlite::{params, OptionalExtension, Transaction};
use time::Date;
use workflow::{Action, Ctx, RequestKind, State};

use crate::audit;
use crate::auth::{self, Session};
use crate::error::{Result, StoreError};
use crate::model::{StateCount, Transitioned};
use crate::util::{date_str, now_rfc3339, parse_date, today_vn};
use crate::Store;

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
    let reason = reason.map(vntext::clean).filter(|r| !r.is_empty());
    match action {
        Action::Approve | Action::Reject | Action::Revoke => {
            let mut st = tx.prepare_cached(
                "UPDATE permits SET state = ?1, decision_reason = ?2, decided_by = ?3, decided_at = ?4, updated_at = ?4
                 WHERE id = ?5",
            )?;
            st.execute(params![next.as_str(), reason, me.user_id, now, permit_id])?;
        }
        _ => {
            let mut st =
                tx.prepare_cached("UPDATE permits SET state = ?1, updated_at = ?2 WHERE id = ?3")?;
            st.execute(params![next.as_str(), now, permit_id])?;
        }
    }
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

/// Next serial number of this ward's workstation: `{ward}-{ws}-{seq:06}`.
/// The counter only goes forward (a trigger refuses anything else), and the
/// workstation number keeps the two PCs of a ward from colliding.
pub(crate) fn allocate_serial(tx: &Transaction<'_>) -> Result<String> {
    let (code, ws): (String, u8) = tx
        .query_row("SELECT code, workstation FROM ward WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or(StoreError::WardMissing)?;
    let seq: i64 = tx.query_row(
        "UPDATE serial_counter SET last = last + 1 WHERE id = 1 RETURNING last",
        [],
        |r| r.get(0),
    )?;
    Ok(format!("{code}-{ws}-{seq:06}"))
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
        let activated = self.is_activated()?;
        let today = today_vn();
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

    /// Ward police: sign approved permits. Until the workstation is activated
    /// with the city's install key this answers `workflow.not_activated`
    /// (after the role and state checks, so those errors still come first).
    pub fn stamp(&self, s: &Session, permit_ids: &[i64]) -> Result<Vec<Transitioned>> {
        self.bulk(s, Action::Stamp, &no_reason(permit_ids))
    }

    /// Stamped → printed.
    pub fn mark_printed(&self, s: &Session, permit_ids: &[i64]) -> Result<Vec<Transitioned>> {
        self.bulk(s, Action::MarkPrinted, &no_reason(permit_ids))
    }

    /// Area police: printed → delivered.
    pub fn mark_delivered(&self, s: &Session, permit_ids: &[i64]) -> Result<Vec<Transitioned>> {
        self.bulk(s, Action::MarkDelivered, &no_reason(permit_ids))
    }

    /// Revoke an active permit (lost, employee left…), reason required.
    pub fn revoke(&self, s: &Session, permit_id: i64, reason: &str) -> Result<Transitioned> {
        let mut v = self.bulk(s, Action::Revoke, &[(permit_id, Some(reason))])?;
        v.pop()
            .ok_or_else(|| StoreError::not_found("giấy đi đường", permit_id))
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
