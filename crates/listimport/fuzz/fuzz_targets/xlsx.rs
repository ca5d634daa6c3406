#![no_main]
//! Any bytes as an .xlsx (seeded with real workbooks): never a panic.

use libfuzzer_sys::fuzz_target;

fn opts() -> listimport::CheckOptions<'static> {
    listimport::CheckOptions::new(time::macros::date!(2026 - 11 - 25))
}

/// Every non-blank row ends valid or invalid, once.
fn invariants(r: &listimport::ListReport) {
    assert_eq!(r.rows, r.valid.len() + r.invalid.len());
    assert!(r
        .invalid
        .iter()
        .all(|i| !i.reason.is_empty() && !i.code.is_empty()));
}

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = listimport::check_bytes("f.xlsx", data, &opts()) {
        invariants(&r);
    }
});
