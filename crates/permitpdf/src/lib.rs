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
    let pdf = PdfWriter::new(std::io::BufWriter::with_capacity(1 << 16, out), fonts)?;
    let mut sheets = Sheets::new(pdf, layout, fonts);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let mut chunk = Vec::with_capacity(CHUNK);
    loop {
        chunk.clear();
        chunk.extend(permits.by_ref().take(CHUNK));
        if chunk.is_empty() {
            break;
        }
        for ready in prepare_chunk(&chunk, fonts, threads) {
            let (prepared, qr) = ready?;
            sheets.add(&prepared, &qr)?;
        }
    }
    sheets.finish()
}

/// Permits taken from the input at a time: their checks and QR symbols (most
/// of the CPU time) are computed on all cores, then drawn in order. Also
/// bounds what is held in memory at once.
const CHUNK: usize = 64;

type Ready = Result<(layout::Prepared, qr::QrImage), PdfError>;

fn prepare_one(permit: &PrintPermit, fonts: &Fonts) -> Ready {
    let prepared = layout::prepare(permit, fonts)?;
    let qr = qr::render(&prepared.token, &prepared.serial)?;
    Ok((prepared, qr))
}

fn prepare_chunk(chunk: &[PrintPermit], fonts: &'static Fonts, threads: usize) -> Vec<Ready> {
    let per = chunk.len().div_ceil(threads.max(1)).max(1);
    if threads <= 1 || chunk.len() <= per {
        return chunk.iter().map(|p| prepare_one(p, fonts)).collect();
    }
    std::thread::scope(|scope| {
        let mut parts = chunk.chunks(per);
        let first = parts.next().unwrap_or(&[]);
        let workers: Vec<_> = parts
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|p| prepare_one(p, fonts))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut out: Vec<Ready> = first.iter().map(|p| prepare_one(p, fonts)).collect();
        for worker in workers {
            match worker.join() {
                Ok(part) => out.extend(part),
                // A panic in a worker is a bug: re-raise it on the caller's thread.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// The page being filled and the document it goes into.
struct Sheets<W: Write> {
    pdf: PdfWriter<W>,
    layout: Layout,
    fonts: &'static Fonts,
    page: Page,
    slot: usize,
    stats: RenderStats,
}

impl<W: Write> Sheets<W> {
    fn new(pdf: PdfWriter<W>, layout: Layout, fonts: &'static Fonts) -> Sheets<W> {
        Sheets {
            pdf,
            layout,
            fonts,
            page: blank_page(layout),
            slot: 0,
            stats: RenderStats {
                permits: 0,
                pages: 0,
                bytes: 0,
                max_qr_version: 0,
                min_module_mm: f32::INFINITY,
            },
        }
    }

    fn add(&mut self, prepared: &layout::Prepared, qr: &qr::QrImage) -> Result<(), PdfError> {
        let module = qr::module_mm(qr.width, layout::QR_BOX).ok_or(PdfError::QrTooLarge {
            serial: prepared.serial.clone(),
            version: qr.version,
        })?;
        self.stats.max_qr_version = self.stats.max_qr_version.max(qr.version);
        self.stats.min_module_mm = self.stats.min_module_mm.min(module);

        let image = self.pdf.image_mask(qr.width, qr.width, &qr.rows)?;
        let name = format!("Q{}", self.slot);
        self.page.images.push((name.clone(), image));
        let (x0, y0) = self.layout.cells()[self.slot];
        let mut canvas = Canvas {
            pdf: &mut self.pdf,
            page: &mut self.page,
            fonts: self.fonts,
            x0,
            y0,
        };
        if self.slot == 0 {
            sheet::cut_marks(&mut canvas, self.layout);
        }
        layout::draw(&mut canvas, prepared, qr, &name)?;
        self.stats.permits += 1;
        self.slot += 1;
        if self.slot == self.layout.per_page() {
            let full = std::mem::replace(&mut self.page, blank_page(self.layout));
            self.pdf.finish_page(full)?;
            self.slot = 0;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<RenderStats, PdfError> {
        if self.slot > 0 {
            self.pdf.finish_page(self.page)?;
        }
        self.stats.pages = self.pdf.page_count();
        self.stats.bytes = self.pdf.finish("Giấy đi đường")?;
        Ok(self.stats)
    }
}

fn blank_page(layout: Layout) -> Page {
    let (w_mm, h_mm) = layout.page_mm();
    Page {
        width_pt: w_mm * PT_PER_MM,
        height_pt: h_mm * PT_PER_MM,
        content: Vec::with_capacity(16 * 1024),
        images: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
