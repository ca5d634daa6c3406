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

mod common;

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
    common::check("f.xls", data);
});
