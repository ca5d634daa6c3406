//! Where the store, the permit PDF and the printer meet; the CLI (`gdd print …`) and the app
//! both call this.
//!
//! | function | does | marks printed? |
//! | --- | --- | --- |
//! | [`printable_permits`] | the permits of a selection as [`PrintPermit`]s (preview, tests) | no |
//! | [`write_pdf`] | renders a selection to a PDF file, atomically | no |
//! | [`send`] | queues a print job, renders `job-<id>.pdf` in the spool folder, prints it, waits | only if the print system reports the job completed |
//! | [`retry`] | prints a failed (or never sent) job again, same permits, same numbering | same |
//!
//! The rule from `docs/printing.md`: a job is recorded as printed — permits stamped →
//! printed, print count +1, audit — only when the print system says it completed. Any other
//! end records the job as failed with the error's code and message, touches no permit, and
//! returns [`PrintJobError::PrintFailed`] naming the job to retry.
//!
//! The printed text comes from the signed token (what the QR proves), plus the ward header,
//! the holder's address, the stamping time and the reprint number from the store
//! ([`permits`] module). Rendering streams: permits are built one at a time while the PDF is
//! written, so a batch of 10,000 needs the memory of its store rows, not of its pages.

mod error;
mod permits;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use permitpdf::{Layout, PrintPermit};
use printing::{PrintBackend, PrintRequest};
use serde::Serialize;
use store::{PrintJob, PrintOutcome, PrintSelection, Printable, Role, Session, Store, StoreError};

pub use error::{PrintJobError, Result};
pub use permits::{id_label, upper_vi, ward_header};

/// How long [`send`] and [`retry`] wait for the printer by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(180);

/// What a rendered PDF holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub path: PathBuf,
    pub layout: &'static str,
    pub permits: usize,
    /// First prints of stamped permits, and numbered reprints ("BẢN IN LẠI lần N").
    pub originals: usize,
    pub reprints: usize,
    pub pages: usize,
    pub bytes: u64,
}

/// Where and how a new job prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSpec {
    pub printer: String,
    pub layout: Layout,
    pub copies: u32,
}

/// The folder the job PDFs are kept in (`job-<id>.pdf`, kept for reprints and inquiries)
/// and how long to wait for the printer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spool {
    pub dir: PathBuf,
    pub timeout: Duration,
}

impl Spool {
    pub fn new(dir: impl Into<PathBuf>) -> Spool {
        Spool {
            dir: dir.into(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The PDF of job `job_id`.
    pub fn job_pdf(&self, job_id: i64) -> PathBuf {
        self.dir.join(format!("job-{job_id}.pdf"))
    }
}

/// A job that printed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobOutcome {
    /// The job as recorded after printing (state `done`, the print system's job id).
    pub job: PrintJob,
    pub pdf: Summary,
}

/// The selection's printable rows (store numbers reprints: a printed or delivered permit is
/// never an original again).
fn printable_rows(store: &Store, selection: &PrintSelection) -> Result<Vec<Printable>> {
    Ok(store.printable(selection)?)
}

const PRINT_ROLES: [Role; 2] = [Role::WardOfficial, Role::WardPolice];

fn require_print_role(s: &Session) -> Result<()> {
    if PRINT_ROLES.iter().any(|r| s.has(*r)) {
        Ok(())
    } else {
        Err(StoreError::Forbidden {
            action: "in giấy đi đường",
            required: PRINT_ROLES.to_vec(),
        }
        .into())
    }
}

/// The permits of `selection` that can be printed, ready for [`permitpdf::render`]: stamped
/// ones as originals, printed or delivered ones as numbered reprints. Collects them all; for
/// big batches [`write_pdf`] streams instead.
pub fn printable_permits(
    store: &Store,
    session: &Session,
    selection: &PrintSelection,
) -> Result<Vec<PrintPermit>> {
    require_print_role(session)?;
    let rows = printable_rows(store, selection)?;
    let builder = permits::Builder::new(store)?;
    rows.iter().map(|p| builder.build(p)).collect()
}

/// Renders `selection` into one PDF at `path`. The file appears complete or not at all
/// (written beside it, then renamed). Nothing is marked printed: this is for saving or
/// printing by other means, and the permits keep their state.
pub fn write_pdf(
    store: &Store,
    session: &Session,
    selection: &PrintSelection,
    layout: Layout,
    path: &Path,
    opts: &outfile::Options,
) -> Result<Summary> {
    require_print_role(session)?;
    let rows = printable_rows(store, selection)?;
    if rows.is_empty() {
        return Err(permitpdf::PdfError::EmptyBatch.into());
    }
    render_to(store, &rows, layout, path, opts)
}

/// Renders `rows` into a temporary file in `dir` (deleted if dropped), flushed to disk.
fn render_temp(
    store: &Store,
    rows: &[Printable],
    layout: Layout,
    dir: &Path,
) -> Result<(tempfile::NamedTempFile, Summary)> {
    let io = |source| PrintJobError::Io {
        path: dir.to_path_buf(),
        source,
    };
    fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".gdd-print-")
        .suffix(".pdf.tmp")
        .tempfile_in(dir)
        .map_err(io)?;

    let stats = render_rows(store, rows, layout, tmp.as_file_mut())?;
    let tmp_path = tmp.path().to_path_buf();
    let io = |source| PrintJobError::Io {
        path: tmp_path.clone(),
        source,
    };
    tmp.as_file_mut().flush().map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    let summary = Summary::of(tmp.path().to_path_buf(), layout, rows, &stats);
    Ok((tmp, summary))
}

/// Renders `rows` to `path`: complete or not there at all, never over the database, a key or
/// (without `opts.force`) an existing file (outfile).
fn render_to(
    store: &Store,
    rows: &[Printable],
    layout: Layout,
    path: &Path,
    opts: &outfile::Options,
) -> Result<Summary> {
    let opts = opts.clone().protect(store.protected_files());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|source| PrintJobError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let mut out = outfile::OutputFile::create(path, &opts)?;
    let stats = render_rows(store, rows, layout, &mut out)?;
    Ok(Summary::of(out.commit()?, layout, rows, &stats))
}

impl Summary {
    fn of(
        path: PathBuf,
        layout: Layout,
        rows: &[Printable],
        stats: &permitpdf::RenderStats,
    ) -> Self {
        let reprints = rows.iter().filter(|p| p.reprint > 0).count();
        Summary {
            path,
            layout: layout.as_str(),
            permits: stats.permits,
            originals: rows.len() - reprints,
            reprints,
            pages: stats.pages,
            bytes: stats.bytes,
        }
    }
}

/// The permits of `rows`, built from their signed tokens, rendered to `out`. The first one
/// that cannot be built stops the stream and its error is reported instead of the renderer's.
fn render_rows(
    store: &Store,
    rows: &[Printable],
    layout: Layout,
    out: impl Write,
) -> Result<permitpdf::RenderStats> {
    let builder = permits::Builder::new(store)?;
    let mut failure = None;
    let stream = rows.iter().map_while(|p| match builder.build(p) {
        Ok(permit) => Some(permit),
        Err(e) => {
            failure = Some(e);
            None
        }
    });
    let rendered = permitpdf::render(stream, layout, out);
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(rendered?)
}

fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    tmp.persist(path).map_err(|e| PrintJobError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// Prints `selection` as a new job: renders it, records the job, sends it to
/// `spec.printer` and waits up to `spool.timeout`.
///
/// Success: the job is `done` and its permits are printed. Failure at the printer: the job is
/// `failed` with the print error's code and message, no permit changes, and the error is
/// [`PrintJobError::PrintFailed`] with the job id for [`retry`]. A selection that cannot be
/// rendered creates no job.
pub fn send(
    store: &Store,
    session: &Session,
    backend: &dyn PrintBackend,
    selection: &PrintSelection,
    spec: &JobSpec,
    spool: &Spool,
) -> Result<JobOutcome> {
    require_print_role(session)?;
    let rows = printable_rows(store, selection)?;
    if rows.is_empty() {
        return Err(permitpdf::PdfError::EmptyBatch.into());
    }
    // Render before queueing so a bad permit leaves no job behind; the file takes the job's
    // name once the job exists.
    let (tmp, summary) = render_temp(store, &rows, spec.layout, &spool.dir)?;
    let job = store.queue_print_job(
        session,
        &spec.printer,
        spec.layout.as_str(),
        spec.copies,
        &rows,
    )?;
    let pdf = spool.job_pdf(job.id);
    persist(tmp, &pdf)?;
    let summary = Summary {
        path: pdf,
        ..summary
    };
    print_job(store, session, backend, &job, summary, spool)
}

/// Prints job `job_id` again after a failure (or a job queued but never sent): the same
/// permits on the same printer, layout and copies. Its originals print as originals — a
/// failed job marked nothing printed — and reprints keep their numbers. If one of its
/// permits was printed by another job in the meantime, the numbers no longer hold and the
/// retry is refused ([`PrintJobError::Stale`]): print those permits as a new job.
///
/// A job still `sent` is one whose attempt never finished (the app was closed or the PC
/// lost power while the printer worked). Nothing is printed again blindly: the print system
/// is asked how that attempt ended — completed: recorded as printed; still printing: waited
/// for; failed: recorded failed. An attempt that never reached the print system is recorded
/// failed ([`PrintJobError::Interrupted`]) so the official checks the tray, then retries.
pub fn retry(
    store: &Store,
    session: &Session,
    backend: &dyn PrintBackend,
    job_id: i64,
    spool: &Spool,
) -> Result<JobOutcome> {
    require_print_role(session)?;
    let job = store.print_job(job_id)?;
    match job.state {
        store::PrintJobState::Failed | store::PrintJobState::Queued => {}
        store::PrintJobState::Sent => return resolve_sent(store, session, backend, &job, spool),
        other => {
            return Err(PrintJobError::NotRetryable {
                job_id,
                state: other.as_str(),
            })
        }
    }
    let rows = store.print_job_permits(job_id)?;
    let ids: Vec<i64> = rows.iter().map(|p| p.permit_id).collect();
    // Fails (print.not_printable) if one was revoked or expired since.
    let now = printable_rows(store, &PrintSelection::Permits(ids))?;
    for (then, now) in rows.iter().zip(&now) {
        if then.reprint != now.reprint {
            return Err(PrintJobError::Stale {
                job_id,
                permit_id: then.permit_id,
                serial: then.serial.clone(),
            });
        }
    }
    let layout = Layout::parse(&job.layout)?;
    // The job's own spool file, rendered again: replaced.
    let summary = render_to(
        store,
        &rows,
        layout,
        &spool.job_pdf(job_id),
        &outfile::Options::new().force(true),
    )?;
    print_job(store, session, backend, &job, summary, spool)
}

/// Sends a recorded job's rendered PDF and records how it ended.
fn print_job(
    store: &Store,
    session: &Session,
    backend: &dyn PrintBackend,
    job: &PrintJob,
    summary: Summary,
    spool: &Spool,
) -> Result<JobOutcome> {
    store.start_print_attempt(session, job.id, &summary.path.to_string_lossy())?;
    let req = PrintRequest {
        printer: job.printer.clone(),
        pdf: summary.path.clone(),
        copies: job.copies,
        title: format!("gdd-print-{}", job.id),
    };
    let submitted = backend.submit(&req).and_then(|system_job| {
        // Noted before the wait, so a retry after a crash can ask how it ended. Failing to
        // note it only loses that; the job itself goes on.
        let _ = store.note_system_job(session, job.id, &system_job.0);
        printing::settle(backend, &system_job, spool.timeout).map(|()| system_job)
    });
    record_attempt(store, session, job.id, submitted, summary)
}

/// Records how an attempt ended: printed only on the print system's "completed".
fn record_attempt(
    store: &Store,
    session: &Session,
    job_id: i64,
    attempt: std::result::Result<printing::JobId, printing::PrintError>,
    summary: Summary,
) -> Result<JobOutcome> {
    match attempt {
        Ok(system_job) => {
            let done = store
                .finish_print_job(
                    session,
                    job_id,
                    &PrintOutcome::Printed {
                        system_job: system_job.0,
                    },
                )
                .map_err(|source| PrintJobError::RecordFailed { job_id, source })?;
            Ok(JobOutcome {
                job: done,
                pdf: summary,
            })
        }
        Err(source) => {
            let outcome = PrintOutcome::Failed {
                code: source.code().to_string(),
                message: source.to_string(),
            };
            // If even this cannot be recorded the job stays "sent"; the printer's error is
            // still the one the official needs to see.
            let _ = store.finish_print_job(session, job_id, &outcome);
            Err(PrintJobError::PrintFailed { job_id, source })
        }
    }
}

/// A job left `sent` by an attempt that never finished: ask the print system how it ended.
fn resolve_sent(
    store: &Store,
    session: &Session,
    backend: &dyn PrintBackend,
    job: &PrintJob,
    spool: &Spool,
) -> Result<JobOutcome> {
    match &job.system_job {
        Some(id) => {
            let system_job = printing::JobId(id.clone());
            let attempt =
                printing::settle(backend, &system_job, spool.timeout).map(|()| system_job);
            record_attempt(store, session, job.id, attempt, sent_summary(job)?)
        }
        None => {
            let err = PrintJobError::Interrupted { job_id: job.id };
            store.finish_print_job(
                session,
                job.id,
                &PrintOutcome::Failed {
                    code: err.code().to_string(),
                    message: err.to_string(),
                },
            )?;
            Err(err)
        }
    }
}

/// What a job already rendered holds, from its record and its file.
fn sent_summary(job: &PrintJob) -> Result<Summary> {
    let layout = Layout::parse(&job.layout)?;
    let path = PathBuf::from(job.output_file.clone().unwrap_or_default());
    let reprints = job.items.iter().filter(|i| i.reprint > 0).count();
    Ok(Summary {
        bytes: fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
        path,
        layout: layout.as_str(),
        permits: job.items.len(),
        originals: job.items.len() - reprints,
        reprints,
        pages: job.items.len().div_ceil(layout.per_page()),
    })
}

#[cfg(test)]
mod tests;
