//! The database file itself: created owner-only, recognized as ours
//! (`PRAGMA application_id`), and the files that live beside it.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Result, StoreError};
use crate::APPLICATION_ID;

/// `<db dir>/<db stem>-<suffix>`: files that belong with a database.
pub(crate) fn beside(db: &Path, suffix: &str) -> PathBuf {
    let stem = db
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "gdd".into());
    let name = format!("{stem}-{suffix}");
    match db.parent() {
        Some(dir) => dir.join(name),
        None => PathBuf::from(name),
    }
}

/// The database and the journals SQLite keeps beside it.
pub(crate) fn db_files(db: &Path) -> Vec<PathBuf> {
    let mut v = vec![db.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut s = db.as_os_str().to_os_string();
        s.push(suffix);
        v.push(PathBuf::from(s));
    }
    v
}

/// Before SQLite opens `db`: its folder (0700 when we create it) and, for a
/// new database, an empty file 0600, so that personal data and password
/// hashes are never readable by other users of the PC, not even for a moment.
pub(crate) fn prepare(db: &Path) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Io { path, source }
    };
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir).map_err(io(dir))?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    match o.open(db) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A folder where the file should be, or no right to create: SQLite says it better.
        Err(e) if db.is_dir() || e.kind() == std::io::ErrorKind::PermissionDenied => Ok(()),
        Err(e) => Err(io(db)(e)),
    }
}

/// A database created before files were made private: its files become 0600
/// (SQLite gives new `-wal`/`-shm` files the database's mode). Best effort:
/// a file of another user is left as it is.
pub(crate) fn tighten(db: &Path) {
    #[cfg(unix)]
    for f in db_files(db) {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::metadata(&f) {
            if m.is_file() && m.permissions().mode() & 0o077 != 0 {
                let _ = std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = db;
}

/// Refuse a database that is not ours before anything is written to it: a
/// non-empty file without our application id, unless it is one of ours from
/// before the id was set (our migrations table with our first migration).
/// `Ok(true)`: ours, but the id is still to be set ([`mark_ours`]).
pub(crate) fn check_ours(conn: &Connection, path: Option<&Path>) -> Result<bool> {
    let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if id == APPLICATION_ID {
        return Ok(false);
    }
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if objects == 0 || (id == 0 && is_ours_unmarked(conn)?) {
        return Ok(true);
    }
    Err(StoreError::ForeignDatabase {
        path: path.map(Path::to_path_buf).unwrap_or_default(),
    })
}

fn is_ours_unmarked(conn: &Connection) -> Result<bool> {
    let has_table: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations')",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        return Ok(false);
    }
    let first: Option<String> = conn
        .query_row(
            "SELECT name FROM schema_migrations WHERE version = 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(first.as_deref() == Some(crate::MIGRATIONS[0].name))
}

/// Set our application id (new databases and ours from before it).
pub(crate) fn mark_ours(conn: &Connection) -> Result<()> {
    Ok(conn.pragma_update(None, "application_id", APPLICATION_ID)?)
}
