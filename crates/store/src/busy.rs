//! Two writers at once: the second waits its turn (SQLite's busy timeout)
//! and, past it, gets `store.busy` naming the long work that holds the
//! database, from a note the batch leaves beside the database while it runs.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::error::StoreError;
use crate::files::beside;
use crate::util::{now_rfc3339, vn_offset};

const NOTE_SUFFIX: &str = "running.json";
/// A note older than this is a leftover of a stopped process, not news.
const NOTE_FRESH_SECS: i64 = 2 * 3600;

fn is_busy(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// A busy database becomes `store.busy` with what is running; other errors pass.
pub(crate) fn explain(e: StoreError, db: Option<&Path>) -> StoreError {
    if is_busy(&e) {
        StoreError::Busy {
            running: db.and_then(read_note).unwrap_or_default(),
        }
    } else {
        e
    }
}

#[derive(Serialize, Deserialize)]
struct NoteText {
    what: String,
    who: String,
    started_at: String,
    pid: u32,
}

/// Written when a batch starts holding the database, removed when it ends.
pub(crate) struct Note {
    path: Option<PathBuf>,
}

impl Note {
    /// Best effort: a note that cannot be written only makes a busy message vaguer.
    pub(crate) fn record(db: Option<&Path>, who: &str, what: &str) -> Note {
        let Some(db) = db else {
            return Note { path: None };
        };
        let path = beside(db, NOTE_SUFFIX);
        let text = NoteText {
            what: what.to_string(),
            who: who.to_string(),
            started_at: now_rfc3339(),
            pid: std::process::id(),
        };
        let written = serde_json::to_vec(&text)
            .ok()
            .is_some_and(|bytes| keystore::write_private_file(&path, &bytes).is_ok());
        Note {
            path: written.then_some(path),
        }
    }
}

impl Drop for Note {
    fn drop(&mut self) {
        if let Some(p) = &self.path {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// ": đang «đóng dấu 120 giấy» (congan, từ 10:02)", or "" when nothing fresh is noted.
fn read_note(db: &Path) -> Option<String> {
    let bytes = std::fs::read(beside(db, NOTE_SUFFIX)).ok()?;
    if bytes.len() > 4096 {
        return None;
    }
    let n: NoteText = serde_json::from_slice(&bytes).ok()?;
    let started = OffsetDateTime::parse(&n.started_at, &Rfc3339).ok()?;
    let age = (OffsetDateTime::now_utc() - started).whole_seconds();
    if !(0..=NOTE_FRESH_SECS).contains(&age) {
        return None;
    }
    let local = started.to_offset(vn_offset());
    let what: String = n.what.chars().take(120).collect();
    let who: String = n.who.chars().take(40).collect();
    Some(format!(
        ": đang «{what}» ({who}, từ {:02}:{:02})",
        local.hour(),
        local.minute()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn busy_error() -> StoreError {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        ))
    }

    #[test]
    fn a_busy_database_names_the_batch_that_holds_it_while_it_runs() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("gdd.db");
        let plain = explain(busy_error(), Some(&db));
        assert_eq!(plain.code(), "store.busy");
        assert!(!plain.to_string().contains("đang «"), "{plain}");
        {
            let _note = Note::record(Some(&db), "congan", "đóng dấu 120 giấy");
            let e = explain(busy_error(), Some(&db));
            assert_eq!(e.code(), "store.busy");
            assert!(
                e.to_string().contains("«đóng dấu 120 giấy» (congan, từ "),
                "{e}"
            );
        }
        // Gone with the batch.
        assert!(!beside(&db, NOTE_SUFFIX).exists());
        // Other errors pass through.
        let other = explain(StoreError::WardMissing, Some(&db));
        assert_eq!(other.code(), "store.ward_missing");
    }
}
