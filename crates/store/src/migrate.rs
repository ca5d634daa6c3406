//! Schema migrations: the numbered SQL files of `migrations/`, embedded at build time.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::error::{Result, StoreError};
use crate::util::{now_rfc3339, sha256_hex};

/// One schema step. `name` is the file name without `.sql`.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration this build knows, in order. A test checks this list
/// against the `migrations/` directory so that no file is forgotten.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_init",
        sql: include_str!("../../../migrations/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "0002_permit_counts",
        sql: include_str!("../../../migrations/0002_permit_counts.sql"),
    },
    Migration {
        version: 3,
        name: "0003_ward_demo",
        sql: include_str!("../../../migrations/0003_ward_demo.sql"),
    },
    Migration {
        version: 4,
        name: "0004_activation",
        sql: include_str!("../../../migrations/0004_activation.sql"),
    },
    Migration {
        version: 5,
        name: "0005_category_revocations",
        sql: include_str!("../../../migrations/0005_category_revocations.sql"),
    },
    Migration {
        version: 6,
        name: "0006_print_jobs",
        sql: include_str!("../../../migrations/0006_print_jobs.sql"),
    },
    Migration {
        version: 7,
        name: "0007_stamp_time",
        sql: include_str!("../../../migrations/0007_stamp_time.sql"),
    },
    Migration {
        version: 8,
        name: "0008_one_active_permit",
        sql: include_str!("../../../migrations/0008_one_active_permit.sql"),
    },
    Migration {
        version: 9,
        name: "0009_login_throttle",
        sql: include_str!("../../../migrations/0009_login_throttle.sql"),
    },
    Migration {
        version: 10,
        name: "0010_list_sheets",
        sql: include_str!("../../../migrations/0010_list_sheets.sql"),
    },
];

/// Bring the database up to date with `known`, or refuse it.
///
/// In one IMMEDIATE transaction (two processes opening the same file at once
/// cannot both apply a step): check every recorded migration is known and
/// unchanged, then apply the missing ones in order.
pub(crate) fn migrate(conn: &mut Connection, known: &[Migration]) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version     INTEGER PRIMARY KEY,
            name        TEXT NOT NULL,
            sha256      TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        );",
    )?;
    let applied: Vec<(u32, String, String)> = {
        let mut stmt =
            tx.prepare("SELECT version, name, sha256 FROM schema_migrations ORDER BY version")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    // A newer build's step is refused before anything else: we must not touch its data.
    for (version, name, _) in &applied {
        if !known.iter().any(|m| m.version == *version) {
            return Err(StoreError::NewerSchema {
                version: *version,
                name: name.clone(),
            });
        }
    }
    for (version, name, sum) in &applied {
        if let Some(m) = known.iter().find(|m| m.version == *version) {
            if sha256_hex(m.sql.as_bytes()) != *sum {
                return Err(StoreError::MigrationChanged {
                    version: *version,
                    name: name.clone(),
                });
            }
        }
    }
    for m in known {
        let done: Option<u32> = tx
            .query_row(
                "SELECT version FROM schema_migrations WHERE version = ?1",
                [m.version],
                |r| r.get(0),
            )
            .optional()?;
        if done.is_some() {
            continue;
        }
        tx.execute_batch(m.sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?1, ?2, ?3, ?4)",
            params![m.version, m.name, sha256_hex(m.sql.as_bytes()), now_rfc3339()],
        )?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Migration = Migration {
        version: 1,
        name: "0001_a",
        sql: "CREATE TABLE a (x INTEGER);",
    };
    const B: Migration = Migration {
        version: 2,
        name: "0002_b",
        sql: "CREATE TABLE b (y INTEGER);",
    };

    #[test]
    fn list_matches_the_migrations_directory() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .expect("migrations dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let names: Vec<String> = MIGRATIONS
            .iter()
            .map(|m| format!("{}.sql", m.name))
            .collect();
        assert_eq!(
            files, names,
            "every migrations/*.sql must be listed in MIGRATIONS"
        );
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "versions are 1, 2, 3 … in order");
            assert!(m.name.starts_with(&format!("{:04}_", m.version)));
            let on_disk = std::fs::read_to_string(dir.join(format!("{}.sql", m.name))).unwrap();
            assert_eq!(on_disk, m.sql);
        }
    }

    #[test]
    fn applies_in_order_once() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c, &[A]).unwrap();
        migrate(&mut c, &[A, B]).unwrap();
        migrate(&mut c, &[A, B]).unwrap();
        let n: i64 = c
            .query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
        c.execute("INSERT INTO b (y) VALUES (1)", []).unwrap();
    }

    #[test]
    fn newer_database_is_refused() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c, &[A, B]).unwrap();
        let err = migrate(&mut c, &[A]).unwrap_err();
        assert_eq!(err.code(), "store.newer_schema");
        assert!(err.to_string().contains("0002_b"), "{err}");
    }

    #[test]
    fn changed_migration_is_detected() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c, &[A]).unwrap();
        let changed = Migration {
            sql: "CREATE TABLE a (x INTEGER, z TEXT);",
            ..A
        };
        let err = migrate(&mut c, &[changed]).unwrap_err();
        assert_eq!(err.code(), "store.migration_changed");
    }

    #[test]
    fn failed_migration_leaves_nothing_behind() {
        let mut c = Connection::open_in_memory().unwrap();
        let bad = Migration {
            version: 2,
            name: "0002_bad",
            sql: "CREATE TABLE c (z INTEGER); THIS IS NOT SQL;",
        };
        assert!(migrate(&mut c, &[A, bad]).is_err());
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('a', 'c', 'schema_migrations')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 0, "the whole run is one transaction");
    }
}
