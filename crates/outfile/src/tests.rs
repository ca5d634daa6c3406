use super::*;
use std::fs;

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn sqlite_db(path: &Path) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
}

#[test]
fn writes_a_new_file_and_refuses_an_existing_one_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("duyet.csv");
    write(&p, b"one", &Options::new()).unwrap();
    assert_eq!(fs::read(&p).unwrap(), b"one");
    let e = write(&p, b"two", &Options::new()).unwrap_err();
    assert_eq!(e.code(), "output.exists");
    assert_eq!(fs::read(&p).unwrap(), b"one");
    write(&p, b"three", &Options::new().force(true)).unwrap();
    assert_eq!(fs::read(&p).unwrap(), b"three");
    assert_eq!(names(dir.path()), vec!["duyet.csv"]);
}

#[cfg(unix)]
#[test]
fn outputs_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.pdf");
    write(&p, b"%PDF", &Options::new()).unwrap();
    assert_eq!(
        fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_database_and_its_journals_are_never_written_over_even_forced() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ward.db");
    sqlite_db(&db);
    let before = fs::read(&db).unwrap();
    for name in ["ward.db", "ward.db-wal", "ward.db-shm", "ward.db-journal"] {
        let p = dir.path().join(name);
        let e = write(&p, b"csv", &Options::new().force(true)).unwrap_err();
        assert_eq!(e.code(), "output.protected", "{name}");
        assert!(e.to_string().contains(name), "{e}");
    }
    assert_eq!(fs::read(&db).unwrap(), before);
    // Another program's database, under any name.
    let other = dir.path().join("other-program.dat");
    sqlite_db(&other);
    let e = write(&other, b"x", &Options::new().force(true)).unwrap_err();
    assert!(matches!(
        e,
        OutputError::Protected {
            what: Protected::Database,
            ..
        }
    ));
}

#[test]
fn keys_and_serial_marks_are_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("gdd-workstation-1.key");
    fs::write(
        &key,
        "\u{feff}-----BEGIN GDD ENCRYPTED SIGNING KEY-----\nPurpose: workstation\n",
    )
    .unwrap();
    let e = write(&key, b"x", &Options::new().force(true)).unwrap_err();
    assert!(matches!(
        e,
        OutputError::Protected {
            what: Protected::SigningKey,
            ..
        }
    ));
    // A mark need not exist to be refused: writing one would fake the high-water mark.
    let mark = dir.path().join("gdd-serials-00004-01.txt");
    let e = write(&mark, b"4294967294\n", &Options::new().force(true)).unwrap_err();
    assert!(matches!(
        e,
        OutputError::Protected {
            what: Protected::SerialMark,
            ..
        }
    ));
    assert!(!mark.exists());
    // Look-alike names are ordinary files.
    write(&dir.path().join("serials-list.txt"), b"x", &Options::new()).unwrap();
}

#[test]
fn the_callers_own_files_are_refused_under_any_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gdd.db");
    let opts = Options::new().force(true).protect([db.clone()]);
    // Not created yet, and spelled another way.
    let other = dir.path().join(".").join("gdd.db");
    assert_eq!(check(&other, &opts).unwrap_err().code(), "output.protected");
    #[cfg(unix)]
    {
        fs::write(&db, b"").unwrap();
        let link = dir.path().join("link.db");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        assert_eq!(check(&link, &opts).unwrap_err().code(), "output.protected");
    }
}

#[test]
fn a_folder_is_not_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), b"x", &Options::new().force(true)).unwrap_err();
    assert_eq!(e.code(), "output.is_directory");
}

#[test]
fn nothing_is_left_behind_without_commit_and_a_file_that_appears_meanwhile_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("out.csv");
    {
        let mut out = OutputFile::create(&p, &Options::new()).unwrap();
        out.write_all(b"half").unwrap();
    }
    assert!(names(dir.path()).is_empty());

    let mut out = OutputFile::create(&p, &Options::new()).unwrap();
    out.write_all(b"ours").unwrap();
    fs::write(&p, b"theirs").unwrap();
    assert_eq!(out.commit().unwrap_err().code(), "output.exists");
    assert_eq!(fs::read(&p).unwrap(), b"theirs");
    assert_eq!(names(dir.path()), vec!["out.csv"]);
}
