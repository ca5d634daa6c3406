//! The permit QR as a 1-bit image: one pixel per module, rows packed MSB
//! first, 1 = dark. Drawn as an image mask (no interpolation), it stays sharp
//! at any printer resolution and costs ~width²/8 bytes before compression.
//!
//! The symbol is `permit::qr::render`'s (alphanumeric, level Q, smallest
//! version, fast mask choice).

use crate::error::PdfError;

/// Smallest printed module the checkpoint phones read reliably.
pub const MIN_MODULE_MM: f32 = 0.4;
/// Modules of blank margin required around the symbol.
pub const QUIET_ZONE: usize = 4;

pub struct QrImage {
    pub version: i16,
    pub width: usize,
    pub rows: Vec<u8>,
}

pub fn render(token: &str, serial: &str) -> Result<QrImage, PdfError> {
    let permit::qr::QrMatrix {
        version,
        width,
        dark,
    } = permit::qr::render(token).map_err(|e| PdfError::Qr {
        serial: serial.to_string(),
        reason: e.to_string(),
    })?;
    let stride = width.div_ceil(8);
    let mut rows = vec![0u8; stride * width];
    for y in 0..width {
        for x in 0..width {
            if dark[y * width + x] {
                rows[y * stride + x / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    Ok(QrImage {
        version,
        width,
        rows,
    })
}

/// Module size (mm) when the symbol and its quiet zone fill a `box_mm`
/// square, or None when that would be under [`MIN_MODULE_MM`].
pub fn module_mm(width: usize, box_mm: f32) -> Option<f32> {
    let m = box_mm / (width + 2 * QUIET_ZONE) as f32;
    (m >= MIN_MODULE_MM).then_some(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::DemoSigner;

    #[test]
    fn packs_permit_qr_modules_msb_first() {
        let signer = DemoSigner::new().unwrap();
        for p in signer.batch(4).unwrap() {
            let reference = permit::qr::render(&p.token).unwrap();
            let img = render(&p.token, &p.serial).unwrap();
            let stride = img.width.div_ceil(8);
            for y in 0..img.width {
                for x in 0..img.width {
                    let bit = img.rows[y * stride + x / 8] & (0x80 >> (x % 8)) != 0;
                    assert_eq!(bit, reference.is_dark(x, y));
                }
            }
        }
        assert!(render("gd1:lower", "x").is_err());
    }
}
