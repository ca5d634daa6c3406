//! Print-ready permit PDFs (docs/printing-layout.md): A4 with 4 A6 permits
//! and cut marks, A5 with 2, or single A6 pages.
//!
//! Text is NFC in embedded Noto Sans (Regular and Bold, subsetted once per
//! document); the QR is a 1-bit image mask, one pixel per module, never
//! interpolated. Pages are written out as they are drawn, so memory does not
//! grow with the batch.

mod canvas;
mod error;
mod font;
mod layout;
mod model;
mod pdf;
mod qr;
pub mod samples;
mod sheet;
pub mod text;

pub use error::PdfError;
pub use model::{date_vi, PrintPermit, StampMark, WardHeader};
pub use qr::MIN_MODULE_MM;
pub use sheet::Layout;

use canvas::{Canvas, PT_PER_MM};
use font::Fonts;
use pdf::{Page, PdfWriter};
use std::io::Write;

/// What [`render`] produced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderStats {
    pub permits: usize,
    pub pages: usize,
    pub bytes: u64,
    /// Largest QR version in the batch and its printed module size (mm).
    pub max_qr_version: i16,
    pub min_module_mm: f32,
}

/// Renders stamped permits into one PDF written to `out`.
///
/// Every permit is checked before it is drawn; the first bad one stops the
/// batch with an error naming its serial (a half-written file must then be
/// discarded by the caller).
pub fn render<W: Write>(
    permits: impl IntoIterator<Item = PrintPermit>,
    layout: Layout,
    out: W,
) -> Result<RenderStats, PdfError> {
    let mut permits = permits.into_iter().peekable();
    if permits.peek().is_none() {
        return Err(PdfError::EmptyBatch);
    }
    let fonts = Fonts::get()?;
    let mut pdf = PdfWriter::new(std::io::BufWriter::with_capacity(1 << 16, out), fonts)?;
    let (w_mm, h_mm) = layout.page_mm();
    let new_page = || Page {
        width_pt: w_mm * PT_PER_MM,
        height_pt: h_mm * PT_PER_MM,
        content: Vec::with_capacity(16 * 1024),
        images: Vec::new(),
    };
    let mut stats = RenderStats {
        permits: 0,
        pages: 0,
        bytes: 0,
        max_qr_version: 0,
        min_module_mm: f32::INFINITY,
    };
    let mut page = new_page();
    let mut slot = 0;
    for permit in permits {
        let prepared = layout::prepare(&permit, fonts)?;
        let qr = qr::render(&prepared.token, &prepared.serial)?;
        let module = qr::module_mm(qr.width, layout::QR_BOX).ok_or(PdfError::QrTooLarge {
            serial: prepared.serial.clone(),
            version: qr.version,
        })?;
        stats.max_qr_version = stats.max_qr_version.max(qr.version);
        stats.min_module_mm = stats.min_module_mm.min(module);

        let image = pdf.image_mask(qr.width, qr.width, &qr.rows)?;
        let name = format!("Q{slot}");
        page.images.push((name.clone(), image));
        let (x0, y0) = layout.cells()[slot];
        let mut canvas = Canvas {
            pdf: &mut pdf,
            page: &mut page,
            fonts,
            x0,
            y0,
        };
        if slot == 0 {
            sheet::cut_marks(&mut canvas, layout);
        }
        layout::draw(&mut canvas, &prepared, &qr, &name)?;
        stats.permits += 1;
        slot += 1;
        if slot == layout.per_page() {
            pdf.finish_page(std::mem::replace(&mut page, new_page()))?;
            slot = 0;
        }
    }
    if slot > 0 {
        pdf.finish_page(page)?;
    }
    stats.pages = pdf.page_count();
    stats.bytes = pdf.finish("Giấy đi đường")?;
    Ok(stats)
}

#[cfg(test)]
mod tests;
