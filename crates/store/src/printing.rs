//! The print queue (migration 0006). The store knows nothing about printers or PDFs: it
//! selects what can be printed, records a job, and records the job's outcome. A job's permits
//! count as printed only through [`Store::finish_print_job`] with success — in one transaction
//! with their stamped → printed transitions and audit entries; a failure touches no permit.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use workflow::{Role, State};

use crate::audit;
use crate::auth::{self, Session};
use crate::error::{Result, StoreError};
use crate::permits::transition_for_print;
use crate::util::{now_rfc3339, today_vn};
use crate::Store;

/// Which permits to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintSelection {
    Request(i64),
    Organization(i64),
    State(State),
    Permits(Vec<i64>),
}

/// One permit ready to print: its signed token and whether this is a reprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Printable {
    pub permit_id: i64,
    pub serial: String,
    /// `GD1:…`, signed at stamping: everything the printed permit shows comes from it.
    pub token: String,
    pub state: State,
    /// 0 for an original (stamped, never printed); n for the n-th reprint.
    pub reprint: u32,
    /// When it was stamped (RFC 3339): the issue date and time on the sheet.
    pub stamped_at: Option<String>,
    /// The holder's residence, else workplace, as recorded with the request.
    pub address: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrintJobState {
    Queued,
    Sent,
    Done,
    Failed,
}

impl PrintJobState {
    pub fn as_str(self) -> &'static str {
        match self {
            PrintJobState::Queued => "queued",
            PrintJobState::Sent => "sent",
            PrintJobState::Done => "done",
            PrintJobState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "queued" => PrintJobState::Queued,
            "sent" => PrintJobState::Sent,
            "done" => PrintJobState::Done,
            "failed" => PrintJobState::Failed,
            _ => return None,
        })
    }
}

/// A print job and its permits, in sheet order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintJob {
    pub id: i64,
    pub printer: String,
    pub layout: String,
    pub copies: u32,
    pub state: PrintJobState,
    pub attempts: u32,
    pub last_error_code: Option<String>,
    pub last_error: Option<String>,
    pub system_job: Option<String>,
    pub output_file: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub items: Vec<PrintJobItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintJobItem {
    pub permit_id: i64,
    pub reprint: u32,
}

/// How an attempt ended, as the print system reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintOutcome {
    /// The print system said the job completed.
    Printed { system_job: String },
    /// Anything else: the error's stable code and its message.
    Failed { code: String, message: String },
}

const PRINT_ROLES: [Role; 2] = [Role::WardOfficial, Role::WardPolice];
const LAYOUTS: [&str; 3] = ["a4-4", "a5-2", "a6"];

/// A signed permit as [`Store::printable_rows`] reads it.
const SIGNED_ROW: &str =
    "SELECT pm.id, pm.serial, pm.token, pm.state, pm.print_count, pm.stamped_at,
           coalesce(nullif(trim(p.residence), ''), nullif(trim(p.workplace), ''))
    FROM permits pm JOIN requests r ON r.id = pm.request_id JOIN persons p ON p.id = pm.person_id
    WHERE pm.token IS NOT NULL AND pm.serial IS NOT NULL";

fn printable_state(state: State) -> bool {
    matches!(state, State::Stamped | State::Printed | State::Delivered)
}

impl Store {
    /// Permits that can be printed, in id order: stamped ones (originals) and printed or
    /// delivered ones (reprints, numbered by how often they were printed). Others in the
    /// selection are left out; `State` must itself be printable.
    pub fn printable(&self, sel: &PrintSelection) -> Result<Vec<Printable>> {
        let base = format!("{SIGNED_ROW} AND pm.state IN ('stamped', 'printed', 'delivered')");
        let (sql, arg): (String, Option<i64>) = match sel {
            PrintSelection::Request(id) => (format!("{base} AND r.id = ?1"), Some(*id)),
            PrintSelection::Organization(id) => (format!("{base} AND r.org_id = ?1"), Some(*id)),
            PrintSelection::State(s) => {
                if !printable_state(*s) {
                    return Err(StoreError::invalid(
                        "print.state_not_printable",
                        format!(
                            "Chỉ in được giấy đã đóng dấu, đã in hoặc đã giao (không in được trạng thái «{}»).",
                            s.as_str()
                        ),
                    ));
                }
                (format!("{base} AND pm.state = '{}'", s.as_str()), None)
            }
            PrintSelection::Permits(ids) => {
                let mut out = Vec::with_capacity(ids.len());
                for id in ids {
                    let row = self.printable_rows(&format!("{base} AND pm.id = ?1"), Some(*id))?;
                    match row.into_iter().next() {
                        Some(p) => out.push(p),
                        None => {
                            return Err(StoreError::invalid(
                                "print.not_printable",
                                format!(
                                "Giấy đi đường #{id} chưa được đóng dấu (ký số) nên chưa in được."
                            ),
                            ))
                        }
                    }
                }
                return Ok(out);
            }
        };
        self.printable_rows(&format!("{sql} ORDER BY pm.id"), arg)
    }

    fn printable_rows(&self, sql: &str, arg: Option<i64>) -> Result<Vec<Printable>> {
        let mut st = self.conn.prepare(sql)?;
        let map = |r: &rusqlite::Row<'_>| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        };
        let rows: Vec<_> = match arg {
            Some(a) => st.query_map([a], map)?.collect::<rusqlite::Result<_>>()?,
            None => st.query_map([], map)?.collect::<rusqlite::Result<_>>()?,
        };
        rows.into_iter()
            .map(
                |(permit_id, serial, token, state, count, stamped_at, address)| {
                    let state = State::parse(&state).ok_or_else(|| {
                        StoreError::invalid("store.corrupt", format!("Trạng thái lạ «{state}»."))
                    })?;
                    // A printed or delivered permit is never an original again, even if it
                    // was marked printed before prints were counted.
                    let count = u32::try_from(count).unwrap_or(u32::MAX);
                    let reprint = if state == State::Stamped {
                        count
                    } else {
                        count.max(1)
                    };
                    Ok(Printable {
                        permit_id,
                        serial,
                        token,
                        state,
                        reprint,
                        stamped_at,
                        address,
                    })
                },
            )
            .collect()
    }

    /// Records a new job (state `queued`) for these permits, in this order.
    pub fn queue_print_job(
        &self,
        s: &Session,
        printer: &str,
        layout: &str,
        copies: u32,
        permits: &[Printable],
    ) -> Result<PrintJob> {
        if permits.is_empty() {
            return Err(StoreError::invalid(
                "print.empty",
                "Không có giấy đi đường nào để in (chỉ in được giấy đã đóng dấu).",
            ));
        }
        if !LAYOUTS.contains(&layout) {
            return Err(StoreError::invalid(
                "print.layout",
                format!("Khổ in «{layout}» không có (chọn a4-4, a5-2 hoặc a6)."),
            ));
        }
        if !(1..=99).contains(&copies) {
            return Err(StoreError::invalid(
                "print.copies",
                format!("Số bản in phải từ 1 đến 99 (đang là {copies})."),
            ));
        }
        let id = self.write(|tx| {
            let me = auth::current(tx, s)?;
            auth::require(&me, "in giấy đi đường", &PRINT_ROLES)?;
            let now = now_rfc3339();
            tx.execute(
                "INSERT INTO print_jobs (printer, layout, copies, state, created_by, created_at)
                 VALUES (?1, ?2, ?3, 'queued', ?4, ?5)",
                params![printer, layout, copies, me.user_id, now],
            )?;
            let job_id = tx.last_insert_rowid();
            let mut st = tx.prepare_cached(
                "INSERT INTO print_job_items (job_id, position, permit_id, reprint) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (i, p) in permits.iter().enumerate() {
                st.execute(params![job_id, i as i64, p.permit_id, p.reprint])?;
            }
            audit::append(
                tx,
                &auth::actor(&me),
                "print.queue",
                "print_job",
                Some(job_id),
                serde_json::json!({"printer": printer, "layout": layout, "copies": copies,
                                   "permits": permits.len()}),
            )?;
            Ok(job_id)
        })?;
        self.print_job(id)
    }

    /// Records that an attempt is being sent: attempts+1, state `sent`, the rendered file.
    pub fn start_print_attempt(
        &self,
        s: &Session,
        job_id: i64,
        output_file: &str,
    ) -> Result<PrintJob> {
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            auth::require(&me, "in giấy đi đường", &PRINT_ROLES)?;
            let state = job_state(tx, job_id)?;
            if !matches!(state, PrintJobState::Queued | PrintJobState::Failed) {
                return Err(StoreError::invalid(
                    "print.job_state",
                    format!(
                        "Lệnh in #{job_id} đang ở trạng thái «{}»: chỉ gửi được lệnh mới hoặc lệnh bị lỗi.",
                        state.as_str()
                    ),
                ));
            }
            tx.execute(
                "UPDATE print_jobs SET state = 'sent', attempts = attempts + 1, output_file = ?1,
                        system_job = NULL, finished_at = NULL WHERE id = ?2",
                params![output_file, job_id],
            )?;
            Ok(())
        })?;
        self.print_job(job_id)
    }

    /// Records the print system's id of the job just submitted, while it prints: if the app
    /// stops before the end, the next retry asks the print system how that attempt ended.
    pub fn note_system_job(&self, s: &Session, job_id: i64, system_job: &str) -> Result<()> {
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            auth::require(&me, "in giấy đi đường", &PRINT_ROLES)?;
            tx.execute(
                "UPDATE print_jobs SET system_job = ?1 WHERE id = ?2 AND state = 'sent'",
                params![system_job, job_id],
            )?;
            Ok(())
        })
    }

    /// Records how an attempt ended. Printed: the job is `done` and, in the same transaction,
    /// every permit's print_count+1 with time and user, stamped → printed for originals, an
    /// audit entry per permit. Failed: the job is `failed` with the error; no permit changes.
    pub fn finish_print_job(
        &self,
        s: &Session,
        job_id: i64,
        outcome: &PrintOutcome,
    ) -> Result<PrintJob> {
        let activated = self.is_activated()?;
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            auth::require(&me, "in giấy đi đường", &PRINT_ROLES)?;
            let state = job_state(tx, job_id)?;
            if state != PrintJobState::Sent {
                return Err(StoreError::invalid(
                    "print.job_state",
                    format!(
                        "Lệnh in #{job_id} chưa được gửi (trạng thái «{}»).",
                        state.as_str()
                    ),
                ));
            }
            let now = now_rfc3339();
            match outcome {
                PrintOutcome::Failed { code, message } => {
                    tx.execute(
                        "UPDATE print_jobs SET state = 'failed', last_error_code = ?1, last_error = ?2,
                                finished_at = ?3 WHERE id = ?4",
                        params![code, message, now, job_id],
                    )?;
                    audit::append(
                        tx,
                        &auth::actor(&me),
                        "print.failed",
                        "print_job",
                        Some(job_id),
                        serde_json::json!({"code": code, "error": message}),
                    )?;
                }
                PrintOutcome::Printed { system_job } => {
                    let items = job_items(tx, job_id)?;
                    let today = today_vn();
                    for item in &items {
                        // An original moves stamped → printed. If another job printed it
                        // meanwhile (or it was revoked), the paper still came out: count it
                        // without a transition rather than fail the whole job.
                        let state: String = tx.query_row(
                            "SELECT state FROM permits WHERE id = ?1",
                            [item.permit_id],
                            |r| r.get(0),
                        )?;
                        if item.reprint == 0 && state == State::Stamped.as_str() {
                            transition_for_print(tx, &me, item.permit_id, activated, today, &now)?;
                        }
                        tx.execute(
                            "UPDATE permits SET print_count = print_count + 1, last_printed_at = ?1,
                                    last_printed_by = ?2 WHERE id = ?3",
                            params![now, me.user_id, item.permit_id],
                        )?;
                        audit::append(
                            tx,
                            &auth::actor(&me),
                            "permit.print",
                            "permit",
                            Some(item.permit_id),
                            serde_json::json!({"job": job_id, "reprint": item.reprint}),
                        )?;
                    }
                    tx.execute(
                        "UPDATE print_jobs SET state = 'done', system_job = ?1, last_error_code = NULL,
                                last_error = NULL, finished_at = ?2 WHERE id = ?3",
                        params![system_job, now, job_id],
                    )?;
                    audit::append(
                        tx,
                        &auth::actor(&me),
                        "print.done",
                        "print_job",
                        Some(job_id),
                        serde_json::json!({"system_job": system_job, "permits": items.len()}),
                    )?;
                }
            }
            Ok(())
        })?;
        self.print_job(job_id)
    }

    /// One job with its items.
    pub fn print_job(&self, job_id: i64) -> Result<PrintJob> {
        self.print_jobs_where("WHERE j.id = ?1", Some(job_id))?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::not_found("lệnh in", job_id))
    }

    /// Every job, newest first.
    pub fn print_jobs(&self) -> Result<Vec<PrintJob>> {
        self.print_jobs_where("", None)
    }

    fn print_jobs_where(&self, filter: &str, arg: Option<i64>) -> Result<Vec<PrintJob>> {
        let sql = format!(
            "SELECT j.id, j.printer, j.layout, j.copies, j.state, j.attempts, j.last_error_code,
                    j.last_error, j.system_job, j.output_file, u.username, j.created_at, j.finished_at
             FROM print_jobs j JOIN users u ON u.id = j.created_by {filter} ORDER BY j.id DESC"
        );
        let mut st = self.conn.prepare(&sql)?;
        let map = |r: &rusqlite::Row<'_>| {
            let state: String = r.get(4)?;
            Ok(PrintJob {
                id: r.get(0)?,
                printer: r.get(1)?,
                layout: r.get(2)?,
                copies: r.get(3)?,
                state: PrintJobState::parse(&state).unwrap_or(PrintJobState::Failed),
                attempts: r.get(5)?,
                last_error_code: r.get(6)?,
                last_error: r.get(7)?,
                system_job: r.get(8)?,
                output_file: r.get(9)?,
                created_by: r.get(10)?,
                created_at: r.get(11)?,
                finished_at: r.get(12)?,
                items: Vec::new(),
            })
        };
        let mut jobs: Vec<PrintJob> = match arg {
            Some(a) => st.query_map([a], map)?.collect::<rusqlite::Result<_>>()?,
            None => st.query_map([], map)?.collect::<rusqlite::Result<_>>()?,
        };
        let mut items = self.conn.prepare_cached(
            "SELECT permit_id, reprint FROM print_job_items WHERE job_id = ?1 ORDER BY position",
        )?;
        for j in &mut jobs {
            j.items = items
                .query_map([j.id], |r| {
                    Ok(PrintJobItem {
                        permit_id: r.get(0)?,
                        reprint: r.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(jobs)
    }

    /// The permits of a job as [`Printable`]s (for a retry: same permits, same reprint numbers).
    pub fn print_job_permits(&self, job_id: i64) -> Result<Vec<Printable>> {
        let job = self.print_job(job_id)?;
        let mut out = Vec::with_capacity(job.items.len());
        let sql = format!("{SIGNED_ROW} AND pm.id = ?1");
        for item in job.items {
            let mut p = self
                .printable_rows(&sql, Some(item.permit_id))?
                .pop()
                .ok_or_else(|| StoreError::not_found("giấy đi đường", item.permit_id))?;
            p.reprint = item.reprint;
            out.push(p);
        }
        Ok(out)
    }
}

fn job_state(tx: &Transaction<'_>, job_id: i64) -> Result<PrintJobState> {
    let s: Option<String> = tx
        .query_row(
            "SELECT state FROM print_jobs WHERE id = ?1",
            [job_id],
            |r| r.get(0),
        )
        .optional()?;
    let s = s.ok_or_else(|| StoreError::not_found("lệnh in", job_id))?;
    PrintJobState::parse(&s).ok_or_else(|| {
        StoreError::invalid("store.corrupt", format!("Trạng thái lệnh in lạ «{s}»."))
    })
}

fn job_items(tx: &Transaction<'_>, job_id: i64) -> Result<Vec<PrintJobItem>> {
    let mut st = tx.prepare_cached(
        "SELECT permit_id, reprint FROM print_job_items WHERE job_id = ?1 ORDER BY position",
    )?;
    let items = st
        .query_map([job_id], |r| {
            Ok(PrintJobItem {
                permit_id: r.get(0)?,
                reprint: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(items)
}
