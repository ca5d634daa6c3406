//! Validation errors: one variant per thing a ward official can fix, each with
//! a stable machine code (`code()`) and a Vietnamese message (`Display`).

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValidationError {
    #[error("Thiếu họ và tên")]
    NameEmpty,
    #[error("Họ và tên «{0}» có chữ số hoặc ký tự không hợp lệ")]
    NameInvalid(String),
    #[error("Họ và tên quá dài ({0} ký tự, tối đa 100)")]
    NameTooLong(usize),

    #[error("Thiếu số giấy tờ tùy thân (CCCD/CMND/hộ chiếu)")]
    IdEmpty,
    #[error(
        "Không nhận ra loại giấy tờ từ số «{0}»: CCCD có 12 chữ số, CMND 9 hoặc 12 chữ số, \
         hộ chiếu Việt Nam 1 chữ cái + 7 chữ số; giấy tờ khác cần ghi rõ loại giấy tờ"
    )]
    IdUnrecognized(String),
    #[error("Số CCCD «{number}» phải có đúng 12 chữ số (đang có {len})")]
    CccdLength { number: String, len: usize },
    #[error(
        "Số CCCD «{number}»: 3 chữ số đầu «{code}» không phải mã tỉnh/thành nơi đăng ký khai sinh \
         (ví dụ 001 là Hà Nội)"
    )]
    CccdProvince { number: String, code: String },
    #[error(
        "Số CCCD «{number}» ghi năm sinh {cccd_year} nhưng ngày sinh khai là năm {dob_year}: \
         kiểm tra lại số CCCD hoặc ngày sinh"
    )]
    CccdBirthYear {
        number: String,
        cccd_year: i32,
        dob_year: i32,
    },
    #[error(
        "Số CCCD «{number}» là của người {cccd_sex} nhưng giới tính khai là {given_sex}: \
         kiểm tra lại số CCCD hoặc giới tính"
    )]
    CccdSex {
        number: String,
        cccd_sex: &'static str,
        given_sex: &'static str,
    },
    #[error("Số CMND «{number}» phải có 9 hoặc 12 chữ số (đang có {len})")]
    CmndLength { number: String, len: usize },
    #[error(
        "Số hộ chiếu Việt Nam «{0}» phải gồm 1 chữ cái và 7 chữ số (ví dụ C1234567); \
         hộ chiếu nước ngoài cần ghi rõ loại giấy tờ (ví dụ «Hộ chiếu Hàn Quốc»)"
    )]
    PassportFormat(String),
    #[error("Số giấy tờ «{0}» có ký tự không hợp lệ (chỉ dùng chữ cái, chữ số, dấu gạch ngang)")]
    IdChars(String),

    #[error("Số điện thoại «{0}» không hợp lệ: di động 10 chữ số (03, 05, 07, 08, 09…), cố định 11 chữ số (024…)")]
    PhoneInvalid(String),
    #[error("Số điện thoại «{0}» có đầu số không tồn tại ở Việt Nam")]
    PhonePrefix(String),

    #[error("Ngày «{0}» không đọc được: ghi theo dạng ngày/tháng/năm, ví dụ 05/09/1990")]
    DateInvalid(String),
    #[error("Ngày sinh {0} ở tương lai")]
    BirthInFuture(String),
    #[error("Ngày sinh {0} không hợp lý (tuổi trên 120)")]
    BirthTooOld(String),

    #[error("Giới tính «{0}» không rõ: ghi Nam hoặc Nữ")]
    SexInvalid(String),
}

impl ValidationError {
    /// Stable machine code, for the CLI's JSON and the UI.
    pub fn code(&self) -> &'static str {
        use ValidationError::*;
        match self {
            NameEmpty => "name.empty",
            NameInvalid(_) => "name.invalid",
            NameTooLong(_) => "name.too_long",
            IdEmpty => "id.empty",
            IdUnrecognized(_) => "id.unrecognized",
            CccdLength { .. } => "cccd.length",
            CccdProvince { .. } => "cccd.bad_province",
            CccdBirthYear { .. } => "cccd.birth_year_mismatch",
            CccdSex { .. } => "cccd.sex_mismatch",
            CmndLength { .. } => "cmnd.length",
            PassportFormat(_) => "passport.format",
            IdChars(_) => "id.bad_chars",
            PhoneInvalid(_) => "phone.invalid",
            PhonePrefix(_) => "phone.bad_prefix",
            DateInvalid(_) => "date.invalid",
            BirthInFuture(_) => "dob.future",
            BirthTooOld(_) => "dob.implausible",
            SexInvalid(_) => "sex.invalid",
        }
    }
}

/// Vietnamese word for a sex, for messages.
pub(crate) fn sex_vi(s: crate::Sex) -> &'static str {
    match s {
        crate::Sex::Male => "nam",
        crate::Sex::Female => "nữ",
    }
}
