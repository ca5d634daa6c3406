//! Where the workstation's database lives.

use std::path::PathBuf;

/// Environment variable that overrides the database location.
pub const DB_ENV: &str = "GDD_DB";

/// The OS data folder: `data_dir()/gdd/gdd.db` (Windows `%APPDATA%\gdd\gdd.db`,
/// Linux `~/.local/share/gdd/gdd.db`, macOS `~/Library/Application Support/gdd/gdd.db`).
/// Falls back to `./gdd.db` when the OS reports no data folder.
pub fn default_db_path() -> PathBuf {
    match dirs::data_dir() {
        Some(dir) => dir.join("gdd").join("gdd.db"),
        None => PathBuf::from("gdd.db"),
    }
}

/// The database the caller asked for: `--db` flag, else `GDD_DB`, else the default.
pub fn resolve_db_path(cli_flag: Option<PathBuf>) -> PathBuf {
    resolve_with(cli_flag, std::env::var_os(DB_ENV).map(PathBuf::from))
}

fn resolve_with(flag: Option<PathBuf>, env: Option<PathBuf>) -> PathBuf {
    flag.or(env.filter(|p| !p.as_os_str().is_empty()))
        .unwrap_or_else(default_db_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_beats_env_beats_default() {
        let f = PathBuf::from("/tmp/flag.db");
        let e = PathBuf::from("/tmp/env.db");
        assert_eq!(resolve_with(Some(f.clone()), Some(e.clone())), f);
        assert_eq!(resolve_with(None, Some(e.clone())), e);
        assert_eq!(resolve_with(None, None), default_db_path());
        assert_eq!(resolve_with(None, Some(PathBuf::new())), default_db_path());
        assert!(default_db_path().ends_with("gdd/gdd.db"));
    }
}
