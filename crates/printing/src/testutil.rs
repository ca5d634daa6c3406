//! For tests only (feature `testutil`): tests that print through, disable or reject the shared
//! CUPS test queue GDD-PDF live in several test binaries (this crate's, the CLI's), which
//! `cargo test --workspace` runs at the same time. A static mutex only serializes one binary;
//! this lock is an `flock` on one file, so it serializes them all.

pub mod cups;

use std::fs::{File, OpenOptions};
use std::path::PathBuf;

/// Held while a test uses the GDD-PDF queue; released when dropped (or when the process dies).
pub struct QueueLock {
    _file: File,
}

/// The lock file: `$GDD_CUPS_TEST_LOCK`, else `<temp dir>/gdd-cups-test.lock`.
pub fn lock_path() -> PathBuf {
    std::env::var_os("GDD_CUPS_TEST_LOCK")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("gdd-cups-test.lock"))
}

/// Blocks until no other test (in any process) uses the queue.
///
/// Panics if the lock file cannot be opened or locked: a test that runs unserialized would
/// fail later for reasons that are much harder to read.
pub fn lock_test_queue() -> QueueLock {
    lock_file(&lock_path())
}

fn lock_file(path: &std::path::Path) -> QueueLock {
    // Another user may own the file: read-only is enough for flock.
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .or_else(|_| File::open(path))
        .unwrap_or_else(|e| panic!("cannot open the CUPS test lock {}: {e}", path.display()));
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        loop {
            // SAFETY: flock on a descriptor this function owns; no memory is shared.
            let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
            if rc == 0 {
                break;
            }
            let err = std::io::Error::last_os_error();
            if err.kind() != std::io::ErrorKind::Interrupted {
                panic!("cannot lock {}: {err}", path.display());
            }
        }
    }
    QueueLock { _file: file }
}

/// A print system for tests of the code above it (the print queue, the app): every job
/// completes, or stops like a disabled queue; it remembers what it was asked to print.
pub struct FakePrinter {
    stop: std::sync::Mutex<bool>,
    sent: std::sync::Mutex<Vec<crate::PrintRequest>>,
}

impl FakePrinter {
    /// `stop`: every job ends stopped (as on a disabled CUPS queue) instead of completed.
    pub fn new(stop: bool) -> FakePrinter {
        FakePrinter {
            stop: std::sync::Mutex::new(stop),
            sent: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// What was submitted so far.
    pub fn sent(&self) -> Vec<crate::PrintRequest> {
        self.sent.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

impl crate::PrintBackend for FakePrinter {
    fn printers(&self) -> Result<Vec<crate::PrinterInfo>, crate::PrintError> {
        Ok(Vec::new())
    }
    fn default_printer(&self) -> Result<Option<String>, crate::PrintError> {
        Ok(None)
    }
    fn submit(&self, req: &crate::PrintRequest) -> Result<crate::JobId, crate::PrintError> {
        req.check()?;
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        sent.push(req.clone());
        Ok(crate::JobId(format!("{}-{}", req.printer, sent.len())))
    }
    fn job_state(&self, _job: &crate::JobId) -> Result<crate::JobState, crate::PrintError> {
        let stop = *self.stop.lock().unwrap_or_else(|e| e.into_inner());
        Ok(if stop {
            crate::JobState::Stopped("kẹt giấy".into())
        } else {
            crate::JobState::Completed
        })
    }
    fn cancel(&self, _job: &crate::JobId) -> Result<(), crate::PrintError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_excludes_a_second_holder_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock");
        let first = lock_file(&path);
        let (tx, rx) = std::sync::mpsc::channel();
        let t = std::thread::spawn(move || {
            let _second = lock_file(&path);
            tx.send(()).unwrap();
        });
        assert!(rx
            .recv_timeout(std::time::Duration::from_millis(300))
            .is_err());
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("second holder gets the lock");
        t.join().unwrap();
    }
}
