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
pub mod demo;
mod error;
mod export;
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

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use activation::{key_id_of, InstalledKey, WorkstationKeyInfo};
pub use audit::{AuditEntry, AuditProblem, AuditReport};
pub use auth::{NewUser, Session, UserInfo};
pub use error::{Result, StoreError};
pub use export::ExportFilter;
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
}

impl Store {
    /// Open (creating it and its folder if needed) and migrate the database at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
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
        conn.busy_timeout(Duration::from_secs(5))?;
        // journal_mode answers with a row; in-memory databases stay "memory".
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        // synchronous=NORMAL is durable enough in WAL mode (a power cut loses at
        // most the last commits, never consistency); a 32 MiB page cache keeps
        // the search indexes of a city-sized table in memory.
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768;",
        )?;
        migrate::migrate(&mut conn, MIGRATIONS)?;
        Ok(Store { conn, path })
    }

    /// The file this store was opened from (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Run `f` in one IMMEDIATE transaction: committed if it returns Ok,
    /// rolled back otherwise (dropping the transaction rolls back).
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Raw connection, for this crate's tests and benches only.
    #[doc(hidden)]
    pub fn raw_connection(&self) -> &Connection {
        &self.conn
    }
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
