//! QR rendering of a token: alphanumeric mode only, error correction Q
//! (printed permits get folded), smallest version that fits.

use crate::error::PermitError;

mod mask;
use qrcode::bits::Bits;
use qrcode::{EcLevel, Version};

pub use qrcode::EcLevel as Level;

const ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// A rendered QR: `dark[y * width + x]`, no quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    pub version: i16,
    pub width: usize,
    pub dark: Vec<bool>,
}

impl QrMatrix {
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// SVG with a 4-module quiet zone, `module` user units per module.
    pub fn to_svg(&self, module: usize) -> String {
        let size = (self.width + 8) * module;
        let mut path = String::new();
        for y in 0..self.width {
            for x in 0..self.width {
                if self.is_dark(x, y) {
                    path.push_str(&format!(
                        "M{} {}h{m}v{m}h-{m}z",
                        (x + 4) * module,
                        (y + 4) * module,
                        m = module
                    ));
                }
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
             width=\"{size}\" height=\"{size}\" shape-rendering=\"crispEdges\">\
             <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
             <path fill=\"#000\" d=\"{path}\"/></svg>"
        )
    }
}

fn bits_for(text: &str, version: i16, level: EcLevel) -> Option<Bits> {
    let mut bits = Bits::new(Version::Normal(version));
    bits.push_alphanumeric_data(text.as_bytes()).ok()?;
    bits.push_terminator(level).ok()?;
    Some(bits)
}

fn check_alphanumeric(text: &str) -> Result<(), PermitError> {
    if text.bytes().all(|b| ALPHANUMERIC.contains(&b)) {
        Ok(())
    } else {
        Err(PermitError::BadEncoding)
    }
}

/// Smallest QR version holding `text` in one alphanumeric segment at `level`.
pub fn version_for(text: &str, level: EcLevel) -> Result<i16, PermitError> {
    check_alphanumeric(text)?;
    (1..=40)
        .find(|&v| bits_for(text, v, level).is_some())
        .ok_or(PermitError::TextTooLong {
            field: "qr",
            len: text.len(),
            max: 1852,
        })
}

/// Renders a token's text (`GD1:…`) at level Q.
pub fn render(text: &str) -> Result<QrMatrix, PermitError> {
    render_at(text, EcLevel::Q)
}

pub fn render_at(text: &str, level: EcLevel) -> Result<QrMatrix, PermitError> {
    let version = version_for(text, level)?;
    let bits = bits_for(text, version, level).ok_or(PermitError::BadEncoding)?;
    let dark = mask::best_modules(bits, version, level).ok_or(PermitError::BadEncoding)?;
    Ok(QrMatrix {
        version,
        width: (17 + 4 * version) as usize,
        dark,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::{CategorySet, Certificate, CertificateFields, Scope};
    use crate::{samples, SigningKey, Token};
    use time::macros::date;

    fn typical_text() -> String {
        let ws = SigningKey::from_bytes(&[2; 32]);
        let cert = Certificate::sign(
            CertificateFields {
                ward_code: 9_616,
                dataset: "2025-07".parse().unwrap(),
                workstation: 1,
                public_key: ws.verifying_key(),
                valid_from: date!(2026 - 01 - 01),
                valid_to: date!(2026 - 12 - 31),
                scope: Scope {
                    categories: CategorySet::ALL,
                    max_validity_days: 30,
                },
            },
            &SigningKey::from_bytes(&[1; 32]),
        )
        .unwrap();
        Token::sign(&samples::typical(), &cert, &ws)
            .unwrap()
            .to_text()
    }

    /// Rasterizes with a 4-module quiet zone, `px` pixels per module, and
    /// reads it back with an independent decoder (rqrr).
    fn scan(m: &QrMatrix, px: usize, blot: impl Fn(usize, usize) -> bool) -> Option<String> {
        let side = (m.width + 8) * px;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (mx, my) = ((x / px).wrapping_sub(4), (y / px).wrapping_sub(4));
            if blot(mx, my) || !m.is_dark(mx, my) {
                255
            } else {
                0
            }
        });
        let grids = img.detect_grids();
        let (_, text) = grids.first()?.decode().ok()?;
        Some(text)
    }

    /// The fast mask choice picks exactly the symbol qrcode itself would,
    /// for the bit-line scorer (up to version 27) and the scalar one.
    #[test]
    fn same_symbol_as_qrcode_picks() {
        let mut texts = vec![typical_text()];
        let alphabet = ALPHANUMERIC;
        for (n, seed) in [(12usize, 3u64), (180, 5), (420, 7), (700, 11), (1200, 13)] {
            let mut x = seed;
            texts.push(
                (0..n)
                    .map(|_| {
                        x = x
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        alphabet[(x >> 33) as usize % alphabet.len()] as char
                    })
                    .collect(),
            );
        }
        for text in texts {
            for level in [EcLevel::M, EcLevel::Q] {
                let m = render_at(&text, level).unwrap();
                let bits = bits_for(&text, m.version, level).unwrap();
                let reference = qrcode::QrCode::with_bits(bits, level).unwrap();
                assert_eq!(reference.width(), m.width);
                let dark: Vec<bool> = reference
                    .to_colors()
                    .into_iter()
                    .map(|c| c == qrcode::Color::Dark)
                    .collect();
                assert!(dark == m.dark, "version {} differs", m.version);
            }
        }
    }

    #[test]
    fn rendered_qr_scans_back() {
        let text = typical_text();
        let m = render(&text).unwrap();
        assert_eq!(m.version, version_for(&text, Level::Q).unwrap());
        assert_eq!(m.width, 17 + 4 * m.version as usize);
        assert_eq!(scan(&m, 4, |_, _| false).as_deref(), Some(text.as_str()));
    }

    #[test]
    fn level_q_survives_a_blot() {
        // A 9×9-module white blot (a fold, a stain) next to the centre.
        let text = typical_text();
        let m = render(&text).unwrap();
        let c = m.width / 2 + 3;
        let blot = |x: usize, y: usize| x.abs_diff(c) <= 4 && y.abs_diff(c) <= 4;
        assert_eq!(scan(&m, 4, blot).as_deref(), Some(text.as_str()));
        // The blot is real: a band over a third of the symbol is beyond repair.
        let band = |_x: usize, y: usize| y > m.width / 3 && y < 2 * m.width / 3;
        assert_ne!(scan(&m, 4, band).as_deref(), Some(text.as_str()));
    }

    #[test]
    fn svg_and_bad_input() {
        let m = render(&typical_text()).unwrap();
        let svg = m.to_svg(4);
        assert!(svg.starts_with("<svg") && svg.contains("<path"));
        assert!(render("gd1:lower case").is_err());
    }
}
