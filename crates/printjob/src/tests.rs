//! Against a demo store and a fake print system (the real CUPS path is tested by the CLI).

use printing::testutil::FakePrinter;
use store::{PrintJobState, State};
use time::macros::datetime;

use super::*;

fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("ward/gdd.db")).unwrap();
    store::demo::fill(&store).unwrap();
    (dir, store)
}

fn login(store: &Store, user: &str) -> Session {
    store.login(user, store::demo::DEMO_PASSWORD).unwrap()
}

fn stamped_ids(store: &Store) -> Vec<i64> {
    store
        .printable(&PrintSelection::State(State::Stamped))
        .unwrap()
        .iter()
        .map(|p| p.permit_id)
        .collect()
}

#[test]
fn builds_print_permits_from_the_demo_store() {
    let (_dir, store) = demo();
    let s = login(&store, "canbo");
    let permits = printable_permits(&store, &s, &PrintSelection::State(State::Stamped)).unwrap();
    assert!(!permits.is_empty());
    let at = datetime!(2026-01-01 00:00 UTC);
    for p in &permits {
        assert_eq!(p.ward.ubnd, "UBND PHƯỜNG BA ĐÌNH");
        assert_eq!(p.ward.police, "CÔNG AN PHƯỜNG BA ĐÌNH");
        assert_eq!(p.reprint, 0);
        assert!(p.stamp.demo, "demo ward, demo root");
        assert_eq!(p.stamp.workstation, 1);
        assert_eq!(
            p.stamp.key_fingerprint,
            store.workstation_key().unwrap().unwrap().fingerprint
        );
        assert!(p.stamp.stamped_at > at);
        assert!(p.address.as_deref().is_some_and(|a| !a.is_empty()), "{p:?}");
        assert!(p.id_label.starts_with("CCCD ") || p.id_label.contains(' '));
        // The printed name is the signed one, and the QR verifies.
        let token = permit::Token::from_text(&p.token).unwrap();
        assert_eq!(token.fields().holder_name, p.holder_name);
        assert_eq!(token.serial().to_string(), p.serial);
    }
    // Printed ones come out as numbered reprints.
    let printed = printable_permits(&store, &s, &PrintSelection::State(State::Printed)).unwrap();
    assert!(printed.iter().all(|p| p.reprint >= 1));
}

#[test]
fn area_police_cannot_print() {
    let (_dir, store) = demo();
    let s = login(&store, "cskv");
    let err = printable_permits(&store, &s, &PrintSelection::State(State::Stamped)).unwrap_err();
    assert_eq!(err.code(), "auth.forbidden");
}

#[test]
fn write_pdf_is_atomic_and_marks_nothing() {
    let (dir, store) = demo();
    let s = login(&store, "canbo");
    let out = dir.path().join("out/batch.pdf");
    let before = stamped_ids(&store);
    let sum = write_pdf(
        &store,
        &s,
        &PrintSelection::State(State::Stamped),
        Layout::A4x4,
        &out,
        &outfile::Options::new(),
    )
    .unwrap();
    assert_eq!(sum.permits, before.len());
    assert_eq!(sum.pages, before.len().div_ceil(4));
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
    assert_eq!(stamped_ids(&store), before, "still stamped");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name() != "batch.pdf")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A selection with nothing printable: an error and no file.
    let none = dir.path().join("out/none.pdf");
    let err = write_pdf(
        &store,
        &s,
        &PrintSelection::Request(999_999),
        Layout::A6,
        &none,
        &outfile::Options::new(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "pdf.empty_batch");
    assert!(!none.exists());
}

#[test]
fn a_pdf_never_replaces_the_database_or_the_key_and_another_file_only_when_forced() {
    let (dir, store) = demo();
    let s = login(&store, "canbo");
    let sel = PrintSelection::State(State::Stamped);
    let db = store.path().unwrap().to_path_buf();
    let db_before = std::fs::read(&db).unwrap();
    let key = store.workstation_key_path().unwrap().unwrap();
    let key_before = std::fs::read(&key).unwrap();
    let mut wal = db.as_os_str().to_os_string();
    wal.push("-wal");
    for target in [db.clone(), key.clone(), wal.into()] {
        let e = write_pdf(
            &store,
            &s,
            &sel,
            Layout::A6,
            &target,
            &outfile::Options::new().force(true),
        )
        .unwrap_err();
        assert_eq!(e.code(), "output.protected", "{}", target.display());
    }
    assert_eq!(std::fs::read(&db).unwrap(), db_before);
    assert_eq!(std::fs::read(&key).unwrap(), key_before);
    assert!(store.counts_by_state().is_ok(), "the store still opens");

    let existing = dir.path().join("giay.pdf");
    std::fs::write(&existing, b"an official's own file").unwrap();
    let e = write_pdf(
        &store,
        &s,
        &sel,
        Layout::A6,
        &existing,
        &outfile::Options::new(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "output.exists");
    assert_eq!(std::fs::read(&existing).unwrap(), b"an official's own file");
    write_pdf(
        &store,
        &s,
        &sel,
        Layout::A6,
        &existing,
        &outfile::Options::new().force(true),
    )
    .unwrap();
    assert!(std::fs::read(&existing).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn failed_job_marks_nothing_and_its_retry_prints_originals_once() {
    let (dir, store) = demo();
    let s = login(&store, "congan");
    let ids = stamped_ids(&store);
    let batch: Vec<i64> = ids.iter().copied().take(3).collect();
    let spool = Spool::new(dir.path().join("print"));
    let spec = JobSpec {
        printer: "FAKE".into(),
        layout: Layout::A5x2,
        copies: 1,
    };
    let stopped = FakePrinter::new(true);
    let err = send(
        &store,
        &s,
        &stopped,
        &PrintSelection::Permits(batch.clone()),
        &spec,
        &spool,
    )
    .unwrap_err();
    assert_eq!(err.code(), "print.job_stopped");
    let job_id = err.job_id().expect("the error names the job");
    assert!(err.to_string().contains(&format!("#{job_id}")), "{err}");
    let job = store.print_job(job_id).unwrap();
    assert_eq!(job.state, PrintJobState::Failed);
    assert_eq!(job.last_error_code.as_deref(), Some("print.job_stopped"));
    assert_eq!(stamped_ids(&store), ids, "nothing marked printed");
    assert!(spool.job_pdf(job_id).is_file());

    let ok = FakePrinter::new(false);
    let done = retry(&store, &s, &ok, job_id, &spool).unwrap();
    assert_eq!(done.job.state, PrintJobState::Done);
    assert_eq!(done.job.attempts, 2);
    assert_eq!(done.pdf.originals, 3);
    assert_eq!(done.pdf.pages, 2);
    let now = store.printable(&PrintSelection::Permits(batch)).unwrap();
    assert!(now
        .iter()
        .all(|p| p.state == State::Printed && p.reprint == 1));

    // Done is done.
    let again = retry(&store, &s, &ok, job_id, &spool).unwrap_err();
    assert_eq!(again.code(), "printjob.not_retryable");
}

#[test]
fn retry_is_refused_when_another_job_printed_its_permits_meanwhile() {
    let (dir, store) = demo();
    let s = login(&store, "canbo");
    let first: Vec<i64> = stamped_ids(&store).into_iter().take(2).collect();
    let spool = Spool::new(dir.path().join("print"));
    let spec = JobSpec {
        printer: "FAKE".into(),
        layout: Layout::A6,
        copies: 1,
    };
    let sel = PrintSelection::Permits(first);
    let failed = send(&store, &s, &FakePrinter::new(true), &sel, &spec, &spool).unwrap_err();
    let job_id = failed.job_id().unwrap();
    send(&store, &s, &FakePrinter::new(false), &sel, &spec, &spool).unwrap();
    let err = retry(&store, &s, &FakePrinter::new(false), job_id, &spool).unwrap_err();
    assert_eq!(err.code(), "printjob.stale", "{err}");
}

#[test]
fn a_job_left_sent_by_a_crash_is_resolved_by_asking_the_print_system() {
    let (dir, store) = demo();
    let s = login(&store, "congan");
    let spool = Spool::new(dir.path().join("print"));
    let printer = FakePrinter::new(false);

    // The app stopped while the printer worked: submitted (noted), never recorded.
    let batch: Vec<i64> = stamped_ids(&store).into_iter().take(2).collect();
    let rows = store
        .printable(&PrintSelection::Permits(batch.clone()))
        .unwrap();
    let job = store.queue_print_job(&s, "FAKE", "a6", 1, &rows).unwrap();
    let pdf = spool.job_pdf(job.id);
    write_pdf(
        &store,
        &s,
        &PrintSelection::Permits(batch.clone()),
        Layout::A6,
        &pdf,
        &outfile::Options::new(),
    )
    .unwrap();
    store
        .start_print_attempt(&s, job.id, &pdf.to_string_lossy())
        .unwrap();
    store.note_system_job(&s, job.id, "FAKE-7").unwrap();
    let done = retry(&store, &s, &printer, job.id, &spool).unwrap();
    assert_eq!(done.job.state, PrintJobState::Done);
    assert_eq!(done.job.attempts, 1);
    assert_eq!(done.pdf.pages, 2);
    assert!(
        printer.sent().is_empty(),
        "the completed job is recorded, not printed a second time"
    );
    let now = store.printable(&PrintSelection::Permits(batch)).unwrap();
    assert!(now.iter().all(|p| p.state == State::Printed));

    // Stopped before the print system had it: recorded failed for the official to check the
    // tray; the next retry prints it.
    let one: Vec<i64> = stamped_ids(&store).into_iter().take(1).collect();
    let rows = store.printable(&PrintSelection::Permits(one)).unwrap();
    let job = store.queue_print_job(&s, "FAKE", "a6", 1, &rows).unwrap();
    store
        .start_print_attempt(&s, job.id, &spool.job_pdf(job.id).to_string_lossy())
        .unwrap();
    let err = retry(&store, &s, &printer, job.id, &spool).unwrap_err();
    assert_eq!(err.code(), "printjob.interrupted", "{err}");
    assert_eq!(err.job_id(), Some(job.id));
    assert_eq!(
        store.print_job(job.id).unwrap().state,
        PrintJobState::Failed
    );
    let done = retry(&store, &s, &printer, job.id, &spool).unwrap();
    assert_eq!(done.job.state, PrintJobState::Done);
    assert_eq!(printer.sent().len(), 1);
}
