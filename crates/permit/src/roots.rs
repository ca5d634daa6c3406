//! Root keys as text (64 hex digits, one line) and the demo root shipped in
//! `assets/trust/`. The verifier takes its roots as parameters; these helpers
//! only load them.

use crate::error::PermitError;
use ed25519_dalek::{SigningKey, VerifyingKey};

/// The demo root's public half (assets/trust/demo-root.pub).
pub const DEMO_ROOT_PUBLIC_HEX: &str = include_str!("../../../assets/trust/demo-root.pub");
/// The demo root's PRIVATE half, deliberately public: everything it signs is
/// shown as DEMO, and release builds refuse it.
pub const DEMO_ROOT_SECRET_HEX: &str = include_str!("../../../assets/trust/demo-root.key");

pub fn demo_root_public() -> VerifyingKey {
    // The file is part of the source tree and checked by a test below.
    parse_public_key(DEMO_ROOT_PUBLIC_HEX).unwrap_or_else(|_| unreachable_demo())
}

/// True for the demo root: a release build refuses to trust or install it.
pub fn is_demo_root(key: &VerifyingKey) -> bool {
    *key == demo_root_public()
}

pub fn demo_root_signing_key() -> SigningKey {
    parse_secret_key(DEMO_ROOT_SECRET_HEX).unwrap_or_else(|_| unreachable_demo())
}

#[cold]
fn unreachable_demo() -> ! {
    panic!("assets/trust/demo-root.* is not a valid key (the build embeds it; see roots tests)")
}

fn hex32(text: &str) -> Option<[u8; 32]> {
    let hex: String = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// 64 hex digits (lines starting with `#` and blank lines ignored).
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, PermitError> {
    let bytes = hex32(text).ok_or(PermitError::BadPublicKey)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| PermitError::BadPublicKey)
}

/// 64 hex digits of an Ed25519 seed. Only for the demo and test roots: real
/// keys live in keystore's encrypted files.
pub fn parse_secret_key(text: &str) -> Result<SigningKey, PermitError> {
    hex32(text)
        .map(|b| SigningKey::from_bytes(&b))
        .ok_or(PermitError::BadField("secret key"))
}

pub fn public_key_hex(key: &VerifyingKey) -> String {
    key.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_key_files_match() {
        assert_eq!(demo_root_signing_key().verifying_key(), demo_root_public());
        for name in ["test-city-root", "other-root"] {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/trust/");
            let sk = std::fs::read_to_string(format!("{dir}{name}.key")).unwrap();
            let pk = std::fs::read_to_string(format!("{dir}{name}.pub")).unwrap();
            assert_eq!(
                parse_secret_key(&sk).unwrap().verifying_key(),
                parse_public_key(&pk).unwrap(),
                "{name}"
            );
        }
        assert_eq!(
            public_key_hex(&demo_root_public()),
            DEMO_ROOT_PUBLIC_HEX.trim()
        );
        assert!(parse_public_key("# comment\nzz").is_err());
        assert!(is_demo_root(&demo_root_public()));
        assert!(!is_demo_root(
            &SigningKey::from_bytes(&[1; 32]).verifying_key()
        ));
    }
}
