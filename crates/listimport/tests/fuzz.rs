//! Random and mangled input: the checker never panics, and every non-blank
//! row ends valid or invalid with a reason.

use listimport::{check_bytes, CheckOptions, ListReport};
use proptest::prelude::*;
use std::path::PathBuf;
use time::macros::date;

fn opts() -> CheckOptions<'static> {
    CheckOptions::new(date!(2026 - 11 - 25))
}

fn invariants(r: &ListReport) -> Result<(), TestCaseError> {
    prop_assert_eq!(r.rows, r.valid.len() + r.invalid.len());
    let mut rows: Vec<u32> = r
        .valid
        .iter()
        .map(|v| v.row)
        .chain(r.invalid.iter().map(|i| i.row))
        .collect();
    rows.sort_unstable();
    let n = rows.len();
    rows.dedup();
    prop_assert_eq!(rows.len(), n, "a row reported twice");
    prop_assert!(rows.iter().all(|&row| row > r.header_row));
    prop_assert!(r
        .invalid
        .iter()
        .all(|i| !i.reason.is_empty() && !i.code.is_empty()));
    Ok(())
}

const CELLS: &[&str] = &[
    "",
    " ",
    "Nguyễn Văn An",
    "Đặng Thị Thủy",
    "NguyÔn V¨n",
    "Nguyeãn Vaên",
    "001090012345",
    "1090012345",
    "001 090 012 345",
    "012345678",
    "C1234567",
    "M12345678",
    "05/09/1990",
    "1990-09-05",
    "31/02/1990",
    "33000",
    "0912345678",
    "+84 912 345 678",
    "0123",
    "Nam",
    "Nữ",
    "x",
    "\"",
    "\"a;b\"",
    "é",
    "\u{0301}",
    "9999999999999999999",
    "-1",
    "1e308",
    "NaN",
    "#REF!",
    "Người lập biểu",
];

fn csv_text() -> impl Strategy<Value = String> {
    let header = proptest::sample::subsequence(
        vec![
            "STT",
            "Họ và tên",
            "Số CCCD",
            "Ngày sinh",
            "Giới tính",
            "Điện thoại",
            "Ghi chú",
            "Hộ chiếu",
            "Loại giấy tờ",
        ],
        0..9,
    );
    let sep = proptest::sample::select(vec![",", ";", "\t"]);
    let nl = proptest::sample::select(vec!["\n", "\r\n"]);
    let rows = proptest::collection::vec(
        proptest::collection::vec(proptest::sample::select(CELLS.to_vec()), 0..10),
        0..30,
    );
    let title = proptest::option::of("\\PC{0,20}");
    (header, sep, nl, rows, title).prop_map(|(h, sep, nl, rows, title)| {
        let mut s = String::new();
        if let Some(t) = title {
            s.push_str(&t.replace(['\n', '\r'], " "));
            s.push_str(nl);
        }
        s.push_str(&h.join(sep));
        s.push_str(nl);
        for r in rows {
            s.push_str(&r.join(sep));
            s.push_str(nl);
        }
        s
    })
}

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/lists")
        .join(name);
    std::fs::read(p).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), ext in proptest::sample::select(vec!["csv", "xlsx", "xls", "txt", ""])) {
        let _ = check_bytes(&format!("f.{ext}"), &bytes, &opts());
        let mut pk = b"PK\x03\x04".to_vec();
        pk.extend_from_slice(&bytes);
        let _ = check_bytes("f.xlsx", &pk, &opts());
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend_from_slice(&bytes);
        let _ = check_bytes("f.xls", &ole, &opts());
    }

    #[test]
    fn random_csv_rows_all_end_valid_or_invalid(text in csv_text(), latin1 in any::<bool>()) {
        let bytes: Vec<u8> = if latin1 {
            // Not UTF-8: goes through the legacy decoders.
            text.chars().map(|c| if (c as u32) < 256 { c as u8 } else { b'?' }).collect()
        } else {
            text.into_bytes()
        };
        if let Ok(r) = check_bytes("f.csv", &bytes, &opts()) {
            invariants(&r)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn mangled_spreadsheets_never_panic(name in proptest::sample::select(vec!["messy.xlsx", "list.xls", "unaccented.xlsx"]), flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20)) {
        let mut bytes = fixture(name);
        prop_assume!(!bytes.is_empty());
        for (i, b) in flips {
            let at = i.index(bytes.len());
            bytes[at] = b;
        }
        if let Ok(r) = check_bytes(name, &bytes, &opts()) {
            invariants(&r)?;
        }
    }
}
