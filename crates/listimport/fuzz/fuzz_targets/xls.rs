#![no_main]
//! Any bytes as an .xls (seeded with a real BIFF8 file): never a panic out
//! of `check_bytes`.
//!
//! calamine's .xls parser indexes records without checking their length in
//! many places; `check_bytes` catches such a panic and answers
//! `list.corrupt` (and `xls_guard` refuses the shapes found so far). A panic
//! caught there is tolerated here unless FUZZ_STRICT_PANICS=1, which turns
//! every panic into a finding (to hunt for more guard checks).

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

/// Replaces libfuzzer-sys's abort-on-any-panic hook with a silent one: a
/// panic that escapes `check_bytes` still aborts (libfuzzer-sys catches it
/// and aborts), one caught inside does not.
fn tolerate_caught_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("FUZZ_STRICT_PANICS").is_none() {
            std::panic::set_hook(Box::new(|_| {}));
        }
    });
}

fuzz_target!(|data: &[u8]| {
    tolerate_caught_panics();
    if let Ok(r) = listimport::check_bytes("f.xls", data, &opts()) {
        invariants(&r);
    }
});
