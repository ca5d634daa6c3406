//! Issue 8 through the `gdd` binary: outputs never destroy the store, foreign databases are
//! refused, logins are throttled across processes, secret files may carry a BOM, huge images
//! are refused before they are read, a stamp selection is merged.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Env {
    fn demo() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("ward.db");
        let env = Env { dir, db };
        let out = env.run(None, &["demo", "--json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        env
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cmd(&self, db: &Path, user: Option<&str>, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gdd"));
        cmd.env_clear()
            .env("GDD_DB", db)
            .env("GDD_PASSWORD", "demo1234")
            .env("GDD_KEY_PASSPHRASE", store::demo::DEMO_KEY_PASSPHRASE)
            .args(args);
        if let Some(u) = user {
            cmd.env("GDD_USER", u);
        }
        cmd
    }

    fn run(&self, user: Option<&str>, args: &[&str]) -> Output {
        self.cmd(&self.db, user, args).output().expect("run gdd")
    }

    fn ok_json(&self, user: Option<&str>, args: &[&str]) -> Value {
        let out = self.run(user, args);
        assert!(
            out.status.success(),
            "gdd {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("json")
    }

    fn err_code_of(out: &Output) -> String {
        assert!(!out.status.success(), "should have failed");
        let err: Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
            panic!(
                "stderr not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        err["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn err_code(&self, user: Option<&str>, args: &[&str]) -> String {
        Self::err_code_of(&self.run(user, args))
    }

    fn approved_ids(&self) -> Vec<String> {
        let c = rusqlite::Connection::open(&self.db).expect("open");
        let mut st = c
            .prepare("SELECT id FROM permits WHERE state = 'approved' ORDER BY id LIMIT 3")
            .expect("prepare");
        st.query_map([], |r| r.get::<_, i64>(0))
            .expect("query")
            .map(|r| r.expect("row").to_string())
            .collect()
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn no_output_may_destroy_the_database_its_journals_the_key_or_the_serial_mark() {
    let env = Env::demo();
    let db = env.db.clone();
    let key = env.path("ward-workstation-1-demo.key");
    assert!(key.exists(), "the demo key sits beside the database");
    let key_before = std::fs::read(&key).expect("key");
    let wal = env.path("ward.db-wal");
    let shm = env.path("ward.db-shm");
    let mark = env.path("ward-serials-00004-01.txt");
    for target in [&db, &wal, &shm, &key, &mark] {
        for force in [false, true] {
            let mut args = vec!["export", "--state", "approved", "-o", s(target), "--json"];
            if force {
                args.push("--force");
            }
            assert_eq!(
                env.err_code(Some("canbo"), &args),
                "output.protected",
                "export -o {} (force {force})",
                target.display()
            );
            let mut args = vec![
                "print",
                "pdf",
                "--state",
                "stamped",
                "-o",
                s(target),
                "--json",
            ];
            if force {
                args.push("--force");
            }
            assert_eq!(
                env.err_code(Some("canbo"), &args),
                "output.protected",
                "print pdf -o {}",
                target.display()
            );
        }
    }
    assert_eq!(std::fs::read(&key).expect("key"), key_before);
    // The store still opens and stamps (the key is intact).
    let status = env.ok_json(None, &["status", "--json"]);
    assert!(status["counts"].is_array());
    let ids = env.approved_ids();
    env.ok_json(Some("congan"), &["stamp", &ids[0], "--json"]);

    // Any other program's database or any sealed key, by content, under any name.
    let other = env.path("sổ-sách.dat");
    rusqlite::Connection::open(&other)
        .expect("other")
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .expect("fill");
    let copy_of_key = env.path("sao-luu-khoa.txt");
    std::fs::copy(&key, &copy_of_key).expect("copy");
    for target in [&other, &copy_of_key] {
        assert_eq!(
            env.err_code(
                Some("canbo"),
                &["export", "-o", s(target), "--force", "--json"]
            ),
            "output.protected"
        );
    }

    // An official's own file: kept unless --force; then replaced whole, owner-only.
    let mine = env.path("duyet.csv");
    std::fs::write(&mine, "bảng của tôi").expect("write");
    assert_eq!(
        env.err_code(Some("canbo"), &["export", "-o", s(&mine), "--json"]),
        "output.exists"
    );
    assert_eq!(
        std::fs::read_to_string(&mine).expect("read"),
        "bảng của tôi"
    );
    env.ok_json(
        Some("canbo"),
        &["export", "-o", s(&mine), "--force", "--json"],
    );
    let csv = std::fs::read_to_string(&mine).expect("read");
    assert!(csv.starts_with("\u{feff}ma_giay,"), "{csv}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&mine).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // No temporary file is left in the folder.
    let debris: Vec<String> = std::fs::read_dir(env.dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(debris.is_empty(), "{debris:?}");
}

#[test]
fn the_export_for_officials_is_an_xlsx_and_csv_stays_available() {
    let env = Env::demo();
    let x = env.path("duyet.xlsx");
    let out = env.ok_json(
        Some("canbo"),
        &["export", "--state", "approved", "-o", s(&x), "--json"],
    );
    assert!(out["rows"].as_u64().expect("rows") > 0);
    assert!(std::fs::read(&x).expect("xlsx").starts_with(b"PK\x03\x04"));
    // Any other extension is a workbook too; --format csv asks for CSV.
    let c = env.path("duyet.txt");
    env.ok_json(
        Some("canbo"),
        &["export", "--format", "csv", "-o", s(&c), "--json"],
    );
    assert!(std::fs::read(&c)
        .expect("csv")
        .starts_with(b"\xEF\xBB\xBFma_giay,"));
    // A workbook needs a file.
    let out = env.run(Some("canbo"), &["export", "--format", "xlsx", "--json"]);
    assert!(!out.status.success());
}

#[test]
fn another_programs_database_is_never_migrated() {
    let env = Env::demo();
    let other = env.path("other-program.db");
    rusqlite::Connection::open(&other)
        .expect("open")
        .execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('A');")
        .expect("fill");
    let before = std::fs::read(&other).expect("read");
    let out = env
        .cmd(&other, None, &["status", "--json"])
        .output()
        .expect("run");
    assert_eq!(Env::err_code_of(&out), "store.foreign_database");
    assert_eq!(std::fs::read(&other).expect("read"), before);
}

#[test]
fn a_stamp_selection_is_merged() {
    let env = Env::demo();
    let ids = env.approved_ids();
    let v = env.ok_json(Some("congan"), &["stamp", &ids[0], &ids[0], "--json"]);
    assert_eq!(v.as_array().expect("list").len(), 1);
    // Run again with one more: the first is reported as stamped before.
    let v = env.ok_json(Some("congan"), &["stamp", &ids[0], &ids[1], "--json"]);
    let list = v.as_array().expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["already_stamped"], true);
    assert_eq!(list[1]["already_stamped"], false);
}

#[test]
fn a_password_file_saved_with_a_bom_works_and_guessing_is_throttled_across_processes() {
    let env = Env::demo();
    let pw = env.path("mat-khau.txt");
    std::fs::write(&pw, "\u{feff}demo1234\r\n").expect("write");
    let ok = env
        .cmd(&env.db, Some("canbo"), &["request", "list", "--json"])
        .env_remove("GDD_PASSWORD")
        .env("GDD_PASSWORD_FILE", &pw)
        .output()
        .expect("run");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    // Five wrong passwords, each in a new process.
    for _ in 0..5 {
        let out = env
            .cmd(&env.db, Some("canbo"), &["request", "list", "--json"])
            .env("GDD_PASSWORD", "doan-thu")
            .output()
            .expect("run");
        assert_eq!(Env::err_code_of(&out), "auth.bad_credentials");
    }
    // The right one now waits its turn (a second), then works.
    let t = std::time::Instant::now();
    let out = env.run(Some("canbo"), &["request", "list", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        t.elapsed() >= std::time::Duration::from_millis(500),
        "it waited"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("đợi"));
}

#[test]
fn a_huge_image_is_refused_before_it_is_read() {
    let env = Env::demo();
    let huge = env.path("anh.png");
    let f = std::fs::File::create(&huge).expect("create");
    // Sparse: 1 GB to the file system, nothing on disk.
    f.set_len(1 << 30).expect("set_len");
    assert_eq!(
        env.err_code(None, &["verify", s(&huge), "--json"]),
        "scan.too_large"
    );
}
