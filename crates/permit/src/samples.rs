//! Sample permits of the three sizes the format is measured at (short,
//! typical, longest): used by tests, benchmarks, docs and test vectors.

use crate::token::{category, DailyHours, HolderId, IdType, PermitFields};
use time::macros::date;

pub fn short() -> PermitFields {
    PermitFields {
        sequence: 1,
        holder_name: "Lê Văn An".into(),
        id: HolderId {
            kind: IdType::Cccd,
            number: "001090012345".into(),
            label: None,
        },
        date_of_birth: Some(date!(1990 - 03 - 15)),
        organization: None,
        category: category::URGENT_PERSONAL,
        purpose: None,
        area: "Phường Láng".into(),
        valid_from: date!(2026 - 11 - 20),
        valid_to: date!(2026 - 12 - 03),
        daily_hours: None,
    }
}

/// 20-character name, 35-character organization, 20-character area.
pub fn typical() -> PermitFields {
    PermitFields {
        sequence: 123_456,
        holder_name: "Nguyễn Thị Minh Khai".into(),
        id: HolderId {
            kind: IdType::Cccd,
            number: "001185012345".into(),
            label: None,
        },
        date_of_birth: Some(date!(1985 - 07 - 21)),
        organization: Some("Công ty TNHH Thực phẩm Sạch An Bình".into()),
        category: category::ESSENTIAL_GOODS,
        purpose: None,
        area: "Phường Ô Chợ Dừa, HN".into(),
        valid_from: date!(2026 - 11 - 20),
        valid_to: date!(2026 - 12 - 19),
        daily_hours: Some(DailyHours {
            start: 6 * 60,
            end: 18 * 60,
        }),
    }
}

/// The longest allowed: 50-character name, 60-character organization,
/// 40-character area (all with diacritics), a purpose text, a foreign ID.
pub fn longest() -> PermitFields {
    PermitFields {
        sequence: u32::MAX,
        holder_name: "Tôn Nữ Hoàng Thị Ngọc Diễm Phương Nguyễn Trần Hằng".into(),
        id: HolderId {
            kind: IdType::PassportVn,
            number: "C1234567".into(),
            label: None,
        },
        date_of_birth: Some(date!(1950 - 01 - 01)),
        organization: Some("Tổng công ty Cổ phần Thương mại và Dịch vụ Vận tải Hà Nội ĐT".into()),
        category: category::TRANSPORT,
        purpose: Some("Vận chuyển hàng thiết yếu".into()),
        area: "Tuyến Đường Giải Phóng – Cầu Giẽ, Hà Nội".into(),
        valid_from: date!(2026 - 11 - 20),
        valid_to: date!(2026 - 12 - 19),
        daily_hours: Some(DailyHours {
            start: 5 * 60 + 30,
            end: 22 * 60,
        }),
    }
}
