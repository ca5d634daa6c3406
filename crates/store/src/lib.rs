//! The ward workstation's store: one SQLite file per workstation.
//!
//! What the `gdd` CLI and the Tauri app call. Open a database, log in, and
//! act with the [`Session`]:
//!
//! ```no_run
//! use store::{resolve_db_path, Store, WardInit};
//! let store = Store::open(resolve_db_path(None))?;
//! if store.ward()?.is_none() {
//!     store::demo::fill(&store)?; // or store.init_ward(WardInit { .. })
//! }
//! let s = store.login("canbo", "demo1234")?;
//! let counts = store.counts_by_state()?;
//! let page = store.search("dang thi thuy", 1, 20)?;
//! # let _ = (s, counts, page);
//! # Ok::<(), store::StoreError>(())
//! ```
//!
//! Guarantees:
//! - schema from the `migrations/*.sql` files, applied at open in one
//!   transaction and recorded with a SHA-256; a newer database is refused
//!   (`store.newer_schema`), a changed migration detected (`store.migration_changed`);
//! - every permit state change goes through [`workflow::apply`] and writes an
//!   audit entry in the same transaction; a bulk operation is one transaction;
//! - the audit trail is hash-chained with a head record: [`Store::audit_verify`].
//!
//! Errors are [`StoreError`]: Vietnamese message for the official, stable
//! [`StoreError::code`] for programs.
//!
//! # Services
//!
//! | area | methods | who may |
//! | --- | --- | --- |
//! | open | [`Store::open`], [`Store::open_in_memory`], [`resolve_db_path`], [`default_db_path`] | — |
//! | ward | [`Store::ward`], [`Store::init_ward`] (returns the admin's session), [`Store::is_activated`] | anyone on an empty store |
//! | login | [`Store::login`] → [`Session`] (`auth.bad_credentials`, `auth.user_disabled`; attempts audited) | — |
//! | users | [`Store::add_user`], [`Store::list_users`], [`Store::set_password`], [`Store::disable_user`], [`Store::set_user_disabled`] | ward admin (own password: anyone) |
//! | organizations | [`Store::add_organization`], [`Store::list_organizations`], [`Store::organization_by_ref`] | ward official adds |
//! | requests | [`Store::create_resident_request`] (area police), [`Store::import_list`] / [`Store::import_list_file`] (ward official), [`Store::list_requests`], [`Store::request`], attachments | see column |
//! | duplicates | [`Store::active_permit_holder`] | — |
//! | decisions | [`Store::check`], [`Store::approve`], [`Store::reject`], [`Store::decide`] (approve some and reject others at once), [`Store::approve_request`], [`Store::reject_request`], [`Store::stamp_with`] (sign a batch with the opened workstation key; [`Store::stamp`] without a key only refuses), [`Store::mark_printed`], [`Store::mark_delivered`], [`Store::revoke`], [`Store::expire_due`] | per [`workflow::allowed_roles`] |
//! | activation | [`Store::create_workstation_key`], [`Store::workstation_key_path`], [`Store::load_workstation_key`], [`Store::activation_request`], [`Store::install_key`] (roots from [`trust::trusted_roots`]), [`Store::installed_key`], [`Store::is_activated`] | ward admin |
//! | reading | [`Store::counts_by_state`], [`Store::search`] → [`Page`]`<`[`PersonHit`]`>`, [`Store::export_csv`] | — |
//! | audit | [`Store::audit_verify`] → [`AuditReport`], [`Store::audit_entries`] | — |
//! | demo | [`demo::fill`] (users and passwords in [`demo`]) | empty store |
//!
//! Search reads the query as an ID number (a single token with digits:
//! `001089012345`, `C1234567`), a serial (`00004-1-000123`), an organization
//! reference (`DN-7KQ3M`), or else a name folded like `vntext::fold`
//! ("dang thi thuy" finds "Đặng Thị Thủy" and "Đặng Thị Thuỷ").

mod activation;
mod audit;
mod auth;
mod busy;
pub mod demo;
mod error;
mod export;
mod files;
mod import;
mod migrate;
mod model;
mod org;
mod paths;
mod permits;
mod printing;
mod requests;
mod revocations;
mod search;
mod serials;
pub mod trust;
mod util;
mod ward;
pub mod worklist;

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use activation::{key_id_of, InstalledKey, WorkstationKeyInfo};
pub use audit::{AuditEntry, AuditProblem, AuditReport};
pub use auth::{NewUser, Session, UserInfo};
pub use error::{Result, StoreError};
pub use export::{ExportFilter, ExportFormat};
pub use keystore::{KdfParams, Passphrase, SignedActivationRequest};
pub use migrate::{Migration, MIGRATIONS};
pub use model::*;
pub use org::{normalize_ref, NewOrganization, Organization};
pub use paths::{default_db_path, resolve_db_path, DB_ENV};
pub use permit::{SigningKey, VerifyingKey};
pub use printing::{
    PrintJob, PrintJobItem, PrintJobState, PrintOutcome, PrintSelection, Printable,
};
pub use requests::mime_for_filename;
pub use search::{Page, PersonHit, SearchKind};
pub use util::today_vn;
pub use ward::{Ward, WardInit};
pub use workflow::{Action, RequestKind, Role, State};

/// An open workstation database. Not `Sync`: the app keeps it behind a mutex;
/// other processes (the CLI) may open the same file at the same time (WAL,
/// busy timeout, IMMEDIATE write transactions).
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The connection's busy timeout (SQLite has no getter for it).
    busy_wait: Cell<Duration>,
}

/// `PRAGMA application_id` of our databases ("GDD1"): a file that is not ours
/// is never migrated into one.
pub const APPLICATION_ID: i32 = 0x4744_4431;

/// How long a write waits for another writer (the app, `gdd`, a background
/// task) before answering `store.busy`: an official's single action.
pub const BUSY_WAIT: Duration = Duration::from_secs(30);
/// The same for a long batch (stamping, importing), which may wait for another batch.
pub const BUSY_WAIT_BATCH: Duration = Duration::from_secs(300);

impl Store {
    /// Open (creating it and its folder if needed) and migrate the database at `path`.
    /// A new folder is the owner's only (0700) and the database file 0600, as are
    /// the `-wal`/`-shm` files SQLite creates beside it (they take its mode).
    /// A non-empty SQLite file of another program is refused (`store.foreign_database`).
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        files::prepare(path)?;
        let conn = Connection::open(path)?;
        Self::setup(conn, Some(path.to_path_buf())).map_err(|e| match e {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
                ) =>
            {
                StoreError::NotADatabase {
                    path: path.to_path_buf(),
                }
            }
            e => e,
        })
    }

    /// A private in-memory database (tests, `gdd list check`-style dry runs).
    pub fn open_in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?, None)
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        conn.busy_timeout(BUSY_WAIT)?;
        let unmarked = files::check_ours(&conn, path.as_deref())?;
        // journal_mode answers with a row; in-memory databases stay "memory".
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        // synchronous=NORMAL is durable enough in WAL mode (a power cut loses at
        // most the last commits, never consistency); a 32 MiB page cache keeps
        // the search indexes of a city-sized table in memory.
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768;",
        )?;
        migrate::migrate(&mut conn, MIGRATIONS)
            .and_then(|()| {
                if unmarked {
                    files::mark_ours(&conn)
                } else {
                    Ok(())
                }
            })
            .map_err(|e| busy::explain(e, path.as_deref()))?;
        if let Some(p) = &path {
            files::tighten(p);
        }
        Ok(Store {
            conn,
            path,
            busy_wait: Cell::new(BUSY_WAIT),
        })
    }

    /// How long the next writes wait for another writer before `store.busy`
    /// ([`BUSY_WAIT`] by default).
    pub fn set_busy_timeout(&self, wait: Duration) -> Result<()> {
        self.conn.busy_timeout(wait)?;
        self.busy_wait.set(wait);
        Ok(())
    }

    /// The database and the files beside it that no output may ever replace:
    /// the database, its `-wal`/`-shm`/`-journal`, the workstation key, the serial mark
    /// (for a database not opened: [`database_files`]).
    pub fn protected_files(&self) -> Vec<PathBuf> {
        let Some(db) = self.path() else {
            return Vec::new();
        };
        let mut v = files::db_files(db);
        if let Ok(Some(k)) = self.workstation_key_path() {
            v.push(k);
        }
        if let Ok(Some(m)) = self.serial_mark_path() {
            v.push(m);
        }
        v
    }

    /// The file this store was opened from (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Run `f` in one IMMEDIATE transaction: committed if it returns Ok,
    /// rolled back otherwise (dropping the transaction rolls back).
    /// Another writer holding the database past the busy wait gives `store.busy`,
    /// naming the long work in progress when one is recorded.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let run = || -> Result<T> {
            let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        };
        run().map_err(|e| busy::explain(e, self.path()))
    }

    /// [`Store::write`] for a long batch: waits longer for its turn
    /// ([`BUSY_WAIT_BATCH`]) and, while it holds the database, tells other
    /// writers what is running (`what`, in Vietnamese: "đóng dấu 120 giấy").
    pub(crate) fn write_batch<T>(
        &self,
        who: &str,
        what: &str,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let previous = self.busy_wait.get();
        self.conn.busy_timeout(BUSY_WAIT_BATCH.max(previous))?;
        let out = self.write(|tx| {
            // Noted once the database is ours: a batch still waiting must not
            // overwrite the note of the one running.
            let _note = busy::Note::record(self.path(), who, what);
            f(tx)
        });
        self.conn.busy_timeout(previous)?;
        out
    }

    /// Raw connection, for this crate's tests and benches only.
    #[doc(hidden)]
    pub fn raw_connection(&self) -> &Connection {
        &self.conn
    }
}

/// A database file and the journals SQLite keeps beside it (`-wal`, `-shm`, `-journal`).
pub fn database_files(db: &Path) -> Vec<PathBuf> {
    files::db_files(db)
}

#[cfg(test)]
mod tests {
    /// The app keeps the store in a `Mutex` shared across Tauri commands.
    #[test]
    fn store_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<super::Store>();
        assert_send::<super::Session>();
    }
}
