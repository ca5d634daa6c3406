//! File-level import errors: the whole file is refused. Row-level problems are
//! not errors but entries of the report (`InvalidRow`).

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("Không đọc được tệp «{name}»: {source}")]
    Io {
        name: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "Tệp «{name}» nặng {size_mb:.1} MB, vượt giới hạn {limit_mb} MB: \
         đề nghị đơn vị tách danh sách thành nhiều tệp nhỏ hơn"
    )]
    FileTooLarge {
        name: String,
        size_mb: f64,
        limit_mb: u64,
    },
    #[error(
        "Danh sách có {rows} dòng dữ liệu, vượt giới hạn {limit} dòng: \
         đề nghị đơn vị tách thành nhiều tệp"
    )]
    TooManyRows { rows: usize, limit: usize },
    #[error(
        "Tệp .xlsx «{name}» khi giải nén vượt {limit_mb} MB (tệp bất thường, có thể là tệp độc hại): \
         không xử lý"
    )]
    UnpackedTooLarge { name: String, limit_mb: u64 },
    #[error(
        "Trang «{sheet}» của tệp «{name}» trải rộng quá lớn ({rows} dòng × {cols} cột): \
         có ô dữ liệu nằm rất xa danh sách, đề nghị xóa các ô thừa rồi gửi lại"
    )]
    SheetTooLarge {
        name: String,
        sheet: String,
        rows: usize,
        cols: usize,
    },
    #[error(
        "Tệp «{name}» không phải bảng tính (.xlsx, .xls) hay tệp .csv: \
         đề nghị đơn vị gửi lại danh sách theo mẫu"
    )]
    NotSpreadsheet { name: String },
    #[error("Tệp «{name}» bị hỏng hoặc có mật khẩu, không mở được ({detail})")]
    Corrupt { name: String, detail: String },
    #[error(
        "Tệp «{name}» chứa quá nhiều chữ (hơn {limit_mb} MB văn bản): tệp bất thường hoặc \
         quá lớn, đề nghị đơn vị tách danh sách thành nhiều tệp nhỏ hơn"
    )]
    TooMuchText { name: String, limit_mb: usize },
    #[error("Tệp «{name}» không có dữ liệu")]
    Empty { name: String },
    #[error(
        "Không tìm thấy dòng tiêu đề trong 20 dòng đầu của tệp «{name}»: cần ít nhất cột \
         «Họ và tên» và cột «Số CCCD/CMND» (hoặc «Hộ chiếu»){found}"
    )]
    NoHeader { name: String, found: String },
}

impl ImportError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Io { .. } => "list.io",
            ImportError::FileTooLarge { .. } => "list.file_too_large",
            ImportError::TooManyRows { .. } => "list.too_many_rows",
            ImportError::UnpackedTooLarge { .. } => "list.unpacked_too_large",
            ImportError::SheetTooLarge { .. } => "list.sheet_too_large",
            ImportError::NotSpreadsheet { .. } => "list.not_spreadsheet",
            ImportError::Corrupt { .. } => "list.corrupt",
            ImportError::TooMuchText { .. } => "list.too_much_text",
            ImportError::Empty { .. } => "list.empty",
            ImportError::NoHeader { .. } => "list.no_header",
        }
    }
}
