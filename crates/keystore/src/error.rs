//! Errors of key storage and passphrases: each variant has a stable code
//! (`code()`) for the CLI's JSON and the UI, and a Vietnamese message that
//! tells the administrator what to do.

use std::path::PathBuf;
use thiserror::Error;

use crate::passphrase::PassphraseProblem;

#[derive(Debug, Error)]
pub enum KeyError {
    #[error(
        "Sai mật khẩu của tệp khóa. Kiểm tra phím Caps Lock và bộ gõ tiếng Việt (Unikey/Telex) \
         rồi nhập lại. (Nếu chắc chắn mật khẩu đúng thì tệp đã bị sửa có chủ đích: dùng bản sao lưu.)"
    )]
    BadPassphrase,
    #[error("Tệp khóa bị hỏng hoặc không đầy đủ ({0}). Dùng bản sao lưu của tệp khóa.")]
    Corrupt(String),
    #[error(
        "Tệp khóa được tạo bởi phiên bản phần mềm mới hơn ({0}). Cập nhật phần mềm rồi thử lại."
    )]
    Unsupported(String),
    #[error("Không tìm thấy tệp khóa {}", .0.display())]
    NotFound(PathBuf),
    #[error("Không đọc được tệp khóa {}: {message}", .path.display())]
    ReadFailed { path: PathBuf, message: String },
    #[error(
        "Không ghi được tệp khóa {}: {message}. Tệp cũ (nếu có) vẫn còn nguyên; \
         kiểm tra dung lượng đĩa và quyền ghi thư mục rồi thử lại.",
        .path.display()
    )]
    WriteFailed { path: PathBuf, message: String },
    #[error(
        "Tệp khóa {} đã có. Không ghi đè một khóa đang dùng: chọn tên tệp khác, \
         hoặc cất tệp cũ đi nếu thật sự muốn tạo khóa mới.",
        .0.display()
    )]
    Exists(PathBuf),
    #[error("Nhãn mục đích của khóa không hợp lệ: {0}")]
    BadLabel(String),
    #[error("Tham số tạo khóa từ mật khẩu (Argon2id) không hợp lệ: {0}")]
    BadKdfParams(String),
    #[error("Không lấy được số ngẫu nhiên từ hệ điều hành: {0}")]
    Rng(String),

    #[error("Mật khẩu mới chưa đạt yêu cầu: {0}")]
    WeakPassphrase(PassphraseProblem),
    #[error("Hai lần nhập mật khẩu không giống nhau. Nhập lại.")]
    PassphraseMismatch,
    #[error(
        "Cần mật khẩu nhưng không hỏi được ({message}): chạy lệnh trong cửa sổ dòng lệnh \
         để nhập khi được hỏi{sources}."
    )]
    PassphraseUnavailable { sources: String, message: String },
    #[error("Không đọc được tệp mật khẩu {}: {message}", .path.display())]
    PassphraseFile { path: PathBuf, message: String },
    #[error("Biến môi trường {0} có nhưng rỗng hoặc không phải văn bản UTF-8")]
    PassphraseEnv(String),
}

impl KeyError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::BadPassphrase => "key.bad_passphrase",
            KeyError::Corrupt(_) => "key.corrupt",
            KeyError::Unsupported(_) => "key.unsupported",
            KeyError::NotFound(_) => "key.not_found",
            KeyError::ReadFailed { .. } => "key.read_failed",
            KeyError::WriteFailed { .. } => "key.write_failed",
            KeyError::Exists(_) => "key.exists",
            KeyError::BadLabel(_) => "key.bad_label",
            KeyError::BadKdfParams(_) => "key.bad_kdf_params",
            KeyError::Rng(_) => "key.rng_failed",
            KeyError::WeakPassphrase(p) => p.code(),
            KeyError::PassphraseMismatch => "passphrase.mismatch",
            KeyError::PassphraseUnavailable { .. } => "passphrase.unavailable",
            KeyError::PassphraseFile { .. } => "passphrase.file_unreadable",
            KeyError::PassphraseEnv(_) => "passphrase.env_invalid",
        }
    }
}

/// Errors of the activation request: building one (invalid fields) and
/// reading one pasted from an email.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RequestError {
    #[error(
        "Không thấy khối «-----BEGIN GDD ACTIVATION REQUEST-----» trong văn bản: dán nguyên văn \
         thư yêu cầu kích hoạt, gồm cả dòng BEGIN và END"
    )]
    NotFound,
    #[error(
        "Khối yêu cầu kích hoạt không đầy đủ ({0}): thư đã bị cắt; chép lại cả khối đến dòng \
         «-----END GDD ACTIVATION REQUEST-----»"
    )]
    Incomplete(String),
    #[error(
        "Khối yêu cầu kích hoạt bị sai ký tự ({0}): có thể do chép tay hoặc chương trình thư sửa \
         nội dung; đề nghị phường gửi lại tệp yêu cầu"
    )]
    Garbled(String),
    #[error(
        "Yêu cầu kích hoạt lập bằng phiên bản phần mềm mới hơn (định dạng {0}): cập nhật công cụ \
         của thành phố"
    )]
    Unsupported(u8),
    #[error("Yêu cầu kích hoạt không đọc được ({0}): đề nghị phường lập và gửi lại yêu cầu")]
    Malformed(String),
    #[error(
        "Chữ ký của yêu cầu kích hoạt không khớp nội dung: yêu cầu đã bị thay đổi hoặc chép sai. \
         Không cấp khóa; đề nghị phường gửi lại yêu cầu"
    )]
    BadSignature,
    #[error("Khóa dùng để ký không phải khóa ghi trong yêu cầu kích hoạt")]
    KeyMismatch,
    #[error(
        "Văn bản có {0} khối yêu cầu kích hoạt khác nhau: xử lý từng yêu cầu một (mỗi máy trạm \
         một yêu cầu)"
    )]
    Multiple(usize),

    #[error("Mã phường/xã «{0}» không hợp lệ: cần 5 chữ số theo danh mục đơn vị hành chính (ví dụ 00004)")]
    InvalidWardCode(String),
    #[error("Phiên bản danh mục đơn vị hành chính «{0}» không hợp lệ: dùng dạng NĂM-THÁNG, ví dụ 2025-07")]
    InvalidDataset(String),
    #[error("Tên phường/xã «{0}» không hợp lệ: cần từ 1 đến 100 ký tự, không có ký tự điều khiển")]
    InvalidWardName(String),
    #[error("Số máy trạm {0} không hợp lệ: từ 1 đến 99")]
    InvalidWorkstation(u8),
    #[error("Địa chỉ email «{0}» không hợp lệ (ví dụ: ubnd.phuongbadinh@gmail.com)")]
    InvalidEmail(String),
    #[error("Cần ít nhất một email liên hệ để thành phố gửi khóa cài đặt")]
    NoEmail,
    #[error("Nhiều nhất {max} email liên hệ (đang có {count})")]
    TooManyEmails { count: usize, max: usize },
    #[error("Email «{0}» bị ghi hai lần")]
    DuplicateEmail(String),
}

impl RequestError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        use RequestError::*;
        match self {
            NotFound => "request.not_found",
            Incomplete(_) => "request.incomplete",
            Garbled(_) => "request.garbled",
            Unsupported(_) => "request.unsupported",
            Malformed(_) => "request.malformed",
            BadSignature => "request.bad_signature",
            KeyMismatch => "request.key_mismatch",
            Multiple(_) => "request.multiple",
            InvalidWardCode(_) => "request.invalid_ward_code",
            InvalidDataset(_) => "request.invalid_dataset",
            InvalidWardName(_) => "request.invalid_ward_name",
            InvalidWorkstation(_) => "request.invalid_workstation",
            InvalidEmail(_) => "request.invalid_email",
            NoEmail => "request.no_email",
            TooManyEmails { .. } => "request.too_many_emails",
            DuplicateEmail(_) => "request.duplicate_email",
        }
    }
}
