//! Căn cước công dân (CCCD) numbers: `PPP G YY NNNNNN`.
//!
//! - `PPP`: province/city where the birth was registered — the 63 pre-2025
//!   province codes of Circular 07/2016/TT-BCA (the codes have gaps: there is
//!   no 003, 005, …). The 2025 merger of provinces does not renumber cards
//!   already issued, so this list stays the one to check against.
//! - `G`: century and sex: 0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s,
//!   6/7 = 2200s, 8/9 = 2300s (even = male, odd = female).
//! - `YY`: last two digits of the year of birth.
//! - `NNNNNN`: random part.

use crate::error::{sex_vi, ValidationError};
use crate::{Date, Sex};

/// `(code, name)` of the provinces whose code can start a CCCD number.
pub const PROVINCES: [(u16, &str); 63] = [
    (1, "Hà Nội"),
    (2, "Hà Giang"),
    (4, "Cao Bằng"),
    (6, "Bắc Kạn"),
    (8, "Tuyên Quang"),
    (10, "Lào Cai"),
    (11, "Điện Biên"),
    (12, "Lai Châu"),
    (14, "Sơn La"),
    (15, "Yên Bái"),
    (17, "Hòa Bình"),
    (19, "Thái Nguyên"),
    (20, "Lạng Sơn"),
    (22, "Quảng Ninh"),
    (24, "Bắc Giang"),
    (25, "Phú Thọ"),
    (26, "Vĩnh Phúc"),
    (27, "Bắc Ninh"),
    (30, "Hải Dương"),
    (31, "Hải Phòng"),
    (33, "Hưng Yên"),
    (34, "Thái Bình"),
    (35, "Hà Nam"),
    (36, "Nam Định"),
    (37, "Ninh Bình"),
    (38, "Thanh Hóa"),
    (40, "Nghệ An"),
    (42, "Hà Tĩnh"),
    (44, "Quảng Bình"),
    (45, "Quảng Trị"),
    (46, "Thừa Thiên Huế"),
    (48, "Đà Nẵng"),
    (49, "Quảng Nam"),
    (51, "Quảng Ngãi"),
    (52, "Bình Định"),
    (54, "Phú Yên"),
    (56, "Khánh Hòa"),
    (58, "Ninh Thuận"),
    (60, "Bình Thuận"),
    (62, "Kon Tum"),
    (64, "Gia Lai"),
    (66, "Đắk Lắk"),
    (67, "Đắk Nông"),
    (68, "Lâm Đồng"),
    (70, "Bình Phước"),
    (72, "Tây Ninh"),
    (74, "Bình Dương"),
    (75, "Đồng Nai"),
    (77, "Bà Rịa - Vũng Tàu"),
    (79, "Hồ Chí Minh"),
    (80, "Long An"),
    (82, "Tiền Giang"),
    (83, "Bến Tre"),
    (84, "Trà Vinh"),
    (86, "Vĩnh Long"),
    (87, "Đồng Tháp"),
    (89, "An Giang"),
    (91, "Kiên Giang"),
    (92, "Cần Thơ"),
    (93, "Hậu Giang"),
    (94, "Sóc Trăng"),
    (95, "Bạc Liêu"),
    (96, "Cà Mau"),
];

/// Name of the province with this CCCD code, if it is one.
pub fn province_name(code: u16) -> Option<&'static str> {
    PROVINCES
        .binary_search_by_key(&code, |&(c, _)| c)
        .ok()
        .map(|i| PROVINCES[i].1)
}

/// What a well-formed CCCD number says about its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CccdInfo {
    pub province: u16,
    pub sex: Sex,
    pub birth_year: i32,
}

/// Checks the structure of a 12-digit CCCD number (digits only, already
/// normalized) and decodes it.
pub fn decode(number: &str) -> Result<CccdInfo, ValidationError> {
    let b = number.as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return Err(ValidationError::CccdLength {
            number: number.to_string(),
            len: number.chars().count(),
        });
    }
    let d = |i: usize| u16::from(b[i] - b'0');
    let province = d(0) * 100 + d(1) * 10 + d(2);
    if province_name(province).is_none() {
        return Err(ValidationError::CccdProvince {
            number: number.to_string(),
            code: number[..3].to_string(),
        });
    }
    let g = d(3);
    let century = 1900 + 100 * i32::from(g / 2);
    let sex = if g % 2 == 0 { Sex::Male } else { Sex::Female };
    let birth_year = century + i32::from(d(4) * 10 + d(5));
    Ok(CccdInfo {
        province,
        sex,
        birth_year,
    })
}

/// Decodes and checks the number against the declared date of birth and sex.
pub fn validate(
    number: &str,
    dob: Option<Date>,
    sex: Option<Sex>,
) -> Result<CccdInfo, ValidationError> {
    let info = decode(number)?;
    if let Some(dob) = dob {
        if dob.year() != info.birth_year {
            return Err(ValidationError::CccdBirthYear {
                number: number.to_string(),
                cccd_year: info.birth_year,
                dob_year: dob.year(),
            });
        }
    }
    if let Some(sex) = sex {
        if sex != info.sex {
            return Err(ValidationError::CccdSex {
                number: number.to_string(),
                cccd_sex: sex_vi(info.sex),
                given_sex: sex_vi(sex),
            });
        }
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn table_is_sorted_unique_and_has_the_gaps() {
        assert!(PROVINCES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(province_name(1), Some("Hà Nội"));
        assert_eq!(province_name(79), Some("Hồ Chí Minh"));
        assert_eq!(province_name(96), Some("Cà Mau"));
        for gap in [
            0, 3, 5, 7, 9, 13, 16, 18, 21, 23, 28, 29, 32, 39, 41, 97, 999,
        ] {
            assert_eq!(province_name(gap), None, "{gap}");
        }
    }

    #[test]
    fn decodes_century_sex_and_year() {
        let i = decode("001090012345").unwrap();
        assert_eq!((i.province, i.sex, i.birth_year), (1, Sex::Male, 1990));
        let i = decode("079305001234").unwrap();
        assert_eq!((i.sex, i.birth_year), (Sex::Female, 2005));
        let i = decode("001185000001").unwrap();
        assert_eq!((i.sex, i.birth_year), (Sex::Female, 1985));
    }

    #[test]
    fn rejects_bad_structure() {
        assert_eq!(decode("00109001234").unwrap_err().code(), "cccd.length");
        assert_eq!(decode("00109001234a").unwrap_err().code(), "cccd.length");
        assert_eq!(
            decode("003090012345").unwrap_err().code(),
            "cccd.bad_province"
        );
    }

    #[test]
    fn must_agree_with_dob_and_sex() {
        assert!(validate("001090012345", Some(date!(1990 - 05 - 01)), Some(Sex::Male)).is_ok());
        let e = validate("001090012345", Some(date!(1991 - 05 - 01)), None).unwrap_err();
        assert_eq!(e.code(), "cccd.birth_year_mismatch");
        assert!(e.to_string().contains("1990"));
        // 2000s digit with a 1990 birth date.
        let e = validate("001290012345", Some(date!(1990 - 05 - 01)), None).unwrap_err();
        assert_eq!(e.code(), "cccd.birth_year_mismatch");
        let e = validate("001090012345", None, Some(Sex::Female)).unwrap_err();
        assert_eq!(e.code(), "cccd.sex_mismatch");
    }
}
