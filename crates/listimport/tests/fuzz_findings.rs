//! Inputs `scripts/fuzz-lists.sh` found (tests/fuzz_regressions/): each is
//! refused or read cleanly, and no parser panics on it, not even a panic the
//! checker would catch. Its own test binary: the panic hook is process-wide.

use listimport::{check_bytes, CheckOptions};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use time::macros::date;

#[test]
fn fuzz_findings_are_refused_without_a_panic() {
    let panics = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&panics);
    std::panic::set_hook(Box::new(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    }));
    let opts = CheckOptions::new(date!(2026 - 11 - 25));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fuzz_regressions") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&path).expect("read");
        let before = panics.load(Ordering::SeqCst);
        let outcome = match check_bytes(&name, &bytes, &opts) {
            Ok(r) => {
                assert_eq!(r.rows, r.valid.len() + r.invalid.len(), "{name}");
                "read".to_string()
            }
            Err(e) => e.code().to_string(),
        };
        let panicked = panics.load(Ordering::SeqCst) - before;
        seen.push((name, outcome, panicked));
    }
    let _ = std::panic::take_hook();
    assert!(!seen.is_empty());
    for (name, outcome, panicked) in &seen {
        assert_eq!(*panicked, 0, "{name}: a parser panicked (then {outcome})");
        assert_eq!(outcome, "list.corrupt", "{name}");
    }
}
