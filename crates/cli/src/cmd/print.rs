//! `gdd print …`: batch PDFs and print jobs, through the `printjob` crate (shared with the app).

use super::Ctx;
use crate::args::{PrintCmd, PrintSelect};
use crate::output::{emit, opt, table};
use anyhow::anyhow;
use permitpdf::Layout;
use printjob::{JobOutcome, JobSpec, PrintJobError, Spool, Summary};
use std::path::PathBuf;
use std::time::Duration;
use store::{PrintSelection, Session, State, Store};

pub fn print(ctx: &Ctx, c: PrintCmd) -> anyhow::Result<()> {
    match c {
        PrintCmd::Pdf {
            select,
            layout,
            output,
        } => {
            let (store, s) = ctx.login()?;
            let sel = selection(&store, &s, select)?;
            let sum = printjob::write_pdf(
                &store,
                &s,
                &sel,
                Layout::parse(&layout)?,
                &output,
                &ctx.output_opts(Some(&store)),
            )?;
            emit(ctx.json, &sum, |sum| {
                println!("Đã ghi {}.", sum.path.display());
                summary_line(sum);
                println!("Chưa ghi nhận là đã in: in tệp này xong thì dùng «gdd mark-printed».");
            })
        }
        PrintCmd::Printers => {
            let printers = printing::system_backend().printers()?;
            emit(ctx.json, &printers, |printers| {
                let rows: Vec<Vec<String>> = printers
                    .iter()
                    .map(|p| {
                        let state = match &p.state {
                            printing::PrinterState::Idle => "sẵn sàng".to_string(),
                            printing::PrinterState::Printing => "đang in".to_string(),
                            printing::PrinterState::Stopped(r) if r.is_empty() => {
                                "đang dừng".to_string()
                            }
                            printing::PrinterState::Stopped(r) => format!("đang dừng ({r})"),
                        };
                        vec![
                            format!("{}{}", p.name, if p.is_default { " *" } else { "" }),
                            p.description.clone(),
                            state,
                            if p.accepting { "có" } else { "không" }.to_string(),
                        ]
                    })
                    .collect();
                table(&["máy in", "mô tả", "trạng thái", "nhận lệnh"], &rows);
                if printers.is_empty() {
                    println!("Chưa có máy in nào: cài máy in trong hệ điều hành trước.");
                }
            })
        }
        PrintCmd::Send {
            select,
            printer,
            copies,
            layout,
            timeout,
        } => {
            let (store, s) = ctx.login()?;
            let sel = selection(&store, &s, select)?;
            let spec = JobSpec {
                printer,
                layout: Layout::parse(&layout)?,
                copies,
            };
            let spool = spool(&store, timeout);
            let backend = printing::system_backend();
            let done = printjob::send(&store, &s, backend.as_ref(), &sel, &spec, &spool)
                .map_err(retry_hint)?;
            show_done(ctx, &done)
        }
        PrintCmd::Jobs => {
            let (store, _s) = ctx.login()?;
            let jobs = store.print_jobs()?;
            emit(ctx.json, &jobs, |jobs| {
                let rows: Vec<Vec<String>> = jobs
                    .iter()
                    .map(|j| {
                        vec![
                            j.id.to_string(),
                            j.created_at.clone(),
                            j.created_by.clone(),
                            j.printer.clone(),
                            format!("{} × {}", j.items.len(), j.copies),
                            j.state.as_str().to_string(),
                            j.attempts.to_string(),
                            opt(&j.last_error),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "lệnh",
                        "lúc",
                        "người",
                        "máy in",
                        "giấy × bản",
                        "trạng thái",
                        "lần gửi",
                        "lỗi",
                    ],
                    &rows,
                );
            })
        }
        PrintCmd::Retry { job, timeout } => {
            let (store, s) = ctx.login()?;
            let spool = spool(&store, timeout);
            let backend = printing::system_backend();
            let done =
                printjob::retry(&store, &s, backend.as_ref(), job, &spool).map_err(retry_hint)?;
            show_done(ctx, &done)
        }
    }
}

/// The job PDFs live next to the database, in `print/`.
fn spool(store: &Store, timeout: u64) -> Spool {
    let dir = store
        .path()
        .and_then(|p| p.parent())
        .map(|d| d.join("print"))
        .unwrap_or_else(|| PathBuf::from("print"));
    Spool {
        dir,
        timeout: Duration::from_secs(timeout.max(1)),
    }
}

/// A printer failure says how to retry from here.
fn retry_hint(e: PrintJobError) -> anyhow::Error {
    match &e {
        PrintJobError::PrintFailed { job_id, .. } => {
            let hint = format!("in lại bằng: gdd print retry {job_id}");
            anyhow::Error::new(e).context(hint)
        }
        _ => e.into(),
    }
}

fn selection(store: &Store, s: &Session, a: PrintSelect) -> anyhow::Result<PrintSelection> {
    if let Some(r) = a.request {
        return Ok(PrintSelection::Request(r));
    }
    if let Some(reference) = a.org {
        let org = store.organization_by_ref(s, &reference)?;
        return Ok(PrintSelection::Organization(org.id));
    }
    if let Some(state) = a.state {
        let st = State::parse(&state).ok_or_else(|| {
            anyhow!("trạng thái «{state}» không có (in được: stamped, printed, delivered)")
        })?;
        return Ok(PrintSelection::State(st));
    }
    if a.ids.is_empty() {
        return Err(anyhow!(
            "chọn giấy cần in: --request SỐ, --org MÃ, --state TRẠNG_THÁI hoặc các số giấy"
        ));
    }
    Ok(PrintSelection::Permits(a.ids))
}

fn summary_line(sum: &Summary) {
    println!(
        "{} giấy ({} bản gốc, {} bản in lại), {} trang {}, {} byte.",
        sum.permits, sum.originals, sum.reprints, sum.pages, sum.layout, sum.bytes
    );
}

fn show_done(ctx: &Ctx, done: &JobOutcome) -> anyhow::Result<()> {
    emit(ctx.json, done, |d| {
        println!(
            "Lệnh in #{} đã in xong trên máy in «{}» ({}).",
            d.job.id,
            d.job.printer,
            opt(&d.job.system_job)
        );
        summary_line(&d.pdf);
        println!("Tệp đã in: {}", d.pdf.path.display());
    })
}
