//! What every list-reader target checks (a module of each target, not a target).

/// Checks `data` as the file `name`: never a panic, and every non-blank row
/// ends valid or invalid, once, with a reason and a code.
pub fn check(name: &str, data: &[u8]) {
    let opts = listimport::CheckOptions::new(time::macros::date!(2026 - 11 - 25));
    if let Ok(r) = listimport::check_bytes(name, data, &opts) {
        assert_eq!(r.rows, r.valid.len() + r.invalid.len());
        assert!(r
            .invalid
            .iter()
            .all(|i| !i.reason.is_empty() && !i.code.is_empty()));
    }
}
