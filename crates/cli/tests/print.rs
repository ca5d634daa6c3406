//! `gdd print …` end to end on a demo ward: batch PDFs read back with poppler and zbar (every
//! QR decodes and verifies as DEMO, names keep their diacritics), print jobs through the real
//! CUPS queue GDD-PDF (scripts/cups-test-setup.sh), a stopped printer that fails a job and a
//! retry that prints it. Tests touching the queue hold the cross-process lock that
//! crates/printing's CUPS tests hold too.
#![cfg(unix)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use unicode_normalization::UnicodeNormalization;

use printing::testutil::cups::{cups_output, pages, qr_codes, require_cups, QueueGuard, QUEUE};

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Env {
    /// A fresh demo ward.
    fn demo() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("ward").join("gdd.db");
        let env = Env { dir, db };
        env.ok_json(None, &["demo", "--json"]);
        env
    }

    fn run(&self, user: Option<&str>, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gdd"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("GDD_DB", &self.db)
            .env("GDD_PASSWORD", "demo1234")
            .env("GDD_KEY_PASSPHRASE", store::demo::DEMO_KEY_PASSPHRASE)
            .args(args);
        if let Some(u) = user {
            cmd.env("GDD_USER", u);
        }
        cmd.output().expect("run gdd")
    }

    fn ok_json(&self, user: Option<&str>, args: &[&str]) -> Value {
        let out = self.run(user, args);
        assert!(
            out.status.success(),
            "gdd {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "gdd {args:?} printed no JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// Counts per state from `gdd status`.
    fn count(&self, state: &str) -> u64 {
        let status = self.ok_json(None, &["status", "--json"]);
        status["counts"]
            .as_array()
            .and_then(|a| a.iter().find(|c| c["state"] == state))
            .and_then(|c| c["count"].as_u64())
            .unwrap_or_else(|| panic!("no count for {state} in {status}"))
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// pdftotext, NFC (names compare as stored).
fn text(pdf: &Path) -> String {
    printing::testutil::cups::text(pdf).nfc().collect()
}

/// Every code verifies as DEMO with `gdd verify`; returns the holders' names.
fn verify_all(env: &Env, codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .map(|token| {
            let v = env.ok_json(None, &["verify", token, "--json"]);
            assert_eq!(v["verdict"], "demo", "{v}");
            v["fields"]["holder_name"]
                .as_str()
                .expect("holder name")
                .nfc()
                .collect()
        })
        .collect()
}

/// Permit ids in `state`, from the CSV export (first column `ma_giay`).
fn ids_in_state(env: &Env, state: &str) -> Vec<i64> {
    let out = env.run(Some("canbo"), &["export", "--state", state]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert!(lines.next().is_some_and(|h| h.starts_with("ma_giay,")));
    lines
        .filter_map(|l| {
            l.split(',')
                .next()
                .and_then(|v| v.trim_matches('"').parse().ok())
        })
        .collect()
}

#[test]
fn batch_pdf_of_stamped_permits_reads_back_and_marks_nothing() {
    let env = Env::demo();
    let stamped = env.count("stamped");
    assert!(stamped > 0);
    let pdf = env.path("out.pdf");
    let sum = env.ok_json(
        Some("canbo"),
        &[
            "print",
            "pdf",
            "--state",
            "stamped",
            "-o",
            &pdf.to_string_lossy(),
            "--json",
        ],
    );
    assert_eq!(sum["permits"], stamped);
    assert_eq!(sum["originals"], stamped);
    let expected_pages = stamped.div_ceil(4) as usize;
    assert_eq!(sum["pages"], expected_pages as u64);
    assert_eq!(pages(&pdf), expected_pages, "a4-4: 4 permits a sheet");

    let codes = qr_codes(&pdf, &env.path("pages"));
    assert_eq!(codes.len() as u64, stamped, "one QR per permit: {codes:?}");
    let mut distinct = codes.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), codes.len());
    let text = text(&pdf);
    for name in verify_all(&env, &codes) {
        assert!(text.contains(&name), "{name} not in the PDF text:\n{text}");
    }
    assert!(!text.contains("BẢN IN LẠI"), "originals are not reprints");
    assert_eq!(env.count("stamped"), stamped, "a PDF marks nothing printed");
}

#[test]
fn reprinting_a_printed_permit_is_marked_as_a_reprint() {
    let env = Env::demo();
    let printed = ids_in_state(&env, "printed");
    let id = printed
        .first()
        .expect("the demo has printed permits")
        .to_string();
    let pdf = env.path("again.pdf");
    let sum = env.ok_json(
        Some("canbo"),
        &[
            "print",
            "pdf",
            &id,
            "--layout",
            "a6",
            "-o",
            &pdf.to_string_lossy(),
            "--json",
        ],
    );
    assert_eq!(sum["reprints"], 1);
    assert_eq!(pages(&pdf), 1);
    assert!(text(&pdf).contains("BẢN IN LẠI lần 1"), "{}", text(&pdf));
}

#[test]
fn send_prints_through_cups_and_marks_printed() {
    let _lock = printing::testutil::lock_test_queue();
    require_cups();
    let env = Env::demo();
    let stamped = env.count("stamped");
    let printed = env.count("printed");
    let done = env.ok_json(
        Some("congan"),
        &[
            "print",
            "send",
            "--state",
            "stamped",
            "--printer",
            QUEUE,
            "--json",
        ],
    );
    assert_eq!(done["job"]["state"], "done");
    assert_eq!(done["pdf"]["permits"], stamped);
    assert_eq!(env.count("stamped"), 0);
    assert_eq!(env.count("printed"), printed + stamped);
    let ids: Vec<i64> = done["job"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["permit_id"].as_i64().expect("permit id"))
        .collect();
    assert_eq!(ids.len() as u64, stamped);
    let db = rusqlite::Connection::open(&env.db).expect("open the database");
    for id in &ids {
        let (state, count): (String, i64) = db
            .query_row(
                "SELECT state, print_count FROM permits WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("permit row");
        assert_eq!((state.as_str(), count), ("printed", 1), "permit #{id}");
    }

    let system_job = done["job"]["system_job"].as_str().expect("system job");
    let out = cups_output(system_job);
    assert_eq!(
        pages(&out),
        stamped.div_ceil(4) as usize,
        "{}",
        out.display()
    );
    let codes = qr_codes(&out, &env.path("cups-pages"));
    assert_eq!(codes.len() as u64, stamped);
    verify_all(&env, &codes);
    let spooled = env
        .db
        .parent()
        .unwrap()
        .join("print")
        .join(format!("job-{}.pdf", done["job"]["id"]));
    assert!(spooled.is_file(), "{}", spooled.display());
}

#[test]
fn a_stopped_printer_fails_the_job_and_a_retry_prints_it() {
    let _lock = printing::testutil::lock_test_queue();
    require_cups();
    let env = Env::demo();
    let stamped = env.count("stamped");
    let args = [
        "print",
        "send",
        "--state",
        "stamped",
        "--printer",
        QUEUE,
        "--layout",
        "a5-2",
        "--json",
    ];
    let out = {
        let _disabled = QueueGuard::disable("kẹt giấy");
        env.run(Some("congan"), &args)
    };
    assert!(!out.status.success(), "a stopped printer must fail the job");
    let err: Value = serde_json::from_slice(&out.stderr).expect("JSON error on stderr");
    assert_eq!(err["error"]["code"], "print.job_stopped", "{err}");
    let message = err["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("gdd print retry 1"), "{message}");
    assert!(message.contains("Lệnh in #1"), "{message}");

    let jobs = env.ok_json(Some("congan"), &["print", "jobs", "--json"]);
    let job = &jobs[0];
    assert_eq!(job["id"], 1);
    assert_eq!(job["state"], "failed");
    assert_eq!(job["last_error_code"], "print.job_stopped");
    assert_eq!(env.count("stamped"), stamped, "nothing marked printed");

    let done = env.ok_json(Some("congan"), &["print", "retry", "1", "--json"]);
    assert_eq!(done["job"]["state"], "done");
    assert_eq!(done["job"]["attempts"], 2);
    assert_eq!(
        done["pdf"]["originals"], stamped,
        "originals stay originals"
    );
    assert_eq!(env.count("stamped"), 0);
    let out = cups_output(done["job"]["system_job"].as_str().unwrap());
    assert_eq!(pages(&out), stamped.div_ceil(2) as usize);
}
