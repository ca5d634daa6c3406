//! Peak memory of `check_bytes` on the hostile shapes of
//! `listimport::testdata::hostile` (issue 8): under 256 MB for any input
//! within the limits, the input itself included. A counting allocator
//! tracks the live bytes of this test binary; the shapes run one after the
//! other in one test so that nothing else allocates meanwhile.

use listimport::{check_bytes, CheckOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use time::macros::date;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only
// the sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            grew(l.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(l) };
        if !p.is_null() {
            grew(l.size());
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            // Old and new blocks may both be live during the move.
            grew(new);
            LIVE.fetch_sub(l.size(), Relaxed);
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const LIMIT: usize = 256 << 20;

#[test]
fn hostile_lists_are_checked_in_bounded_memory() {
    let opts = CheckOptions::new(date!(2026 - 11 - 25));
    let mut report = Vec::new();
    let mut over = Vec::new();
    for (key, make) in listimport::testdata::hostile::shapes() {
        let shape = make();
        let before = LIVE.load(Relaxed);
        PEAK.store(before, Relaxed);
        let outcome = match check_bytes(shape.file_name, &shape.bytes, &opts) {
            Ok(r) => format!("rows {}, invalid {}", r.rows, r.invalid.len()),
            Err(e) => format!("refused {}", e.code()),
        };
        let peak = PEAK.load(Relaxed);
        let line = format!(
            "{key}: input {:.1} MB, peak {:.1} MB live (input included), {outcome}",
            shape.bytes.len() as f64 / 1048576.0,
            peak as f64 / 1048576.0
        );
        eprintln!("{line}");
        if peak >= LIMIT {
            over.push(line.clone());
        }
        report.push(line);
    }
    assert!(over.is_empty(), "over 256 MB: {over:#?}");
}
