//! One person typed in by an officer (the app's form, `gdd request resident`),
//! checked by exactly the rules a row of a list goes through.

use crate::cells::Row;
use crate::header::{Field, Header};
use crate::report::{InvalidRow, ValidRow};
use crate::rows::{Checked, Context, RowChecker, Seen};
use crate::CheckOptions;

fn label(f: Field) -> &'static str {
    match f {
        Field::Seq => "STT",
        Field::FullName => "Họ và tên",
        Field::IdNumber { passport: false } => "Số giấy tờ",
        Field::IdNumber { passport: true } => "Hộ chiếu",
        Field::IdKind => "Loại giấy tờ",
        Field::DateOfBirth => "Ngày sinh",
        Field::Sex => "Giới tính",
        Field::Phone => "Số điện thoại",
        Field::Residence => "Nơi cư trú",
        Field::Workplace => "Nơi làm việc",
        Field::Position => "Chức vụ",
        Field::Purpose => "Mục đích",
        Field::Area => "Khu vực",
        Field::ValidFrom => "Từ ngày",
        Field::ValidTo => "Đến ngày",
        Field::Note => "Ghi chú",
    }
}

/// Check one typed-in person: `(field, text)` pairs, blanks allowed. Typed
/// text keeps its leading zeros, so nothing is "restored" here.
pub fn check_record(
    fields: &[(Field, &str)],
    opts: &CheckOptions<'_>,
) -> Result<ValidRow, InvalidRow> {
    let header = Header {
        row: 0,
        columns: fields
            .iter()
            .enumerate()
            .map(|(j, (f, _))| (j, *f, label(*f).to_string()))
            .collect(),
    };
    let mut row = Row::new(1);
    for (j, (_, v)) in fields.iter().enumerate() {
        row.push_text(j as u32, v);
    }
    row.finish();
    let mut seen = Seen::new();
    let mut legacy_reported = true;
    let mut ctx = Context {
        opts,
        seen: &mut seen,
        sheet: 0,
        sheet_names: &[],
        legacy_reported: &mut legacy_reported,
    };
    match RowChecker::new(&header, false).check(&row, &mut ctx, &mut None) {
        Checked::Valid(v) => Ok(*v),
        Checked::Invalid(i) => Err(i),
        Checked::Blank => Err(InvalidRow {
            row: 1,
            reason: "Chưa nhập thông tin nào".to_string(),
            code: "record.empty".to_string(),
            sheet: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn typed_person_is_checked_like_a_list_row() {
        let opts = CheckOptions::new(date!(2026 - 11 - 25));
        let ok = check_record(
            &[
                (Field::FullName, "  Đặng   Thị Thủy "),
                (Field::IdNumber { passport: false }, "001185133300"),
                (Field::DateOfBirth, "10/01/1985"),
                (Field::Sex, "nữ"),
                (Field::Phone, "0912 345 678"),
            ],
            &opts,
        )
        .expect("valid person");
        assert_eq!(ok.person.full_name, "Đặng Thị Thủy");
        assert_eq!(ok.person.phone.as_deref(), Some("0912345678"));
        assert!(ok.warnings.is_empty());

        // CCCD says born 1985, the date says 1990: refused with the reason.
        let bad = check_record(
            &[
                (Field::FullName, "Đặng Thị Thủy"),
                (Field::IdNumber { passport: false }, "001185133300"),
                (Field::DateOfBirth, "10/01/1990"),
            ],
            &opts,
        )
        .expect_err("mismatch");
        assert!(bad.reason.contains("1985"), "{}", bad.reason);
        assert_eq!(
            check_record(&[], &opts).expect_err("empty").code,
            "record.empty"
        );
    }
}
