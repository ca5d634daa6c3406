//! A database from a newer version is refused; a changed migration is detected.

use store::Store;

#[test]
fn open_creates_folders_and_uses_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/gdd.db");
    let store = Store::open(&path).unwrap();
    assert!(path.exists());
    let c = store.raw_connection();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    let applied: i64 = c
        .query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(applied as usize, store::MIGRATIONS.len());
    drop(store);
    // reopening applies nothing new and keeps working
    Store::open(&path).unwrap();
}

#[test]
fn newer_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gdd.db");
    let store = Store::open(&path).unwrap();
    store
        .raw_connection()
        .execute(
            "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (999, '0999_future', 'x', 'now')",
            [],
        )
        .unwrap();
    drop(store);
    let err = Store::open(&path).err().expect("refused");
    assert_eq!(err.code(), "store.newer_schema");
    assert!(
        err.to_string().contains("phiên bản phần mềm mới hơn"),
        "{err}"
    );
}

#[test]
fn changed_migration_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gdd.db");
    let store = Store::open(&path).unwrap();
    store
        .raw_connection()
        .execute(
            "UPDATE schema_migrations SET sha256 = 'deadbeef' WHERE version = 1",
            [],
        )
        .unwrap();
    drop(store);
    let err = Store::open(&path).err().expect("refused");
    assert_eq!(err.code(), "store.migration_changed");
}

#[test]
fn foreign_keys_are_enforced() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .raw_connection()
        .execute(
            "INSERT INTO permits (person_id, request_id, state, updated_at) VALUES (12345, 6789, 'received', 'now')",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("danh_sach.xlsx");
    std::fs::write(
        &path,
        b"PK\x03\x04 this is a spreadsheet, not a database at all ........",
    )
    .unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert_eq!(err.code(), "store.not_a_database");
    assert!(err.to_string().contains("GDD_DB"), "{err}");
}
