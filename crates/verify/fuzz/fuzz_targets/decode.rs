#![no_main]
//! Any bytes, as token text, as token binary, as a revocation list, as an
//! install key: never a panic.

use libfuzzer_sys::fuzz_target;
use permit::revocation::RevocationList;
use permit::{Certificate, Token};
use time::macros::datetime;
use verify::{demo_anchor, verify};

fuzz_target!(|data: &[u8]| {
    let roots = [demo_anchor()];
    let at = datetime!(2026-11-25 09:00 +7);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = verify(text, at, &roots, None);
        let _ = Certificate::from_text(text);
        let _ = verify::parse_card_qr(text);
    }
    let _ = Token::from_bytes(data);
    let _ = Certificate::decode(data);
    let _ = RevocationList::decode(data, &[roots[0].public_key]);
    // Structured: a valid prefix and Base45 around the random bytes, so the
    // fuzzer reaches the field decoders quickly.
    let text = format!("GD1:{}", base45(data));
    let _ = verify(&text, at, &roots, None);
});

fn base45(bytes: &[u8]) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut out = String::new();
    for c in bytes.chunks(2) {
        let mut n = c.iter().fold(0u32, |a, &b| a * 256 + u32::from(b));
        for _ in 0..if c.len() == 2 { 3 } else { 2 } {
            out.push(char::from(A[(n % 45) as usize]));
            n /= 45;
        }
    }
    out
}
