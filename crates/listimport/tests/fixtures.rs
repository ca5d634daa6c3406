//! The fixture lists of `tests/fixtures/lists/`, checked row by row.

use identity::{IdDocument, IdKind, Sex};
use listimport::{check_bytes, check_file, CheckOptions, Field, Format, ListReport};
use std::path::PathBuf;
use time::macros::date;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/lists")
        .join(name)
}

fn opts() -> CheckOptions<'static> {
    CheckOptions::new(date!(2026 - 11 - 25))
}

fn check(name: &str) -> ListReport {
    check_file(&fixture(name), &opts()).unwrap_or_else(|e| panic!("{name}: [{}] {e}", e.code()))
}

/// `(row, code)` of the invalid rows.
fn invalid(r: &ListReport) -> Vec<(u32, &str)> {
    r.invalid.iter().map(|i| (i.row, i.code.as_str())).collect()
}

fn valid_rows(r: &ListReport) -> Vec<u32> {
    r.valid.iter().map(|v| v.row).collect()
}

fn person(r: &ListReport, row: u32) -> &identity::PersonInput {
    &r.valid
        .iter()
        .find(|v| v.row == row)
        .unwrap_or_else(|| panic!("row {row} not valid"))
        .person
}

#[test]
fn messy_xlsx_title_rows_merged_cells_and_every_kind_of_bad_row() {
    let r = check("messy.xlsx");
    assert_eq!(r.format, Format::Xlsx);
    assert_eq!(r.sheet.as_deref(), Some("DS lao động"));
    assert_eq!(r.header_row, 4);
    assert_eq!(
        r.rows, 15,
        "blank row 8 (only a sequence number) is skipped"
    );
    assert_eq!(r.rows, r.valid.len() + r.invalid.len());
    assert_eq!(valid_rows(&r), vec![5, 6, 7, 16, 17, 18]);
    assert_eq!(
        invalid(&r),
        vec![
            (9, "name.empty"),
            (10, "cccd.bad_province"),
            (11, "cccd.birth_year_mismatch"),
            (12, "dob.future"),
            (13, "phone.bad_prefix"),
            (14, "list.duplicate"),
            (15, "id.unrecognized"),
            (19, "date.invalid"),
            (20, "dob.missing"),
        ]
    );
    let reason = |row| {
        r.invalid
            .iter()
            .find(|i| i.row == row)
            .map(|i| i.reason.clone())
            .unwrap_or_default()
    };
    assert!(reason(14).contains("với dòng 5"), "{}", reason(14));
    assert!(reason(10).contains("003"), "{}", reason(10));
    assert!(
        reason(20).contains("Thiếu số giấy tờ"),
        "footer row lists every problem: {}",
        reason(20)
    );

    let an = person(&r, 5);
    assert_eq!(an.full_name, "Nguyễn Văn An");
    assert_eq!(an.id_doc.kind, IdKind::Cccd);
    assert_eq!(an.date_of_birth, Some(date!(1990 - 05 - 07)));
    assert_eq!(an.sex, Some(Sex::Male));
    assert_eq!(an.phone.as_deref(), Some("0912345678"));
    assert_eq!(an.position.as_deref(), Some("Kỹ sư"));
    assert_eq!(
        an.notes,
        vec![("Biển số xe".to_string(), "29A-123.45".to_string())]
    );

    // Numeric CCCD and phone: zeros restored, with warnings on row 6.
    let thuy = person(&r, 6);
    assert_eq!(thuy.id_doc.number, "001185000123");
    assert_eq!(thuy.phone.as_deref(), Some("0912345678"));
    assert_eq!(thuy.date_of_birth, Some(date!(1985 - 09 - 05)));
    let w6: Vec<_> = r.warnings.iter().filter(|w| w.row == 6).collect();
    assert_eq!(w6.len(), 2);
    assert!(w6[0].message.contains("001185000123"));

    // Serial date stored as a plain number; +84 phone.
    let binh = person(&r, 7);
    assert_eq!(binh.date_of_birth, Some(date!(1989 - 03 - 15)));
    assert_eq!(binh.phone.as_deref(), Some("0987654321"));

    assert_eq!(person(&r, 16).id_doc.kind, IdKind::Cmnd);
    // TCVN3 text converted, and said so.
    let hung = person(&r, 17);
    assert_eq!(hung.full_name, "Đặng Văn Hùng");
    assert_eq!(hung.residence.as_deref(), Some("Số 3 phố Huế"));
    assert!(r
        .warnings
        .iter()
        .any(|w| w.row == 17 && w.message.contains("TCVN3")));
    let quang = person(&r, 18);
    assert_eq!(
        (quang.id_doc.kind, quang.id_doc.number.as_str()),
        (IdKind::PassportVn, "C1234567")
    );

    let cols: Vec<_> = r
        .columns
        .iter()
        .map(|c| (c.column.as_str(), c.field))
        .collect();
    assert_eq!(cols[1], ("B", Field::FullName));
    assert_eq!(cols[8], ("I", Field::Note));
}

#[test]
fn check_json_has_exactly_the_cli_shape() {
    let r = check("messy.xlsx");
    let j = r.check_json();
    let obj = j.as_object().unwrap();
    let mut keys: Vec<_> = obj.keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["invalid", "rows", "valid", "warnings"]);
    assert_eq!(j["rows"], 15);
    assert_eq!(j["valid"], 6);
    assert_eq!(
        j["invalid"][0],
        serde_json::json!({"row": 9, "reason": "Họ và tên: Thiếu họ và tên"})
    );
    assert_eq!(j["warnings"][0]["row"], 6);
    assert!(j["warnings"][0]["message"].is_string());
}

#[test]
fn unaccented_headers_on_a_second_sheet_with_document_types() {
    let r = check("unaccented.xlsx");
    assert_eq!(r.sheet.as_deref(), Some("Sheet2"));
    assert_eq!(r.header_row, 1);
    assert_eq!(valid_rows(&r), vec![2, 3, 7]);
    assert_eq!(
        invalid(&r),
        vec![
            (4, "list.valid_range"),
            (5, "id.empty"),
            (6, "cccd.bad_province")
        ]
    );
    let kim = person(&r, 2);
    assert_eq!(kim.id_doc.kind, IdKind::Other);
    assert_eq!(kim.id_doc.label.as_deref(), Some("Hộ chiếu Hàn Quốc"));
    assert_eq!(kim.phone.as_deref(), Some("0912345678"));
    assert_eq!(kim.valid_from, Some(date!(2026 - 12 - 01)));
    assert_eq!(kim.valid_to, Some(date!(2026 - 12 - 31)));
    let thu = person(&r, 3);
    assert_eq!(thu.phone.as_deref(), Some("02438251234"));
    assert_eq!(thu.date_of_birth, Some(date!(2005 - 03 - 04)));
    // VNI text converted, and said so.
    assert_eq!(person(&r, 7).full_name, "Trương Quốc Hùng");
    assert!(r
        .warnings
        .iter()
        .any(|w| w.row == 7 && w.message.contains("VNI")));
    // 1.0e11 read as the integer it is, then refused for its province.
    assert!(r.invalid[2].reason.contains("100000000000"));
}

#[test]
fn xls_biff8() {
    let r = check("list.xls");
    assert_eq!(r.format, Format::Xls);
    assert_eq!(r.header_row, 3);
    assert_eq!(valid_rows(&r), vec![4, 5]);
    assert_eq!(invalid(&r), vec![(7, "cccd.sex_mismatch")]);
    let hang = person(&r, 4);
    assert_eq!(hang.id_doc.number, "001192001234");
    assert_eq!(hang.date_of_birth, Some(date!(1992 - 04 - 30)));
    assert_eq!(hang.sex, Some(Sex::Female));
    assert_eq!(person(&r, 5).date_of_birth, Some(date!(1987 - 07 - 03)));
    assert!(r
        .warnings
        .iter()
        .any(|w| w.row == 4 && w.message.contains("001192001234")));
}

#[test]
fn csv_utf8_bom_semicolons_crlf_quotes() {
    let r = check("utf8_bom_semicolon.csv");
    assert_eq!(r.format, Format::Csv);
    assert_eq!(r.header_row, 3);
    assert_eq!(valid_rows(&r), vec![4, 5, 7, 9]);
    assert_eq!(invalid(&r), vec![(8, "list.duplicate")]);
    assert!(r.invalid[0].reason.contains("với dòng 4"));
    assert_eq!(
        person(&r, 4).notes,
        vec![("Ghi chú".to_string(), "Ca sáng; tổ 2".to_string())]
    );
    assert_eq!(person(&r, 5).full_name, "Đặng Thị Thuỷ");
    assert_eq!(person(&r, 5).phone.as_deref(), Some("0912345679"));
    assert_eq!(person(&r, 7).id_doc.number, "001090012345");
    assert_eq!(person(&r, 9).date_of_birth, Some(date!(1990 - 01 - 01)));
    let warned: Vec<u32> = r.warnings.iter().map(|w| w.row).collect();
    assert_eq!(warned, vec![5, 7]);
}

#[test]
fn csv_windows_1258_is_decoded_to_nfc() {
    let r = check("windows1258.csv");
    assert_eq!(valid_rows(&r), vec![2, 3]);
    assert_eq!(invalid(&r), vec![(4, "id.unrecognized")]);
    let thang = person(&r, 2);
    assert_eq!(thang.full_name, "Nguyễn Văn Thắng");
    assert_eq!(
        thang.full_name.chars().count(),
        16,
        "NFC, not combining marks"
    );
    assert_eq!(thang.residence.as_deref(), Some("Số 1, phố Huế"));
    assert_eq!(person(&r, 3).full_name, "Lê Thị Thuỷ");
    assert!(r.warnings[0].message.contains("windows-1258"));
}

#[test]
fn csv_tcvn3_bytes() {
    let r = check("tcvn3.csv");
    assert_eq!(valid_rows(&r), vec![2, 3]);
    assert_eq!(person(&r, 2).full_name, "Đặng Thị Thủy");
    assert_eq!(person(&r, 3).full_name, "Phạm Đức Mạnh");
    assert!(r.warnings[0].message.contains("TCVN3"));
}

#[test]
fn active_permits_in_the_ward_are_flagged() {
    let holder = |d: &IdDocument| {
        (d.number == "001090012345").then(|| "GĐĐ-000123, đến 31/12/2026".to_string())
    };
    let o = opts().with_active_permit(&holder);
    let r = check_file(&fixture("messy.xlsx"), &o).unwrap();
    let row5 = r.invalid.iter().find(|i| i.row == 5).unwrap();
    assert_eq!(row5.code, "list.has_active_permit");
    assert!(row5.reason.contains("GĐĐ-000123"));
    // Row 14 repeats row 5's number: still reported as the in-list duplicate.
    assert_eq!(
        r.invalid.iter().find(|i| i.row == 14).unwrap().code,
        "list.duplicate"
    );
}

#[test]
fn file_level_refusals() {
    let code = |name: &str| check_file(&fixture(name), &opts()).unwrap_err().code();
    assert_eq!(code("empty.xlsx"), "list.empty");
    assert_eq!(code("no_header.xlsx"), "list.no_header");
    assert_eq!(code("make_fixtures.py"), "list.not_spreadsheet");
    assert_eq!(code("does-not-exist.xlsx"), "list.io");

    let e = check_bytes("x.xlsx", b"%PDF-1.7\n...", &opts()).unwrap_err();
    assert_eq!(e.code(), "list.not_spreadsheet");
    assert!(e.to_string().contains("x.xlsx"));
    assert_eq!(
        check_bytes("x.csv", b"", &opts()).unwrap_err().code(),
        "list.empty"
    );
    assert_eq!(
        check_bytes("x.csv", b"a;b\r\n1;2\r\n", &opts())
            .unwrap_err()
            .code(),
        "list.no_header"
    );

    let good = std::fs::read(fixture("messy.xlsx")).unwrap();
    let truncated = &good[..good.len() / 2];
    assert_eq!(
        check_bytes("cut.xlsx", truncated, &opts())
            .unwrap_err()
            .code(),
        "list.corrupt"
    );
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend_from_slice(&[0u8; 600]);
    assert_eq!(
        check_bytes("bad.xls", &ole, &opts()).unwrap_err().code(),
        "list.corrupt"
    );
}

#[test]
fn size_and_row_limits() {
    let big = vec![b'a'; (listimport::MAX_FILE_BYTES + 1) as usize];
    let e = check_bytes("big.csv", &big, &opts()).unwrap_err();
    assert_eq!(e.code(), "list.file_too_large");

    let mut csv = String::from("Họ tên;CCCD;Ngày sinh\n");
    for _ in 0..=listimport::MAX_ROWS {
        csv.push_str("Nguyễn Văn An;001090012345;01/01/1990\n");
    }
    let e = check_bytes("many.csv", csv.as_bytes(), &opts()).unwrap_err();
    assert_eq!(e.code(), "list.too_many_rows");
    assert!(e.to_string().contains("50000"), "{e}");
}

#[test]
fn xlsx_that_unpacks_past_200_mb_is_refused() {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("xl/workbook.xml", o).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..201 {
        w.write_all(&chunk).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    assert!(bytes.len() < 2 << 20, "a small file: {}", bytes.len());
    let e = check_bytes("bomb.xlsx", &bytes, &opts()).unwrap_err();
    assert_eq!(e.code(), "list.unpacked_too_large");
}

#[test]
fn generated_list_is_all_valid() {
    let bytes = listimport::testdata::generate_xlsx(2_000, 7).unwrap();
    let r = check_bytes("gen.xlsx", &bytes, &opts()).unwrap();
    assert_eq!(r.header_row, 4);
    assert_eq!(r.rows, 2_000);
    assert!(
        r.invalid.is_empty(),
        "{:?}",
        &r.invalid[..r.invalid.len().min(3)]
    );
    assert_eq!(r.valid[0].row, 5);
}

#[test]
fn far_away_cells_are_refused_before_allocation() {
    // Two cells, a 6 KB file, a 1,048,576 × 16,384 bounding box.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Họ và tên").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let e = check_bytes("far.xlsx", &bytes, &opts()).unwrap_err();
    assert_eq!(e.code(), "list.sheet_too_large");
}

#[test]
fn xlsx_over_the_row_limit_is_refused_while_streaming() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Họ và tên").unwrap();
    ws.write_string(0, 1, "CCCD").unwrap();
    for r in 1..=(listimport::MAX_ROWS as u32 + 21) {
        ws.write_number(r, 1, 1.0).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let e = check_bytes("many.xlsx", &bytes, &opts()).unwrap_err();
    assert_eq!(e.code(), "list.too_many_rows");
}

#[test]
fn check_file_refuses_a_big_file_before_reading_it() {
    let path = std::env::temp_dir().join(format!("gdd-big-{}.xlsx", std::process::id()));
    let f = std::fs::File::create(&path).unwrap();
    // Sparse: 21 MB on paper, nothing written.
    f.set_len(listimport::MAX_FILE_BYTES + 1024 * 1024).unwrap();
    let e = check_file(&path, &opts()).unwrap_err();
    std::fs::remove_file(&path).ok();
    assert_eq!(e.code(), "list.file_too_large");
    assert!(e.to_string().contains("21.0 MB"), "{e}");
}
