use std::path::PathBuf;

/// What a protected file is, said to the official.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protected {
    /// A SQLite database (ours or another program's).
    Database,
    /// A database's `-wal`, `-shm` or `-journal` file.
    Journal,
    /// An encrypted signing key (workstation or city root).
    SigningKey,
    /// A workstation's serial high-water mark.
    SerialMark,
    /// A file the caller named as its own (its database, key…).
    InUse,
}

impl Protected {
    fn label_vi(self) -> &'static str {
        match self {
            Protected::Database => "một cơ sở dữ liệu",
            Protected::Journal => "tệp nhật ký của một cơ sở dữ liệu",
            Protected::SigningKey => "một khóa ký đã mã hóa",
            Protected::SerialMark => "tệp mốc số sê-ri của máy trạm",
            Protected::InUse => "tệp dữ liệu đang dùng của phần mềm",
        }
    }
}

impl std::fmt::Display for Protected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label_vi())
    }
}

/// Why an output was not written. Whatever the error, the target is unchanged
/// and no temporary file is left behind.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("Tệp {path} đã có. Chọn tên tệp khác, hoặc xác nhận ghi đè (gdd: thêm --force).")]
    Exists { path: PathBuf },

    #[error("Không ghi ra {path}: đó là {what}, ghi đè sẽ làm mất dữ liệu. Chọn tên tệp khác.")]
    Protected { path: PathBuf, what: Protected },

    #[error("{path} là một thư mục: cần đường dẫn của một tệp.")]
    IsDirectory { path: PathBuf },

    #[error("Không ghi được tệp {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl OutputError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            OutputError::Exists { .. } => "output.exists",
            OutputError::Protected { .. } => "output.protected",
            OutputError::IsDirectory { .. } => "output.is_directory",
            OutputError::Io { .. } => "output.io",
        }
    }
}
