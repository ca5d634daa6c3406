//! The print queue: a failed job never marks permits printed; a retried job that completes
//! does, once, with stamped → printed for originals; printing again is a numbered reprint.

mod common;

use common::*;
use store::{PrintJobState, PrintOutcome, PrintSelection, State};

#[test]
fn failed_then_retried_job_marks_printed_once_and_reprints_are_numbered() {
    let (_dir, store) = demo_store();
    let official = login(&store, "canbo");

    let stamped = store
        .printable(&PrintSelection::State(State::Stamped))
        .unwrap();
    assert!(stamped.len() >= 2, "the demo ward has stamped permits");
    let batch: Vec<_> = stamped.into_iter().take(2).collect();
    assert!(batch
        .iter()
        .all(|p| p.reprint == 0 && p.token.starts_with("GD1:")));
    let ids: Vec<i64> = batch.iter().map(|p| p.permit_id).collect();

    let job = store
        .queue_print_job(&official, "GDD-PDF", "a4-4", 1, &batch)
        .unwrap();
    assert_eq!(job.state, PrintJobState::Queued);
    assert_eq!(job.items.len(), 2);

    // Attempt 1 fails: the job says why, the permits are untouched.
    store
        .start_print_attempt(&official, job.id, "/tmp/job-1.pdf")
        .unwrap();
    let failed = store
        .finish_print_job(
            &official,
            job.id,
            &PrintOutcome::Failed {
                code: "print.job_stopped".into(),
                message: "Lệnh in GDD-PDF-9 bị dừng trên máy in".into(),
            },
        )
        .unwrap();
    assert_eq!(failed.state, PrintJobState::Failed);
    assert_eq!(failed.attempts, 1);
    assert_eq!(failed.last_error_code.as_deref(), Some("print.job_stopped"));
    let again = store
        .printable(&PrintSelection::Permits(ids.clone()))
        .unwrap();
    assert!(again
        .iter()
        .all(|p| p.state == State::Stamped && p.reprint == 0));

    // A job that was not sent cannot be finished.
    let err = store
        .finish_print_job(
            &official,
            job.id,
            &PrintOutcome::Printed {
                system_job: "X-1".into(),
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "print.job_state");

    // Retry succeeds: printed, count 1, audit chain intact.
    store
        .start_print_attempt(&official, job.id, "/tmp/job-1.pdf")
        .unwrap();
    let done = store
        .finish_print_job(
            &official,
            job.id,
            &PrintOutcome::Printed {
                system_job: "GDD-PDF-10".into(),
            },
        )
        .unwrap();
    assert_eq!(done.state, PrintJobState::Done);
    assert_eq!(done.attempts, 2);
    assert_eq!(done.last_error, None);
    let printed = store
        .printable(&PrintSelection::Permits(ids.clone()))
        .unwrap();
    assert!(
        printed
            .iter()
            .all(|p| p.state == State::Printed && p.reprint == 1),
        "{printed:?}"
    );
    let counts: Vec<(i64, Option<i64>)> = ids
        .iter()
        .map(|id| {
            store
                .raw_connection()
                .query_row(
                    "SELECT print_count, last_printed_by FROM permits WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap()
        })
        .collect();
    assert!(
        counts.iter().all(|c| *c == (1, Some(official.user_id))),
        "{counts:?}"
    );

    // A done job cannot be sent again; a new job prints reprint 1.
    assert_eq!(
        store
            .start_print_attempt(&official, job.id, "/tmp/x.pdf")
            .unwrap_err()
            .code(),
        "print.job_state"
    );
    let reprint = store
        .queue_print_job(&official, "GDD-PDF", "a6", 2, &printed)
        .unwrap();
    assert!(reprint.items.iter().all(|i| i.reprint == 1));
    assert_eq!(store.print_jobs().unwrap().len(), 2);
    assert!(store.audit_verify().unwrap().ok);
}

#[test]
fn only_printing_roles_and_printable_states() {
    let (_dir, store) = demo_store();
    let area = login(&store, "cskv");
    let batch = store
        .printable(&PrintSelection::State(State::Stamped))
        .unwrap();
    let err = store
        .queue_print_job(&area, "P", "a4-4", 1, &batch)
        .unwrap_err();
    assert_eq!(err.code(), "auth.forbidden");
    let err = store
        .printable(&PrintSelection::State(State::Approved))
        .unwrap_err();
    assert_eq!(err.code(), "print.state_not_printable");
    let official = login(&store, "canbo");
    let err = store
        .queue_print_job(&official, "P", "a3", 1, &batch)
        .unwrap_err();
    assert_eq!(err.code(), "print.layout");
    let err = store
        .queue_print_job(&official, "P", "a4-4", 1, &[])
        .unwrap_err();
    assert_eq!(err.code(), "print.empty");
}

#[test]
fn an_original_printed_meanwhile_by_another_job_is_counted_not_refused() {
    let (_dir, store) = demo_store();
    let official = login(&store, "canbo");
    let batch: Vec<_> = store
        .printable(&PrintSelection::State(State::Stamped))
        .unwrap()
        .into_iter()
        .take(1)
        .collect();
    let id = batch[0].permit_id;
    // Two jobs queued for the same original (two officials, two printers).
    let first = store
        .queue_print_job(&official, "GDD-PDF", "a4-4", 1, &batch)
        .unwrap();
    let second = store
        .queue_print_job(&official, "GDD-PDF", "a6", 1, &batch)
        .unwrap();
    for job in [first.id, second.id] {
        store
            .start_print_attempt(&official, job, "/tmp/job.pdf")
            .unwrap();
        let done = store
            .finish_print_job(
                &official,
                job,
                &PrintOutcome::Printed {
                    system_job: format!("GDD-PDF-{job}"),
                },
            )
            .unwrap();
        assert_eq!(done.state, PrintJobState::Done);
    }
    let p = &store.printable(&PrintSelection::Permits(vec![id])).unwrap()[0];
    assert_eq!(p.state, State::Printed);
    // Both sheets came out: the next print is the second reprint.
    assert_eq!(p.reprint, 2);
    assert!(store.audit_verify().unwrap().ok);
}

#[test]
fn marked_printed_by_hand_counts_as_a_print_and_rows_carry_stamp_time_and_address() {
    let (_dir, store) = demo_store();
    let police = login(&store, "congan");
    let stamped = store
        .printable(&PrintSelection::State(State::Stamped))
        .unwrap();
    let first = &stamped[0];
    assert_eq!(first.reprint, 0);
    assert!(first.stamped_at.as_deref().is_some_and(|t| t.contains('T')));
    assert!(first.address.is_some());
    store.mark_printed(&police, &[first.permit_id]).unwrap();
    let again = &store
        .printable(&PrintSelection::Permits(vec![first.permit_id]))
        .unwrap()[0];
    assert_eq!((again.state, again.reprint), (State::Printed, 1));
    assert_eq!(again.stamped_at, first.stamped_at);
}
