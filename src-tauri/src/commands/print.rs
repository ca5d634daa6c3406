//! Printing (ward officials and ward police): the printable permits, the system's printers,
//! sending a batch to a printer, retrying a failed job, saving a batch as a PDF, and the
//! recent print jobs. The work is `printjob`'s; here are only arguments, paths and errors.
//!
//! A print job waits for the printer (up to `printjob::DEFAULT_TIMEOUT`). It runs on a
//! blocking thread with **its own connection** to the database (the store supports several,
//! as the CLI does: WAL + busy timeout), so the app's store mutex is never held across the
//! wait and the other screens keep working while a batch prints.

use std::path::{Path, PathBuf};

use permit::Token;
use permitpdf::Layout;
use printing::{PrintBackend, PrinterInfo};
use printjob::{JobSpec, PrintJobError, Spool, Summary};
use serde::{Deserialize, Serialize};
use store::{PrintJob, PrintSelection, Printable, Session, State, Store};
use tauri::State as TauriState;

use crate::error::ApiError;
use crate::state::AppState;

/// Rows per page of the print list.
pub const PRINT_PER_PAGE: usize = 25;
/// Jobs shown in the "Lệnh in" panel.
pub const RECENT_JOBS: usize = 20;
/// Requests looked at for the filter lists (newest first).
const FILTER_REQUESTS: u32 = 500;
const MAX_COPIES: u32 = 9;

/// Which printable permits the list shows. `state`: `stamped` (originals, the default),
/// `printed` / `delivered` (reprints), or `all`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PrintFilter {
    pub request_id: Option<i64>,
    pub org_id: Option<i64>,
    pub state: Option<String>,
}

/// One row of the print list, read from the signed token (what the paper will say).
#[derive(Debug, Clone, Serialize)]
pub struct PrintItem {
    pub permit_id: i64,
    pub serial: String,
    pub holder_name: String,
    pub id_label: String,
    pub organization: Option<String>,
    /// yyyy-mm-dd
    pub valid_from: String,
    pub valid_to: String,
    pub state: State,
    /// 0 = original; n = this print would be reprint n.
    pub reprint: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrintList {
    pub items: Vec<PrintItem>,
    pub page: u32,
    pub per_page: u32,
    pub has_more: bool,
    pub total: u64,
    pub originals: u64,
    pub reprints: u64,
}

/// A filter choice with its printable count.
#[derive(Debug, Clone, Serialize)]
pub struct FilterOption {
    pub id: i64,
    pub label: String,
    pub org_ref: Option<String>,
    pub printable: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrintFilters {
    /// `label` is the organization's name, `None` → residents (the UI says so).
    pub requests: Vec<FilterOption>,
    pub organizations: Vec<FilterOption>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Printers {
    pub printers: Vec<PrinterInfo>,
    pub default_printer: Option<String>,
}

/// What "In" / "In lại" answer on success.
#[derive(Debug, Clone, Serialize)]
pub struct PrintDone {
    pub job: PrintJob,
    pub pdf: Summary,
}

impl From<PrintJobError> for ApiError {
    fn from(e: PrintJobError) -> Self {
        let mut api = ApiError::new(e.code(), e.to_string());
        api.job_id = e.job_id();
        api
    }
}

impl From<printing::PrintError> for ApiError {
    fn from(e: printing::PrintError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

fn parse_state(s: Option<&str>) -> Result<Option<State>, ApiError> {
    match s {
        None | Some("") | Some("all") => Ok(None),
        Some(v) => match State::parse(v) {
            Some(st @ (State::Stamped | State::Printed | State::Delivered)) => Ok(Some(st)),
            _ => Err(ApiError::new(
                "print.bad_filter",
                format!("Không lọc được theo trạng thái «{v}»."),
            )),
        },
    }
}

fn parse_layout(s: &str) -> Result<Layout, ApiError> {
    Layout::parse(s).map_err(|e| ApiError::new(e.code(), e.to_string()))
}

/// The printable rows of a filter, in id order.
fn filtered(store: &Store, f: &PrintFilter) -> Result<Vec<Printable>, ApiError> {
    let state = parse_state(f.state.as_deref())?;
    let mut rows = match (f.request_id, f.org_id, state) {
        (Some(r), _, _) => store.printable(&PrintSelection::Request(r))?,
        (None, Some(o), _) => store.printable(&PrintSelection::Organization(o))?,
        (None, None, Some(s)) => store.printable(&PrintSelection::State(s))?,
        (None, None, None) => {
            let mut all = Vec::new();
            for s in [State::Stamped, State::Printed, State::Delivered] {
                all.extend(store.printable(&PrintSelection::State(s))?);
            }
            all.sort_by_key(|p| p.permit_id);
            all
        }
    };
    if let Some(s) = state {
        rows.retain(|p| p.state == s);
    }
    Ok(rows)
}

fn item(p: &Printable) -> Result<PrintItem, ApiError> {
    let token = Token::from_text(&p.token)?;
    let f = token.fields();
    Ok(PrintItem {
        permit_id: p.permit_id,
        serial: p.serial.clone(),
        holder_name: f.holder_name.clone(),
        id_label: printjob::id_label(f.id.kind, &f.id.number, f.id.label.as_deref()),
        organization: f.organization.clone(),
        valid_from: f.valid_from.to_string(),
        valid_to: f.valid_to.to_string(),
        state: p.state,
        // The store numbers reprints (a printed or delivered permit is never an original).
        reprint: p.reprint,
    })
}

/// One page of the printable permits. The selection is read whole (ids and tokens, a few
/// hundred bytes each: fine at a ward's scale) and only the page's tokens are decoded.
pub fn do_print_list(
    st: &AppState,
    filter: &PrintFilter,
    page: u32,
) -> Result<PrintList, ApiError> {
    st.require_session()?;
    let rows = filtered(&*st.store()?, filter)?;
    let page = page.max(1);
    let start = (page as usize - 1).saturating_mul(PRINT_PER_PAGE);
    let items = rows
        .iter()
        .skip(start)
        .take(PRINT_PER_PAGE)
        .map(item)
        .collect::<Result<Vec<_>, _>>()?;
    let originals = rows.iter().filter(|p| p.state == State::Stamped).count() as u64;
    Ok(PrintList {
        items,
        page,
        per_page: PRINT_PER_PAGE as u32,
        has_more: rows.len() > start.saturating_add(PRINT_PER_PAGE),
        total: rows.len() as u64,
        originals,
        reprints: rows.len() as u64 - originals,
    })
}

/// Requests and organizations that have printable permits, with their counts.
pub fn do_print_filters(st: &AppState) -> Result<PrintFilters, ApiError> {
    let s = st.require_session()?;
    let store = st.store()?;
    let mut requests = Vec::new();
    let mut orgs: Vec<FilterOption> = Vec::new();
    for r in store.list_requests(&s, FILTER_REQUESTS)? {
        let printable: u64 = r
            .states
            .iter()
            .filter(|(st, _)| matches!(st, State::Stamped | State::Printed | State::Delivered))
            .map(|(_, n)| n)
            .sum();
        if printable == 0 {
            continue;
        }
        if let (Some(id), Some(name)) = (r.org_id, r.org_name.as_ref()) {
            match orgs.iter_mut().find(|o| o.id == id) {
                Some(o) => o.printable += printable,
                None => orgs.push(FilterOption {
                    id,
                    label: name.clone(),
                    org_ref: r.org_ref.clone(),
                    printable,
                }),
            }
        }
        requests.push(FilterOption {
            id: r.id,
            label: r.org_name.clone().unwrap_or_default(),
            org_ref: r.org_ref,
            printable,
        });
    }
    orgs.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(PrintFilters {
        requests,
        organizations: orgs,
    })
}

pub fn do_printers(backend: &dyn PrintBackend) -> Result<Printers, ApiError> {
    Ok(Printers {
        printers: backend.printers()?,
        default_printer: backend.default_printer()?,
    })
}

pub fn do_print_jobs(st: &AppState) -> Result<Vec<PrintJob>, ApiError> {
    st.require_session()?;
    let mut jobs = st.store()?.print_jobs()?;
    jobs.truncate(RECENT_JOBS);
    Ok(jobs)
}

/// `<database folder>/print`: job PDFs (as the CLI keeps them) and saved PDFs.
pub fn print_dir(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join("print"))
        .unwrap_or_else(|| PathBuf::from("print"))
}

fn selection(permit_ids: &[i64]) -> Result<PrintSelection, ApiError> {
    if permit_ids.is_empty() {
        return Err(ApiError::new(
            "print.nothing_selected",
            "Chưa chọn giấy nào để in.",
        ));
    }
    Ok(PrintSelection::Permits(permit_ids.to_vec()))
}

/// "Lưu PDF…": the selection as one PDF in `print/`, named by the time; nothing is marked
/// printed.
pub fn do_save_pdf(st: &AppState, permit_ids: &[i64], layout: &str) -> Result<Summary, ApiError> {
    let s = st.require_session()?;
    let sel = selection(permit_ids)?;
    let layout = parse_layout(layout)?;
    let stamp = time::OffsetDateTime::now_utc()
        .unix_timestamp_nanos()
        .div_euclid(1_000_000);
    let path =
        print_dir(&st.db_path).join(format!("giay-di-duong-{}-{stamp}.pdf", layout.as_str()));
    // A new name each time: nothing is ever replaced (outfile refuses it anyway).
    Ok(printjob::write_pdf(
        &*st.store()?,
        &s,
        &sel,
        layout,
        &path,
        &outfile::Options::new(),
    )?)
}

/// What a print job needs, taken from the app state before the blocking thread starts.
#[derive(Debug, Clone)]
pub struct PrintContext {
    pub db_path: PathBuf,
    pub session: Session,
}

impl PrintContext {
    pub fn of(st: &AppState) -> Result<PrintContext, ApiError> {
        Ok(PrintContext {
            db_path: st.db_path.clone(),
            session: st.require_session()?,
        })
    }

    fn spool(&self) -> Spool {
        Spool::new(print_dir(&self.db_path))
    }
}

/// "In": a new job for `permit_ids`, on its own database connection (see the module doc).
pub fn do_print_send(
    ctx: &PrintContext,
    backend: &dyn PrintBackend,
    permit_ids: &[i64],
    printer: &str,
    layout: &str,
    copies: u32,
) -> Result<PrintDone, ApiError> {
    let sel = selection(permit_ids)?;
    if printer.trim().is_empty() {
        return Err(ApiError::new("print.no_printer", "Chưa chọn máy in."));
    }
    if !(1..=MAX_COPIES).contains(&copies) {
        return Err(ApiError::new(
            "print.bad_copies",
            format!("Số bản in phải từ 1 đến {MAX_COPIES}."),
        ));
    }
    let spec = JobSpec {
        printer: printer.to_string(),
        layout: parse_layout(layout)?,
        copies,
    };
    let store = Store::open(&ctx.db_path)?;
    let done = printjob::send(&store, &ctx.session, backend, &sel, &spec, &ctx.spool())?;
    Ok(PrintDone {
        job: done.job,
        pdf: done.pdf,
    })
}

/// "In lại lệnh #N": the failed job again, same permits, printer, layout and copies.
pub fn do_print_retry(
    ctx: &PrintContext,
    backend: &dyn PrintBackend,
    job_id: i64,
) -> Result<PrintDone, ApiError> {
    let store = Store::open(&ctx.db_path)?;
    let done = printjob::retry(&store, &ctx.session, backend, job_id, &ctx.spool())?;
    Ok(PrintDone {
        job: done.job,
        pdf: done.pdf,
    })
}

/// Runs a blocking print step off the async runtime's workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::poisoned())?
}

#[tauri::command]
pub async fn print_list(
    state: TauriState<'_, AppState>,
    filter: PrintFilter,
    page: u32,
) -> Result<PrintList, ApiError> {
    do_print_list(&state, &filter, page)
}

#[tauri::command]
pub async fn print_filters(state: TauriState<'_, AppState>) -> Result<PrintFilters, ApiError> {
    do_print_filters(&state)
}

#[tauri::command]
pub async fn printers(state: TauriState<'_, AppState>) -> Result<Printers, ApiError> {
    state.require_session()?;
    blocking(|| do_printers(printing::system_backend().as_ref())).await
}

#[tauri::command]
pub async fn print_jobs(state: TauriState<'_, AppState>) -> Result<Vec<PrintJob>, ApiError> {
    do_print_jobs(&state)
}

#[tauri::command]
pub async fn print_save_pdf(
    state: TauriState<'_, AppState>,
    permit_ids: Vec<i64>,
    layout: String,
) -> Result<Summary, ApiError> {
    do_save_pdf(&state, &permit_ids, &layout)
}

#[tauri::command]
pub async fn print_send(
    state: TauriState<'_, AppState>,
    permit_ids: Vec<i64>,
    printer: String,
    layout: String,
    copies: u32,
) -> Result<PrintDone, ApiError> {
    let ctx = PrintContext::of(&state)?;
    blocking(move || {
        do_print_send(
            &ctx,
            printing::system_backend().as_ref(),
            &permit_ids,
            &printer,
            &layout,
            copies,
        )
    })
    .await
}

#[tauri::command]
pub async fn print_retry(
    state: TauriState<'_, AppState>,
    job_id: i64,
) -> Result<PrintDone, ApiError> {
    let ctx = PrintContext::of(&state)?;
    blocking(move || do_print_retry(&ctx, printing::system_backend().as_ref(), job_id)).await
}

#[cfg(test)]
mod tests {
    use printing::testutil::FakePrinter;

    use super::*;
    use crate::commands::tests::demo_as;

    fn stamped(st: &AppState) -> PrintList {
        let f = PrintFilter {
            state: Some("stamped".into()),
            ..PrintFilter::default()
        };
        do_print_list(st, &f, 1).expect("list")
    }

    #[test]
    fn saves_the_demo_stamped_permits_as_a_pdf_and_marks_nothing() {
        let (_dir, st) = demo_as("canbo");
        let list = stamped(&st);
        assert!(list.total > 0 && list.reprints == 0, "{list:?}");
        assert!(list
            .items
            .iter()
            .all(|i| i.reprint == 0 && !i.holder_name.is_empty()));
        let ids: Vec<i64> = list.items.iter().map(|i| i.permit_id).collect();
        let sum = do_save_pdf(&st, &ids, "a4-4").expect("pdf");
        assert!(
            sum.path.starts_with(print_dir(&st.db_path)),
            "{:?}",
            sum.path
        );
        let bytes = std::fs::read(&sum.path).expect("read pdf");
        assert!(bytes.starts_with(b"%PDF"));
        assert_eq!(sum.permits, ids.len());
        assert_eq!(sum.pages, ids.len().div_ceil(4));
        assert!(sum.pages > 0);
        assert_eq!(
            stamped(&st).total,
            list.total,
            "saving marks nothing printed"
        );
        assert_eq!(
            do_save_pdf(&st, &[], "a4-4").unwrap_err().code,
            "print.nothing_selected"
        );
        assert!(do_save_pdf(&st, &ids, "a3").is_err());
    }

    #[test]
    fn a_job_prints_and_a_stopped_one_fails_naming_the_job_then_retries() {
        let (_dir, st) = demo_as("congan");
        let list = stamped(&st);
        let ids: Vec<i64> = list.items.iter().take(2).map(|i| i.permit_id).collect();
        let ctx = PrintContext::of(&st).expect("ctx");
        let ok = FakePrinter::new(false);
        let done = do_print_send(&ctx, &ok, &ids[..1], "GDD-PDF", "a4-4", 1).expect("print");
        assert_eq!(done.job.state, store::PrintJobState::Done);
        assert_eq!(done.job.items.len(), 1);
        assert_eq!(stamped(&st).total, list.total - 1);

        // The printed one is now a reprint in the "all" list.
        let all = do_print_list(&st, &PrintFilter::default(), 1).expect("all");
        let row = all
            .items
            .iter()
            .find(|i| i.permit_id == ids[0])
            .expect("row");
        assert!(row.reprint >= 1 && row.state == State::Printed, "{row:?}");

        let stopped = FakePrinter::new(true);
        let e = do_print_send(&ctx, &stopped, &ids[1..], "GDD-PDF", "a6", 2).unwrap_err();
        let job_id = e.job_id.expect("the error names the job");
        assert!(e.message.contains(&format!("#{job_id}")), "{e:?}");
        assert_eq!(e.code, "print.job_stopped");
        let jobs = do_print_jobs(&st).expect("jobs");
        assert_eq!(jobs[0].id, job_id);
        assert_eq!(jobs[0].state, store::PrintJobState::Failed);
        assert_eq!(
            stamped(&st).total,
            list.total - 1,
            "a failed job marks nothing"
        );

        let again = do_print_retry(&ctx, &ok, job_id).expect("retry");
        assert_eq!(again.job.id, job_id);
        assert_eq!(again.job.state, store::PrintJobState::Done);
        assert_eq!(again.job.attempts, 2);
        assert_eq!(stamped(&st).total, list.total - 2);
        assert_eq!(ok.sent().len(), 2);

        for (printer, copies, code) in [("", 1, "print.no_printer"), ("P", 0, "print.bad_copies")] {
            let e = do_print_send(&ctx, &ok, &ids, printer, "a4-4", copies).unwrap_err();
            assert_eq!(e.code, code);
        }
    }

    #[test]
    fn filters_list_requests_and_organizations_with_printable_permits() {
        let (_dir, st) = demo_as("canbo");
        let f = do_print_filters(&st).expect("filters");
        assert!(!f.requests.is_empty());
        let r = &f.requests[0];
        let by_request = PrintFilter {
            request_id: Some(r.id),
            ..PrintFilter::default()
        };
        assert_eq!(
            do_print_list(&st, &by_request, 1).expect("list").total,
            r.printable
        );
        if let Some(o) = f.organizations.first() {
            let by_org = PrintFilter {
                org_id: Some(o.id),
                ..PrintFilter::default()
            };
            assert_eq!(
                do_print_list(&st, &by_org, 1).expect("list").total,
                o.printable
            );
        }
        let bad = PrintFilter {
            state: Some("approved".into()),
            ..PrintFilter::default()
        };
        assert_eq!(
            do_print_list(&st, &bad, 1).unwrap_err().code,
            "print.bad_filter"
        );
    }

    #[test]
    fn nothing_without_a_session() {
        let (_dir, st) = demo_as("canbo");
        crate::commands::do_logout(&st).expect("logout");
        assert_eq!(
            do_print_list(&st, &PrintFilter::default(), 1)
                .unwrap_err()
                .code,
            "app.not_logged_in"
        );
        assert_eq!(PrintContext::of(&st).unwrap_err().code, "app.not_logged_in");
    }
}
