//! Issue 8 ("Hardening"): hostile lists are read in time linear in their
//! size, too-wide rows and over-long cells are row-numbered refusals, every
//! sheet with people is read, and a stray bad byte does not turn a UTF-8
//! file into legacy mojibake.

use listimport::testdata::hostile;
use listimport::{check_bytes, CheckOptions, ListReport};
use std::sync::mpsc;
use std::time::Duration;
use time::macros::date;

fn opts() -> CheckOptions<'static> {
    CheckOptions::new(date!(2026 - 11 - 25))
}

/// Checks in a thread and fails after `secs` (a quadratic reader takes
/// minutes on these shapes).
fn check_within(secs: u64, name: &'static str, bytes: Vec<u8>) -> Result<ListReport, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = check_bytes(name, &bytes, &opts()).map_err(|e| format!("[{}] {e}", e.code()));
        let _ = tx.send(r);
    });
    rx.recv_timeout(Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("{name}: no answer within {secs} s"))
}

fn invalid(r: &ListReport) -> Vec<(u32, &str)> {
    r.invalid.iter().map(|i| (i.row, i.code.as_str())).collect()
}

fn reason(r: &ListReport, row: u32) -> String {
    r.invalid
        .iter()
        .find(|i| i.row == row)
        .map(|i| i.reason.clone())
        .unwrap_or_default()
}

const HEADER: &str = "Họ và tên,Số CCCD,Ngày sinh\n";
const AN: &str = "Nguyễn Văn An,001090012345,07/05/1990\n";
const BINH: &str = "Trần Văn Bình,036089001234,15/03/1989\n";

#[test]
fn a_wide_row_over_blank_lines_costs_its_own_bytes() {
    // 0.3 MB: took 46 s of CPU (every row paid the width of the widest).
    let bytes = hostile::csv_wide_row_then_blank_lines(100_000, 100_000);
    let r = check_within(20, "wide.csv", bytes);
    assert!(
        matches!(&r, Ok(r) if r.rows == 0) || matches!(&r, Err(e) if e.contains("list.empty")),
        "{:?}",
        r.as_ref().map(|r| r.rows)
    );
}

#[test]
fn valid_rows_then_one_wide_row_are_checked_in_linear_time() {
    let bytes = hostile::csv_valid_then_wide_row(5_000, 300_000);
    let r = check_within(30, "valid_wide.csv", bytes).expect("checked");
    assert_eq!((r.rows, r.valid.len()), (5_000, 5_000));
}

#[test]
fn data_past_the_column_limit_is_a_row_numbered_refusal() {
    let mut csv = String::from(HEADER);
    csv.push_str(AN);
    // Row 3: a value in column 300.
    csv.push_str("Lê Thị Hoa,001190012345,01/01/1990");
    csv.push_str(&",".repeat(297));
    csv.push_str("x\n");
    csv.push_str(BINH);
    let r = check_within(20, "wide.csv", csv.into_bytes()).expect("checked");
    assert_eq!(invalid(&r), vec![(3, "list.too_many_columns")]);
    assert_eq!(r.valid.iter().map(|v| v.row).collect::<Vec<_>>(), [2, 4]);
    let why = reason(&r, 3);
    assert!(why.contains("256") && why.contains("KN"), "{why}");
}

#[test]
fn a_cell_longer_than_excel_allows_is_a_row_numbered_refusal() {
    let mut csv = String::from("Họ và tên,Số CCCD,Ngày sinh,Ghi chú\n");
    csv.push_str(AN);
    csv.push_str(&format!(
        "Lê Thị Hoa,001190012345,01/01/1990,{}\n",
        "a".repeat(40_000)
    ));
    csv.push_str(BINH);
    let r = check_within(20, "long.csv", csv.into_bytes()).expect("checked");
    assert_eq!(invalid(&r), vec![(3, "list.cell_too_long")]);
    let why = reason(&r, 3);
    assert!(why.contains("32.767") && why.contains("D3"), "{why}");
}

#[test]
fn a_huge_xlsx_cell_is_refused_on_its_row() {
    for kind in [
        hostile::HugeCell::Inline,
        hostile::HugeCell::Value,
        hostile::HugeCell::Shared,
    ] {
        let bytes = hostile::xlsx_huge_cell(8 << 20, kind);
        let r = check_within(60, "huge.xlsx", bytes).expect("checked");
        assert_eq!(invalid(&r), vec![(2, "list.cell_too_long")]);
    }
}

#[test]
fn too_many_shared_strings_are_refused() {
    let bytes = hostile::xlsx_many_shared_strings(100 << 20, 30_000);
    let e = check_within(60, "sst.xlsx", bytes).expect_err("refused");
    assert!(e.contains("list.too_much_text"), "{e}");
    let bytes = hostile::xlsx_many_shared_strings(60 << 20, 1);
    let e = check_within(60, "tiny.xlsx", bytes).expect_err("refused");
    assert!(e.contains("list.too_much_text"), "{e}");
}

/// Two sheets of people and an instructions sheet.
fn two_teams() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let help = wb.add_worksheet();
    help.set_name("Hướng dẫn").unwrap();
    help.write_string(0, 0, "Điền mỗi người một dòng").unwrap();
    help.write_string(1, 0, "Ngày sinh dạng dd/mm/yyyy")
        .unwrap();
    let people: [(&str, &[[&str; 3]]); 2] = [
        (
            "Tổ 1",
            &[
                ["Nguyễn Văn An", "001090012345", "07/05/1990"],
                ["Trần Văn Bình", "036089001234", "15/03/1989"],
            ],
        ),
        (
            "Tổ 2",
            &[
                ["Ngô Thị Lan", "012345678", "03/02/1975"],
                ["", "001088012346", "12/12/1988"],
                ["Bùi Văn Dũng", "001 090 012 345", "07/05/1990"],
            ],
        ),
    ];
    for (name, rows) in people {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (j, h) in ["Họ và tên", "Số CCCD", "Ngày sinh"].iter().enumerate() {
            ws.write_string(0, j as u16, *h).unwrap();
        }
        for (i, row) in rows.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(i as u32 + 1, j as u16, *v).unwrap();
                }
            }
        }
    }
    wb.add_worksheet().set_name("Trống").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn every_sheet_of_people_is_read() {
    let r = check_bytes("teams.xlsx", &two_teams(), &opts()).expect("checked");
    assert_eq!(r.rows, 5);
    assert_eq!(r.valid.len(), 3);
    assert_eq!(invalid(&r), vec![(3, "name.empty"), (4, "list.duplicate")]);
    assert!(reason(&r, 3).contains("Tổ 2"), "{}", reason(&r, 3));
    // The same CCCD on «Tổ 1» row 2: found across sheets.
    let dup = reason(&r, 4);
    assert!(dup.contains("dòng 2") && dup.contains("Tổ 1"), "{dup}");
    // The instructions sheet is named, not silently dropped.
    assert!(
        r.warnings.iter().any(|w| w.message.contains("Hướng dẫn")),
        "{:?}",
        r.warnings
    );

    // Every sheet is listed; the first one with people stays `sheet`.
    assert_eq!(r.sheet.as_deref(), Some("Tổ 1"));
    assert_eq!(r.header_row, 1);
    let sheets: Vec<_> = r
        .sheets
        .iter()
        .map(|s| {
            (
                s.name.as_deref().unwrap_or(""),
                s.header_row,
                s.rows,
                s.valid,
                s.invalid,
            )
        })
        .collect();
    assert_eq!(
        sheets,
        [
            ("Hướng dẫn", None, 0, 0, 0),
            ("Tổ 1", Some(1), 2, 2, 0),
            ("Tổ 2", Some(1), 3, 1, 2),
            ("Trống", None, 0, 0, 0),
        ]
    );
    let lan = r
        .valid
        .iter()
        .find(|v| v.person.full_name == "Ngô Thị Lan")
        .unwrap();
    assert_eq!((lan.row, lan.sheet.as_deref()), (2, Some("Tổ 2")));
    // The CLI's JSON: the same fields, and the sheet of each entry.
    let j = r.check_json();
    assert_eq!(j["invalid"][0]["row"], 3);
    assert_eq!(j["invalid"][0]["sheet"], "Tổ 2");
    assert!(j["invalid"][0]["reason"]
        .as_str()
        .unwrap()
        .starts_with("Trang «Tổ 2»: "));
}

#[test]
fn one_sheet_workbooks_keep_their_reasons_and_json_as_before() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (j, h) in ["Họ và tên", "Số CCCD"].iter().enumerate() {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    ws.write_string(1, 1, "001090012345").unwrap();
    let r = check_bytes("one.xlsx", &wb.save_to_buffer().unwrap(), &opts()).unwrap();
    assert_eq!(r.invalid[0].sheet.as_deref(), Some("Sheet1"));
    assert!(
        r.invalid[0].reason.starts_with("Họ và tên"),
        "{}",
        r.invalid[0].reason
    );
    assert_eq!(
        r.check_json()["invalid"][0].as_object().unwrap().len(),
        2,
        "row and reason only"
    );
}

#[test]
fn xlsx_inline_rich_escaped_and_formula_strings_are_read() {
    let sheet = |w: &mut dyn std::io::Write| {
        w.write_all(
            "<worksheet><sheetViews><sheetView/></sheetViews><sheetData>\
             <row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Họ và tên</t></is></c>\
             <c r=\"B1\" t=\"inlineStr\"><is><r><t>Số </t></r><r><t>CCCD</t></r></is></c>\
             <c r=\"C1\" t=\"inlineStr\"><is><t>Ngày_x0020_sinh</t></is></c></row>\
             <row r=\"2\"><c r=\"A2\" t=\"str\"><f>X1</f><v>Nguy&#7877;n Văn An</v></c>\
             <c r=\"B2\" t=\"inlineStr\"><is><t><![CDATA[001090012345]]></t><rPh><t>x</t></rPh></is></c>\
             <c r=\"C2\" t=\"inlineStr\"><is><t>07/05/1990</t></is></c></row>\
             <row r=\"3\"><c r=\"A3\" t=\"e\"><v>#REF!</v></c><c r=\"B3\" t=\"b\"><v>1</v></c></row>\
             </sheetData></worksheet>"
                .as_bytes(),
        )
    };
    let bytes = hostile::mini_xlsx(&[("Danh sách", &sheet)], None).unwrap();
    let r = check_bytes("inline.xlsx", &bytes, &opts()).expect("read");
    assert_eq!(r.columns[2].header, "Ngày sinh");
    assert_eq!(r.valid.len(), 1, "{:?}", r.invalid);
    assert_eq!(r.valid[0].person.full_name, "Nguyễn Văn An");
    assert_eq!(r.valid[0].person.id_doc.number, "001090012345");
    assert_eq!(invalid(&r)[0].0, 3);
}

#[test]
fn one_bad_byte_in_a_utf8_csv_is_reported_on_its_row() {
    let mut csv = Vec::new();
    csv.extend_from_slice("Họ và tên;Số CCCD;Ngày sinh;Địa chỉ\n".as_bytes());
    let people = listimport::testdata::people(8, 3);
    for (i, p) in people.iter().enumerate() {
        let line = format!(
            "{};{};{:02}/{:02}/{};{}\n",
            p.full_name, p.cccd, p.dob.2, p.dob.1, p.dob.0, p.address
        );
        let mut line = line.into_bytes();
        if i == 5 {
            // Row 7 (the header is row 1): a stray byte ending the address.
            let at = line.len() - 1;
            line.insert(at, 0xFF);
        }
        csv.extend_from_slice(&line);
    }
    let r = check_within(20, "bad_byte.csv", csv).expect("checked");
    assert_eq!(r.rows, 8);
    assert_eq!(invalid(&r), vec![(7, "list.bad_encoding")]);
    let why = reason(&r, 7);
    assert!(why.contains("0xFF") && why.contains("D7"), "{why}");
    assert_eq!(r.valid[0].person.full_name, people[0].full_name);
    assert!(
        !r.warnings.iter().any(|w| w.message.contains("bảng mã")),
        "not read as a legacy encoding: {:?}",
        r.warnings
    );
}
