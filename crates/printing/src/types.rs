use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::PrintError;

/// One printer as the print system reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrinterInfo {
    /// The name jobs are sent to (CUPS queue name, Windows printer name).
    pub name: String,
    /// What the administrator called it ("Máy in tầng 1"), empty if nothing.
    pub description: String,
    pub is_default: bool,
    pub state: PrinterState,
    /// Whether new jobs are accepted (CUPS `cupsreject`, a Windows printer pending deletion).
    pub accepting: bool,
}

/// Whether a printer is working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "reason", rename_all = "snake_case")]
pub enum PrinterState {
    Idle,
    Printing,
    /// Disabled, paused, offline or in error; the reason as the system gives it (may be empty).
    Stopped(String),
}

impl PrinterState {
    pub fn is_stopped(&self) -> bool {
        matches!(self, PrinterState::Stopped(_))
    }
}

/// One PDF to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintRequest {
    pub printer: String,
    pub pdf: PathBuf,
    /// 1..=[`PrintRequest::MAX_COPIES`].
    pub copies: u32,
    /// The job's name in the print queue (and the file name cups-pdf writes).
    pub title: String,
}

impl PrintRequest {
    /// More copies than this of a permit batch is certainly a typing mistake.
    pub const MAX_COPIES: u32 = 99;

    /// Refuses what no print system should be asked: no printer, 0 or too many copies, a
    /// missing or empty file.
    pub fn check(&self) -> Result<(), PrintError> {
        if self.printer.trim().is_empty() {
            return Err(PrintError::InvalidRequest("chưa chọn máy in".into()));
        }
        if self.copies == 0 || self.copies > Self::MAX_COPIES {
            return Err(PrintError::InvalidRequest(format!(
                "số bản in phải từ 1 đến {} (đang là {})",
                Self::MAX_COPIES,
                self.copies
            )));
        }
        match std::fs::metadata(&self.pdf) {
            Ok(m) if m.is_file() && m.len() > 0 => Ok(()),
            Ok(_) => Err(PrintError::File {
                path: self.pdf.clone(),
                detail: "không phải tệp PDF hoặc tệp rỗng".into(),
            }),
            Err(e) => Err(PrintError::File {
                path: self.pdf.clone(),
                detail: e.to_string(),
            }),
        }
    }
}

/// A job as the print system names it: CUPS "GDD-PDF-12", Windows "printer|document".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct JobId(pub String);

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a job is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "reason", rename_all = "snake_case")]
pub enum JobState {
    /// Waiting in the queue.
    Pending,
    Processing,
    /// Printed (sent to the device completely).
    Completed,
    /// Will not print by itself: the printer is stopped or the job is held. The job stays in
    /// the queue and would print if someone restarted the printer — cancel it before retrying.
    Stopped(String),
    /// Aborted by the system (filter/driver/backend error) or the printer.
    Failed(String),
    /// Cancelled by a user or an administrator.
    Canceled,
}

impl JobState {
    /// No further change will happen by waiting.
    pub fn is_final(&self) -> bool {
        !matches!(self, JobState::Pending | JobState::Processing)
    }
}
