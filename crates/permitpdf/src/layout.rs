//! One A6 permit (105 × 148.5 mm), drawn from its cell's top-left corner.
//!
//! ```text
//!  UBND PHƯỜNG …        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
//!  CÔNG AN PHƯỜNG …       Độc lập – Tự do – Hạnh phúc
//!  Số: 09616-01-000123    Phường …, ngày … tháng … năm …
//!                  GIẤY ĐI ĐƯỜNG
//!          (BẢN IN LẠI lần N / MẪU THỬ – KHÔNG CÓ GIÁ TRỊ)
//!  Họ và tên:   …        (label: value lines, wrapped,
//!  Giấy tờ:     …         then shrunk to fit the box)
//!  ┌──────────┐  ┌ stamp mark ─────┐
//!  │    QR    │  └─────────────────┘
//!  └──────────┘  Xuất trình kèm CCCD/CMND
//! ```

use crate::canvas::{Canvas, BLACK, RED};
use crate::error::PdfError;
use crate::font::{Fonts, Style};
use crate::model::{date_vi, datetime_vi, place_date_vi, PrintPermit};
use crate::qr::{self, QrImage};
use crate::text::{clean, fit, wrap};
use std::io::Write;

pub const CELL_W: f32 = 105.0;
pub const CELL_H: f32 = 148.5;
/// Margin inside each cell: cut marks and printer margins stay clear of it.
const MARGIN: f32 = 6.0;
const CONTENT_W: f32 = CELL_W - 2.0 * MARGIN;
/// Header columns: the ward's bodies on the left, the national header on the right.
const LEFT_CX: f32 = MARGIN + 19.0;
const LEFT_W: f32 = 38.0;
const RIGHT_X: f32 = 45.0;
const RIGHT_W: f32 = CELL_W - MARGIN - RIGHT_X;
const RIGHT_CX: f32 = RIGHT_X + RIGHT_W / 2.0;
/// The fields box.
const FIELDS_TOP: f32 = 36.0;
const FIELDS_BOTTOM: f32 = 97.0;
/// The QR square, quiet zone included, at the bottom-left.
pub const QR_BOX: f32 = 44.0;
const QR_X: f32 = 4.0;
const QR_Y: f32 = 99.5;
/// The stamp column right of the QR.
const STAMP_X: f32 = QR_X + QR_BOX + 2.0;
const STAMP_W: f32 = CELL_W - MARGIN - STAMP_X;

const FIELD_MAX_PT: f32 = 8.5;
const FIELD_MIN_PT: f32 = 5.5;
const LINE_GAP: f32 = 1.28;

/// A permit with its text cleaned (NFC, single spaces) and checked against the fonts.
pub struct Prepared {
    pub serial: String,
    pub ubnd: String,
    pub police: String,
    pub place_date: String,
    pub fields: Vec<(&'static str, String, Style)>,
    pub notices: Vec<String>,
    pub demo: bool,
    pub stamp_lines: Vec<String>,
    pub token: String,
}

/// (label, internal name) so errors name the field the way the form does.
const NAME: &str = "Họ và tên:";

pub fn prepare(p: &PrintPermit, fonts: &Fonts) -> Result<Prepared, PdfError> {
    let serial = clean(&p.serial);
    let serial_for_errors = if serial.is_empty() {
        "(chưa có số)".to_string()
    } else {
        serial.clone()
    };
    let required = |field: &'static str, text: &str| -> Result<String, PdfError> {
        let t = clean(text);
        if t.is_empty() {
            Err(PdfError::MissingField {
                serial: serial_for_errors.clone(),
                field,
            })
        } else {
            Ok(t)
        }
    };
    required("số giấy", &p.serial)?;
    let token = p.token.trim().to_string();
    required("mã QR", &token)?;

    let mut fields: Vec<(&'static str, String, Style)> = vec![
        (NAME, required("họ và tên", &p.holder_name)?, Style::Bold),
        (
            "Giấy tờ:",
            required("giấy tờ tùy thân", &p.id_label)?,
            Style::Regular,
        ),
    ];
    if let Some(d) = p.date_of_birth {
        fields.push(("Ngày sinh:", date_vi(d), Style::Regular));
    }
    if let Some(org) = p
        .organization
        .as_deref()
        .map(clean)
        .filter(|s| !s.is_empty())
    {
        fields.push(("Nơi làm việc:", org, Style::Regular));
    }
    if let Some(addr) = p.address.as_deref().map(clean).filter(|s| !s.is_empty()) {
        fields.push(("Địa chỉ:", addr, Style::Regular));
    }
    fields.push((
        "Mục đích:",
        required("mục đích", &p.purpose)?,
        Style::Regular,
    ));
    fields.push((
        "Khu vực/lộ trình:",
        required("khu vực", &p.area)?,
        Style::Regular,
    ));
    fields.push((
        "Hiệu lực:",
        format!(
            "từ {} đến hết {}",
            date_vi(p.valid_from),
            date_vi(p.valid_to)
        ),
        Style::Bold,
    ));
    if let Some(h) = p
        .daily_hours
        .as_deref()
        .map(clean)
        .filter(|s| !s.is_empty())
    {
        fields.push(("Giờ được đi:", format!("{h} hằng ngày"), Style::Regular));
    }

    let mut notices = Vec::new();
    if p.stamp.demo {
        notices.push("MẪU THỬ – KHÔNG CÓ GIÁ TRỊ".to_string());
    }
    if p.reprint > 0 {
        notices.push(format!("BẢN IN LẠI lần {}", p.reprint));
    }

    let prepared = Prepared {
        serial: serial.clone(),
        ubnd: required("UBND", &p.ward.ubnd)?,
        police: required("Công an", &p.ward.police)?,
        place_date: place_date_vi(&required("tên phường", &p.ward.ward_name)?, p.issued_on),
        fields,
        notices,
        demo: p.stamp.demo,
        stamp_lines: vec![
            "ĐÃ KÝ SỐ (ĐÓNG DẤU SỐ)".to_string(),
            clean(&p.ward.police),
            format!(
                "Mã phường {} · Máy trạm số {}",
                clean(&p.ward.ward_code),
                p.stamp.workstation
            ),
            format!("Lúc {}", datetime_vi(p.stamp.stamped_at)),
            format!("Khóa: {}", clean(&p.stamp.key_fingerprint)),
        ],
        token,
    };

    // Every glyph must exist in the face it is drawn with (no shaping, no fallback).
    let check = |field: &'static str, style: Style, text: &str| -> Result<(), PdfError> {
        match fonts.missing_char(style, text) {
            Some(ch) => Err(PdfError::MissingGlyph {
                serial: serial.clone(),
                field,
                ch,
                code: ch as u32,
            }),
            None => Ok(()),
        }
    };
    check("UBND", Style::Regular, &prepared.ubnd)?;
    check("Công an", Style::Bold, &prepared.police)?;
    check("Công an", Style::Regular, &prepared.police)?;
    check("ngày cấp", Style::Regular, &prepared.place_date)?;
    check("số giấy", Style::Regular, &prepared.serial)?;
    for (label, value, style) in &prepared.fields {
        check(label, *style, value)?;
    }
    for line in &prepared.stamp_lines {
        check("dấu số", Style::Regular, line)?;
    }
    Ok(prepared)
}

/// The fields laid out at one size: (label, lines, style) and that size.
struct FieldBlock {
    size: f32,
    label_w: f32,
    rows: Vec<(&'static str, Vec<String>, Style)>,
}

fn layout_fields(p: &Prepared, fonts: &Fonts) -> Result<FieldBlock, PdfError> {
    let mm = |style: Style, size: f32, s: &str| {
        fonts.face(style).width(s, size) / crate::canvas::PT_PER_MM
    };
    let height = FIELDS_BOTTOM - FIELDS_TOP;
    let mut size = FIELD_MAX_PT;
    while size >= FIELD_MIN_PT - 1e-3 {
        let label_w = p
            .fields
            .iter()
            .map(|(l, _, _)| mm(Style::Regular, size, l))
            .fold(0.0, f32::max)
            + 1.5;
        let value_w = CONTENT_W - label_w;
        let line_h = size * LINE_GAP / crate::canvas::PT_PER_MM;
        let mut rows = Vec::new();
        let mut used = 0.0;
        let mut ok = true;
        for (label, value, style) in &p.fields {
            let lines = wrap(value, value_w, |s| mm(*style, size, s));
            if lines.iter().any(|l| mm(*style, size, l) > value_w) {
                ok = false;
                break;
            }
            used += lines.len() as f32 * line_h + line_h * 0.25;
            rows.push((*label, lines, *style));
        }
        if ok && used <= height {
            return Ok(FieldBlock {
                size,
                label_w,
                rows,
            });
        }
        size -= 0.25;
    }
    // Name the longest field: that is the one to shorten.
    let field = p
        .fields
        .iter()
        .max_by_key(|(_, v, _)| v.chars().count())
        .map_or("họ và tên", |(l, _, _)| *l);
    Err(PdfError::DoesNotFit {
        serial: p.serial.clone(),
        field,
    })
}

/// The size (from `max` down to 4.5 pt) at which `text` fits on one line of `max_w`.
fn one_line(fonts: &Fonts, style: Style, text: &str, max_w: f32, max: f32) -> Option<f32> {
    fit(
        text,
        max_w * crate::canvas::PT_PER_MM,
        1,
        max,
        4.5,
        |s, size| fonts.face(style).width(s, size),
    )
    .map(|f| f.size)
}

fn too_long(p: &Prepared, field: &'static str) -> PdfError {
    PdfError::DoesNotFit {
        serial: p.serial.clone(),
        field,
    }
}

pub fn draw<W: Write>(
    c: &mut Canvas<'_, W>,
    p: &Prepared,
    qr: &QrImage,
    qr_name: &str,
) -> Result<(), PdfError> {
    let fonts = c.fonts;
    // Header, left: the ward's bodies.
    let s =
        one_line(fonts, Style::Regular, &p.ubnd, LEFT_W, 7.0).ok_or_else(|| too_long(p, "UBND"))?;
    c.text_centered(Style::Regular, s, LEFT_CX, 10.0, BLACK, &p.ubnd);
    let s = one_line(fonts, Style::Bold, &p.police, LEFT_W, 7.0)
        .ok_or_else(|| too_long(p, "Công an"))?;
    c.text_centered(Style::Bold, s, LEFT_CX, 13.5, BLACK, &p.police);
    c.line(LEFT_CX - 8.0, 15.0, LEFT_CX + 8.0, 15.0, 0.5, BLACK);
    let serial = format!("Số: {}", p.serial);
    let s = one_line(fonts, Style::Regular, &serial, LEFT_W, 7.0)
        .ok_or_else(|| too_long(p, "số giấy"))?;
    c.text_centered(Style::Regular, s, LEFT_CX, 19.5, BLACK, &serial);

    // Header, right: the national header, motto underlined.
    let nation = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    let s = one_line(fonts, Style::Bold, nation, RIGHT_W, 7.0)
        .ok_or_else(|| too_long(p, "quốc hiệu"))?;
    c.text_centered(Style::Bold, s, RIGHT_CX, 10.0, BLACK, nation);
    let motto = "Độc lập – Tự do – Hạnh phúc";
    let s =
        one_line(fonts, Style::Bold, motto, RIGHT_W, 7.5).ok_or_else(|| too_long(p, "tiêu ngữ"))?;
    c.text_centered(Style::Bold, s, RIGHT_CX, 13.5, BLACK, motto);
    let w = c.width_mm(Style::Bold, s, motto);
    c.line(
        RIGHT_CX - w / 2.0,
        15.0,
        RIGHT_CX + w / 2.0,
        15.0,
        0.5,
        BLACK,
    );
    let s = one_line(fonts, Style::Regular, &p.place_date, RIGHT_W, 6.5)
        .ok_or_else(|| too_long(p, "ngày cấp"))?;
    c.text_centered(Style::Regular, s, RIGHT_CX, 19.5, BLACK, &p.place_date);

    // Title and notices.
    c.text_centered(
        Style::Bold,
        16.0,
        CELL_W / 2.0,
        28.0,
        BLACK,
        "GIẤY ĐI ĐƯỜNG",
    );
    if !p.notices.is_empty() {
        let notice = p.notices.join(" · ");
        let s = one_line(fonts, Style::Bold, &notice, CONTENT_W, 8.5)
            .ok_or_else(|| too_long(p, "ghi chú"))?;
        c.text_centered(Style::Bold, s, CELL_W / 2.0, 33.0, RED, &notice);
    }
    if p.demo {
        // Under the fields, so it never hides them.
        c.watermark(
            Style::Bold,
            15.0,
            14.0,
            92.0,
            30.0,
            "MẪU THỬ – KHÔNG CÓ GIÁ TRỊ",
        );
    }

    // Fields: label column, then the value wrapped in its own column.
    let block = layout_fields(p, fonts)?;
    let line_h = block.size * LINE_GAP / crate::canvas::PT_PER_MM;
    let mut y = FIELDS_TOP + line_h;
    for (label, lines, style) in &block.rows {
        c.text(Style::Regular, block.size, MARGIN, y, BLACK, label);
        for line in lines {
            c.text(*style, block.size, MARGIN + block.label_w, y, BLACK, line);
            y += line_h;
        }
        y += line_h * 0.25;
    }

    // QR, bottom-left; the quiet zone is part of the square.
    let module = qr::module_mm(qr.width, QR_BOX).ok_or(PdfError::QrTooLarge {
        serial: p.serial.clone(),
        version: qr.version,
    })?;
    let quiet = module * qr::QUIET_ZONE as f32;
    c.image_mask(
        qr_name,
        QR_X + quiet,
        QR_Y + quiet,
        module * qr.width as f32,
    );

    // Stamp mark, right of the QR.
    let box_top = QR_Y + 3.0;
    let box_h = 27.0;
    c.rect(STAMP_X, box_top, STAMP_W, box_h, 0.9, RED);
    let mut y = box_top + 5.0;
    for (i, line) in p.stamp_lines.iter().enumerate() {
        let style = if i < 2 { Style::Bold } else { Style::Regular };
        let s = one_line(fonts, style, line, STAMP_W - 3.0, 7.0)
            .ok_or_else(|| too_long(p, "dấu số"))?;
        c.text_centered(style, s, STAMP_X + STAMP_W / 2.0, y, RED, line);
        y += 5.0;
    }
    let show = "Xuất trình kèm CCCD/CMND";
    let s =
        one_line(fonts, Style::Bold, show, STAMP_W, 8.0).ok_or_else(|| too_long(p, "ghi chú"))?;
    c.text_centered(
        Style::Bold,
        s,
        STAMP_X + STAMP_W / 2.0,
        box_top + box_h + 6.0,
        BLACK,
        show,
    );
    let scan = "Quét mã QR để kiểm tra chữ ký";
    let s = one_line(fonts, Style::Regular, scan, STAMP_W, 6.5)
        .ok_or_else(|| too_long(p, "ghi chú"))?;
    c.text_centered(
        Style::Regular,
        s,
        STAMP_X + STAMP_W / 2.0,
        box_top + box_h + 10.5,
        BLACK,
        scan,
    );
    Ok(())
}

/// Every line the fields would draw fits its column (for tests).
#[cfg(test)]
pub fn fields_fit(p: &Prepared, fonts: &Fonts) -> Result<(f32, usize), PdfError> {
    let block = layout_fields(p, fonts)?;
    let value_w = CONTENT_W - block.label_w;
    let mut lines = 0;
    for (_, ls, style) in &block.rows {
        for l in ls {
            let w = fonts.face(*style).width(l, block.size) / crate::canvas::PT_PER_MM;
            if w > value_w {
                return Err(PdfError::DoesNotFit {
                    serial: p.serial.clone(),
                    field: "test",
                });
            }
            lines += 1;
        }
    }
    Ok((block.size, lines))
}
