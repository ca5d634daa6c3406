//! Text armor for binary blobs sent by email (install keys, revocation lists).
//!
//! ```text
//! GDD-INSTALL-KEY-V1
//! <RFC 4648 base32 of (bytes ‖ first 4 bytes of SHA-256(bytes)), 64 per line>
//! GDD-INSTALL-KEY-V1-END
//! ```
//! Base32 has no spaces, '-' or '>', so the parser can drop all whitespace and
//! quote marks a mail client adds and still find the markers; the checksum
//! tells a copy error apart from a forgery (which the signature catches).

use crate::error::PermitError;
use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const LINE: usize = 64;

pub fn encode(label: &str, bytes: &[u8]) -> String {
    let mut data = bytes.to_vec();
    data.extend_from_slice(&Sha256::digest(bytes)[..4]);
    let body = base32_encode(&data);
    let mut out = String::with_capacity(body.len() + 2 * label.len() + 16);
    out.push_str(label);
    out.push('\n');
    for chunk in body.as_bytes().chunks(LINE) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(label);
    out.push_str("-END\n");
    out
}

pub fn decode(label: &str, text: &str) -> Result<Vec<u8>, PermitError> {
    let squeezed: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '>')
        .flat_map(char::to_uppercase)
        .collect();
    let label_up = label.to_uppercase();
    let end_label = format!("{label_up}-END");
    let start = squeezed
        .find(&label_up)
        .ok_or_else(|| PermitError::ArmorMissingHeader(label.to_string()))?
        + label_up.len();
    let len = squeezed[start..]
        .find(&end_label)
        .ok_or_else(|| PermitError::ArmorMissingFooter(format!("{label}-END")))?;
    let data = base32_decode(&squeezed[start..start + len])?;
    if data.len() < 4 {
        return Err(PermitError::Truncated("armor"));
    }
    let (bytes, check) = data.split_at(data.len() - 4);
    if Sha256::digest(bytes)[..4] != *check {
        return Err(PermitError::ArmorChecksum);
    }
    Ok(bytes.to_vec())
}

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut acc, mut nbits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        nbits += 8;
        while nbits >= 5 {
            nbits -= 5;
            out.push(char::from(ALPHABET[((acc >> nbits) & 31) as usize]));
        }
        acc &= (1 << nbits) - 1;
    }
    if nbits > 0 {
        out.push(char::from(ALPHABET[((acc << (5 - nbits)) & 31) as usize]));
    }
    out
}

fn base32_decode(text: &str) -> Result<Vec<u8>, PermitError> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut nbits) = (0u32, 0u32);
    for c in text.bytes().filter(|&c| c != b'=') {
        let v = ALPHABET
            .iter()
            .position(|&a| a == c)
            .ok_or(PermitError::BadEncoding)? as u32;
        acc = (acc << 5) | v;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            out.push((acc >> nbits) as u8);
        }
        acc &= (1 << nbits) - 1;
    }
    // Leftover bits must be the zero padding of the last character.
    if nbits >= 5 || acc != 0 {
        return Err(PermitError::BadEncoding);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trip(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let text = encode("GDD-TEST-V1", &bytes);
            prop_assert_eq!(decode("GDD-TEST-V1", &text), Ok(bytes));
        }

        #[test]
        fn never_panics(text in ".{0,200}") {
            let _ = decode("GDD-TEST-V1", &text);
            let _ = decode("GDD-TEST-V1", &format!("GDD-TEST-V1{text}GDD-TEST-V1-END"));
        }
    }

    #[test]
    fn errors_say_what_is_missing() {
        assert_eq!(
            decode("GDD-X-V1", "hello").unwrap_err().code(),
            "armor.missing_header"
        );
        let text = encode("GDD-X-V1", b"abc");
        let cut: String = text.lines().take(1).collect();
        assert_eq!(
            decode("GDD-X-V1", &cut).unwrap_err().code(),
            "armor.missing_footer"
        );
    }
}
