//! Errors with a stable code and a Vietnamese message a ward official can act on.

use std::path::PathBuf;

use permitpdf::PdfError;
use printing::PrintError;
use store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum PrintJobError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// The PDF's destination was refused (exists, a database, a key…) or could not be written.
    #[error(transparent)]
    Output(#[from] outfile::OutputError),
    #[error("Máy tính này chưa được thiết lập phường/xã nên chưa in được giấy đi đường.")]
    NoWard,
    #[error(
        "Giấy đi đường #{permit_id} ({serial}): chữ ký số lưu trong máy bị hỏng ({source}). \
         Không in giấy này; báo quản trị viên kiểm tra dữ liệu."
    )]
    BadToken {
        permit_id: i64,
        serial: String,
        source: Box<permit::PermitError>,
    },
    #[error(
        "Giấy đi đường #{permit_id} ({serial}): không có thời điểm đóng dấu trong cơ sở dữ liệu. \
         Báo quản trị viên kiểm tra dữ liệu (gdd audit verify)."
    )]
    NoStampRecord { permit_id: i64, serial: String },
    #[error(
        "Không ghi được tệp {path}: {source}. Kiểm tra thư mục còn chỗ trống và có quyền ghi."
    )]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The printer did not print the job. Nothing was marked printed; the job can be retried.
    #[error(
        "Lệnh in #{job_id} chưa in được: {source} Các giấy trong lệnh chưa được ghi là đã in; \
         khắc phục rồi in lại lệnh #{job_id}."
    )]
    PrintFailed { job_id: i64, source: PrintError },
    /// The printer printed, but the store could not record it: the paper exists.
    #[error(
        "Lệnh in #{job_id} ĐÃ IN XONG trên máy in nhưng không ghi được vào cơ sở dữ liệu ({source}). \
         Đừng in lại: giữ các tờ đã in và báo quản trị viên."
    )]
    RecordFailed { job_id: i64, source: StoreError },
    /// An attempt that never reached the print system (the app stopped in between).
    #[error(
        "Lệnh in #{job_id} bị ngắt trước khi máy in nhận lệnh (phần mềm bị tắt giữa chừng). \
         Kiểm tra khay máy in: nếu chưa có tờ nào của lệnh này thì in lại lệnh #{job_id}."
    )]
    Interrupted { job_id: i64 },
    #[error(
        "Lệnh in #{job_id} đang ở trạng thái «{state}»: chỉ in lại được lệnh bị lỗi hoặc chưa gửi."
    )]
    NotRetryable { job_id: i64, state: &'static str },
    #[error(
        "Lệnh in #{job_id}: giấy #{permit_id} ({serial}) đã được in ở lệnh khác sau khi lệnh này lỗi. \
         Không in lại lệnh này; tạo lệnh in mới cho các giấy cần in."
    )]
    Stale {
        job_id: i64,
        permit_id: i64,
        serial: String,
    },
}

impl PrintJobError {
    /// Stable machine-readable code. A printer failure keeps the print system's own code
    /// (`print.job_stopped`, …): it is what the job records as its last error.
    pub fn code(&self) -> &'static str {
        match self {
            PrintJobError::Store(e) => e.code(),
            PrintJobError::Pdf(e) => e.code(),
            PrintJobError::Output(e) => e.code(),
            PrintJobError::NoWard => "printjob.no_ward",
            PrintJobError::BadToken { .. } => "printjob.bad_token",
            PrintJobError::NoStampRecord { .. } => "printjob.no_stamp_record",
            PrintJobError::Io { .. } => "printjob.io",
            PrintJobError::PrintFailed { source, .. } => source.code(),
            PrintJobError::RecordFailed { .. } => "printjob.record_failed",
            PrintJobError::NotRetryable { .. } => "printjob.not_retryable",
            PrintJobError::Interrupted { .. } => "printjob.interrupted",
            PrintJobError::Stale { .. } => "printjob.stale",
        }
    }

    /// The job a failure belongs to, for "retry job N" buttons.
    pub fn job_id(&self) -> Option<i64> {
        match self {
            PrintJobError::PrintFailed { job_id, .. }
            | PrintJobError::RecordFailed { job_id, .. }
            | PrintJobError::NotRetryable { job_id, .. }
            | PrintJobError::Interrupted { job_id }
            | PrintJobError::Stale { job_id, .. } => Some(*job_id),
            _ => None,
        }
    }
}

pub type Result<T, E = PrintJobError> = std::result::Result<T, E>;
