//! Stamp 10,000 approved permits (target ≥ 5,000 permits/s).
//!
//! `cargo bench -p store --bench stamp` builds a fresh on-disk WAL database
//! with 10,000 approved permits of one employer's list, activates the
//! workstation under the demo root, then times `Store::stamp_with` over all of
//! them in batches — per permit: workflow check, serial allocation, reading
//! the person, Ed25519 signature, Base45 encoding, UPDATE, audit entry; one
//! transaction per batch — and prints permits/s for each run.
//! `GDD_BENCH_ROWS=N` (default 10,000), `GDD_BENCH_BATCH=N` (default 500),
//! `GDD_BENCH_RUNS=N` (default 3).

mod common;

use std::time::Instant;

use identity::{IdDocument, IdKind, PersonInput, Sex};
use store::{ImportRow, KdfParams, NewUser, Passphrase, Role, Store};
use time::Duration;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rows(n: usize) -> Vec<ImportRow> {
    let today = store::today_vn();
    (0..n)
        .map(|i| ImportRow {
            row: i as u32 + 2,
            person: PersonInput {
                full_name: format!("Nguyễn Thị Minh Khai {i}"),
                id_doc: IdDocument {
                    kind: IdKind::Cccd,
                    number: format!("00118{:07}", 5_000_000 + i),
                    label: None,
                },
                date_of_birth: Some(time::macros::date!(1985 - 07 - 21)),
                sex: Some(Sex::Female),
                phone: None,
                residence: None,
                workplace: None,
                position: None,
                purpose: Some("Đi làm ca sáng".into()),
                area: Some("Phường Ô Chợ Dừa, HN".into()),
                valid_from: Some(today),
                valid_to: Some(today + Duration::days(29)),
                notes: Vec::new(),
            },
            warnings: Vec::new(),
        })
        .collect()
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let n = if bench {
        env_usize("GDD_BENCH_ROWS", 10_000)
    } else {
        200
    };
    let batch = env_usize("GDD_BENCH_BATCH", 500).max(1);
    let runs = if bench {
        env_usize("GDD_BENCH_RUNS", 3)
    } else {
        1
    };
    let mut rates = Vec::new();
    for run in 0..runs {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path().join("gdd.db")).expect("open");
        let (official, org) = common::ward_official_and_org(&store, "0101234567");
        let admin = store.login("quantri", common::PASSWORD).expect("admin");
        store
            .add_user(
                &admin,
                &NewUser {
                    username: "congan".into(),
                    full_name: "Công An".into(),
                    password: common::PASSWORD.into(),
                    roles: vec![Role::WardPolice],
                },
            )
            .expect("police");
        let police = store.login("congan", common::PASSWORD).expect("login");
        let imp = store
            .import_list(&official, &org.ref_code, "bench.xlsx", &rows(n), &[])
            .expect("import");
        let ids: Vec<i64> = store
            .approve_request(&official, imp.request_id)
            .expect("approve")
            .iter()
            .map(|t| t.permit_id)
            .collect();
        let pass = Passphrase::new("Cây đa đầu làng năm 1975");
        store
            .create_workstation_key(&admin, &pass, KdfParams::INSECURE_FAST)
            .expect("key");
        let key = store.load_workstation_key(&pass).expect("load key");

        store::demo::install_demo_root_key(
            &store,
            &admin,
            &key,
            store::today_vn() - Duration::days(1),
            60,
        )
        .expect("install");

        let t = Instant::now();
        let mut stamped = 0usize;
        for chunk in ids.chunks(batch) {
            stamped += store.stamp_with(&police, chunk, &key).expect("stamp").len();
        }
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(stamped, n);
        let rate = n as f64 / secs;
        println!(
            "run {}: stamped {n} permits in batches of {batch}: {:.3} s, {:.0} permits/s",
            run + 1,
            secs,
            rate
        );
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "stamp: median {:.0} permits/s (min {:.0}, max {:.0}; target ≥ 5000)",
        rates[rates.len() / 2],
        rates[0],
        rates[rates.len() - 1]
    );
}
