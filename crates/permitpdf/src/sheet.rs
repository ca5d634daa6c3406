//! Sheets: which cells a page holds and where the cut marks go.

use crate::canvas::{Canvas, BLACK};
use crate::error::PdfError;
use crate::layout::{CELL_H, CELL_W};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// A4 portrait, 2 × 2 A6 permits, cut marks.
    A4x4,
    /// A5 landscape, 2 A6 permits side by side, cut marks.
    A5x2,
    /// One A6 permit per page.
    A6,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::A4x4, Layout::A5x2, Layout::A6];

    pub fn parse(s: &str) -> Result<Layout, PdfError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4-4" => Ok(Layout::A4x4),
            "a5-2" => Ok(Layout::A5x2),
            "a6" => Ok(Layout::A6),
            other => Err(PdfError::UnknownLayout(other.to_string())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Layout::A4x4 => "a4-4",
            Layout::A5x2 => "a5-2",
            Layout::A6 => "a6",
        }
    }

    /// Page size in mm (width, height).
    pub fn page_mm(self) -> (f32, f32) {
        match self {
            Layout::A4x4 => (2.0 * CELL_W, 2.0 * CELL_H),
            Layout::A5x2 => (2.0 * CELL_W, CELL_H),
            Layout::A6 => (CELL_W, CELL_H),
        }
    }

    pub fn per_page(self) -> usize {
        self.cells().len()
    }

    /// Top-left corners of the cells, in reading order (mm from the page's top-left).
    pub fn cells(self) -> &'static [(f32, f32)] {
        match self {
            Layout::A4x4 => &[(0.0, 0.0), (CELL_W, 0.0), (0.0, CELL_H), (CELL_W, CELL_H)],
            Layout::A5x2 => &[(0.0, 0.0), (CELL_W, 0.0)],
            Layout::A6 => &[(0.0, 0.0)],
        }
    }
}

impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Layout {
    type Err = PdfError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Layout::parse(s)
    }
}

/// Short marks on the cut lines, at the sheet's edges and where the lines
/// cross: all in the cells' blank margins, never over a permit's content.
pub fn cut_marks<W: Write>(c: &mut Canvas<'_, W>, layout: Layout) {
    let (w, h) = layout.page_mm();
    let (from, to) = (1.0, 5.0);
    let pt = 0.3;
    match layout {
        Layout::A6 => {}
        Layout::A5x2 => {
            c.line(CELL_W, from, CELL_W, to, pt, BLACK);
            c.line(CELL_W, h - from, CELL_W, h - to, pt, BLACK);
        }
        Layout::A4x4 => {
            c.line(CELL_W, from, CELL_W, to, pt, BLACK);
            c.line(CELL_W, h - from, CELL_W, h - to, pt, BLACK);
            c.line(from, CELL_H, to, CELL_H, pt, BLACK);
            c.line(w - from, CELL_H, w - to, CELL_H, pt, BLACK);
            let arm = 3.0;
            c.line(CELL_W - arm, CELL_H, CELL_W + arm, CELL_H, pt, BLACK);
            c.line(CELL_W, CELL_H - arm, CELL_W, CELL_H + arm, pt, BLACK);
        }
    }
}
