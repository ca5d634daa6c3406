//! QR rendering of a token: alphanumeric mode only, error correction Q
//! (printed permits get folded), smallest version that fits.

use crate::error::PermitError;
use qrcode::bits::Bits;
use qrcode::{EcLevel, QrCode, Version};

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
    let code = QrCode::with_bits(bits, level).map_err(|_| PermitError::BadEncoding)?;
    Ok(QrMatrix {
        version,
        width: code.width(),
        dark: code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
    })
}
