//! `cargo bench -p printjob --bench pdf [-- N]`: the whole path a ward runs —
//! N stamped permits in a real on-disk store (default 10,000) → `write_pdf` →
//! one A4 4-up PDF: the store's rows, the signed tokens checked, the permits
//! built and rendered, the file written and renamed. Prints seconds, bytes
//! per permit and the peak RSS before and after; fails when over the issue's
//! targets (10 s, 4 KB per permit). Setting up (import, approve, stamp) is
//! not timed.

use std::time::Instant;

use permitpdf::Layout;
use store::{PrintSelection, State, Store};

fn peak_rss_kb() -> u64 {
    // Linux: VmHWM is the process's peak resident set.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bench = std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(if bench { 10_000 } else { 100 });
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path().join("gdd.db"))?;
    let t = Instant::now();
    let ward = store::demo::bench::approved_ward(&store, n)?;
    for chunk in ward.approved.chunks(500) {
        store.stamp_with(&ward.police, chunk, &ward.key)?;
    }
    let setup = t.elapsed().as_secs_f64();
    let rss_before = peak_rss_kb();

    let out = dir.path().join("batch.pdf");
    let t = Instant::now();
    let summary = printjob::write_pdf(
        &store,
        &ward.official,
        &PrintSelection::State(State::Stamped),
        Layout::A4x4,
        &out,
        &outfile::Options::new().force(true),
    )?;
    let secs = t.elapsed().as_secs_f64();
    let rss_after = peak_rss_kb();
    let per_permit = summary.bytes as f64 / summary.permits as f64;
    println!(
        "printjob: {} stamped permits in the store → {} ({} pages) in {secs:.2} s \
         ({:.0} permits/s); {} bytes, {per_permit:.0} bytes per permit",
        summary.permits,
        summary.layout,
        summary.pages,
        summary.permits as f64 / secs,
        summary.bytes
    );
    println!(
        "printjob: peak RSS {rss_before} KB before (store set up in {setup:.1} s), {rss_after} KB after"
    );
    if summary.permits != n {
        return Err(format!("printed {} of {n} permits", summary.permits).into());
    }
    if n >= 10_000 && secs > 10.0 {
        return Err(format!("too slow: {secs:.2} s for {n} permits (target ≤ 10 s)").into());
    }
    if per_permit > 4096.0 {
        return Err(format!("too big: {per_permit:.0} bytes per permit (target ≤ 4096)").into());
    }
    Ok(())
}
