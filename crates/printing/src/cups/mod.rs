//! CUPS through its command-line tools (`lpstat`, `lp`, `cancel`) and one IPP request for a
//! job's exact state.

mod ipp;
pub mod parse;

use std::process::Command;

use crate::{JobId, JobState, PrintBackend, PrintError, PrintRequest, PrinterInfo, PrinterState};

/// The CUPS print system of this machine (or of `CUPS_SERVER`, like the CUPS tools).
#[derive(Debug, Default, Clone)]
pub struct CupsBackend {}

impl CupsBackend {
    pub fn new() -> Self {
        Self {}
    }

    /// Runs a CUPS tool in the C locale (parseable, English messages) and returns its stdout;
    /// a non-zero exit becomes a typed error from its stderr.
    fn run(&self, tool: &str, args: &[&str], printer: Option<&str>) -> Result<String, PrintError> {
        let out = Command::new(tool)
            .args(args)
            .env("LC_ALL", "C")
            .env_remove("LANGUAGE")
            .output()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => PrintError::ToolMissing {
                    tool: tool.to_string(),
                    system: "CUPS",
                },
                _ => PrintError::Tool {
                    tool: tool.to_string(),
                    detail: e.to_string(),
                },
            })?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if out.status.success() {
            return Ok(stdout);
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("No destinations added") {
            return Ok(String::new()); // a machine with no printer yet: an empty list
        }
        Err(parse::classify_stderr(tool, &stderr, printer))
    }

    fn scheduler_running(&self) -> bool {
        self.run("lpstat", &["-r"], None)
            .map(|o| o.contains("scheduler is running"))
            .unwrap_or(false)
    }

    /// The administrator's reason a destination rejects jobs (`lpstat -a NAME`), if any.
    fn reject_reason(&self, printer: &str) -> String {
        self.run("lpstat", &["-a", printer], Some(printer))
            .ok()
            .and_then(|o| {
                o.lines()
                    .find(|l| l.starts_with('\t'))
                    .map(|l| l.trim().to_string())
            })
            .filter(|r| r != "reason unknown")
            .unwrap_or_default()
    }
}

impl CupsBackend {
    /// `Stopped(reason)` when the queue a job ("QUEUE-12") waits in is disabled.
    fn queue_stopped(&self, request_id: &str) -> Option<JobState> {
        let (queue, _) = request_id.rsplit_once('-')?;
        let out = self.run("lpstat", &["-p", queue], Some(queue)).ok()?;
        match parse::printers_status(&out)
            .into_iter()
            .find(|p| p.name == queue)?
            .state
        {
            PrinterState::Stopped(reason) => Some(JobState::Stopped(if reason.is_empty() {
                format!("máy in {queue} đang tạm dừng")
            } else {
                reason
            })),
            _ => None,
        }
    }
}

fn current_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "anonymous".to_string())
}

/// A job title CUPS and cups-pdf handle: printable, one line, at most 100 characters.
fn clean_title(title: &str) -> String {
    let t: String = title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(100)
        .collect();
    let t = t.trim();
    if t.is_empty() {
        "gdd".to_string()
    } else {
        t.to_string()
    }
}

impl PrintBackend for CupsBackend {
    fn printers(&self) -> Result<Vec<PrinterInfo>, PrintError> {
        let status = parse::printers_status(&self.run("lpstat", &["-l", "-p"], None)?);
        let accepting = parse::accepting(&self.run("lpstat", &["-a"], None)?);
        let default = self.default_printer()?;
        let mut list: Vec<PrinterInfo> = status
            .into_iter()
            .map(|s| PrinterInfo {
                is_default: default.as_deref() == Some(s.name.as_str()),
                accepting: accepting.get(&s.name).copied().unwrap_or(true),
                name: s.name,
                description: s.description,
                state: s.state,
            })
            .collect();
        // Network printers CUPS found but has not set up yet: `lp` sets them up on first use.
        for name in parse::destinations(&self.run("lpstat", &["-e"], None)?) {
            if !list.iter().any(|p| p.name == name) {
                list.push(PrinterInfo {
                    is_default: default.as_deref() == Some(name.as_str()),
                    name,
                    description: String::new(),
                    state: PrinterState::Idle,
                    accepting: true,
                });
            }
        }
        Ok(list)
    }

    fn default_printer(&self) -> Result<Option<String>, PrintError> {
        Ok(parse::default_destination(&self.run(
            "lpstat",
            &["-d"],
            None,
        )?))
    }

    fn submit(&self, req: &PrintRequest) -> Result<JobId, PrintError> {
        req.check()?;
        let pdf = std::fs::canonicalize(&req.pdf).map_err(|e| PrintError::File {
            path: req.pdf.clone(),
            detail: e.to_string(),
        })?;
        let pdf = pdf.to_str().ok_or_else(|| PrintError::File {
            path: req.pdf.clone(),
            detail: "đường dẫn có ký tự không hợp lệ".into(),
        })?;
        let copies = req.copies.to_string();
        let title = clean_title(&req.title);
        let printer = req.printer.as_str();
        // Permits are laid out at their real size: never let the driver shrink or enlarge them.
        let args = [
            "-d",
            printer,
            "-n",
            &copies,
            "-t",
            &title,
            "-o",
            "media=A4",
            "-o",
            "print-scaling=none",
            pdf,
        ];
        match self.run("lp", &args, Some(printer)) {
            Ok(out) => parse::request_id(&out)
                .map(JobId)
                .ok_or_else(|| PrintError::Tool {
                    tool: "lp".into(),
                    detail: format!("không đọc được số lệnh in: {}", out.trim()),
                }),
            // lp says "printer does not exist" when it cannot reach the scheduler at all.
            Err(PrintError::PrinterNotFound { .. }) if !self.scheduler_running() => {
                Err(PrintError::ServiceDown {
                    detail: "lpstat -r: scheduler is not running".into(),
                })
            }
            Err(PrintError::NotAccepting { printer, .. }) => Err(PrintError::NotAccepting {
                reason: self.reject_reason(&printer),
                printer,
            }),
            Err(PrintError::File { detail, .. }) => Err(PrintError::File {
                path: req.pdf.clone(),
                detail,
            }),
            Err(e) => Err(e),
        }
    }

    fn job_state(&self, job: &JobId) -> Result<JobState, PrintError> {
        let number = parse::job_number(&job.0)
            .ok_or_else(|| PrintError::JobNotFound { job: job.0.clone() })?;
        match ipp::get_job(number, &current_user()) {
            // CUPS leaves a job "pending" (reasons: none) on a disabled printer: ask the queue.
            Ok(attrs) => match attrs.job_state() {
                JobState::Pending => Ok(self.queue_stopped(&job.0).unwrap_or(JobState::Pending)),
                state => Ok(state),
            },
            Err(ipp::IppError::NotFound) => Err(PrintError::JobNotFound { job: job.0.clone() }),
            Err(ipp::IppError::Connect(detail)) => Err(PrintError::ServiceDown { detail }),
            Err(ipp::IppError::Protocol(detail)) => Err(PrintError::Tool {
                tool: "IPP".into(),
                detail,
            }),
        }
    }

    fn cancel(&self, job: &JobId) -> Result<(), PrintError> {
        match self.run("cancel", &[&job.0], None) {
            Ok(_) => Ok(()),
            // Already finished or gone: nothing left that could print.
            Err(PrintError::JobNotFound { .. }) => Ok(()),
            Err(PrintError::Tool { detail, .. }) if detail.contains("already") => Ok(()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_cleaned() {
        assert_eq!(clean_title("  a\nb\t "), "a b");
        assert_eq!(clean_title(""), "gdd");
        assert_eq!(clean_title(&"x".repeat(300)).len(), 100);
        assert_eq!(clean_title("Giấy đi đường"), "Giấy đi đường");
    }

    #[test]
    fn requests_are_checked() {
        let check_request = |r: &PrintRequest| r.check();
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("a.pdf");
        std::fs::write(&pdf, b"%PDF-1.4").unwrap();
        let ok = PrintRequest {
            printer: "P".into(),
            pdf: pdf.clone(),
            copies: 2,
            title: "t".into(),
        };
        assert!(check_request(&ok).is_ok());
        let bad = PrintRequest {
            copies: 0,
            ..ok.clone()
        };
        assert_eq!(
            check_request(&bad).unwrap_err().code(),
            "print.invalid_request"
        );
        let bad = PrintRequest {
            printer: " ".into(),
            ..ok.clone()
        };
        assert_eq!(
            check_request(&bad).unwrap_err().code(),
            "print.invalid_request"
        );
        let bad = PrintRequest {
            pdf: dir.path().join("missing.pdf"),
            ..ok
        };
        assert_eq!(check_request(&bad).unwrap_err().code(), "print.file");
    }
}
