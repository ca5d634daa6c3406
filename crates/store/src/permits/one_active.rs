//! One active permit per person in the ward. Migration 0008 makes it a rule
//! of the schema (a unique index on the holder's ID number while a permit is
//! approved, stamped, printed or delivered); here the same rule is checked
//! first, with the dates, and said in words naming the other permit.

use rusqlite::Transaction;
use time::Date;
use workflow::{Action, State};

use crate::auth::Session;
use crate::error::{Result, StoreError};
use crate::util::parse_date;

struct Other {
    permit_id: i64,
    state: State,
    valid_to: Option<Date>,
    full_name: String,
    id_number: String,
}

/// The holder's other permits that are active by state.
fn others(tx: &Transaction<'_>, permit_id: i64) -> Result<Vec<Other>> {
    let mut st = tx.prepare_cached(
        "SELECT pm.id, pm.state, pm.valid_to, p.full_name, p.id_number
         FROM persons me JOIN permits mine ON mine.person_id = me.id
         JOIN persons p ON p.id_number = me.id_number
         JOIN permits pm ON pm.person_id = p.id
         WHERE mine.id = ?1 AND pm.id <> ?1
           AND pm.state IN ('approved', 'stamped', 'printed', 'delivered')
         ORDER BY pm.id",
    )?;
    let rows = st
        .query_map([permit_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(id, state, to, full_name, id_number)| Other {
            permit_id: id,
            state: State::parse(&state).unwrap_or(State::Approved),
            valid_to: to.as_deref().and_then(parse_date),
            full_name,
            id_number,
        })
        .collect())
}

fn in_date(o: &Other, today: Date) -> bool {
    o.valid_to.is_none_or(|to| to >= today)
}

fn already_active(permit_id: i64, o: &Other) -> StoreError {
    let until = o
        .valid_to
        .map(|d| {
            format!(
                ", hiệu lực đến {:02}/{:02}/{}",
                d.day(),
                u8::from(d.month()),
                d.year()
            )
        })
        .unwrap_or_default();
    StoreError::invalid(
        "permit.already_active",
        format!(
            "Giấy đi đường #{permit_id}: «{}» (số giấy tờ {}) đã có giấy #{} còn hiệu lực ({}{until}). \
             Mỗi người chỉ có một giấy còn hiệu lực: từ chối yêu cầu này, hoặc thu hồi giấy #{} trước.",
            o.full_name,
            o.id_number,
            o.permit_id,
            o.state.label_vi().to_lowercase(),
            o.permit_id
        ),
    )
}

/// Before `permit_id` becomes active (its approval): the holder's permits that
/// are active by state but past their end date are expired now (audited, as
/// the expiry sweep would); one still in date refuses the approval.
pub(super) fn make_room(
    tx: &Transaction<'_>,
    me: &Session,
    permit_id: i64,
    today: Date,
    now: &str,
) -> Result<()> {
    for o in others(tx, permit_id)? {
        if in_date(&o, today) {
            return Err(already_active(permit_id, &o));
        }
        super::transition_one(tx, me, o.permit_id, Action::Expire, None, false, today, now)?;
    }
    Ok(())
}

/// At stamping: another permit of the holder still active and in date (two
/// approved before the schema refused it) stops the signature.
pub(super) fn refuse_other(tx: &Transaction<'_>, permit_id: i64, today: Date) -> Result<()> {
    match others(tx, permit_id)?.iter().find(|o| in_date(o, today)) {
        Some(o) => Err(already_active(permit_id, o)),
        None => Ok(()),
    }
}

/// The schema's unique index refused a change (a path that skipped the checks
/// above): the same words, naming the other permit.
pub(super) fn explain(tx: &Transaction<'_>, permit_id: i64, e: rusqlite::Error) -> StoreError {
    let unique = matches!(
        &e,
        rusqlite::Error::SqliteFailure(f, Some(m))
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE && m.contains("active_id")
    );
    if unique {
        if let Ok(list) = others(tx, permit_id) {
            if let Some(o) = list.first() {
                return already_active(permit_id, o);
            }
        }
    }
    e.into()
}
