//! Printers behind one trait.
//!
//! - [`CupsBackend`] (Unix): lists printers and submits jobs with the CUPS command-line tools
//!   (`lpstat`, `lp`, `cancel`, run with `LC_ALL=C`), and reads a job's exact state
//!   (completed / aborted / canceled / held on a stopped printer) over IPP from the local
//!   scheduler, which `lpstat` cannot tell apart.
//! - `WindowsBackend` (Windows): printers from the spooler (`EnumPrintersW`,
//!   `GetDefaultPrinterW`), PDFs printed by SumatraPDF's command line shipped next to the app,
//!   job state from the spooler (`EnumJobsW`). See `docs/printing.md` for why.
//!
//! Every failure is a [`PrintError`] with a stable [`PrintError::code`] and a Vietnamese message
//! that says what the ward official should do.

mod error;
#[cfg(feature = "testutil")]
pub mod testutil;
mod types;
mod wait;

#[cfg(unix)]
mod cups;
#[cfg(windows)]
mod windows;

pub use error::PrintError;
pub use types::{JobId, JobState, PrintRequest, PrinterInfo, PrinterState};
pub use wait::{print_and_wait, settle, wait_for};

#[cfg(unix)]
pub use cups::{parse as cups_parse, CupsBackend};
#[cfg(windows)]
pub use windows::WindowsBackend;

/// A place that prints PDFs: the operating system's print system.
pub trait PrintBackend: Send + Sync {
    /// Every printer the system knows, with its state.
    fn printers(&self) -> Result<Vec<PrinterInfo>, PrintError>;

    /// The system's default printer, if one is set.
    fn default_printer(&self) -> Result<Option<String>, PrintError>;

    /// Queues a PDF. Returns as soon as the system has accepted the job; use [`wait_for`] to
    /// know whether it printed.
    fn submit(&self, req: &PrintRequest) -> Result<JobId, PrintError>;

    /// Where the job is now.
    fn job_state(&self, job: &JobId) -> Result<JobState, PrintError>;

    /// Removes a job that has not printed yet (a failed or stuck job must not print later,
    /// after it was already reported as failed and retried).
    fn cancel(&self, job: &JobId) -> Result<(), PrintError>;
}

/// The print system of the platform this was built for.
pub fn system_backend() -> Box<dyn PrintBackend> {
    #[cfg(unix)]
    {
        Box::new(CupsBackend::new())
    }
    #[cfg(windows)]
    {
        Box::new(WindowsBackend::new())
    }
}
