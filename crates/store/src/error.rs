use std::path::PathBuf;

use workflow::{Role, WorkflowError};

/// Everything the store can refuse. Display text is Vietnamese and says what
/// to do; [`StoreError::code`] is stable for programs and tests.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("Lỗi cơ sở dữ liệu: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("Không truy cập được tệp {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("Tệp {path} không phải cơ sở dữ liệu của phần mềm hoặc đã bị hỏng. Kiểm tra đường dẫn (--db hoặc biến GDD_DB), hoặc khôi phục từ bản sao lưu.")]
    NotADatabase { path: PathBuf },

    #[error("Tệp {path} là cơ sở dữ liệu của một chương trình khác, không phải của phần mềm cấp giấy đi đường: không mở và không ghi gì vào đó. Kiểm tra đường dẫn (--db hoặc biến GDD_DB).")]
    ForeignDatabase { path: PathBuf },

    #[error("Cơ sở dữ liệu đang bận{running}: một thao tác khác đang ghi (ứng dụng hoặc gdd trên máy này). Chưa có gì thay đổi; hãy thử lại sau ít phút.")]
    Busy { running: String },

    #[error("Lỗi ghi dữ liệu xuất: {0}")]
    Write(#[source] std::io::Error),

    #[error("Cơ sở dữ liệu này do phiên bản phần mềm mới hơn tạo ra (có bản cập nhật lược đồ số {version} «{name}» mà phiên bản này không biết). Hãy cài phiên bản mới nhất; không dùng phiên bản cũ để mở, tránh hỏng dữ liệu.")]
    NewerSchema { version: u32, name: String },

    #[error("Bản cập nhật lược đồ số {version} «{name}» đã áp dụng nhưng nội dung tệp đã bị thay đổi (mã băm khác). Phần mềm bị cài lẫn phiên bản hoặc bị sửa: hãy cài lại đúng phiên bản đã dùng với cơ sở dữ liệu này.")]
    MigrationChanged { version: u32, name: String },

    #[error("Phường đã được khởi tạo trên máy này ({code} – {name}).")]
    WardExists { code: String, name: String },

    #[error(
        "Chưa khởi tạo phường trên máy này. Hãy chạy khởi tạo phường (hoặc nạp dữ liệu mẫu) trước."
    )]
    WardMissing,

    #[error("Sai tên đăng nhập hoặc mật khẩu.")]
    BadCredentials,

    #[error("Đăng nhập sai quá nhiều lần: hãy đợi {wait_secs} giây rồi thử lại. Quên mật khẩu thì nhờ quản trị phường đặt lại.")]
    Throttled { wait_secs: u64 },

    #[error("Tài khoản «{username}» đã bị khoá. Liên hệ quản trị phường.")]
    UserDisabled { username: String },

    #[error("Chỉ {} mới được {action}.", roles_vi(.required))]
    Forbidden {
        action: &'static str,
        required: Vec<Role>,
    },

    #[error("Không tìm thấy {entity} «{key}».")]
    NotFound { entity: &'static str, key: String },

    /// Input that fails validation; `code` says which rule.
    #[error("{message}")]
    Invalid { code: &'static str, message: String },

    #[error("Giấy đi đường #{permit_id}: {source}")]
    Workflow {
        permit_id: i64,
        #[source]
        source: WorkflowError,
    },

    #[error("Không tạo được mã băm mật khẩu: {0}")]
    PasswordHash(String),

    /// A workstation key file or passphrase problem (keystore's code and message).
    #[error(transparent)]
    Key(#[from] keystore::KeyError),

    /// Building the activation request failed (keystore's code and message).
    #[error(transparent)]
    Request(#[from] keystore::RequestError),

    /// The install key was refused: the message says which check failed
    /// (permit's codes: `install_key.wrong_ward`, `signature.wrong_issuer`…).
    #[error("Khóa cài đặt bị từ chối: {0}.")]
    InstallKey(#[source] permit::PermitError),

    /// Signing one permit failed (field too long, out of the certificate's scope…).
    #[error("Giấy đi đường #{permit_id}: không ký được: {source}.")]
    Signing {
        permit_id: i64,
        #[source]
        source: permit::PermitError,
    },

    /// The list file could not be read at all (too big, corrupt, no header…).
    #[error(transparent)]
    Import(#[from] listimport::ImportError),
}

impl StoreError {
    /// Stable machine code, e.g. `store.newer_schema`, `auth.bad_credentials`,
    /// or the workflow's own code (`workflow.not_activated`, …).
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Sqlite(_) => "store.sqlite",
            StoreError::Io { .. } => "store.io",
            StoreError::NotADatabase { .. } => "store.not_a_database",
            StoreError::ForeignDatabase { .. } => "store.foreign_database",
            StoreError::Busy { .. } => "store.busy",
            StoreError::Write(_) => "store.write",
            StoreError::NewerSchema { .. } => "store.newer_schema",
            StoreError::MigrationChanged { .. } => "store.migration_changed",
            StoreError::WardExists { .. } => "store.ward_exists",
            StoreError::WardMissing => "store.ward_missing",
            StoreError::BadCredentials => "auth.bad_credentials",
            StoreError::UserDisabled { .. } => "auth.user_disabled",
            StoreError::Throttled { .. } => "auth.throttled",
            StoreError::Forbidden { .. } => "auth.forbidden",
            StoreError::NotFound { .. } => "store.not_found",
            StoreError::Invalid { code, .. } => code,
            StoreError::Workflow { source, .. } => source.code(),
            StoreError::Import(e) => e.code(),
            StoreError::Key(e) => e.code(),
            StoreError::Request(e) => e.code(),
            StoreError::InstallKey(e) => e.code(),
            StoreError::Signing { source, .. } => source.code(),
            StoreError::PasswordHash(_) => "auth.hash_failed",
        }
    }

    pub(crate) fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn not_found(entity: &'static str, key: impl ToString) -> Self {
        StoreError::NotFound {
            entity,
            key: key.to_string(),
        }
    }
}

fn roles_vi(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label_vi())
        .collect::<Vec<_>>()
        .join(" hoặc ")
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
