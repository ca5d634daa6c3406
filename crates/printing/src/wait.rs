use std::thread;
use std::time::{Duration, Instant};

use crate::{JobId, JobState, PrintBackend, PrintError, PrintRequest};

/// How often a job's state is asked for while waiting.
const POLL: Duration = Duration::from_millis(250);

/// Waits until the job reaches a final state ([`JobState::is_final`]) and returns it, or
/// [`PrintError::Timeout`]. A stopped printer ends the wait at once with
/// [`JobState::Stopped`]: nobody is going to print it while the official waits.
pub fn wait_for(
    backend: &dyn PrintBackend,
    job: &JobId,
    timeout: Duration,
) -> Result<JobState, PrintError> {
    let start = Instant::now();
    loop {
        let state = backend.job_state(job)?;
        if state.is_final() {
            return Ok(state);
        }
        if start.elapsed() >= timeout {
            return Err(PrintError::Timeout {
                job: job.0.clone(),
                seconds: timeout.as_secs(),
            });
        }
        thread::sleep(POLL);
    }
}

/// Submits, waits, and turns anything but [`JobState::Completed`] into an error. A job that
/// did not complete is cancelled first (best effort), so it cannot print later behind the
/// official's back after being reported as failed and retried.
pub fn print_and_wait(
    backend: &dyn PrintBackend,
    req: &PrintRequest,
    timeout: Duration,
) -> Result<JobId, PrintError> {
    let job = backend.submit(req)?;
    settle(backend, &job, timeout)?;
    Ok(job)
}

/// Waits for a submitted job (also one submitted by an earlier run of the app that did not
/// see it end) and turns anything but [`JobState::Completed`] into an error, cancelling the
/// job first, as [`print_and_wait`] does.
pub fn settle(
    backend: &dyn PrintBackend,
    job: &JobId,
    timeout: Duration,
) -> Result<(), PrintError> {
    let job = job.clone();
    let outcome = match wait_for(backend, &job, timeout) {
        Ok(JobState::Completed) => return Ok(()),
        Ok(JobState::Stopped(reason)) => PrintError::JobStopped {
            job: job.0.clone(),
            reason,
        },
        Ok(JobState::Failed(reason)) => PrintError::JobFailed {
            job: job.0.clone(),
            reason,
        },
        Ok(JobState::Canceled) => PrintError::JobCanceled { job: job.0.clone() },
        Ok(JobState::Pending | JobState::Processing) => unreachable_state(&job),
        Err(e) => e,
    };
    // The cancel's own error would hide the real one; the job is reported failed either way.
    let _ = backend.cancel(&job);
    Err(outcome)
}

fn unreachable_state(job: &JobId) -> PrintError {
    // wait_for only returns final states; kept as an error rather than a panic.
    PrintError::JobFailed {
        job: job.0.clone(),
        reason: String::from("trạng thái lệnh in không xác định"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::PrinterInfo;

    /// A backend whose job goes through a scripted list of states.
    struct Scripted {
        states: Mutex<Vec<JobState>>,
        canceled: Mutex<bool>,
    }

    impl PrintBackend for Scripted {
        fn printers(&self) -> Result<Vec<PrinterInfo>, PrintError> {
            Ok(Vec::new())
        }
        fn default_printer(&self) -> Result<Option<String>, PrintError> {
            Ok(None)
        }
        fn submit(&self, _req: &PrintRequest) -> Result<JobId, PrintError> {
            Ok(JobId("P-1".into()))
        }
        fn job_state(&self, _job: &JobId) -> Result<JobState, PrintError> {
            let mut s = self.states.lock().unwrap();
            Ok(if s.len() > 1 {
                s.remove(0)
            } else {
                s[0].clone()
            })
        }
        fn cancel(&self, _job: &JobId) -> Result<(), PrintError> {
            *self.canceled.lock().unwrap() = true;
            Ok(())
        }
    }

    fn scripted(states: Vec<JobState>) -> Scripted {
        Scripted {
            states: Mutex::new(states),
            canceled: Mutex::new(false),
        }
    }

    fn req() -> PrintRequest {
        PrintRequest {
            printer: "P".into(),
            pdf: "x.pdf".into(),
            copies: 1,
            title: "t".into(),
        }
    }

    #[test]
    fn completes_after_processing() {
        let b = scripted(vec![
            JobState::Pending,
            JobState::Processing,
            JobState::Completed,
        ]);
        let job = print_and_wait(&b, &req(), Duration::from_secs(5)).unwrap();
        assert_eq!(job.0, "P-1");
        assert!(!*b.canceled.lock().unwrap());
    }

    #[test]
    fn stopped_printer_fails_at_once_and_cancels() {
        let b = scripted(vec![JobState::Stopped("paused".into())]);
        let err = print_and_wait(&b, &req(), Duration::from_secs(60)).unwrap_err();
        assert_eq!(err.code(), "print.job_stopped");
        assert!(*b.canceled.lock().unwrap());
    }

    #[test]
    fn timeout_cancels() {
        let b = scripted(vec![JobState::Pending]);
        let err = print_and_wait(&b, &req(), Duration::from_millis(300)).unwrap_err();
        assert_eq!(err.code(), "print.timeout");
        assert!(err.to_string().contains("P-1"));
        assert!(*b.canceled.lock().unwrap());
    }

    #[test]
    fn aborted_is_failed() {
        let b = scripted(vec![JobState::Failed("backend error".into())]);
        let err = print_and_wait(&b, &req(), Duration::from_secs(5)).unwrap_err();
        assert_eq!(err.code(), "print.job_failed");
        assert!(err.to_string().contains("backend error"));
    }
}
