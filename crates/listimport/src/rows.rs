//! Row-by-row validation: each non-blank row under the header becomes a
//! `ValidRow` or an `InvalidRow` with every reason found.

use crate::header::{Field, Header};
use crate::report::{InvalidRow, RowWarning, ValidRow};
use crate::table::{CellRef, Table};
use crate::CheckOptions;
use identity::{Date, IdDocument, IdHint, PersonInput, ValidationError};
use std::borrow::Cow;
use std::collections::HashMap;

/// Column positions, resolved once per file.
struct Cols {
    name: Option<usize>,
    ids: Vec<(usize, bool)>,
    kind: Option<usize>,
    dob: Option<usize>,
    sex: Option<usize>,
    phone: Option<usize>,
    residence: Option<usize>,
    workplace: Option<usize>,
    position: Option<usize>,
    purpose: Option<usize>,
    area: Option<usize>,
    from: Option<usize>,
    to: Option<usize>,
    /// Unknown columns and duplicates of known ones: `(index, header)`.
    notes: Vec<(usize, String)>,
    seq: Option<usize>,
}

impl Cols {
    fn new(h: &Header) -> Cols {
        let mut seen = Vec::new();
        let mut notes = Vec::new();
        let mut ids = Vec::new();
        for (j, f, text) in &h.columns {
            match f {
                Field::IdNumber { passport } => ids.push((*j, *passport)),
                Field::Note => notes.push((*j, text.clone())),
                Field::Seq => {}
                f if seen.contains(f) => notes.push((*j, text.clone())),
                f => seen.push(*f),
            }
        }
        Cols {
            name: h.first(Field::FullName),
            ids,
            kind: h.first(Field::IdKind),
            dob: h.first(Field::DateOfBirth),
            sex: h.first(Field::Sex),
            phone: h.first(Field::Phone),
            residence: h.first(Field::Residence),
            workplace: h.first(Field::Workplace),
            position: h.first(Field::Position),
            purpose: h.first(Field::Purpose),
            area: h.first(Field::Area),
            from: h.first(Field::ValidFrom),
            to: h.first(Field::ValidTo),
            notes,
            seq: h.first(Field::Seq),
        }
    }
}

/// A cell as text: numbers without a useless ".0", legacy text fixed.
fn text(c: CellRef<'_>) -> Option<Cow<'_, str>> {
    match c {
        CellRef::Empty => None,
        CellRef::Text(s) => {
            let s = s.trim();
            (!s.is_empty()).then(|| vntext::fix_legacy(s))
        }
        CellRef::Number(n) => Some(Cow::Owned(number_text(n))),
        CellRef::Date(Some(d)) => Some(Cow::Owned(identity::format_vn(d))),
        CellRef::Date(None) => Some(Cow::Borrowed("?")),
        CellRef::Bool(b) => Some(Cow::Borrowed(if b { "TRUE" } else { "FALSE" })),
    }
}

/// Integral numbers as plain digits (1.0e11 → "100000000000").
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn clean_opt(c: CellRef<'_>) -> Option<String> {
    text(c).map(|s| vntext::clean(&s)).filter(|s| !s.is_empty())
}

/// True when the text is a bare number (CSV has no cell types, so a bare
/// number may have lost its leading zeros in Excel before export).
fn looks_numeric(s: &str) -> bool {
    let s = s.strip_suffix(".0").unwrap_or(s);
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

enum DateCell {
    Missing,
    Ok(Date),
    Bad(ValidationError),
}

fn date_cell(c: CellRef<'_>) -> DateCell {
    match c {
        CellRef::Empty => DateCell::Missing,
        CellRef::Text(s) if s.trim().is_empty() => DateCell::Missing,
        CellRef::Date(Some(d)) => DateCell::Ok(d),
        CellRef::Date(None) => DateCell::Bad(ValidationError::DateInvalid("?".into())),
        CellRef::Number(n) => serial(n),
        CellRef::Text(s) => {
            let t = s.trim();
            // A serial number exported as text (CSV from Excel).
            if t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()) {
                serial(t.parse().unwrap_or(0.0))
            } else {
                match identity::parse_date_text(t) {
                    Ok(d) => DateCell::Ok(d),
                    Err(e) => DateCell::Bad(e),
                }
            }
        }
        CellRef::Bool(_) => DateCell::Bad(ValidationError::DateInvalid(
            text(c).map(|s| s.into_owned()).unwrap_or_default(),
        )),
    }
}

fn serial(n: f64) -> DateCell {
    // A plain year ("1990") in a date-of-birth column is not a date.
    if (1000.0..=2200.0).contains(&n) && n.fract() == 0.0 {
        return DateCell::Bad(ValidationError::DateInvalid(format!("{n}")));
    }
    match identity::from_excel_serial(n) {
        Ok(d) => DateCell::Ok(d),
        Err(e) => DateCell::Bad(e),
    }
}

fn legacy_name(enc: vntext::Legacy) -> &'static str {
    match enc {
        vntext::Legacy::Tcvn3 => "TCVN3 (phông .VnTime)",
        vntext::Legacy::Vni => "VNI (phông VNI-Times)",
        vntext::Legacy::Windows1258 => "windows-1258",
    }
}

/// Collects problems of one row, in column order.
#[derive(Default)]
struct Problems {
    list: Vec<(String, &'static str)>,
}

impl Problems {
    fn add(&mut self, field: &str, e: &ValidationError) {
        self.list.push((format!("{field}: {e}"), e.code()));
    }
    fn raw(&mut self, msg: String, code: &'static str) {
        self.list.push((msg, code));
    }
}

pub(crate) struct Outcome {
    pub rows: usize,
    pub valid: Vec<ValidRow>,
    pub invalid: Vec<InvalidRow>,
    pub warnings: Vec<RowWarning>,
}

pub(crate) fn check_rows(t: &Table, h: &Header, csv: bool, opts: &CheckOptions<'_>) -> Outcome {
    let cols = Cols::new(h);
    let mut out = Outcome {
        rows: 0,
        valid: Vec::new(),
        invalid: Vec::new(),
        warnings: Vec::new(),
    };
    let mut seen: HashMap<(identity::IdKind, String), u32> = HashMap::new();
    let mut legacy_reported = false;
    if let Some(enc) = t.encoding {
        legacy_reported = true;
        out.warnings.push(RowWarning {
            row: t.row_number(h.row),
            message: format!(
                "Tệp không phải UTF-8: đã đọc theo bảng mã {}, kiểm tra lại họ tên",
                legacy_name(enc)
            ),
        });
    }
    let width = t.width();

    for i in h.row + 1..t.height() {
        // Blank = nothing but maybe a pre-filled sequence number.
        let blank = (0..width).all(|j| Some(j) == cols.seq || t.cell(i, j).is_blank());
        if blank {
            continue;
        }
        out.rows += 1;
        let row = t.row_number(i);
        let mut p = Problems::default();
        let mut warnings = Vec::new();

        if !legacy_reported {
            if let Some(enc) = (0..width).find_map(|j| match t.cell(i, j) {
                CellRef::Text(s) => vntext::detect_legacy(s),
                _ => None,
            }) {
                legacy_reported = true;
                let font = legacy_name(enc);
                out.warnings.push(RowWarning {
                    row,
                    message: format!(
                        "Chữ trong danh sách gõ bằng bảng mã cũ {font}, đã chuyển sang Unicode: kiểm tra lại họ tên"
                    ),
                });
            }
        }

        let name = match cols.name.map(|j| t.cell(i, j)).and_then(text) {
            None => {
                p.add("Họ và tên", &ValidationError::NameEmpty);
                None
            }
            Some(s) => match identity::validate_name(&s) {
                Ok(n) => Some(n),
                Err(e) => {
                    p.add("Họ và tên", &e);
                    None
                }
            },
        };

        let sex = match cols.sex.map(|j| t.cell(i, j)).and_then(text) {
            None => None,
            Some(s) => match identity::parse_sex(&s) {
                Ok(s) => s,
                Err(e) => {
                    p.add("Giới tính", &e);
                    None
                }
            },
        };

        let dob = match cols.dob.map(|j| date_cell(t.cell(i, j))) {
            None | Some(DateCell::Missing) => {
                p.raw("Ngày sinh: thiếu ngày sinh".into(), "dob.missing");
                None
            }
            Some(DateCell::Bad(e)) => {
                p.add("Ngày sinh", &e);
                None
            }
            Some(DateCell::Ok(d)) => match identity::check_birth_date(d, opts.today) {
                Ok(()) => Some(d),
                Err(e) => {
                    p.add("Ngày sinh", &e);
                    None
                }
            },
        };

        let kind_label = cols.kind.map(|j| t.cell(i, j)).and_then(text);
        let id_cell = cols.ids.iter().find_map(|&(j, passport)| {
            let c = t.cell(i, j);
            (!c.is_blank()).then_some((c, passport))
        });
        let id = match id_cell {
            None => {
                p.add("Số giấy tờ", &ValidationError::IdEmpty);
                None
            }
            Some((c, passport)) => {
                let raw = text(c).unwrap_or_default();
                let from_number = matches!(c, CellRef::Number(_)) || (csv && looks_numeric(&raw));
                let label = kind_label.as_deref().or(passport.then_some("Hộ chiếu"));
                let hint = IdHint {
                    kind_label: label,
                    from_number,
                    date_of_birth: dob,
                    sex,
                };
                match identity::parse_id(&raw, hint) {
                    Ok(parsed) => {
                        if parsed.restored_zeros > 0 {
                            warnings.push(format!(
                                "Số giấy tờ «{raw}» bị mất {} chữ số 0 ở đầu (Excel lưu dạng số), đã khôi phục thành {}",
                                parsed.restored_zeros, parsed.doc.number
                            ));
                        }
                        Some(parsed.doc)
                    }
                    Err(e) => {
                        p.add("Số giấy tờ", &e);
                        None
                    }
                }
            }
        };

        let phone = match cols.phone.map(|j| t.cell(i, j)) {
            None => None,
            Some(c) => match text(c) {
                None => None,
                Some(raw) => {
                    let from_number =
                        matches!(c, CellRef::Number(_)) || (csv && looks_numeric(&raw));
                    match identity::parse_phone(&raw, from_number) {
                        Ok(ph) => {
                            if ph.restored_zero {
                                warnings.push(format!(
                                    "Số điện thoại «{raw}» bị mất chữ số 0 ở đầu, đã khôi phục thành {}",
                                    ph.digits
                                ));
                            }
                            Some(ph.digits)
                        }
                        Err(e) => {
                            p.add("Số điện thoại", &e);
                            None
                        }
                    }
                }
            },
        };

        let mut valid_date =
            |col: Option<usize>, label: &str| match col.map(|j| date_cell(t.cell(i, j))) {
                None | Some(DateCell::Missing) => None,
                Some(DateCell::Ok(d)) => Some(d),
                Some(DateCell::Bad(e)) => {
                    p.add(label, &e);
                    None
                }
            };
        let valid_from = valid_date(cols.from, "Từ ngày");
        let valid_to = valid_date(cols.to, "Đến ngày");
        if let (Some(a), Some(b)) = (valid_from, valid_to) {
            if b < a {
                p.raw(
                    format!(
                        "Thời hạn: đến ngày {} trước từ ngày {}",
                        identity::format_vn(b),
                        identity::format_vn(a)
                    ),
                    "list.valid_range",
                );
            }
        }

        if let Some(doc) = &id {
            let key = (doc.kind, doc.number.clone());
            if let Some(first) = seen.get(&key) {
                p.raw(
                    format!("Trùng số giấy tờ {} với dòng {first}", doc.number),
                    "list.duplicate",
                );
            } else {
                seen.insert(key, row);
                if let Some(info) = opts.active_permit.and_then(|f| f(doc)) {
                    p.raw(
                        format!(
                            "Người có số giấy tờ {} đang có giấy đi đường còn hiệu lực ({info})",
                            doc.number
                        ),
                        "list.has_active_permit",
                    );
                }
            }
        }

        let notes: Vec<(String, String)> = cols
            .notes
            .iter()
            .filter_map(|(j, h)| clean_opt(t.cell(i, *j)).map(|v| (h.clone(), v)))
            .collect();

        match (name, id) {
            (Some(full_name), Some(id_doc)) if p.list.is_empty() => {
                for w in &warnings {
                    out.warnings.push(RowWarning {
                        row,
                        message: w.clone(),
                    });
                }
                out.valid.push(ValidRow {
                    row,
                    person: PersonInput {
                        full_name,
                        id_doc,
                        date_of_birth: dob,
                        sex,
                        phone,
                        residence: cols.residence.and_then(|j| clean_opt(t.cell(i, j))),
                        workplace: cols.workplace.and_then(|j| clean_opt(t.cell(i, j))),
                        position: cols.position.and_then(|j| clean_opt(t.cell(i, j))),
                        purpose: cols.purpose.and_then(|j| clean_opt(t.cell(i, j))),
                        area: cols.area.and_then(|j| clean_opt(t.cell(i, j))),
                        valid_from,
                        valid_to,
                        notes,
                    },
                    warnings,
                });
            }
            _ => {
                let code = p.list.first().map(|x| x.1).unwrap_or("list.invalid_row");
                let reason = p
                    .list
                    .iter()
                    .map(|x| x.0.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                out.invalid.push(InvalidRow {
                    row,
                    reason,
                    code: code.to_string(),
                });
            }
        }
    }
    out
}

/// Who already holds an active permit in the ward: `Some(description)`
/// (permit serial, validity…) for a document that does.
pub type ActivePermitLookup<'a> = &'a dyn Fn(&IdDocument) -> Option<String>;
