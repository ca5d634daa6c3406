//! The verdicts a checkpoint officer sees.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Signed by a ward workstation certified by the city root, in scope, in date.
    Valid,
    /// Would be valid, but the certificate chains to the DEMO root.
    Demo,
    Expired,
    NotYetValid,
    /// The permit's serial or the workstation's key is on the revocation list.
    Revoked,
    /// The permit or its certificate was altered, or not signed by the key it names.
    BadSignature,
    /// The certificate names a root this verifier does not trust.
    UnknownIssuer,
    /// The workstation signed something its certificate does not allow.
    OutOfScope,
    /// Not a permit token, or damaged beyond reading.
    Malformed,
}

impl Verdict {
    pub const ALL: [Verdict; 9] = [
        Verdict::Valid,
        Verdict::Demo,
        Verdict::Expired,
        Verdict::NotYetValid,
        Verdict::Revoked,
        Verdict::BadSignature,
        Verdict::UnknownIssuer,
        Verdict::OutOfScope,
        Verdict::Malformed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Demo => "demo",
            Verdict::Expired => "expired",
            Verdict::NotYetValid => "not_yet_valid",
            Verdict::Revoked => "revoked",
            Verdict::BadSignature => "bad_signature",
            Verdict::UnknownIssuer => "unknown_issuer",
            Verdict::OutOfScope => "out_of_scope",
            Verdict::Malformed => "malformed",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// What the officer should read on screen.
    pub fn message_vi(self) -> &'static str {
        match self {
            Verdict::Valid => "HỢP LỆ: đối chiếu họ tên, số giấy tờ với giấy tờ tùy thân",
            Verdict::Demo => "GIẤY THỬ NGHIỆM (DEMO): không có giá trị đi đường",
            Verdict::Expired => "HẾT HẠN: giấy đã quá thời hạn sử dụng",
            Verdict::NotYetValid => "CHƯA CÓ HIỆU LỰC: chưa đến ngày bắt đầu",
            Verdict::Revoked => "ĐÃ THU HỒI: giấy đã bị hủy",
            Verdict::BadSignature => "GIẢ MẠO HOẶC BỊ SỬA: chữ ký số không khớp",
            Verdict::UnknownIssuer => "KHÔNG RÕ NƠI CẤP: không do hệ thống của thành phố cấp",
            Verdict::OutOfScope => "VƯỢT THẨM QUYỀN: máy trạm cấp giấy ngoài phạm vi được phép",
            Verdict::Malformed => "KHÔNG ĐỌC ĐƯỢC: không phải mã giấy đi đường hoặc mã bị hỏng",
        }
    }

    /// Exit code 0 territory: the permit may be honoured (demo: it is a demo).
    pub fn is_accepted(self) -> bool {
        matches!(self, Verdict::Valid | Verdict::Demo)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
