//! Realistic generated lists, for benchmarks and other crates' tests
//! (feature `testutil`).

pub mod hostile;

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

const FAMILY: [&str; 14] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô",
];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quang"];
const GIVEN: [&str; 16] = [
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Hương", "Lan", "Linh", "Mai",
    "Nam", "Thủy", "Trang", "Tuấn",
];
const STREETS: [&str; 6] = [
    "Đội Cấn",
    "Kim Mã",
    "Liễu Giai",
    "Hoàng Hoa Thám",
    "Phan Đình Phùng",
    "Quán Thánh",
];
const PROVINCES: [u16; 8] = [1, 22, 26, 30, 34, 36, 38, 40];

/// A tiny deterministic generator (no dependency, reproducible lists).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[(self.next() as usize) % xs.len()]
    }
}

/// One generated person: `(name, cccd, (y, m, d), female, phone, address)`.
pub struct GenPerson {
    pub full_name: String,
    pub cccd: String,
    pub dob: (u16, u8, u8),
    pub female: bool,
    pub phone: String,
    pub address: String,
}

/// `n` distinct, valid people (unique CCCD numbers).
pub fn people(n: usize, seed: u64) -> Vec<GenPerson> {
    let mut r = Lcg(seed);
    (0..n)
        .map(|i| {
            let female = r.next() & 1 == 0;
            let middle = if female { "Thị" } else { r.pick(&MIDDLE) };
            let full_name = format!("{} {} {}", r.pick(&FAMILY), middle, r.pick(&GIVEN));
            let year = 1960 + (r.next() % 45) as u16;
            let (month, day) = (1 + (r.next() % 12) as u8, 1 + (r.next() % 28) as u8);
            let g = if year >= 2000 { 2 } else { 0 } + u16::from(female);
            let cccd = format!(
                "{:03}{}{:02}{:06}",
                r.pick(&PROVINCES),
                g,
                year % 100,
                i % 1_000_000
            );
            let phone = format!("09{:08}", r.next() % 100_000_000);
            let address = format!(
                "Số {} phố {}, Phường Ba Đình, Hà Nội",
                1 + r.next() % 200,
                r.pick(&STREETS)
            );
            GenPerson {
                full_name,
                cccd,
                dob: (year, month, day),
                female,
                phone,
                address,
            }
        })
        .collect()
}

/// An .xlsx list as a company would send it: two merged title rows, a blank
/// row, the header on row 4, `n` data rows with date-formatted birth dates and
/// CCCD numbers stored as text.
pub fn generate_xlsx(n: usize, seed: u64) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Danh sách")?;
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    ws.merge_range(
        0,
        0,
        0,
        7,
        "DANH SÁCH NGƯỜI LAO ĐỘNG ĐỀ NGHỊ CẤP GIẤY ĐI ĐƯỜNG",
        &title,
    )?;
    ws.merge_range(1, 0, 1, 7, "Công ty TNHH Thương mại Ba Đình", &title)?;
    let headers = [
        "STT",
        "Họ và tên",
        "Số CCCD/CMND",
        "Ngày sinh",
        "Giới tính",
        "Số điện thoại",
        "Địa chỉ",
        "Chức vụ",
    ];
    for (j, h) in headers.iter().enumerate() {
        ws.write_string(3, j as u16, *h)?;
    }
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
    for (i, p) in people(n, seed).iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, &p.full_name)?;
        ws.write_string(r, 2, &p.cccd)?;
        let d = ExcelDateTime::from_ymd(p.dob.0, p.dob.1, p.dob.2)?;
        ws.write_datetime_with_format(r, 3, &d, &date_fmt)?;
        ws.write_string(r, 4, if p.female { "Nữ" } else { "Nam" })?;
        ws.write_string(r, 5, &p.phone)?;
        ws.write_string(r, 6, &p.address)?;
        ws.write_string(r, 7, "Nhân viên")?;
    }
    wb.save_to_buffer()
}
