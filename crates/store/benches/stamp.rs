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

use std::time::Instant;

use store::Store;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
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
        let ward = store::demo::bench::approved_ward(&store, n).expect("bench ward");
        let (police, key, ids) = (ward.police, ward.key, ward.approved);

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
