//! Output files that never destroy what they replace.
//!
//! Every file a command writes for the official (exports, PDFs, lists,
//! requests, install keys) goes through [`OutputFile`]: the bytes go to a
//! temporary file in the target's folder (owner-only on Unix), are flushed to
//! disk, and only then renamed over the target, so a crash or a full disk
//! leaves the old file or the new one, never half of one. Before anything is
//! written, and again just before the rename:
//!
//! - a protected file is refused whatever the caller says: a SQLite database
//!   (ours or another program's), a database's `-wal`/`-shm`/`-journal`, an
//!   encrypted signing key, a workstation's serial mark, and any path the
//!   caller names as its own ([`Options::protect`]);
//! - an existing file is replaced only with [`Options::force`] (`--force` in
//!   `gdd`, a confirmation in the app).
//!
//! ```no_run
//! use std::io::Write;
//! let opts = outfile::Options::new().protect(["/data/gdd.db".into()]);
//! let mut out = outfile::OutputFile::create("duyet.csv".as_ref(), &opts)?;
//! out.write_all(b"ma_giay,ho_ten\r\n")?;
//! out.commit()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod sniff;

pub use error::{OutputError, Protected};
pub use sniff::identify;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// How an output may be written.
#[derive(Debug, Clone, Default)]
pub struct Options {
    force: bool,
    protected: Vec<PathBuf>,
}

impl Options {
    pub fn new() -> Self {
        Self::default()
    }

    /// Replace an existing file (never a protected one).
    pub fn force(mut self, yes: bool) -> Self {
        self.force = yes;
        self
    }

    /// Files that must never be written over, existing or not (the caller's
    /// database and the files beside it).
    pub fn protect(mut self, paths: impl IntoIterator<Item = PathBuf>) -> Self {
        self.protected.extend(paths);
        self
    }

    pub fn is_forced(&self) -> bool {
        self.force
    }
}

/// Whether `path` may be written under `opts`, without writing anything: the
/// app asks this first, to show a confirmation for an existing file.
pub fn check(path: &Path, opts: &Options) -> Result<(), OutputError> {
    if opts.protected.iter().any(|p| sniff::same_path(path, p)) {
        return Err(OutputError::Protected {
            path: path.to_path_buf(),
            what: Protected::InUse,
        });
    }
    if let Some(what) = identify(path).map_err(|source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    })? {
        return Err(OutputError::Protected {
            path: path.to_path_buf(),
            what,
        });
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(OutputError::IsDirectory {
            path: path.to_path_buf(),
        }),
        Ok(_) if !opts.force => Err(OutputError::Exists {
            path: path.to_path_buf(),
        }),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // A dangling symlink: renaming would replace the link, but say so plainly.
            if path.symlink_metadata().is_ok() && !opts.force {
                return Err(OutputError::Exists {
                    path: path.to_path_buf(),
                });
            }
            Ok(())
        }
        Err(source) => Err(OutputError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// An output being written: a temporary file beside the target until [`OutputFile::commit`].
/// Dropped without commit, it leaves nothing behind.
pub struct OutputFile {
    tmp: BufWriter<tempfile::NamedTempFile>,
    target: PathBuf,
    opts: Options,
}

impl OutputFile {
    /// Check `path` under `opts` and open a temporary file in its folder.
    pub fn create(path: &Path, opts: &Options) -> Result<OutputFile, OutputError> {
        check(path, opts)?;
        let dir = folder_of(path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| OutputError::IsDirectory {
                path: path.to_path_buf(),
            })?;
        // tempfile creates it 0600 on Unix: personal data is the owner's only.
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|source| OutputError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(OutputFile {
            tmp: BufWriter::with_capacity(64 * 1024, tmp),
            target: path.to_path_buf(),
            opts: opts.clone(),
        })
    }

    /// Where the file will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The temporary file, for writers that need a `File` (seek, set_len).
    pub fn as_file_mut(&mut self) -> io::Result<&mut File> {
        self.tmp.flush()?;
        Ok(self.tmp.get_mut().as_file_mut())
    }

    /// Flush to disk and rename over the target (checked again first). Returns the target.
    pub fn commit(self) -> Result<PathBuf, OutputError> {
        let target = self.target;
        let io_err = |source| OutputError::Io {
            path: target.clone(),
            source,
        };
        let tmp = self.tmp.into_inner().map_err(|e| io_err(e.into_error()))?;
        tmp.as_file().sync_all().map_err(io_err)?;
        // Checked again: the target may have appeared (or become a database) meanwhile.
        check(&target, &self.opts)?;
        let persisted = if self.opts.force {
            tmp.persist(&target)
        } else {
            tmp.persist_noclobber(&target)
        };
        persisted.map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                OutputError::Exists {
                    path: target.clone(),
                }
            } else {
                io_err(e.error)
            }
        })?;
        // The rename itself made durable; best effort, the file is already in place.
        #[cfg(unix)]
        if let Ok(d) = File::open(folder_of(&target)) {
            let _ = d.sync_all();
        }
        Ok(target)
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

/// Write `bytes` to `path` as one output (see [`OutputFile`]).
pub fn write(path: &Path, bytes: &[u8], opts: &Options) -> Result<PathBuf, OutputError> {
    let mut out = OutputFile::create(path, opts)?;
    out.write_all(bytes).map_err(|source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    out.commit()
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests;
