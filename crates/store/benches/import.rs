//! Check + import + store a realistic 10,000-row .xlsx list (target ≤ 2 s).
//!
//! `cargo bench -p store --bench import` times `Store::import_list_file` — read
//! and check the file (listimport), look every ID up against this ward's active
//! permits, store 10,000 persons and permits in one transaction — on a fresh
//! on-disk WAL database each run, and prints min / median / max of the runs.
//! `GDD_BENCH_ROWS=N` changes the list size, `GDD_BENCH_RUNS=N` the number of runs.

mod common;

use std::time::{Duration, Instant};

use store::Store;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs us with no
    // argument: then do a single small run so the test suite stays fast.
    let bench = std::env::args().any(|a| a == "--bench");
    let rows = if bench {
        env_usize("GDD_BENCH_ROWS", 10_000)
    } else {
        200
    };
    let runs = if bench {
        env_usize("GDD_BENCH_RUNS", 7)
    } else {
        1
    };

    let dir = tempfile::tempdir().expect("temp dir");
    let list = dir.path().join("danh-sach-10000.xlsx");
    let xlsx = listimport::testdata::generate_xlsx(rows, 42).expect("generate list");
    std::fs::write(&list, &xlsx).expect("write list");

    let mut times = Vec::with_capacity(runs);
    for run in 0..runs {
        let store = Store::open(dir.path().join(format!("run-{run}.db"))).expect("open");
        let (official, org) = common::ward_official_and_org(&store, "0100101234");

        let start = Instant::now();
        let summary = store
            .import_list_file(&official, &org.ref_code, &list)
            .expect("import");
        times.push(start.elapsed());
        assert_eq!(
            summary.persons as usize, rows,
            "every generated row is valid"
        );
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "import {rows}-row xlsx (check + import + store), {runs} runs: min {:.0} ms, median {:.0} ms, max {:.0} ms (target ≤ 2000 ms)",
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
    );
}
