//! The audit trail detects edits, deletions (middle and last) and reordering
//! made with raw SQL behind the application's back.

mod common;

use common::*;
use rusqlite::Connection;

fn tampered(f: impl FnOnce(&Connection)) -> store::AuditReport {
    let (_dir, store) = demo_store();
    assert!(store.audit_verify().unwrap().ok);
    let conn = store.raw_connection();
    // an attacker with the file can drop the guard triggers first
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    f(conn);
    store.audit_verify().unwrap()
}

#[test]
fn triggers_refuse_update_and_delete() {
    let (_dir, store) = demo_store();
    let conn = store.raw_connection();
    let err = conn
        .execute("UPDATE audit_log SET username = 'x' WHERE seq = 3", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    assert!(conn
        .execute("DELETE FROM audit_log WHERE seq = 3", [])
        .is_err());
}

#[test]
fn edited_entry_is_detected() {
    let mut target = 0;
    let r = tampered(|c| {
        target = c
            .query_row(
                "SELECT min(seq) FROM audit_log WHERE action = 'permit.approve'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let n = c
            .execute(
                "UPDATE audit_log SET details = replace(details, 'received', 'checked') WHERE seq = ?1",
                [target],
            )
            .unwrap();
        assert_eq!(n, 1);
    });
    assert!(!r.ok);
    let bad = r.first_bad.unwrap();
    assert_eq!((bad.seq, bad.code), (target, "audit.edited"));

    let r = tampered(|c| {
        c.execute("UPDATE audit_log SET username = 'cskv' WHERE seq = 5", [])
            .unwrap();
    });
    assert_eq!(r.first_bad.unwrap().seq, 5);
}

#[test]
fn deleted_middle_entry_is_detected() {
    let r = tampered(|c| {
        c.execute("DELETE FROM audit_log WHERE seq = 7", [])
            .unwrap();
    });
    assert!(!r.ok);
    let bad = r.first_bad.unwrap();
    assert_eq!((bad.seq, bad.code), (8, "audit.gap"));
}

#[test]
fn deleted_middle_entry_with_renumbering_is_detected() {
    let r = tampered(|c| {
        c.execute_batch(
            "DELETE FROM audit_log WHERE seq = 7;
             UPDATE audit_log SET seq = seq - 1 WHERE seq > 7;",
        )
        .unwrap();
    });
    let bad = r.first_bad.unwrap();
    assert_eq!(bad.seq, 7);
    assert_eq!(bad.code, "audit.chain");
}

#[test]
fn deleted_last_entry_is_detected_by_the_head() {
    let r = tampered(|c| {
        c.execute(
            "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",
            [],
        )
        .unwrap();
    });
    assert!(!r.ok);
    assert_eq!(r.first_bad.unwrap().code, "audit.head");
}

#[test]
fn reordered_entries_are_detected() {
    let r = tampered(|c| {
        // swap the contents of entries 4 and 5, keeping their places
        c.execute_batch(
            "UPDATE audit_log SET seq = -4 WHERE seq = 4;
             UPDATE audit_log SET seq = 4 WHERE seq = 5;
             UPDATE audit_log SET seq = 5 WHERE seq = -4;",
        )
        .unwrap();
    });
    assert!(!r.ok);
    assert_eq!(r.first_bad.unwrap().seq, 4);
}

#[test]
fn every_state_change_is_audited() {
    let (_dir, store) = demo_store();
    let conn = store.raw_connection();
    let changes: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'permit' AND action LIKE 'permit.%' AND action != 'permit.export'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // every permit not in 'received' got there through at least one audited transition
    let moved: i64 = conn
        .query_row(
            "SELECT count(*) FROM permits WHERE state != 'received'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        changes >= moved,
        "{changes} audited changes for {moved} moved permits"
    );
    // permit 1 of the demo: approved, stamped, printed, delivered (newest first)
    let entries = store.audit_entries(Some(("permit", 1)), 10).unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "permit.mark_delivered",
            "permit.mark_printed",
            "permit.stamp",
            "permit.approve"
        ]
    );
    assert_eq!(entries[3].username, "canbo");
    assert_eq!(entries[3].details["from"], "received");
    assert_eq!(entries[2].username, "congan");
    assert_eq!(entries[2].details["serial"], "00004-01-000001");
}
