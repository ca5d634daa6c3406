//! The one error shape the UI receives: a stable code for programs and tests, and a
//! Vietnamese message for the official.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    /// The print job a failure belongs to, for the "In lại lệnh #N" button.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<i64>,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ApiError {
            code: code.to_string(),
            message: message.into(),
            job_id: None,
        }
    }

    pub fn not_logged_in() -> Self {
        Self::new(
            "app.not_logged_in",
            "Phiên làm việc đã kết thúc hoặc chưa đăng nhập. Hãy đăng nhập lại.",
        )
    }

    /// A panic while the store was locked left it unusable until restart.
    pub fn poisoned() -> Self {
        Self::new(
            "app.internal",
            "Lỗi nội bộ của ứng dụng. Hãy đóng và mở lại ứng dụng.",
        )
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

impl From<keystore::KeyError> for ApiError {
    fn from(e: keystore::KeyError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

impl From<permit::PermitError> for ApiError {
    fn from(e: permit::PermitError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

impl From<verify::scan::ScanError> for ApiError {
    fn from(e: verify::scan::ScanError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for ApiError {}
