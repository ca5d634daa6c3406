//! Prints to a real CUPS PDF printer (queue GDD-PDF on cups-pdf, set up by
//! `scripts/cups-test-setup.sh`, which scripts/test-all.sh runs first) and checks the PDF that
//! CUPS produced. Fails — never skips — when CUPS is not set up.
#![cfg(unix)]

mod common;

use std::time::Duration;

use common::{cups_output, pages, queue_lock, require_cups, small_pdf, QueueGuard, QUEUE};
use printing::{print_and_wait, wait_for, CupsBackend, JobState, PrintBackend, PrintRequest};

const WAIT: Duration = Duration::from_secs(60);

#[test]
fn lists_the_test_printer() {
    let _lock = queue_lock();
    require_cups();
    let printers = CupsBackend::new().printers().expect("lpstat");
    let p = printers
        .iter()
        .find(|p| p.name == QUEUE)
        .unwrap_or_else(|| panic!("{QUEUE} not in {printers:?}"));
    assert!(p.accepting, "{p:?}");
    assert!(!p.state.is_stopped(), "{p:?}");
    assert_eq!(p.description, "GDD test PDF printer");
}

#[test]
fn prints_two_copies_and_cups_pdf_writes_them() {
    let _lock = queue_lock();
    require_cups();
    let dir = tempfile::tempdir().unwrap();
    let pdf = small_pdf(dir.path(), 3);
    let backend = CupsBackend::new();
    let req = PrintRequest {
        printer: QUEUE.into(),
        pdf,
        copies: 2,
        title: "gdd plumbing test".into(),
    };
    let job = print_and_wait(&backend, &req, WAIT).expect("printed");
    assert_eq!(backend.job_state(&job).unwrap(), JobState::Completed);
    let out = cups_output(&job.0);
    assert_eq!(pages(&out), 6, "3 pages × 2 copies in {}", out.display());
}

#[test]
fn missing_printer_is_a_typed_error() {
    let _lock = queue_lock();
    require_cups();
    let dir = tempfile::tempdir().unwrap();
    let req = PrintRequest {
        printer: "KHONG-CO-MAY-IN".into(),
        pdf: small_pdf(dir.path(), 1),
        copies: 1,
        title: "missing".into(),
    };
    let err = CupsBackend::new().submit(&req).unwrap_err();
    assert_eq!(err.code(), "print.printer_not_found", "{err}");
    assert!(err.to_string().contains("«KHONG-CO-MAY-IN»"), "{err}");
}

#[test]
fn rejecting_and_disabled_printers_fail_and_nothing_prints_later() {
    let _lock = queue_lock();
    require_cups();
    let dir = tempfile::tempdir().unwrap();
    let backend = CupsBackend::new();
    let req = PrintRequest {
        printer: QUEUE.into(),
        pdf: small_pdf(dir.path(), 1),
        copies: 1,
        title: "stopped printer".into(),
    };

    // cupsreject: lp itself refuses the job.
    {
        let _guard = QueueGuard::reject("bảo trì máy in");
        let info = backend.printers().unwrap();
        let p = info.iter().find(|p| p.name == QUEUE).unwrap();
        assert!(!p.accepting, "{p:?}");
        let err = backend.submit(&req).unwrap_err();
        assert_eq!(err.code(), "print.not_accepting", "{err}");
        let msg = err.to_string();
        assert!(
            msg.contains("Máy in «GDD-PDF» đang tắt hoặc không nhận lệnh in"),
            "{msg}"
        );
        assert!(msg.contains("bảo trì máy in"), "{msg}");
    }

    // cupsdisable: the job is queued but the printer is stopped; waiting ends at once with a
    // failure, and the job is cancelled so it cannot print when the printer comes back.
    let job = {
        let _guard = QueueGuard::disable("kẹt giấy");
        let p = backend.printers().unwrap();
        let p = p.iter().find(|p| p.name == QUEUE).unwrap();
        assert!(p.state.is_stopped(), "{p:?}");
        let job = backend
            .submit(&req)
            .expect("a disabled queue still accepts jobs");
        assert!(matches!(
            wait_for(&backend, &job, WAIT).unwrap(),
            JobState::Stopped(_)
        ));
        let err = print_and_wait(&backend, &req, WAIT).unwrap_err();
        assert_eq!(err.code(), "print.job_stopped", "{err}");
        backend.cancel(&job).unwrap();
        job
    };
    assert_eq!(backend.job_state(&job).unwrap(), JobState::Canceled);
    // Cancelling a finished job again is harmless.
    backend.cancel(&job).unwrap();

    // Back to normal after the guards re-enabled the queue.
    let ok = print_and_wait(&backend, &req, WAIT).expect("prints again once re-enabled");
    assert_eq!(pages(&cups_output(&ok.0)), 1);
}

#[test]
fn signed_permits_survive_cups_and_verify_as_demo() {
    let _lock = queue_lock();
    require_cups();
    let dir = tempfile::tempdir().unwrap();
    let signer = permitpdf::samples::DemoSigner::new().expect("demo signer");
    let permits = signer.batch(6).expect("6 demo permits");
    let tokens: Vec<String> = permits.iter().map(|p| p.token.clone()).collect();
    let pdf = dir.path().join("permits.pdf");
    let file = std::fs::File::create(&pdf).unwrap();
    let stats = permitpdf::render(permits, permitpdf::Layout::A4x4, file).expect("render");
    assert_eq!(stats.pages, 2);

    let backend = CupsBackend::new();
    let req = PrintRequest {
        printer: QUEUE.into(),
        pdf,
        copies: 1,
        title: "gdd permits".into(),
    };
    let job = print_and_wait(&backend, &req, WAIT).expect("printed");
    let out = cups_output(&job.0);
    assert_eq!(pages(&out), 2, "{}", out.display());

    let work = dir.path().join("pages");
    std::fs::create_dir(&work).unwrap();
    let mut decoded = common::qr_codes(&out, &work);
    decoded.sort();
    let mut expected = tokens;
    expected.sort();
    assert_eq!(
        decoded, expected,
        "every QR in the CUPS output decodes to its token"
    );
    let at = time::macros::datetime!(2026-11-25 09:00 +7);
    for token in &decoded {
        let v = verify::verify(token, at, &[verify::demo_anchor()], None);
        assert_eq!(v.verdict, verify::Verdict::Demo, "{v:?}");
    }
}
