//! Write a file so that a crash, a full disk or a power cut leaves either the
//! old file or the new one, never a mix: write a temporary file in the same
//! directory, flush it to disk, then rename it over the target.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use crate::error::KeyError;

/// Write `data` to `path` atomically, readable by the owner only on Unix.
/// With `overwrite == false`, an existing file is an error (`key.exists`).
pub(crate) fn write_file(path: &Path, data: &[u8], overwrite: bool) -> Result<(), KeyError> {
    write_file_with(path, data, overwrite, |f, d| f.write_all(d))
}

/// As [`write_file`], with the step that writes the bytes supplied by the
/// caller: tests use it to fail half-way the way a full disk does.
pub(crate) fn write_file_with(
    path: &Path,
    data: &[u8],
    overwrite: bool,
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> Result<(), KeyError> {
    let fail = |e: io::Error| KeyError::WriteFailed {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let name = path.file_name().ok_or_else(|| {
        fail(io::Error::new(
            io::ErrorKind::InvalidInput,
            "đường dẫn không phải tên tệp",
        ))
    })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let exists = || path.symlink_metadata().is_ok();
    if !overwrite && exists() {
        return Err(KeyError::Exists(path.to_path_buf()));
    }

    let mut rnd = [0u8; 6];
    getrandom::fill(&mut rnd).map_err(|e| KeyError::Rng(e.to_string()))?;
    let suffix: String = rnd.iter().map(|b| format!("{b:02x}")).collect();
    let tmp = dir.join(format!(".{}.{suffix}.tmp", name.to_string_lossy()));

    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts.open(&tmp).map_err(fail)?;
    let written = write(&mut file, data).and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(fail(e));
    }
    // Checked again just before the rename, to keep the window for a
    // concurrent creator as small as possible.
    if !overwrite && exists() {
        let _ = fs::remove_file(&tmp);
        return Err(KeyError::Exists(path.to_path_buf()));
    }
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(fail(e));
    }
    // Make the rename itself durable. Best effort: the new file is already in
    // place and readable, and a failure here cannot be undone.
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_replaces_and_refuses_to_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.key");
        write_file(&path, b"one", false).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert_eq!(
            write_file(&path, b"two", false).unwrap_err().code(),
            "key.exists"
        );
        assert_eq!(fs::read(&path).unwrap(), b"one");
        write_file(&path, b"three", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"three");
        assert_eq!(names(dir.path()), vec!["k.key"]);
    }

    #[cfg(unix)]
    #[test]
    fn owner_only_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.key");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write_file(&path, b"new", true).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_debris() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.key");
        fs::write(&path, b"old key").unwrap();
        // Half the bytes reach the disk, then the disk is full.
        let e = write_file_with(&path, b"new key text", true, |f, d| {
            f.write_all(&d[..d.len() / 2])?;
            Err(io::Error::from_raw_os_error(28))
        })
        .unwrap_err();
        assert_eq!(e.code(), "key.write_failed");
        let os_message = io::Error::from_raw_os_error(28).to_string();
        assert!(e.to_string().contains(&os_message), "{e}");
        assert_eq!(fs::read(&path).unwrap(), b"old key");
        assert_eq!(names(dir.path()), vec!["k.key"]);
    }

    #[test]
    fn missing_directory_is_a_write_failure() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/dir/k.key");
        let e = write_file(&path, b"x", false).unwrap_err();
        assert_eq!(e.code(), "key.write_failed");
        assert!(e.to_string().contains("k.key"), "{e}");
    }
}
