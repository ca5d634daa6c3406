//! Errors with a stable code (for logs, the CLI's JSON and the app) and a
//! Vietnamese message an official can act on.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum PdfError {
    #[error("Không có giấy đi đường nào để in: chọn ít nhất một giấy đã ký.")]
    EmptyBatch,
    #[error("Khổ in không hợp lệ: \"{0}\". Chọn một trong: a4-4, a5-2, a6.")]
    UnknownLayout(String),
    #[error("Không đọc được phông chữ nhúng ({0}). Cài lại phần mềm.")]
    Font(String),
    #[error("Giấy {serial}: mục \"{field}\" còn trống. Bổ sung thông tin rồi in lại.")]
    MissingField { serial: String, field: &'static str },
    #[error(
        "Giấy {serial}: mục \"{field}\" có ký tự {ch:?} (U+{code:04X}) mà phông chữ không có. \
         Sửa lại dữ liệu (gõ tiếng Việt Unicode dựng sẵn)."
    )]
    MissingGlyph {
        serial: String,
        field: &'static str,
        ch: char,
        code: u32,
    },
    #[error("Giấy {serial}: mục \"{field}\" quá dài, không in vừa khổ A6. Rút gọn nội dung.")]
    DoesNotFit { serial: String, field: &'static str },
    #[error("Giấy {serial}: không tạo được mã QR ({reason}). Ký lại giấy này.")]
    Qr { serial: String, reason: String },
    #[error(
        "Giấy {serial}: mã QR phiên bản {version} quá lớn để in rõ trên khổ A6 \
         (mỗi ô dưới 0,4 mm). Rút gọn nội dung giấy rồi ký lại."
    )]
    QrTooLarge { serial: String, version: i16 },
    #[error("Không ghi được tệp PDF: {0}. Kiểm tra ổ đĩa còn chỗ trống và quyền ghi.")]
    Io(#[from] std::io::Error),
}

impl PdfError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::EmptyBatch => "pdf.empty_batch",
            PdfError::UnknownLayout(_) => "pdf.unknown_layout",
            PdfError::Font(_) => "pdf.font",
            PdfError::MissingField { .. } => "pdf.missing_field",
            PdfError::MissingGlyph { .. } => "pdf.missing_glyph",
            PdfError::DoesNotFit { .. } => "pdf.does_not_fit",
            PdfError::Qr { .. } => "pdf.qr",
            PdfError::QrTooLarge { .. } => "pdf.qr_too_large",
            PdfError::Io(_) => "pdf.io",
        }
    }
}
