//! The two embedded faces (Noto Sans Regular and Bold, OFL: assets/fonts/)
//! and per-document glyph usage for subsetting.
//!
//! Text is drawn as 2-byte glyph ids of the *subset* font (Identity-H). Ids
//! are handed out on first use, so pages can be written out before the
//! subset exists: it is built once, at the end of the document.

use crate::error::PdfError;
use std::sync::OnceLock;
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

static REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Regular,
    Bold,
}

impl Style {
    pub(crate) const ALL: [Style; 2] = [Style::Regular, Style::Bold];

    pub(crate) fn index(self) -> usize {
        match self {
            Style::Regular => 0,
            Style::Bold => 1,
        }
    }

    /// Resource name in page dictionaries.
    pub(crate) fn resource(self) -> &'static str {
        match self {
            Style::Regular => "R",
            Style::Bold => "B",
        }
    }

    pub(crate) fn base_font(self) -> &'static str {
        match self {
            Style::Regular => "NotoSans-Regular",
            Style::Bold => "NotoSans-Bold",
        }
    }

    pub(crate) fn bytes(self) -> &'static [u8] {
        match self {
            Style::Regular => REGULAR_TTF,
            Style::Bold => BOLD_TTF,
        }
    }
}

/// Parsed metrics of one face.
pub struct FaceMetrics {
    face: Face<'static>,
    units_per_em: f32,
    /// Advances of U+0000..U+2FFF, looked up once (covers Latin, Vietnamese, punctuation).
    advances: Vec<u16>,
    glyphs: Vec<u16>,
}

const TABLE_LEN: usize = 0x3000;

impl FaceMetrics {
    fn parse(bytes: &'static [u8]) -> Result<FaceMetrics, String> {
        let face = Face::parse(bytes, 0).map_err(|e| e.to_string())?;
        let units_per_em = f32::from(face.units_per_em());
        let mut advances = vec![0; TABLE_LEN];
        let mut glyphs = vec![0; TABLE_LEN];
        for (cp, (adv, gid)) in advances.iter_mut().zip(glyphs.iter_mut()).enumerate() {
            if let Some(g) = char::from_u32(cp as u32).and_then(|c| face.glyph_index(c)) {
                *gid = g.0;
                *adv = face.glyph_hor_advance(g).unwrap_or(0);
            }
        }
        Ok(FaceMetrics {
            face,
            units_per_em,
            advances,
            glyphs,
        })
    }

    /// Glyph id and advance (font units) of `c`; None if the face lacks it.
    pub fn glyph(&self, c: char) -> Option<(u16, u16)> {
        let cp = c as usize;
        if cp < TABLE_LEN {
            let g = self.glyphs[cp];
            return (g != 0).then(|| (g, self.advances[cp]));
        }
        let g = self.face.glyph_index(c)?;
        Some((g.0, self.face.glyph_hor_advance(g).unwrap_or(0)))
    }

    pub fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// Width of `text` at `size` points (missing glyphs count as .notdef's width).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let notdef = self.face.glyph_hor_advance(GlyphId(0)).unwrap_or(0);
        let units: u32 = text
            .chars()
            .map(|c| u32::from(self.glyph(c).map_or(notdef, |(_, a)| a)))
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// Ascender and descender as fractions of the em (descender negative).
    pub fn ascent_descent(&self) -> (f32, f32) {
        (
            f32::from(self.face.ascender()) / self.units_per_em,
            f32::from(self.face.descender()) / self.units_per_em,
        )
    }

    pub fn bbox(&self) -> [i32; 4] {
        let r = self.face.global_bounding_box();
        [
            i32::from(r.x_min),
            i32::from(r.y_min),
            i32::from(r.x_max),
            i32::from(r.y_max),
        ]
    }

    pub fn cap_height(&self) -> i32 {
        i32::from(self.face.capital_height().unwrap_or(self.face.ascender()))
    }
}

pub struct Fonts {
    faces: [FaceMetrics; 2],
}

impl Fonts {
    /// The embedded faces, parsed once per process.
    pub fn get() -> Result<&'static Fonts, PdfError> {
        static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
        FONTS
            .get_or_init(|| {
                Ok(Fonts {
                    faces: [
                        FaceMetrics::parse(REGULAR_TTF)?,
                        FaceMetrics::parse(BOLD_TTF)?,
                    ],
                })
            })
            .as_ref()
            .map_err(|e| PdfError::Font(e.clone()))
    }

    pub fn face(&self, style: Style) -> &FaceMetrics {
        &self.faces[style.index()]
    }

    /// The first character of `text` that a face lacks (controls excepted:
    /// callers replace those before drawing).
    pub fn missing_char(&self, style: Style, text: &str) -> Option<char> {
        text.chars().find(|&c| self.face(style).glyph(c).is_none())
    }
}

/// Glyphs one document uses from one face, numbered in order of first use.
pub struct GlyphUse {
    pub remapper: GlyphRemapper,
    /// (subset glyph id, character, advance in font units), one per used glyph.
    pub used: Vec<(u16, char, u16)>,
}

impl GlyphUse {
    pub fn new() -> GlyphUse {
        GlyphUse {
            remapper: GlyphRemapper::new(),
            used: Vec::new(),
        }
    }

    /// Appends `text` as big-endian subset glyph ids; characters the face
    /// lacks were rejected before drawing and are skipped here.
    pub fn encode(&mut self, metrics: &FaceMetrics, text: &str, out: &mut Vec<u8>) {
        for c in text.chars() {
            let Some((gid, advance)) = metrics.glyph(c) else {
                continue;
            };
            let new = match self.remapper.get(gid) {
                Some(n) => n,
                None => {
                    let n = self.remapper.remap(gid);
                    self.used.push((n, c, advance));
                    n
                }
            };
            out.extend_from_slice(&new.to_be_bytes());
        }
    }

    /// The subset font program (TrueType), built once per document.
    pub fn subset(&self, style: Style) -> Result<Vec<u8>, PdfError> {
        subsetter::subset(style.bytes(), 0, &self.remapper)
            .map_err(|e| PdfError::Font(format!("subset {}: {e}", style.base_font())))
    }
}
