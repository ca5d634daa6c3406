//! The Windows spooler. Printers and job state come from winspool (`EnumPrintersW`,
//! `GetDefaultPrinterW`, `EnumJobsW`); the PDF itself is rendered and spooled by SumatraPDF's
//! command line, shipped as a separate executable next to the app (docs/printing.md says why
//! and what that means for the licence).
//!
//! Built and tested only on Windows; Linux CI never compiles this file.

use std::os::windows::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;
use std::ptr;

use windows_sys::Win32::Graphics::Printing::{
    ClosePrinter, EnumJobsW, EnumPrintersW, GetDefaultPrinterW, OpenPrinterW, SetJobW,
    JOB_CONTROL_DELETE, JOB_INFO_1W, JOB_STATUS_BLOCKED_DEVQ, JOB_STATUS_COMPLETE,
    JOB_STATUS_DELETED, JOB_STATUS_ERROR, JOB_STATUS_OFFLINE, JOB_STATUS_PAPEROUT,
    JOB_STATUS_PRINTED, JOB_STATUS_PRINTING, JOB_STATUS_USER_INTERVENTION,
    PRINTER_ENUM_CONNECTIONS, PRINTER_ENUM_LOCAL, PRINTER_HANDLE, PRINTER_INFO_2W,
    PRINTER_STATUS_ERROR, PRINTER_STATUS_NOT_AVAILABLE, PRINTER_STATUS_OFFLINE,
    PRINTER_STATUS_PAPER_OUT, PRINTER_STATUS_PAUSED, PRINTER_STATUS_PENDING_DELETION,
    PRINTER_STATUS_PRINTING,
};

use crate::{JobId, JobState, PrintBackend, PrintError, PrintRequest, PrinterInfo, PrinterState};

/// No console window flashes up when SumatraPDF runs.
const CREATE_NO_WINDOW: u32 = 0x0800_0000;
const SUMATRA: &str = "SumatraPDF.exe";

/// Printing through the Windows spooler with SumatraPDF.
#[derive(Debug, Clone)]
pub struct WindowsBackend {
    sumatra: Option<PathBuf>,
}

impl Default for WindowsBackend {
    fn default() -> Self {
        Self::new()
    }
}

impl WindowsBackend {
    /// Looks for SumatraPDF.exe next to the app's own executable (the installer puts it there).
    pub fn new() -> Self {
        let sumatra = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|d| d.join(SUMATRA)))
            .filter(|p| p.is_file());
        Self { sumatra }
    }

    /// Uses a SumatraPDF.exe somewhere else (tests, a portable install).
    pub fn with_sumatra(path: PathBuf) -> Self {
        Self {
            sumatra: Some(path),
        }
    }

    fn sumatra(&self) -> Result<&PathBuf, PrintError> {
        self.sumatra
            .as_ref()
            .ok_or_else(|| PrintError::ToolMissing {
                tool: SUMATRA.to_string(),
                system: "cài cùng phần mềm",
            })
    }
}

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// Reads a NUL-terminated UTF-16 string the spooler returned; null gives "".
///
/// # Safety
/// `p` is null or points to a NUL-terminated string inside the spooler's buffer.
unsafe fn from_wide(p: *const u16) -> String {
    if p.is_null() {
        return String::new();
    }
    let mut len = 0;
    while *p.add(len) != 0 {
        len += 1;
    }
    String::from_utf16_lossy(std::slice::from_raw_parts(p, len))
}

fn last_error(what: &str) -> PrintError {
    PrintError::Tool {
        tool: what.to_string(),
        detail: std::io::Error::last_os_error().to_string(),
    }
}

/// Calls a winspool enumerate function twice: once for the size, once into a buffer of u64s
/// (aligned for the structs it holds). Returns the buffer and the number of entries.
fn enumerate(
    what: &str,
    mut call: impl FnMut(*mut u8, u32, *mut u32, *mut u32) -> i32,
) -> Result<(Vec<u64>, u32), PrintError> {
    let mut needed = 0u32;
    let mut count = 0u32;
    call(ptr::null_mut(), 0, &mut needed, &mut count);
    if needed == 0 {
        return Ok((Vec::new(), 0));
    }
    let mut buf = vec![0u64; (needed as usize).div_ceil(8)];
    let ok = call(buf.as_mut_ptr().cast(), needed, &mut needed, &mut count);
    if ok == 0 {
        return Err(last_error(what));
    }
    Ok((buf, count))
}

fn printer_state(status: u32, message: &str) -> PrinterState {
    let stopped = PRINTER_STATUS_PAUSED
        | PRINTER_STATUS_ERROR
        | PRINTER_STATUS_OFFLINE
        | PRINTER_STATUS_PAPER_OUT
        | PRINTER_STATUS_NOT_AVAILABLE
        | PRINTER_STATUS_PENDING_DELETION;
    if status & stopped != 0 {
        let reason = match () {
            _ if status & PRINTER_STATUS_PAPER_OUT != 0 => "hết giấy",
            _ if status & PRINTER_STATUS_OFFLINE != 0 => "máy in đang tắt hoặc mất kết nối",
            _ if status & PRINTER_STATUS_PAUSED != 0 => "máy in đang tạm dừng",
            _ if status & PRINTER_STATUS_ERROR != 0 => "máy in báo lỗi",
            _ => message,
        };
        PrinterState::Stopped(reason.to_string())
    } else if status & PRINTER_STATUS_PRINTING != 0 {
        PrinterState::Printing
    } else {
        PrinterState::Idle
    }
}

/// A job id names the printer and the document (the PDF's file name, which is what SumatraPDF
/// gives the spooler as the document name).
fn split_job(job: &JobId) -> Option<(&str, &str)> {
    job.0.split_once('|')
}

/// RAII for an open printer handle.
struct Printer(PRINTER_HANDLE);

impl Printer {
    fn open(name: &str) -> Result<Self, PrintError> {
        let name_w = wide(name);
        let mut handle = PRINTER_HANDLE::default();
        // SAFETY: name_w is NUL-terminated and outlives the call; handle is written on success.
        let ok = unsafe { OpenPrinterW(name_w.as_ptr(), &mut handle, ptr::null()) };
        if ok == 0 {
            return Err(PrintError::PrinterNotFound {
                printer: name.to_string(),
            });
        }
        Ok(Self(handle))
    }

    /// The spooler's entry for our document (matched by its name), if it is still queued:
    /// (spooler job id, status bits, status text).
    fn find_job(&self, document: &str) -> Result<Option<(u32, u32, String)>, PrintError> {
        let handle = self.0;
        let (buf, count) = enumerate("EnumJobsW", |p, cb, needed, returned| unsafe {
            // SAFETY: p is null (size query) or a buffer of cb bytes; the handle is open.
            EnumJobsW(handle, 0, 255, 1, p, cb, needed, returned)
        })?;
        let jobs = buf.as_ptr().cast::<JOB_INFO_1W>();
        for i in 0..count as usize {
            // SAFETY: the spooler wrote `count` JOB_INFO_1W at the start of buf, and the
            // strings they point to live in the same buffer.
            let info = unsafe { &*jobs.add(i) };
            let name = unsafe { from_wide(info.pDocument) };
            if name.ends_with(document) {
                let text = unsafe { from_wide(info.pStatus) };
                return Ok(Some((info.JobId, info.Status, text)));
            }
        }
        Ok(None)
    }
}

impl Drop for Printer {
    fn drop(&mut self) {
        // SAFETY: the handle came from a successful OpenPrinterW and is closed once.
        unsafe { ClosePrinter(self.0) };
    }
}

impl PrintBackend for WindowsBackend {
    fn printers(&self) -> Result<Vec<PrinterInfo>, PrintError> {
        let flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
        let (buf, count) = enumerate("EnumPrintersW", |p, cb, needed, returned| unsafe {
            // SAFETY: p is null (size query) or a buffer of cb bytes.
            EnumPrintersW(flags, ptr::null(), 2, p, cb, needed, returned)
        })?;
        let default = self.default_printer()?;
        let infos = buf.as_ptr().cast::<PRINTER_INFO_2W>();
        let mut list = Vec::with_capacity(count as usize);
        for i in 0..count as usize {
            // SAFETY: the spooler wrote `count` PRINTER_INFO_2W at the start of buf, and the
            // strings they point to live in the same buffer.
            let info = unsafe { &*infos.add(i) };
            let name = unsafe { from_wide(info.pPrinterName) };
            let comment = unsafe { from_wide(info.pComment) };
            let location = unsafe { from_wide(info.pLocation) };
            let description = match (comment.is_empty(), location.is_empty()) {
                (false, false) => format!("{comment} ({location})"),
                (false, true) => comment,
                _ => location,
            };
            list.push(PrinterInfo {
                is_default: default.as_deref() == Some(name.as_str()),
                state: printer_state(info.Status, ""),
                accepting: info.Status & PRINTER_STATUS_PENDING_DELETION == 0,
                description,
                name,
            });
        }
        Ok(list)
    }

    fn default_printer(&self) -> Result<Option<String>, PrintError> {
        let mut len = 0u32;
        // SAFETY: a null buffer asks for the length (in characters, with the NUL).
        unsafe { GetDefaultPrinterW(ptr::null_mut(), &mut len) };
        if len == 0 {
            return Ok(None); // no default printer set
        }
        let mut buf = vec![0u16; len as usize];
        // SAFETY: buf holds len characters.
        let ok = unsafe { GetDefaultPrinterW(buf.as_mut_ptr(), &mut len) };
        if ok == 0 {
            return Ok(None);
        }
        // SAFETY: on success buf is NUL-terminated.
        Ok(Some(unsafe { from_wide(buf.as_ptr()) }))
    }

    fn submit(&self, req: &PrintRequest) -> Result<JobId, PrintError> {
        req.check()?;
        let exe = self.sumatra()?;
        let printer = self
            .printers()?
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case(&req.printer))
            .ok_or_else(|| PrintError::PrinterNotFound {
                printer: req.printer.clone(),
            })?;
        if let PrinterState::Stopped(reason) = &printer.state {
            return Err(PrintError::NotAccepting {
                printer: printer.name,
                reason: reason.clone(),
            });
        }
        // "2x" = copies; noscale = the permit's real size; paper=A4 regardless of the driver's
        // default (Letter on many US-configured drivers).
        let settings = format!("{}x,noscale,paper=A4", req.copies);
        let status = Command::new(exe)
            .arg("-print-to")
            .arg(&printer.name)
            .arg("-print-settings")
            .arg(&settings)
            .arg("-silent")
            .arg("-exit-when-done")
            .arg(&req.pdf)
            .creation_flags(CREATE_NO_WINDOW)
            .status()
            .map_err(|e| PrintError::Tool {
                tool: SUMATRA.into(),
                detail: e.to_string(),
            })?;
        let document = req
            .pdf
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let job = JobId(format!("{}|{}", printer.name, document));
        if !status.success() {
            return Err(PrintError::JobFailed {
                job: job.0,
                reason: format!("SumatraPDF thoát với mã {:?}", status.code()),
            });
        }
        Ok(job)
    }

    fn job_state(&self, job: &JobId) -> Result<JobState, PrintError> {
        let (printer, document) =
            split_job(job).ok_or_else(|| PrintError::JobNotFound { job: job.0.clone() })?;
        let Some((_, s, status_text)) = Printer::open(printer)?.find_job(document)? else {
            // SumatraPDF exited successfully (submit checked it) and the spooler no longer
            // holds the job: it went to the printer.
            return Ok(JobState::Completed);
        };
        Ok(if s & (JOB_STATUS_PRINTED | JOB_STATUS_COMPLETE) != 0 {
            JobState::Completed
        } else if s & JOB_STATUS_DELETED != 0 {
            JobState::Canceled
        } else if s & JOB_STATUS_ERROR != 0 {
            JobState::Failed(status_text)
        } else if s
            & (JOB_STATUS_OFFLINE
                | JOB_STATUS_PAPEROUT
                | JOB_STATUS_USER_INTERVENTION
                | JOB_STATUS_BLOCKED_DEVQ)
            != 0
        {
            JobState::Stopped(status_text)
        } else if s & JOB_STATUS_PRINTING != 0 {
            JobState::Processing
        } else {
            JobState::Pending
        })
    }

    fn cancel(&self, job: &JobId) -> Result<(), PrintError> {
        let Some((printer, document)) = split_job(job) else {
            return Ok(());
        };
        let handle = Printer::open(printer)?;
        if let Some((id, _, _)) = handle.find_job(document)? {
            // SAFETY: the handle is open; level 0 with a null job buffer only sends the command.
            let ok = unsafe { SetJobW(handle.0, id, 0, ptr::null(), JOB_CONTROL_DELETE) };
            if ok == 0 {
                return Err(last_error("SetJobW"));
            }
        }
        Ok(())
    }
}
