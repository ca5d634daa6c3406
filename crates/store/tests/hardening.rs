//! Issue 8: what a careful attacker and a clumsy official broke, each fixed in general.

mod common;

use std::time::{Duration, Instant};

use common::{demo_store, login, person};
use store::{NewResidentRequest, Passphrase, State, Store};

fn key(store: &Store) -> store::SigningKey {
    store
        .load_workstation_key(&Passphrase::new(store::demo::DEMO_KEY_PASSPHRASE))
        .unwrap()
}

/// A resident's request recorded and checked by the area police; its permit id.
fn checked_permit(store: &Store, name: &str, cccd: &str) -> i64 {
    let area = login(store, "cskv");
    let req = store
        .create_resident_request(
            &area,
            &NewResidentRequest {
                note: None,
                category: permit::category::URGENT_PERSONAL,
                persons: vec![person(name, cccd)],
            },
        )
        .unwrap();
    let id = store.request(&area, req).unwrap().persons[0].permit.id;
    store.check(&area, &[id]).unwrap();
    id
}

fn state_of(store: &Store, id: i64) -> String {
    store
        .raw_connection()
        .query_row("SELECT state FROM permits WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
}

fn approved_ids(store: &Store, n: usize) -> Vec<i64> {
    let c = store.raw_connection();
    let mut st = c
        .prepare("SELECT id FROM permits WHERE state = 'approved' ORDER BY id LIMIT ?1")
        .unwrap();
    st.query_map([n as i64], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn another_programs_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other-program.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    let e = Store::open(&other).err().expect("refused");
    assert_eq!(e.code(), "store.foreign_database");
    assert!(e.to_string().contains("other-program.db"), "{e}");
    assert_eq!(
        std::fs::read(&other).unwrap(),
        before,
        "not one byte written"
    );
    let c = rusqlite::Connection::open(&other).unwrap();
    let tables: i64 = c
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1);

    // A new file and one of ours are marked; ours from before the mark is adopted.
    let ours = dir.path().join("ward.db");
    drop(Store::open(&ours).unwrap());
    let id = |p: &std::path::Path| -> i32 {
        rusqlite::Connection::open(p)
            .unwrap()
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(id(&ours), store::APPLICATION_ID);
    rusqlite::Connection::open(&ours)
        .unwrap()
        .pragma_update(None, "application_id", 0)
        .unwrap();
    drop(Store::open(&ours).expect("ours, from before the mark"));
    assert_eq!(id(&ours), store::APPLICATION_ID);
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_the_database_files_are_the_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gdd").join("gdd.db");
    let store = Store::open(&db).unwrap();
    store::demo::fill(&store).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    for f in store::database_files(&db) {
        if f.exists() {
            assert_eq!(mode(&f), 0o600, "{}", f.display());
        }
    }
    assert!(dir.path().join("gdd").join("gdd.db-wal").exists());
    // A database created before this rule is tightened when opened.
    drop(store);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(Store::open(&db).unwrap());
    assert_eq!(mode(&db), 0o600);
}

#[test]
fn one_active_permit_per_person_at_approval_in_one_batch_and_in_the_schema() {
    let (_dir, store) = demo_store();
    let official = login(&store, "canbo");
    // The same person in two requests (the same list twice): both pass intake.
    let a = checked_permit(&store, "Lê Thị Hai Lần", "001190012345");
    let b = checked_permit(&store, "Lê Thị Hai Lần", "001190012345");

    // In one batch: refused whole, naming the other permit.
    let e = store.approve(&official, &[a, b]).unwrap_err();
    assert_eq!(e.code(), "permit.already_active");
    assert!(e.to_string().contains(&format!("#{a}")), "{e}");
    assert_eq!(state_of(&store, a), "checked");

    store.approve(&official, &[a]).unwrap();
    let e = store.approve(&official, &[b]).unwrap_err();
    assert_eq!(e.code(), "permit.already_active");
    assert!(e.to_string().contains("Lê Thị Hai Lần"), "{e}");
    let e = store.decide(&official, &[b], &[]).unwrap_err();
    assert_eq!(e.code(), "permit.already_active");
    assert_eq!(state_of(&store, b), "checked");

    // The schema itself refuses a second active permit, whatever the code path.
    let raw = store
        .raw_connection()
        .execute("UPDATE permits SET state = 'approved' WHERE id = ?1", [b]);
    assert!(raw.is_err(), "the unique index must refuse it");

    // A permit past its end date that nobody swept yet makes room: it expires (audited).
    store
        .raw_connection()
        .execute(
            "UPDATE permits SET valid_to = '2020-01-31' WHERE id = ?1",
            [a],
        )
        .unwrap();
    store.approve(&official, &[b]).unwrap();
    assert_eq!(state_of(&store, a), "expired");
    assert_eq!(state_of(&store, b), "approved");
    assert!(store.audit_verify().unwrap().ok);
}

#[test]
fn two_active_permits_from_before_the_rule_are_not_stamped() {
    let (_dir, store) = demo_store();
    let official = login(&store, "canbo");
    let police = login(&store, "congan");
    let a = checked_permit(&store, "Phạm Văn Cũ", "001089054321");
    let b = checked_permit(&store, "Phạm Văn Cũ", "001089054321");
    store.approve(&official, &[a]).unwrap();
    // As an older database may hold them (migration 0008 marks only the newest).
    let c = store.raw_connection();
    c.execute_batch("DROP INDEX permits_one_active").unwrap();
    c.execute("UPDATE permits SET state = 'approved' WHERE id = ?1", [b])
        .unwrap();
    let e = store.stamp_with(&police, &[b], &key(&store)).unwrap_err();
    assert_eq!(e.code(), "permit.already_active");
    assert_eq!(state_of(&store, b), "approved");
}

#[test]
fn a_selection_is_merged_and_a_rerun_stamps_what_is_left() {
    let (_dir, store) = demo_store();
    let police = login(&store, "congan");
    let k = key(&store);
    let ids = approved_ids(&store, 3);
    assert_eq!(ids.len(), 3);
    // `gdd stamp 21 21`: permit 21, once.
    let one = store.stamp_with(&police, &[ids[0], ids[0]], &k).unwrap();
    assert_eq!(one.len(), 1);
    assert!(!one[0].already_stamped);
    // A batch run again after a crash that committed part of it.
    let all = store.stamp_with(&police, &ids, &k).unwrap();
    assert_eq!(all.len(), 3);
    assert!(all[0].already_stamped);
    assert_eq!(all[0].serial, one[0].serial);
    assert!(!all[1].already_stamped && !all[2].already_stamped);
    let mut serials: Vec<&str> = all.iter().map(|s| s.serial.as_str()).collect();
    serials.sort();
    serials.dedup();
    assert_eq!(serials.len(), 3);
    // Approving twice in one selection is one approval too.
    let official = login(&store, "canbo");
    let x = checked_permit(&store, "Đỗ Văn Một", "001090011111");
    assert_eq!(store.approve(&official, &[x, x]).unwrap().len(), 1);
}

#[test]
fn a_second_writer_waits_its_turn_then_gets_store_busy() {
    let (dir, a) = demo_store();
    let path = a.path().unwrap().to_path_buf();
    let b = Store::open(&path).unwrap();
    let official = login(&b, "canbo");
    let x = checked_permit(&b, "Trần Văn Chờ", "001091022222");

    // A holds the write lock (a long batch elsewhere).
    a.raw_connection().execute_batch("BEGIN IMMEDIATE").unwrap();
    b.set_busy_timeout(Duration::from_millis(300)).unwrap();
    let t = Instant::now();
    let e = b.approve(&official, &[x]).unwrap_err();
    assert_eq!(e.code(), "store.busy");
    assert!(t.elapsed() >= Duration::from_millis(250), "waited its turn");
    assert!(e.to_string().contains("thử lại"), "{e}");
    assert_eq!(state_of(&b, x), "checked", "nothing changed");

    // Released within the bound: the second writer simply goes on.
    b.set_busy_timeout(Duration::from_secs(20)).unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(400));
        a.raw_connection().execute_batch("COMMIT").unwrap();
        a
    });
    b.approve(&official, &[x]).unwrap();
    assert_eq!(state_of(&b, x), "approved");
    drop(holder.join().unwrap());
    drop(dir);
}

#[test]
fn a_serial_mark_far_above_the_database_is_refused_until_the_administrator_accepts_it() {
    let (_dir, store) = demo_store();
    let police = login(&store, "congan");
    let k = key(&store);
    let ids = approved_ids(&store, 2);
    let last: u32 = store
        .raw_connection()
        .query_row("SELECT last FROM serial_counter", [], |r| r.get(0))
        .unwrap();
    let mark = store.serial_mark_path().unwrap().unwrap();
    std::fs::write(&mark, "4294967294\n").unwrap();
    let e = store.stamp_with(&police, &ids[..1], &k).unwrap_err();
    assert_eq!(e.code(), "stamp.serial_mark_ahead");
    assert!(e.to_string().contains("4294967294"), "{e}");
    assert_eq!(state_of(&store, ids[0]), "approved");

    // A restore a few thousand serials behind is still taken as one.
    let near = last + 5_000;
    std::fs::write(&mark, format!("{near}\n")).unwrap();
    let s = store.stamp_with(&police, &ids[..1], &k).unwrap();
    assert!(
        s[0].serial.ends_with(&format!("{:06}", near + 1)),
        "{}",
        s[0].serial
    );

    let far = near + 1 + 200_000;
    std::fs::write(&mark, format!("{far}\n")).unwrap();
    assert_eq!(
        store.stamp_with(&police, &ids[1..], &k).unwrap_err().code(),
        "stamp.serial_mark_ahead"
    );
    assert_eq!(
        store
            .accept_serial_mark(&login(&store, "canbo"))
            .unwrap_err()
            .code(),
        "auth.forbidden"
    );
    assert_eq!(
        store.accept_serial_mark(&login(&store, "quantri")).unwrap(),
        far
    );
    let s = store.stamp_with(&police, &ids[1..], &k).unwrap();
    assert!(
        s[0].serial.ends_with(&format!("{:06}", far + 1)),
        "{}",
        s[0].serial
    );
}

#[test]
fn password_guessing_is_slowed_down_across_processes_and_the_right_password_works_after() {
    let (_dir, store) = demo_store();
    for _ in 0..5 {
        assert_eq!(
            store.login("canbo", "doan-mat-khau").unwrap_err().code(),
            "auth.bad_credentials"
        );
    }
    // The sixth try, even with the right password, must wait; the password is not checked.
    let e = store
        .login("canbo", store::demo::DEMO_PASSWORD)
        .unwrap_err();
    assert_eq!(e.code(), "auth.throttled");
    assert!(e.to_string().contains("1 giây"), "{e}");
    // Another process (a new connection) sees the same count.
    let other = Store::open(store.path().unwrap()).unwrap();
    assert_eq!(
        other
            .login("canbo", store::demo::DEMO_PASSWORD)
            .unwrap_err()
            .code(),
        "auth.throttled"
    );
    // Other accounts are not affected.
    other.login("cskv", store::demo::DEMO_PASSWORD).unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    // After the wait a wrong try doubles it …
    assert_eq!(
        store.login("canbo", "doan-lan-6").unwrap_err().code(),
        "auth.bad_credentials"
    );
    match store.login("canbo", store::demo::DEMO_PASSWORD) {
        Err(store::StoreError::Throttled { wait_secs }) => assert_eq!(wait_secs, 2),
        other => panic!("{other:?}"),
    }
    std::thread::sleep(Duration::from_millis(2100));
    // … and the right password works and clears the count.
    store.login("canbo", store::demo::DEMO_PASSWORD).unwrap();
    assert_eq!(
        store.login("canbo", "sai").unwrap_err().code(),
        "auth.bad_credentials"
    );
    store.login("canbo", store::demo::DEMO_PASSWORD).unwrap();
    // Every failure is audited, with the count.
    let entries = store.audit_entries(None, 200).unwrap();
    let failed: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "auth.login_failed" && e.username == "canbo")
        .collect();
    assert_eq!(failed.len(), 7, "{failed:?}");
    assert!(failed.iter().any(|e| e.details["failures"] == 6));
}

fn median_login(store: &Store, name: &str, password: &str) -> Duration {
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            store
                .raw_connection()
                .execute("DELETE FROM login_failures", [])
                .unwrap();
            let t = Instant::now();
            let _ = store.login(name, password);
            t.elapsed()
        })
        .collect();
    times.sort();
    times[2]
}

#[test]
fn a_name_that_is_not_a_users_is_not_stored_and_answers_in_the_same_time() {
    let (_dir, store) = demo_store();
    // A password typed into the user-name field.
    let typed = "matkhau.bimat-2026";
    let e = store.login(typed, "x").unwrap_err();
    assert_eq!(e.code(), "auth.bad_credentials");
    let last = &store.audit_entries(None, 1).unwrap()[0];
    assert_eq!(last.action, "auth.login_failed");
    assert!(!last.username.contains("matkhau"), "{last:?}");
    assert!(!last.details.to_string().contains("matkhau"), "{last:?}");
    // 100 KB names: refused before anything is stored.
    let size = |s: &Store| -> i64 {
        s.raw_connection()
            .query_row(
                "SELECT sum(length(username) + length(details)) FROM audit_log",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let before = size(&store);
    let huge = "a".repeat(100_000);
    store
        .raw_connection()
        .execute("DELETE FROM login_failures", [])
        .unwrap();
    for i in 0..20 {
        // Unknown names share one count: after five, the next tries wait too.
        let want = if i < 5 {
            "auth.bad_credentials"
        } else {
            "auth.throttled"
        };
        assert_eq!(store.login(&huge, "x").unwrap_err().code(), want, "try {i}");
    }
    assert!(
        size(&store) - before < 20 * 200,
        "{}",
        size(&store) - before
    );

    // Timing: an unknown or malformed name costs what a known one does (medians, one run).
    let known = median_login(&store, "canbo", "sai-mat-khau");
    let unknown = median_login(&store, "khongco", "sai-mat-khau");
    let malformed = median_login(&store, &huge, "sai-mat-khau");
    for (what, t) in [("unknown", unknown), ("malformed", malformed)] {
        assert!(
            t * 2 >= known,
            "{what} name answered in {t:?}, a known one in {known:?}"
        );
    }
}

#[test]
fn the_xlsx_export_holds_text_cells_that_nothing_evaluates() {
    use calamine::{Data, Reader};
    let (dir, store) = demo_store();
    let area = login(&store, "cskv");
    let mut p = person("Ngô Văn Xuất", "001092033333");
    p.purpose = Some("=HYPERLINK(\"http://x\")".into());
    p.area = Some("Đi làm;=cmd|' /C calc'!A0;".into());
    store
        .create_resident_request(
            &area,
            &NewResidentRequest {
                note: None,
                category: permit::category::URGENT_PERSONAL,
                persons: vec![p],
            },
        )
        .unwrap();
    let official = login(&store, "canbo");
    let path = dir.path().join("xuat.xlsx");
    let n = store
        .export_xlsx(
            &official,
            std::fs::File::create(&path).unwrap(),
            &store::ExportFilter::default(),
        )
        .unwrap();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.height() as u64, n + 1);
    let mut found = false;
    for row in sheet.rows().skip(1) {
        for cell in row {
            assert!(
                matches!(cell, Data::String(_) | Data::Empty),
                "typed string cells only: {cell:?}"
            );
        }
        if row
            .iter()
            .any(|c| c == &Data::String("=HYPERLINK(\"http://x\")".into()))
        {
            found = true;
        }
    }
    assert!(found, "the text is kept as it was typed");
    // ID numbers keep their leading zeros.
    assert!(sheet
        .rows()
        .any(|r| r.iter().any(|c| c == &Data::String("001092033333".into()))));
    let _ = State::Approved;
}

#[test]
fn every_sheet_of_people_is_imported_or_rejected_with_its_sheet() {
    let (dir, store) = demo_store();
    let official = login(&store, "canbo");
    let org = store.list_organizations(&official).unwrap()[0]
        .ref_code
        .clone();
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (sheet, rows) in [
        (
            "Tổ 1",
            vec![
                ("Hoàng Văn Một", "001093044441"),
                ("Hoàng Thị Hai", "001193044442"),
            ],
        ),
        (
            "Tổ 2",
            vec![("Hoàng Văn Ba", "001093044443"), ("Thiếu Số", "12")],
        ),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        ws.write_string(0, 0, "Họ và tên").unwrap();
        ws.write_string(0, 1, "Số CCCD").unwrap();
        ws.write_string(0, 2, "Ngày sinh").unwrap();
        for (i, (name, id)) in rows.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, *name).unwrap();
            ws.write_string(i as u32 + 1, 1, *id).unwrap();
            ws.write_string(i as u32 + 1, 2, "01/02/1993").unwrap();
        }
    }
    let path = dir.path().join("hai-to.xlsx");
    wb.save(&path).unwrap();
    let sum = store.import_list_file(&official, &org, &path).unwrap();
    let d = store.request(&official, sum.request_id).unwrap();
    assert_eq!((sum.persons, sum.rejected), (3, 1), "{:?}", d.rejected_rows);
    let at: Vec<(Option<&str>, Option<u32>)> = d
        .persons
        .iter()
        .map(|p| (p.sheet.as_deref(), p.row))
        .collect();
    assert_eq!(
        at,
        vec![
            (Some("Tổ 1"), Some(2)),
            (Some("Tổ 1"), Some(3)),
            (Some("Tổ 2"), Some(2))
        ]
    );
    let r = &d.rejected_rows[0];
    assert_eq!((r.sheet.as_deref(), r.row), (Some("Tổ 2"), 3));
    assert!(r.reason.contains("Tổ 2"), "{}", r.reason);
}
