//! Drawing in millimetres from a cell's top-left corner (y down), written as
//! PDF operators in points from the page's bottom-left (y up).

use crate::font::{Fonts, Style};
use crate::pdf::{Page, PdfWriter};
use std::io::Write;

pub const PT_PER_MM: f32 = 72.0 / 25.4;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
/// Stamp red, dark enough to stay legible on a mono laser printer.
pub const RED: Rgb = Rgb(0.75, 0.0, 0.0);
pub const PALE_RED: Rgb = Rgb(1.0, 0.82, 0.82);

pub struct Canvas<'a, W: Write> {
    pub pdf: &'a mut PdfWriter<W>,
    pub page: &'a mut Page,
    pub fonts: &'static Fonts,
    /// Cell origin on the page, mm from the page's top-left.
    pub x0: f32,
    pub y0: f32,
}

impl<W: Write> Canvas<'_, W> {
    fn px(&self, x: f32) -> f32 {
        (self.x0 + x) * PT_PER_MM
    }

    fn py(&self, y: f32) -> f32 {
        self.page.height_pt - (self.y0 + y) * PT_PER_MM
    }

    pub fn width_mm(&self, style: Style, size: f32, text: &str) -> f32 {
        self.fonts.face(style).width(text, size) / PT_PER_MM
    }

    fn ops(&mut self, s: std::fmt::Arguments<'_>) {
        // Writing to a Vec cannot fail.
        let _ = self.page.content.write_fmt(s);
    }

    /// Text with its baseline at `y`, starting at `x`.
    pub fn text(&mut self, style: Style, size: f32, x: f32, y: f32, color: Rgb, text: &str) {
        if text.is_empty() {
            return;
        }
        let (px, py) = (self.px(x), self.py(y));
        self.ops(format_args!(
            "BT {:.3} {:.3} {:.3} rg /{} {size:.2} Tf {px:.2} {py:.2} Td ",
            color.0,
            color.1,
            color.2,
            style.resource()
        ));
        let mut content = std::mem::take(&mut self.page.content);
        self.pdf.encode_text(style, text, &mut content);
        self.page.content = content;
        self.ops(format_args!(" Tj ET\n"));
    }

    pub fn text_centered(
        &mut self,
        style: Style,
        size: f32,
        cx: f32,
        y: f32,
        color: Rgb,
        text: &str,
    ) {
        let w = self.width_mm(style, size, text);
        self.text(style, size, cx - w / 2.0, y, color, text);
    }

    /// Pale red text rotated by `degrees` counter-clockwise around its start
    /// point: the demo watermark.
    pub fn watermark(&mut self, style: Style, size: f32, x: f32, y: f32, degrees: f32, text: &str) {
        let (s, c) = degrees.to_radians().sin_cos();
        let (px, py) = (self.px(x), self.py(y));
        let Rgb(r, g, b) = PALE_RED;
        self.ops(format_args!(
            "BT {r:.3} {g:.3} {b:.3} rg /{} {size:.2} Tf {c:.4} {s:.4} {:.4} {c:.4} {px:.2} {py:.2} Tm ",
            style.resource(),
            -s
        ));
        let mut content = std::mem::take(&mut self.page.content);
        self.pdf.encode_text(style, text, &mut content);
        self.page.content = content;
        self.ops(format_args!(" Tj ET\n"));
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width_pt: f32, color: Rgb) {
        let (a, b, c, d) = (self.px(x1), self.py(y1), self.px(x2), self.py(y2));
        self.ops(format_args!(
            "{:.3} {:.3} {:.3} RG {width_pt:.2} w {a:.2} {b:.2} m {c:.2} {d:.2} l S\n",
            color.0, color.1, color.2
        ));
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, width_pt: f32, color: Rgb) {
        let (px, py) = (self.px(x), self.py(y + h));
        self.ops(format_args!(
            "{:.3} {:.3} {:.3} RG {width_pt:.2} w {px:.2} {py:.2} {:.2} {:.2} re S\n",
            color.0,
            color.1,
            color.2,
            w * PT_PER_MM,
            h * PT_PER_MM
        ));
    }

    /// An image mask XObject filling the square at (`x`, `y`) of side `side` mm, painted black.
    pub fn image_mask(&mut self, name: &str, x: f32, y: f32, side: f32) {
        let (px, py) = (self.px(x), self.py(y + side));
        let s = side * PT_PER_MM;
        self.ops(format_args!(
            "q 0 g {s:.3} 0 0 {s:.3} {px:.3} {py:.3} cm /{name} Do Q\n"
        ));
    }
}
