//! Finding the header row and mapping columns to fields by their names,
//! Vietnamese or English, with or without diacritics.

use crate::cells::{CellRef, Row};
use serde::Serialize;

/// How far down the header may be (title rows, merged cells above it).
pub const HEADER_SEARCH_ROWS: usize = 20;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Row numbering (STT): ignored.
    Seq,
    FullName,
    /// An ID number column; `passport` when its header says "Hộ chiếu".
    IdNumber {
        passport: bool,
    },
    /// "Loại giấy tờ": the document type of the row.
    IdKind,
    DateOfBirth,
    Sex,
    Phone,
    Residence,
    Workplace,
    Position,
    Purpose,
    Area,
    ValidFrom,
    ValidTo,
    /// Not recognized: the value is kept as a note on the person.
    Note,
}

/// Folds a header: no diacritics, lowercase, punctuation as spaces.
fn norm(h: &str) -> String {
    let f = vntext::fold(&vntext::fix_legacy(h));
    let spaced: String = f
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Maps one header text to a field; `None` for an empty header.
pub fn classify(header: &str) -> Option<Field> {
    let h = norm(header);
    if h.is_empty() {
        return None;
    }
    // `w` as whole words of `h` (single-spaced): no allocation, since every
    // cell of the first rows goes through here.
    let has = |w: &str| {
        let b = h.as_bytes();
        h.match_indices(w).any(|(i, _)| {
            let end = i + w.len();
            (i == 0 || b[i - 1] == b' ') && (end == b.len() || b[end] == b' ')
        })
    };
    let any = |ws: &[&str]| ws.iter().any(|w| has(w));
    use Field::*;
    Some(
        if matches!(
            h.as_str(),
            "stt" | "tt" | "so tt" | "so thu tu" | "no" | "seq"
        ) {
            Seq
        } else if any(&["ngay cap", "noi cap", "issue date", "issued"]) {
            // Issue date/place of the ID card: worth keeping, but not the number.
            Note
        } else if any(&[
            "loai giay to",
            "loai giay",
            "loai",
            "document type",
            "id type",
            "type",
        ]) {
            IdKind
        } else if any(&["ho chieu", "passport"]) && !any(&["cccd", "cmnd"]) {
            IdNumber { passport: true }
        } else if any(&[
            "cccd",
            "cmnd",
            "can cuoc",
            "chung minh",
            "cmt",
            "so giay to",
            "giay to",
            "so dinh danh",
            "dinh danh",
            "id",
            "id number",
            "id no",
        ]) {
            IdNumber { passport: false }
        } else if any(&[
            "ngay sinh",
            "nam sinh",
            "ngay thang nam sinh",
            "date of birth",
            "dob",
            "birth",
            "birthday",
        ]) {
            DateOfBirth
        } else if any(&["gioi tinh", "gioi", "phai", "sex", "gender"]) {
            Sex
        } else if any(&[
            "dien thoai",
            "sdt",
            "so dt",
            "dt",
            "phone",
            "mobile",
            "di dong",
            "tel",
        ]) {
            Phone
        } else if any(&[
            "noi lam viec",
            "don vi",
            "co quan",
            "cong ty",
            "workplace",
            "company",
            "bo phan",
            "phong ban",
        ]) {
            Workplace
        } else if any(&[
            "dia chi",
            "noi o",
            "cu tru",
            "thuong tru",
            "tam tru",
            "cho o",
            "address",
            "residence",
            "ho khau",
        ]) {
            Residence
        } else if any(&[
            "chuc vu",
            "chuc danh",
            "vi tri",
            "position",
            "job title",
            "title",
            "nghe nghiep",
        ]) {
            Position
        } else if any(&["muc dich", "ly do", "purpose", "reason"]) {
            Purpose
        } else if any(&[
            "khu vuc",
            "lo trinh",
            "tuyen duong",
            "pham vi",
            "dia ban",
            "area",
            "route",
        ]) {
            Area
        } else if any(&[
            "tu ngay",
            "ngay bat dau",
            "valid from",
            "from",
            "hieu luc tu",
        ]) {
            ValidFrom
        } else if any(&[
            "den ngay",
            "ngay ket thuc",
            "valid to",
            "to",
            "valid until",
            "hieu luc den",
        ]) {
            ValidTo
        } else if any(&[
            "ho va ten",
            "ho ten",
            "ho ten nguoi lao dong",
            "ten",
            "full name",
            "name",
            "fullname",
        ]) {
            FullName
        } else {
            Note
        },
    )
}

/// The mapping of a table's columns, and where the header is.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    /// Index of the header row in the table.
    pub row: usize,
    /// `(column index, field, header text)` of every non-empty header cell.
    pub columns: Vec<(usize, Field, String)>,
}

impl Header {
    pub(crate) fn first(&self, f: Field) -> Option<usize> {
        self.columns.iter().find(|c| c.1 == f).map(|c| c.0)
    }
}

fn header_text(c: CellRef<'_>) -> Option<String> {
    match c {
        CellRef::Text(s) if !s.trim().is_empty() => Some(vntext::clean(&vntext::fix_legacy(s))),
        CellRef::Number(n) => Some(format!("{n}")),
        _ => None,
    }
}

/// Finds the header row among the first rows of a sheet (the reader hands
/// over those within [`HEADER_SEARCH_ROWS`] of its first row): the one that
/// names the most known fields, among those naming both a full name and an
/// ID number column. On failure, returns what the best row looked like, for
/// the message. `Header::row` is an index into `rows`.
pub(crate) fn find_header(rows: &[Row]) -> Result<Header, String> {
    let mut best: Option<(usize, Header)> = None;
    let mut best_any: Option<(usize, Vec<String>)> = None;
    for (i, r) in rows.iter().enumerate() {
        let mut columns = Vec::new();
        for (j, c) in r.cells() {
            if let Some(text) = header_text(c) {
                if let Some(f) = classify(&text) {
                    columns.push((j, f, text));
                }
            }
        }
        let mut known: Vec<Field> = columns
            .iter()
            .map(|c| c.1)
            .filter(|f| *f != Field::Note)
            .collect();
        known.sort_by_key(|f| format!("{f:?}"));
        known.dedup();
        let score = known.len();
        if best_any.as_ref().is_none_or(|b| score > b.0) {
            best_any = Some((
                score,
                columns
                    .iter()
                    .filter(|c| c.1 != Field::Note)
                    .map(|c| c.2.clone())
                    .collect(),
            ));
        }
        let has_name = known.contains(&Field::FullName);
        let has_id = known.iter().any(|f| matches!(f, Field::IdNumber { .. }));
        if has_name && has_id && best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, Header { row: i, columns }));
        }
    }
    match best {
        Some((_, h)) => Ok(h),
        None => Err(match best_any {
            Some((n, names)) if n > 0 => {
                format!(" (dòng gần nhất chỉ nhận ra các cột: {})", names.join(", "))
            }
            _ => String::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Field::*;

    #[test]
    fn vietnamese_english_and_unaccented_headers() {
        let cases: &[(&str, Field)] = &[
            ("STT", Seq),
            ("Số TT", Seq),
            ("Họ và tên", FullName),
            ("HỌ VÀ TÊN", FullName),
            ("Họ tên", FullName),
            ("Ho ten", FullName),
            ("Full name", FullName),
            ("Số CCCD/CMND", IdNumber { passport: false }),
            ("CCCD", IdNumber { passport: false }),
            ("So CMND", IdNumber { passport: false }),
            ("Số giấy tờ", IdNumber { passport: false }),
            ("Hộ chiếu", IdNumber { passport: true }),
            ("Số hộ chiếu", IdNumber { passport: true }),
            ("Passport No.", IdNumber { passport: true }),
            ("Loại giấy tờ", IdKind),
            ("Ngày sinh", DateOfBirth),
            ("Ngay sinh", DateOfBirth),
            ("Date of birth", DateOfBirth),
            ("Giới tính", Sex),
            ("Số điện thoại", Phone),
            ("Điện thoại", Phone),
            ("SĐT", Phone),
            ("Địa chỉ", Residence),
            ("Nơi ở hiện nay", Residence),
            ("Nơi cư trú", Residence),
            ("Chức vụ", Position),
            ("Nơi làm việc", Workplace),
            ("Đơn vị", Workplace),
            ("Mục đích", Purpose),
            ("Khu vực", Area),
            ("Lộ trình", Area),
            ("Tuyến đường", Area),
            ("Từ ngày", ValidFrom),
            ("Đến ngày", ValidTo),
            ("Ngày cấp CCCD", Note),
            ("Ghi chú", Note),
            ("Biển số xe", Note),
        ];
        for (h, f) in cases {
            assert_eq!(classify(h), Some(*f), "{h}");
        }
        assert_eq!(classify("  "), None);
    }
}
