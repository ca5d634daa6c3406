//! Decisions through the store: roles, states, reasons, bulk atomicity.

mod common;

use common::*;
use store::{ExportFilter, ImportRow, NewResidentRequest, RejectedRow, State, Store};

fn states(store: &Store, s: &store::Session, request_id: i64) -> Vec<State> {
    store
        .request(s, request_id)
        .unwrap()
        .persons
        .iter()
        .map(|p| p.permit.state)
        .collect()
}

fn resident_request(store: &Store, n: usize) -> (i64, Vec<i64>) {
    let area = login(store, "cskv");
    let persons = (0..n)
        .map(|i| person(&format!("Ngô Thị Test {i}"), &format!("0011900{i:05}")))
        .collect();
    let id = store
        .create_resident_request(
            &area,
            &NewResidentRequest {
                category: permit::category::URGENT_PERSONAL,
                note: None,
                persons,
            },
        )
        .unwrap();
    let ids = store
        .request(&area, id)
        .unwrap()
        .persons
        .iter()
        .map(|p| p.permit.id)
        .collect();
    (id, ids)
}

#[test]
fn resident_path_needs_checking_first() {
    let (_dir, store) = demo_store();
    let (req, ids) = resident_request(&store, 3);
    let official = login(&store, "canbo");
    let area = login(&store, "cskv");

    let err = store.approve(&official, &ids).unwrap_err();
    assert_eq!(err.code(), "workflow.illegal_transition");
    assert!(err.to_string().contains("Đã tiếp nhận"), "{err}");

    let err = store.check(&official, &ids).unwrap_err();
    assert_eq!(err.code(), "workflow.forbidden");
    assert!(err.to_string().contains("cảnh sát khu vực"), "{err}");

    store.check(&area, &ids).unwrap();
    assert_eq!(states(&store, &area, req), vec![State::Checked; 3]);

    // approve 2, reject 1 with its reason
    store.approve(&official, &ids[..2]).unwrap();
    let err = store.reject(&official, &[(ids[2], "  ")]).unwrap_err();
    assert_eq!(err.code(), "workflow.reason_required");
    store
        .reject(&official, &[(ids[2], "Không cư trú tại phường.")])
        .unwrap();
    let d = store.request(&official, req).unwrap();
    assert_eq!(d.persons[2].permit.state, State::Rejected);
    assert_eq!(
        d.persons[2].permit.decision_reason.as_deref(),
        Some("Không cư trú tại phường.")
    );
    assert_eq!(d.persons[2].permit.decided_by.as_deref(), Some("canbo"));
}

#[test]
fn bulk_operation_is_all_or_nothing() {
    let (_dir, store) = demo_store();
    let (req, ids) = resident_request(&store, 4);
    let area = login(&store, "cskv");
    let official = login(&store, "canbo");
    store.check(&area, &ids[..3]).unwrap(); // the 4th stays received
    let before = store.audit_verify().unwrap().entries;
    let err = store.approve(&official, &ids).unwrap_err();
    assert_eq!(err.code(), "workflow.illegal_transition");
    assert!(
        err.to_string().contains(&format!("#{}", ids[3])),
        "names the permit: {err}"
    );
    assert_eq!(
        states(&store, &area, req),
        vec![
            State::Checked,
            State::Checked,
            State::Checked,
            State::Received
        ],
        "nothing moved"
    );
    assert_eq!(
        store.audit_verify().unwrap().entries,
        before,
        "no audit entry for a rolled-back change"
    );
    // unknown permit id: also refused as a whole
    assert_eq!(
        store
            .approve(&official, &[ids[0], 999_999])
            .unwrap_err()
            .code(),
        "store.not_found"
    );
    assert_eq!(states(&store, &area, req)[0], State::Checked);
}

#[test]
fn organization_list_decided_directly_per_person_and_whole() {
    let (_dir, store) = demo_store();
    let official = login(&store, "canbo");
    let org = store
        .list_organizations(&official)
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let rows: Vec<ImportRow> = (0..50)
        .map(|i| ImportRow {
            row: i + 3,
            person: person(&format!("Vũ Văn Nhân {i}"), &format!("0010800{i:05}")),
            sheet: None,
            warnings: if i == 0 {
                vec!["CCCD mất số 0 đầu, đã khôi phục".into()]
            } else {
                vec![]
            },
        })
        .collect();
    let rejected = vec![RejectedRow {
        row: 60,
        reason: "Thiếu họ tên.".into(),
        sheet: None,
        code: "row.name_missing".into(),
    }];
    let imp = store
        .import_list(&official, &org.ref_code, "ds.xlsx", &rows, &rejected)
        .unwrap();
    assert_eq!((imp.persons, imp.rejected), (50, 1));
    let d = store.request(&official, imp.request_id).unwrap();
    assert_eq!(d.rejected_rows, rejected);
    assert_eq!(
        d.persons[0].warnings,
        vec!["CCCD mất số 0 đầu, đã khôi phục".to_string()]
    );
    assert_eq!(
        d.persons[0].notes,
        vec![("Ghi chú".to_string(), "ca đêm".to_string())]
    );
    assert_eq!(d.persons[0].row, Some(3));
    let ids: Vec<i64> = d.persons.iter().map(|p| p.permit.id).collect();

    // approve 48, reject 2 with reasons — straight from received
    store.approve(&official, &ids[..48]).unwrap();
    store
        .reject(
            &official,
            &[
                (ids[48], "Không thuộc đối tượng."),
                (ids[49], "Trùng người."),
            ],
        )
        .unwrap();
    let s = store.request(&official, imp.request_id).unwrap().summary;
    assert_eq!(s.states, vec![(State::Approved, 48), (State::Rejected, 2)]);
    assert_eq!(s.rejected_rows, 1);

    // already decided: the whole-request decision has nothing left to do
    assert_eq!(
        store
            .approve_request(&official, imp.request_id)
            .unwrap_err()
            .code(),
        "request.nothing_to_decide"
    );

    // active permits are found for duplicate detection
    let holder = store
        .active_permit_holder(&rows[0].person.id_doc)
        .unwrap()
        .unwrap();
    assert_eq!(holder.full_name, "Vũ Văn Nhân 0");
    assert_eq!(holder.org_name.as_deref(), Some(org.name.as_str()));
    assert!(
        store
            .active_permit_holder(&rows[49].person.id_doc)
            .unwrap()
            .is_none(),
        "rejected is not active"
    );
    // …and a resident request for someone already holding one is refused
    let area = login(&store, "cskv");
    let err = store
        .create_resident_request(
            &area,
            &NewResidentRequest {
                category: permit::category::URGENT_PERSONAL,
                note: None,
                persons: vec![rows[1].person.clone()],
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "request.already_holds_permit");

    // a duplicate inside one list is refused before anything is stored
    let dup = vec![rows[0].clone(), rows[0].clone()];
    assert_eq!(
        store
            .import_list(&official, &org.ref_code, "dup.csv", &dup, &[])
            .unwrap_err()
            .code(),
        "request.duplicate_person"
    );
    assert_eq!(
        store
            .import_list(&official, "DN-ZZZZZ", "x.csv", &rows, &[])
            .unwrap_err()
            .code(),
        "store.not_found"
    );
    assert_eq!(
        store
            .import_list(&area, &org.ref_code, "x.csv", &rows[..1], &[])
            .unwrap_err()
            .code(),
        "auth.forbidden"
    );
}

#[test]
fn stamping_needs_the_key_and_revoke_expire_work() {
    let (_dir, store) = demo_store();
    let official = login(&store, "canbo");
    let police = login(&store, "congan");
    let ids: Vec<i64> = {
        let c = store.raw_connection();
        let mut st = c
            .prepare("SELECT id FROM permits WHERE state = 'approved' ORDER BY id LIMIT 3")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(ids.len(), 3);
    // the demo workstation is activated: stamping needs the opened key
    let err = store.stamp(&police, &ids).unwrap_err();
    assert_eq!(err.code(), "stamp.key_required");
    let key = store
        .load_workstation_key(&store::Passphrase::new(store::demo::DEMO_KEY_PASSPHRASE))
        .unwrap();
    // the role check comes first
    assert_eq!(
        store.stamp_with(&official, &ids, &key).unwrap_err().code(),
        "workflow.forbidden"
    );

    let t = store.revoke(&official, ids[0], "Mất giấy.").unwrap();
    assert_eq!((t.from, t.to), (State::Approved, State::Revoked));
    assert_eq!(
        store.revoke(&police, ids[0], "lại").unwrap_err().code(),
        "workflow.illegal_transition"
    );
    assert_eq!(
        store.revoke(&police, ids[1], "").unwrap_err().code(),
        "workflow.reason_required"
    );

    // expiry sweep: nothing due today (demo permits run 30 days), all due far in the future
    assert_eq!(store.expire_due(&official, store::today_vn()).unwrap(), 0);
    let far = time::macros::date!(2200 - 01 - 01);
    let n = store.expire_due(&official, far).unwrap();
    assert!(n > 50, "{n}");
    let counts = store.counts_by_state().unwrap();
    for c in counts {
        if !matches!(c.state, State::Rejected | State::Revoked | State::Expired) {
            assert_eq!(c.count, 0, "{:?} left after the sweep", c.state);
        }
    }
    assert!(store.audit_verify().unwrap().ok);
}

#[test]
fn serial_counter_only_goes_forward() {
    let (_dir, store) = demo_store();
    let a = store.allocate_serial_for_test().unwrap();
    let b = store.allocate_serial_for_test().unwrap();
    // the demo stamped 20 permits
    assert_eq!(a, "00004-01-000021");
    assert_eq!(b, "00004-01-000022");
    let err = store
        .raw_connection()
        .execute("UPDATE serial_counter SET last = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("only go forward"), "{err}");
    let page = store.search(&b, 1, 5).unwrap();
    assert_eq!(page.kind, store::SearchKind::Serial);
}

#[test]
fn csv_export() {
    let (_dir, store) = demo_store();
    let official = login(&store, "canbo");
    let mut buf = Vec::new();
    let n = store
        .export_csv(
            &official,
            &mut buf,
            &ExportFilter {
                state: Some(State::Rejected),
                ..Default::default()
            },
        )
        .unwrap();
    let text = String::from_utf8(buf).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len() as u64, n + 1);
    assert!(lines[0].contains("ho_ten"));
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains(",rejected,Bị từ chối,")),
        "{text}"
    );
    let rejected = store
        .counts_by_state()
        .unwrap()
        .into_iter()
        .find(|c| c.state == State::Rejected)
        .unwrap();
    assert_eq!(n, rejected.count);
    // the export is itself recorded
    let last = &store.audit_entries(None, 1).unwrap()[0];
    assert_eq!(last.action, "permit.export");
    assert!(store.audit_verify().unwrap().ok);
}

#[test]
fn attachments_are_kept_with_their_hash() {
    let (_dir, store) = demo_store();
    let official = login(&store, "canbo");
    let req = store.list_requests(&official, 50).unwrap();
    let list = req.iter().find(|r| r.org_id.is_some()).unwrap();
    let bytes = b"%PDF-1.4 giay phep kinh doanh".to_vec();
    let a = store
        .add_attachment(
            &official,
            list.id,
            "Giấy phép kinh doanh.pdf",
            "application/pdf",
            &bytes,
        )
        .unwrap();
    assert_eq!(a.size, bytes.len() as u64);
    assert_eq!(a.sha256.len(), 64);
    assert_eq!(store.attachments(&official, list.id).unwrap().len(), 1);
    assert_eq!(store.attachment_bytes(&official, a.id).unwrap(), bytes);
    assert_eq!(
        store
            .add_attachment(&official, 999_999, "x.pdf", "application/pdf", b"x")
            .unwrap_err()
            .code(),
        "store.not_found"
    );
    let police = login(&store, "congan");
    assert_eq!(
        store
            .add_attachment(&police, list.id, "x.pdf", "application/pdf", b"x")
            .unwrap_err()
            .code(),
        "auth.forbidden"
    );
}

#[test]
fn mixed_decisions_are_one_transaction() {
    let (_dir, store) = demo_store();
    let official = login(&store, "canbo");
    let hospital = store
        .list_requests(&official, 50)
        .unwrap()
        .into_iter()
        .find(|r| r.source_name.as_deref() == Some("DS_nhan_vien_BV_Phuc_Lam.csv"))
        .unwrap();
    let ids: Vec<i64> = store
        .request(&official, hospital.id)
        .unwrap()
        .persons
        .iter()
        .map(|p| p.permit.id)
        .collect();
    assert_eq!(ids.len(), 25);
    // a missing reason on the last rejection rolls back the 23 approvals too
    let err = store
        .decide(
            &official,
            &ids[..23],
            &[(ids[23], "Trùng tên."), (ids[24], "")],
        )
        .unwrap_err();
    assert_eq!(err.code(), "workflow.reason_required");
    assert_eq!(
        store
            .request(&official, hospital.id)
            .unwrap()
            .summary
            .states,
        vec![(State::Received, 25)]
    );
    assert_eq!(
        store
            .decide(&official, &ids[..2], &[(ids[1], "x")])
            .unwrap_err()
            .code(),
        "decision.conflict"
    );
    let done = store
        .decide(
            &official,
            &ids[..23],
            &[(ids[23], "Trùng tên."), (ids[24], "Nghỉ việc.")],
        )
        .unwrap();
    assert_eq!(done.len(), 25);
    assert_eq!(
        store
            .request(&official, hospital.id)
            .unwrap()
            .summary
            .states,
        vec![(State::Approved, 23), (State::Rejected, 2)]
    );
}

#[test]
fn maintained_counts_match_the_table() {
    let (_dir, store) = demo_store();
    let official = login(&store, "canbo");
    let truth = |store: &Store| -> Vec<(String, u64)> {
        let c = store.raw_connection();
        let mut st = c
            .prepare("SELECT state, count(*) FROM permits GROUP BY state ORDER BY state")
            .unwrap();
        st.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
    };
    let counted = |store: &Store| -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = store
            .counts_by_state()
            .unwrap()
            .into_iter()
            .filter(|c| c.count > 0)
            .map(|c| (c.state.as_str().to_string(), c.count))
            .collect();
        v.sort();
        v
    };
    assert_eq!(counted(&store), truth(&store));
    store
        .expire_due(&official, time::macros::date!(2200 - 01 - 01))
        .unwrap();
    assert_eq!(counted(&store), truth(&store));
    assert_eq!(counted(&store).iter().map(|c| c.1).sum::<u64>(), 128);
}
