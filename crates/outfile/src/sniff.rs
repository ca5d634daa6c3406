//! Recognizing files that must never be written over, by name and by content.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::Protected;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// A WAL file's header magic (big-endian, either checksum byte order).
const WAL_MAGIC: [[u8; 4]; 2] = [[0x37, 0x7f, 0x06, 0x82], [0x37, 0x7f, 0x06, 0x83]];
/// keystore's armored sealed keys (workstation and city root).
const KEY_ARMOR: &[u8] = b"-----BEGIN GDD ENCRYPTED";

/// What `path` is, if it must never be written over: a database, a
/// database's journal (even before it exists), a sealed key, a serial mark.
/// `Ok(None)` for anything else, existing or not.
pub fn identify(path: &Path) -> io::Result<Option<Protected>> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if is_serial_mark_name(&name) {
        return Ok(Some(Protected::SerialMark));
    }
    for suffix in ["-wal", "-shm", "-journal"] {
        if let Some(base) = path.to_string_lossy().strip_suffix(suffix) {
            if starts_with(Path::new(base), &[SQLITE_MAGIC])? {
                return Ok(Some(Protected::Journal));
            }
        }
    }
    if starts_with(path, &[SQLITE_MAGIC])? {
        return Ok(Some(Protected::Database));
    }
    if starts_with(path, &[&WAL_MAGIC[0], &WAL_MAGIC[1]])? {
        return Ok(Some(Protected::Journal));
    }
    if starts_with_text(path, KEY_ARMOR)? {
        return Ok(Some(Protected::SigningKey));
    }
    Ok(None)
}

/// `<db>-serials-<ward>-<workstation>.txt` (store's serial mark).
fn is_serial_mark_name(name: &str) -> bool {
    name.strip_suffix(".txt")
        .and_then(|s| s.rsplit_once("-serials-"))
        .is_some_and(|(_, tail)| {
            let mut parts = tail.split('-');
            matches!(
                (parts.next(), parts.next(), parts.next()),
                (Some(w), Some(n), None) if is_digits(w) && is_digits(n)
            )
        })
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The first bytes of a regular file; `None` when there is no such file.
fn head(path: &Path, n: usize) -> io::Result<Option<Vec<u8>>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if !file.metadata()?.is_file() {
        return Ok(None);
    }
    let mut buf = Vec::with_capacity(n);
    file.take(n as u64).read_to_end(&mut buf)?;
    Ok(Some(buf))
}

fn starts_with(path: &Path, magics: &[&[u8]]) -> io::Result<bool> {
    let Some(h) = head(path, 16)? else {
        return Ok(false);
    };
    Ok(magics.iter().any(|m| h.starts_with(m)))
}

/// Text that may start with a BOM or blank lines (edited in Notepad).
fn starts_with_text(path: &Path, prefix: &[u8]) -> io::Result<bool> {
    let Some(h) = head(path, 256)? else {
        return Ok(false);
    };
    let h = h.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&h);
    let start = h
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(h.len());
    Ok(h[start..].starts_with(prefix))
}

/// Whether `a` and `b` name the same file, existing or not: the same inode
/// when both exist (hard links, symlinks), else the same absolute path with
/// the folder resolved (`./x.db`, `dir/../x.db`).
pub(crate) fn same_path(a: &Path, b: &Path) -> bool {
    if let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if ma.dev() == mb.dev() && ma.ino() == mb.ino() {
                return true;
            }
        }
        #[cfg(not(unix))]
        let _ = (ma, mb);
    }
    match (resolved(a), resolved(b)) {
        (Some(x), Some(y)) => {
            if cfg!(windows) {
                x.to_string_lossy().to_lowercase() == y.to_string_lossy().to_lowercase()
            } else {
                x == y
            }
        }
        _ => false,
    }
}

fn resolved(p: &Path) -> Option<PathBuf> {
    let name = p.file_name()?;
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir = std::fs::canonicalize(&dir)
        .ok()
        .or_else(|| std::path::absolute(&dir).ok())?;
    Some(dir.join(name))
}
