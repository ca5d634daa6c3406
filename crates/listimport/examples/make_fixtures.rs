//! Writes the .xlsx fixtures of `tests/fixtures/lists/` (run once, commit the
//! files): `cargo run -p listimport --example make_fixtures --features testutil`.
//! The .xls and .csv fixtures come from `tests/fixtures/lists/make_fixtures.py`.

use identity::dates::to_excel_serial;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};
use std::path::PathBuf;
use time::macros::date;

fn out_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/lists")
}

/// A cell value of the messy list.
enum V {
    S(&'static str),
    N(f64),
    D(u16, u8, u8),
    E,
}
use V::*;

fn messy() -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("DS lao động")?;
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    ws.merge_range(0, 0, 0, 8, "CÔNG TY CP XÂY DỰNG HÀ THÀNH", &title)?;
    ws.merge_range(
        1,
        0,
        1,
        8,
        "DANH SÁCH NGƯỜI LAO ĐỘNG ĐỀ NGHỊ CẤP GIẤY ĐI ĐƯỜNG",
        &title,
    )?;
    let headers = [
        "STT",
        "Họ và tên",
        "Số CCCD/CMND",
        "Ngày sinh",
        "Giới tính",
        "Số điện thoại",
        "Địa chỉ",
        "Chức vụ",
        "Biển số xe",
    ];
    for (j, h) in headers.iter().enumerate() {
        ws.write_string(3, j as u16, *h)?;
    }
    let serial_1989 = to_excel_serial(date!(1989 - 03 - 15));
    // Sheet row numbers (1-based) in the comments: tests assert them.
    let rows: Vec<(u32, Vec<V>)> = vec![
        // 5: valid, text CCCD, date cell, unknown column kept as a note
        (
            5,
            vec![
                N(1.0),
                S("Nguyễn Văn An"),
                S("001090012345"),
                D(1990, 5, 7),
                S("Nam"),
                S("0912345678"),
                S("Số 5 Kim Mã, Ba Đình"),
                S("Kỹ sư"),
                S("29A-123.45"),
            ],
        ),
        // 6: valid with warnings: numeric CCCD and phone lost their zeros, text date
        (
            6,
            vec![
                N(2.0),
                S("Đặng Thị Thủy"),
                N(1185000123.0),
                S("05/09/1985"),
                S("Nữ"),
                N(912345678.0),
                S("Số 12 Đội Cấn"),
                S("Kế toán"),
                E,
            ],
        ),
        // 7: valid, serial date stored as a plain number
        (
            7,
            vec![
                N(3.0),
                S("Trần Văn Bình"),
                S("036089001234"),
                N(serial_1989),
                S("Nam"),
                S("+84 98 765 4321"),
                E,
                E,
                E,
            ],
        ),
        // 8: blank
        // 9: missing name
        (
            9,
            vec![
                N(4.0),
                E,
                S("001090054321"),
                S("01/01/1990"),
                S("Nam"),
                E,
                E,
                E,
                E,
            ],
        ),
        // 10: CCCD with a province code that does not exist
        (
            10,
            vec![
                N(5.0),
                S("Lê Thị Hoa"),
                S("003190012345"),
                S("01/01/1990"),
                S("Nữ"),
                E,
                E,
                E,
                E,
            ],
        ),
        // 11: CCCD year digits disagree with the date of birth
        (
            11,
            vec![
                N(6.0),
                S("Phạm Văn Cường"),
                S("001092012345"),
                S("01/01/1990"),
                S("Nam"),
                E,
                E,
                E,
                E,
            ],
        ),
        // 12: date of birth in the future
        (
            12,
            vec![
                N(7.0),
                S("Hoàng Thị Mai"),
                S("001330000111"),
                S("01/01/2030"),
                S("Nữ"),
                E,
                E,
                E,
                E,
            ],
        ),
        // 13: phone with a prefix that does not exist
        (
            13,
            vec![
                N(8.0),
                S("Vũ Đức Nam"),
                S("001088012346"),
                S("12/12/1988"),
                S("Nam"),
                S("0123456789"),
                E,
                E,
                E,
            ],
        ),
        // 14: same CCCD as row 5
        (
            14,
            vec![
                N(9.0),
                S("Bùi Văn Dũng"),
                S("001 090 012 345"),
                S("07/05/1990"),
                S("Nam"),
                E,
                E,
                E,
                E,
            ],
        ),
        // 15: foreign passport without a document type
        (
            15,
            vec![
                N(10.0),
                S("Kim Min Su"),
                S("M12345678"),
                S("01/02/1991"),
                S("Nam"),
                E,
                E,
                E,
                E,
            ],
        ),
        // 16: valid CMND (9 digits)
        (
            16,
            vec![
                N(11.0),
                S("Ngô Thị Lan"),
                S("012345678"),
                D(1975, 2, 3),
                S("Nữ"),
                E,
                E,
                E,
                E,
            ],
        ),
        // 17: TCVN3 text typed with a .VnTime font ("Đặng Văn Hùng")
        (
            17,
            vec![
                N(12.0),
                S("§Æng V¨n Hïng"),
                S("001080001111"),
                S("01/01/1980"),
                S("Nam"),
                E,
                S("Sè 3 phè HuÕ"),
                E,
                E,
            ],
        ),
        // 18: valid Vietnamese passport
        (
            18,
            vec![
                N(13.0),
                S("Đỗ Minh Quang"),
                S("c1234567"),
                S("20/10/1995"),
                S("nam"),
                E,
                E,
                E,
                E,
            ],
        ),
        // 19: impossible date
        (
            19,
            vec![
                N(14.0),
                S("Hồ Văn Tú"),
                S("001090099999"),
                S("31/02/1990"),
                S("Nam"),
                E,
                E,
                E,
                E,
            ],
        ),
        // 20: a footer line typed under the list
        (20, vec![E, S("Người lập biểu"), E, E, E, E, E, E, E]),
    ];
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
    // Numbering pre-filled on a row left empty: still a blank row.
    ws.write_number(7, 0, 99.0)?;
    for (r, cells) in rows {
        for (j, v) in cells.iter().enumerate() {
            let (row, col) = (r - 1, j as u16);
            match v {
                S(s) => {
                    ws.write_string(row, col, *s)?;
                }
                N(n) => {
                    ws.write_number(row, col, *n)?;
                }
                D(y, m, d) => {
                    ws.write_datetime_with_format(
                        row,
                        col,
                        &ExcelDateTime::from_ymd(*y, *m, *d)?,
                        &date_fmt,
                    )?;
                }
                E => {}
            }
        }
    }
    wb.save(out_dir().join("messy.xlsx"))
}

fn unaccented() -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    // An empty first sheet: the list is on the second.
    wb.add_worksheet().set_name("Huong dan")?;
    let ws = wb.add_worksheet();
    ws.set_name("Sheet2")?;
    for (j, h) in [
        "Ho ten",
        "So CMND",
        "Loai giay to",
        "Ngay sinh",
        "Dien thoai",
        "Noi o",
        "Tu ngay",
        "Den ngay",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, j as u16, *h)?;
    }
    let rows: [[&str; 8]; 4] = [
        [
            "Kim Min Su",
            "M12345678",
            "Hộ chiếu Hàn Quốc",
            "1990-01-01",
            "+84 912 345 678",
            "Ha Noi",
            "01/12/2026",
            "31/12/2026",
        ],
        [
            "Tran Thi Thu",
            "079305001234",
            "",
            "2005-03-04",
            "024 3825 1234",
            "TP HCM",
            "",
            "",
        ],
        [
            "Le Van Tam",
            "079088001235",
            "CMND",
            "1988-07-08",
            "0912345678",
            "",
            "10/12/2026",
            "01/12/2026",
        ],
        ["Pham Thi Hue", "", "", "1970-01-01", "", "", "", ""],
    ];
    for (i, r) in rows.iter().enumerate() {
        for (j, v) in r.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(i as u32 + 1, j as u16, *v)?;
            }
        }
    }
    // A CCCD typed as a number that Excel showed as 1E+11.
    ws.write_string(5, 0, "Do Van Hai")?;
    ws.write_number(5, 1, 1.0e11)?;
    ws.write_string(5, 3, "1990-01-01")?;
    // Typed with a VNI-Times font: "Trương Quốc Hùng".
    ws.write_string(6, 0, "Tröông Quoác Huøng")?;
    ws.write_string(6, 1, "001085000777")?;
    ws.write_string(6, 3, "02/01/1985")?;
    wb.save(out_dir().join("unaccented.xlsx"))
}

fn no_header() -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Báo cáo doanh thu")?;
    ws.write_string(2, 0, "Tháng")?;
    ws.write_string(2, 1, "Doanh thu")?;
    ws.write_string(2, 2, "Họ tên người lập")?;
    for i in 0..30u32 {
        ws.write_number(3 + i, 0, f64::from(i % 12 + 1))?;
        ws.write_number(3 + i, 1, f64::from(i * 1000))?;
    }
    wb.save(out_dir().join("no_header.xlsx"))
}

fn empty() -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    wb.add_worksheet();
    wb.save(out_dir().join("empty.xlsx"))
}

fn main() -> Result<(), XlsxError> {
    std::fs::create_dir_all(out_dir())?;
    messy()?;
    unaccented()?;
    no_header()?;
    empty()?;
    println!("wrote fixtures to {}", out_dir().display());
    Ok(())
}
