use std::path::PathBuf;

/// Everything printing can fail with. Display text is Vietnamese and says what to do;
/// [`PrintError::code`] is stable for programs, the store (a failed job's `last_error`) and tests.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("Chưa cài công cụ in «{tool}» ({system}): nhờ quản trị phường cài đặt dịch vụ in rồi in lại.")]
    ToolMissing { tool: String, system: &'static str },

    #[error("Dịch vụ in của máy tính chưa chạy: khởi động lại máy tính (hoặc dịch vụ in) rồi in lại. Chi tiết: {detail}")]
    ServiceDown { detail: String },

    #[error("Không tìm thấy máy in «{printer}»: chọn lại máy in trong danh sách máy in.")]
    PrinterNotFound { printer: String },

    #[error("Máy in «{printer}» đang tắt hoặc không nhận lệnh in: bật máy in rồi in lại.{}", reason_suffix(.reason))]
    NotAccepting { printer: String, reason: String },

    #[error("Không đọc được tệp cần in {path}: {detail}")]
    File { path: PathBuf, detail: String },

    #[error("Lệnh in không hợp lệ: {0}")]
    InvalidRequest(String),

    #[error("Không tìm thấy lệnh in {job} trong hàng đợi của máy in.")]
    JobNotFound { job: String },

    #[error("Lệnh in {job} không in được{}: kiểm tra máy in (giấy, mực, kết nối) rồi in lại.", reason_paren(.reason))]
    JobFailed { job: String, reason: String },

    #[error("Lệnh in {job} bị dừng trên máy in{}: bật máy in rồi in lại.", reason_paren(.reason))]
    JobStopped { job: String, reason: String },

    #[error("Lệnh in {job} đã bị huỷ trước khi in xong: in lại nếu cần.")]
    JobCanceled { job: String },

    #[error("Máy in chưa in xong lệnh {job} sau {seconds} giây: kiểm tra máy in (giấy, mực, kết nối) rồi in lại.")]
    Timeout { job: String, seconds: u64 },

    #[error("Công cụ in «{tool}» báo lỗi: {detail}")]
    Tool { tool: String, detail: String },

    #[error("Máy tính này chưa hỗ trợ in trực tiếp: {0}")]
    Unsupported(String),
}

fn reason_suffix(reason: &str) -> String {
    if reason.trim().is_empty() {
        String::new()
    } else {
        format!(" (Lý do: {})", reason.trim())
    }
}

fn reason_paren(reason: &str) -> String {
    if reason.trim().is_empty() {
        String::new()
    } else {
        format!(" ({})", reason.trim())
    }
}

impl PrintError {
    /// Stable machine code, e.g. `print.printer_not_found`.
    pub fn code(&self) -> &'static str {
        match self {
            PrintError::ToolMissing { .. } => "print.tool_missing",
            PrintError::ServiceDown { .. } => "print.service_down",
            PrintError::PrinterNotFound { .. } => "print.printer_not_found",
            PrintError::NotAccepting { .. } => "print.not_accepting",
            PrintError::File { .. } => "print.file",
            PrintError::InvalidRequest(_) => "print.invalid_request",
            PrintError::JobNotFound { .. } => "print.job_not_found",
            PrintError::JobFailed { .. } => "print.job_failed",
            PrintError::JobStopped { .. } => "print.job_stopped",
            PrintError::JobCanceled { .. } => "print.job_canceled",
            PrintError::Timeout { .. } => "print.timeout",
            PrintError::Tool { .. } => "print.tool_failed",
            PrintError::Unsupported(_) => "print.unsupported",
        }
    }

    /// Worth trying again later without changing anything (the printer may come back).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            PrintError::ServiceDown { .. }
                | PrintError::NotAccepting { .. }
                | PrintError::JobFailed { .. }
                | PrintError::JobStopped { .. }
                | PrintError::Timeout { .. }
        )
    }
}
