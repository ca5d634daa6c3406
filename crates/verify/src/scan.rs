//! Reading permit tokens from a photo or a scan (feature `scan`): decode the
//! image, find every QR code in it, keep the ones that carry a permit token.
//! A checkpoint photo may also show the holder's chip CCCD card QR; those
//! are returned separately so the caller can match the card.

use image::ImageReader;
use std::io::Cursor;

/// What a picture held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scanned {
    /// Texts of QR codes that look like permit tokens (`GD1:…`).
    pub tokens: Vec<String>,
    /// Texts of other QR codes (a CCCD card's, or anything else).
    pub others: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("Không đọc được ảnh ({0}): cần ảnh PNG hoặc JPEG chụp rõ mã QR.")]
    Image(String),
    #[error("Không tìm thấy mã QR nào trong ảnh: chụp lại gần hơn, đủ sáng, không bị lóa.")]
    NoQr,
    #[error("Tệp ảnh nặng hơn {limit_mb} MB: chụp lại hoặc thu nhỏ ảnh (ảnh chụp mã QR chỉ cần vài trăm KB).")]
    TooLarge { limit_mb: u64 },
    #[error("Không đọc được tệp ảnh: {0}")]
    Io(String),
}

impl ScanError {
    pub fn code(&self) -> &'static str {
        match self {
            ScanError::Image(_) => "scan.bad_image",
            ScanError::NoQr => "scan.no_qr",
            ScanError::TooLarge { .. } => "scan.too_large",
            ScanError::Io(_) => "scan.io",
        }
    }
}

/// Images beyond this many pixels are refused before decoding (a 40-megapixel
/// photo is already far more than a QR needs).
const MAX_PIXELS: u64 = 40_000_000;

/// Largest image file read: a phone's full-resolution photo is well under it.
pub const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;

/// Read an image file (its size checked before it is read, so a huge file is
/// never loaded) and find the QR codes in it.
pub fn scan_file(path: &std::path::Path) -> Result<Scanned, ScanError> {
    use std::io::Read;
    let io = |e: std::io::Error| ScanError::Io(format!("{}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(io)?;
    let too_large = ScanError::TooLarge {
        limit_mb: MAX_IMAGE_BYTES / (1024 * 1024),
    };
    if file.metadata().map_err(io)?.len() > MAX_IMAGE_BYTES {
        return Err(too_large);
    }
    let mut bytes = Vec::new();
    // One byte past the limit, in case the file grows meanwhile.
    file.take(MAX_IMAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    scan_image(&bytes)
}

/// Find the QR codes in a PNG or JPEG image.
pub fn scan_image(bytes: &[u8]) -> Result<Scanned, ScanError> {
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return Err(ScanError::TooLarge {
            limit_mb: MAX_IMAGE_BYTES / (1024 * 1024),
        });
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ScanError::Image(e.to_string()))?;
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| ScanError::Image(e.to_string()))?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ScanError::Image(format!("ảnh quá lớn ({w}×{h} điểm ảnh)")));
    }
    let img = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ScanError::Image(e.to_string()))?
        .decode()
        .map_err(|e| ScanError::Image(e.to_string()))?
        .to_luma8();
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        img.get_pixel(x as u32, y as u32).0[0]
    });
    let mut out = Scanned::default();
    for grid in prepared.detect_grids() {
        // A grid that does not decode (a smudge, half a code) is skipped: the
        // others in the picture may still be good.
        if let Ok((_meta, text)) = grid.decode() {
            let text = text.trim().to_string();
            if text.starts_with(permit::PREFIX) {
                out.tokens.push(text);
            } else {
                out.others.push(text);
            }
        }
    }
    if out.tokens.is_empty() && out.others.is_empty() {
        return Err(ScanError::NoQr);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    /// A token rendered the way the printer will, as a PNG at 4 px per module.
    fn png_of(text: &str) -> Vec<u8> {
        let qr = permit::qr::render(text).expect("render");
        let (scale, quiet) = (4u32, 4u32);
        let side = (qr.width as u32 + 2 * quiet) * scale;
        let img = GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) = (
                (x / scale) as i64 - quiet as i64,
                (y / scale) as i64 - quiet as i64,
            );
            let dark = mx >= 0 && my >= 0 && qr.is_dark(mx as usize, my as usize);
            Luma([if dark { 0 } else { 255 }])
        });
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .expect("png");
        out
    }

    #[test]
    fn finds_the_token_in_a_picture() {
        let vector: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/vectors/demo.json")).expect("vector");
        let token = vector["token"].as_str().expect("token").to_string();
        let found = scan_image(&png_of(&token)).expect("scan");
        assert_eq!(found.tokens, vec![token]);
    }

    #[test]
    fn a_huge_file_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("huge.png");
        let f = std::fs::File::create(&path).expect("create");
        // Sparse: 1 GB on paper, nothing on disk, and never read.
        f.set_len(1 << 30).expect("set_len");
        assert_eq!(scan_file(&path).unwrap_err().code(), "scan.too_large");
        assert_eq!(
            scan_file(&dir.path().join("missing.png"))
                .unwrap_err()
                .code(),
            "scan.io"
        );
    }

    #[test]
    fn refuses_non_images_and_empty_pictures() {
        assert_eq!(
            scan_image(b"not an image").unwrap_err().code(),
            "scan.bad_image"
        );
        let blank = GrayImage::from_pixel(200, 200, Luma([255]));
        let mut png = Vec::new();
        blank
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("png");
        assert_eq!(scan_image(&png).unwrap_err().code(), "scan.no_qr");
    }
}
