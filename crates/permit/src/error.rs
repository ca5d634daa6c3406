//! One error type for the formats; each variant has a stable code and a
//! Vietnamese message an official can act on.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PermitError {
    #[error("dữ liệu bị cắt cụt: thiếu phần {0}")]
    Truncated(&'static str),
    #[error("dữ liệu có {0} byte thừa ở cuối")]
    TrailingBytes(usize),
    #[error("phiên bản định dạng {0} không được hỗ trợ (cần cập nhật phần mềm)")]
    UnsupportedVersion(u8),
    #[error("mã không bắt đầu bằng \"{0}\": không phải giấy đi đường của hệ thống này")]
    BadPrefix(&'static str),
    #[error("mã chứa ký tự không hợp lệ (Base45/Base32): có thể quét sai hoặc chép thiếu")]
    BadEncoding,
    #[error("trường \"{0}\" có giá trị không hợp lệ")]
    BadField(&'static str),
    #[error("văn bản trong trường \"{0}\" không giải mã được")]
    BadText(&'static str),
    #[error("trường \"{field}\" dài {len} ký tự, tối đa {max}")]
    TextTooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("trường \"{0}\" không được để trống")]
    EmptyText(&'static str),
    #[error("trường \"{0}\" chưa chuẩn hóa Unicode NFC")]
    NotNfc(&'static str),
    #[error("số giấy tờ \"{0}\" không đúng dạng của loại giấy tờ đã chọn")]
    BadIdNumber(String),
    #[error("ngày \"{0}\" nằm ngoài khoảng mã hóa được")]
    DateOutOfRange(&'static str),
    #[error("khóa công khai không hợp lệ")]
    BadPublicKey,
    #[error("chữ ký số không đúng: dữ liệu đã bị sửa hoặc không do khóa này ký")]
    BadSignature,
    #[error("chứng thư không do khóa gốc này cấp")]
    WrongIssuer,
    #[error("khóa cài đặt dành cho phường {cert} (danh mục {cert_dataset}), không phải phường {ours} (danh mục {our_dataset}) của máy này")]
    InstallWrongWard {
        cert: String,
        cert_dataset: String,
        ours: String,
        our_dataset: String,
    },
    #[error("khóa cài đặt dành cho máy trạm số {cert}, máy này là số {ours}")]
    InstallWrongWorkstation { cert: u8, ours: u8 },
    #[error("khóa cài đặt được cấp cho một khóa ký khác (mã khóa {cert}), không phải khóa của máy này ({ours}): hãy gửi lại yêu cầu kích hoạt mới nhất")]
    InstallWrongKey { cert: String, ours: String },
    #[error("khóa cài đặt đã hết hạn ngày {0}: xin thành phố cấp khóa mới")]
    InstallExpired(String),
    #[error("khóa cài đặt chỉ có hiệu lực từ ngày {0}")]
    InstallNotYetValid(String),
    #[error("máy trạm không được phép ký giấy này: {0}")]
    OutOfScope(String),
    #[error("không tìm thấy dòng mở đầu \"{0}\" trong văn bản")]
    ArmorMissingHeader(String),
    #[error("không tìm thấy dòng kết thúc \"{0}\": văn bản bị cắt mất phần cuối")]
    ArmorMissingFooter(String),
    #[error("văn bản bị hỏng khi sao chép (sai mã kiểm tra): hãy chép lại nguyên văn từ thư")]
    ArmorChecksum,
}

impl PermitError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            PermitError::Truncated(_) => "format.truncated",
            PermitError::TrailingBytes(_) => "format.trailing_bytes",
            PermitError::UnsupportedVersion(_) => "format.unsupported_version",
            PermitError::BadPrefix(_) => "format.bad_prefix",
            PermitError::BadEncoding => "format.bad_encoding",
            PermitError::BadField(_) => "format.bad_field",
            PermitError::BadText(_) => "format.bad_text",
            PermitError::TextTooLong { .. } => "format.text_too_long",
            PermitError::EmptyText(_) => "format.empty_text",
            PermitError::NotNfc(_) => "format.not_nfc",
            PermitError::BadIdNumber(_) => "format.bad_id_number",
            PermitError::DateOutOfRange(_) => "format.date_out_of_range",
            PermitError::BadPublicKey => "format.bad_public_key",
            PermitError::BadSignature => "signature.bad",
            PermitError::WrongIssuer => "signature.wrong_issuer",
            PermitError::InstallWrongWard { .. } => "install_key.wrong_ward",
            PermitError::InstallWrongWorkstation { .. } => "install_key.wrong_workstation",
            PermitError::InstallWrongKey { .. } => "install_key.wrong_key",
            PermitError::InstallExpired(_) => "install_key.expired",
            PermitError::InstallNotYetValid(_) => "install_key.not_yet_valid",
            PermitError::OutOfScope(_) => "permit.out_of_scope",
            PermitError::ArmorMissingHeader(_) => "armor.missing_header",
            PermitError::ArmorMissingFooter(_) => "armor.missing_footer",
            PermitError::ArmorChecksum => "armor.checksum",
        }
    }
}
