//! Row-by-row validation: each non-blank row under the header becomes a
//! `ValidRow` or an `InvalidRow` with every reason found.

use crate::cells::{CellRef, Row};
use crate::header::{Field, Header};
use crate::report::{InvalidRow, ValidRow};
use crate::CheckOptions;
use identity::{Date, IdDocument, IdHint, IdKind, PersonInput, ValidationError};
use std::borrow::Cow;
use std::collections::HashMap;

/// Longest message of one problem kept in a reason: an error may quote the
/// cell, and a cell may be 32,767 characters long.
const MAX_PROBLEM_CHARS: usize = 300;

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

pub(crate) fn legacy_name(enc: vntext::Legacy) -> &'static str {
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
        self.raw(format!("{field}: {e}"), e.code());
    }
    fn raw(&mut self, mut msg: String, code: &'static str) {
        if let Some((cut, _)) = msg.char_indices().nth(MAX_PROBLEM_CHARS) {
            msg.truncate(cut);
            msg.push('…');
        }
        self.list.push((msg, code));
    }
}

/// Where an ID was first seen in the file: `(row, sheet index)`.
pub(crate) type Seen = HashMap<(IdKind, String), (u32, usize)>;

/// What the rows of a file share while being checked.
pub(crate) struct Context<'a, 'o> {
    pub opts: &'a CheckOptions<'o>,
    pub seen: &'a mut Seen,
    /// Index and name of the sheet being checked, and the names of all
    /// sheets so far (for duplicates found across sheets).
    pub sheet: usize,
    pub sheet_names: &'a [Option<String>],
    /// A legacy-font warning is given once per file.
    pub legacy_reported: &'a mut bool,
}

pub(crate) enum Checked {
    Blank,
    Valid(Box<ValidRow>),
    Invalid(InvalidRow),
}

/// The checker of one sheet's rows, its columns resolved from the header.
pub(crate) struct RowChecker {
    cols: Cols,
    csv: bool,
}

impl RowChecker {
    pub(crate) fn new(h: &Header, csv: bool) -> RowChecker {
        RowChecker {
            cols: Cols::new(h),
            csv,
        }
    }

    /// Blank = nothing but maybe a pre-filled sequence number.
    pub(crate) fn is_blank(&self, row: &Row) -> bool {
        row.problem.is_none()
            && row
                .cells()
                .all(|(j, c)| Some(j) == self.cols.seq || c.is_blank())
    }

    /// Checks one row; `legacy` receives the legacy-font warning the row
    /// gives (once per file).
    pub(crate) fn check(
        &self,
        t: &Row,
        ctx: &mut Context<'_, '_>,
        legacy: &mut Option<String>,
    ) -> Checked {
        if self.is_blank(t) {
            return Checked::Blank;
        }
        let (cols, csv, opts) = (&self.cols, self.csv, ctx.opts);
        let row = t.number;
        if let Some(p) = t.problem {
            return Checked::Invalid(InvalidRow {
                row,
                reason: p.message(row),
                code: p.code().to_string(),
                sheet: None,
            });
        }
        let mut p = Problems::default();
        let mut warnings = Vec::new();

        if !*ctx.legacy_reported {
            if let Some(enc) = t.cells().find_map(|(_, c)| match c {
                CellRef::Text(s) => vntext::detect_legacy(s),
                _ => None,
            }) {
                *ctx.legacy_reported = true;
                let font = legacy_name(enc);
                *legacy = Some(format!(
                    "Chữ trong danh sách gõ bằng bảng mã cũ {font}, đã chuyển sang Unicode: kiểm tra lại họ tên"
                ));
            }
        }

        let name = match cols.name.map(|j| t.cell(j)).and_then(text) {
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

        let sex = match cols.sex.map(|j| t.cell(j)).and_then(text) {
            None => None,
            Some(s) => match identity::parse_sex(&s) {
                Ok(s) => s,
                Err(e) => {
                    p.add("Giới tính", &e);
                    None
                }
            },
        };

        let dob = match cols.dob.map(|j| date_cell(t.cell(j))) {
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

        let kind_label = cols.kind.map(|j| t.cell(j)).and_then(text);
        let id_cell = cols.ids.iter().find_map(|&(j, passport)| {
            let c = t.cell(j);
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

        let phone = match cols.phone.map(|j| t.cell(j)) {
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
            |col: Option<usize>, label: &str| match col.map(|j| date_cell(t.cell(j))) {
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
            if let Some(&(first, sheet)) = ctx.seen.get(&key) {
                let other_sheet = match ctx.sheet_names.get(sheet) {
                    Some(Some(name)) if sheet != ctx.sheet => format!(" (trang «{name}»)"),
                    _ => String::new(),
                };
                p.raw(
                    format!(
                        "Trùng số giấy tờ {} với dòng {first}{other_sheet}",
                        doc.number
                    ),
                    "list.duplicate",
                );
            } else {
                ctx.seen.insert(key, (row, ctx.sheet));
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
            .filter_map(|(j, h)| clean_opt(t.cell(*j)).map(|v| (h.clone(), v)))
            .collect();

        match (name, id) {
            (Some(full_name), Some(id_doc)) if p.list.is_empty() => {
                Checked::Valid(Box::new(ValidRow {
                    row,
                    person: PersonInput {
                        full_name,
                        id_doc,
                        date_of_birth: dob,
                        sex,
                        phone,
                        residence: cols.residence.and_then(|j| clean_opt(t.cell(j))),
                        workplace: cols.workplace.and_then(|j| clean_opt(t.cell(j))),
                        position: cols.position.and_then(|j| clean_opt(t.cell(j))),
                        purpose: cols.purpose.and_then(|j| clean_opt(t.cell(j))),
                        area: cols.area.and_then(|j| clean_opt(t.cell(j))),
                        valid_from,
                        valid_to,
                        notes,
                    },
                    warnings,
                    sheet: None,
                }))
            }
            _ => {
                let code = p.list.first().map(|x| x.1).unwrap_or("list.invalid_row");
                let reason = p
                    .list
                    .iter()
                    .map(|x| x.0.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                Checked::Invalid(InvalidRow {
                    row,
                    reason,
                    code: code.to_string(),
                    sheet: None,
                })
            }
        }
    }
}

/// Who already holds an active permit in the ward: `Some(description)`
/// (permit serial, validity…) for a document that does.
pub type ActivePermitLookup<'a> = &'a dyn Fn(&IdDocument) -> Option<String>;
