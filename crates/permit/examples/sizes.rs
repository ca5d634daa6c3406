//! Prints the byte counts and QR versions of the sample permits (the table in
//! docs/permit-format.md): `cargo run -p permit --example sizes`.

use permit::qr::{version_for, Level};
use permit::{samples, CategorySet, Certificate, CertificateFields, Scope, SigningKey, Token};
use time::macros::date;

fn main() -> Result<(), permit::PermitError> {
    let root = SigningKey::from_bytes(&[1; 32]);
    let ws = SigningKey::from_bytes(&[2; 32]);
    let cert = Certificate::sign(
        CertificateFields {
            ward_code: 9_616,
            dataset: "2025-07".parse()?,
            workstation: 2,
            public_key: ws.verifying_key(),
            valid_from: date!(2026 - 01 - 01),
            valid_to: date!(2027 - 12 - 31),
            scope: Scope {
                categories: CategorySet::ALL,
                max_validity_days: 60,
            },
        },
        &root,
    )?;
    println!("| case | name/org/area chars | texts as UTF-8 | texts as compact code | token bytes | QR chars | QR version M | QR version Q | Q if texts were UTF-8 |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (label, f) in [
        ("short", samples::short()),
        ("typical", samples::typical()),
        ("longest", samples::longest()),
    ] {
        let t = Token::sign(&f, &cert, &ws)?;
        let text = t.to_text();
        let org = f.organization.as_deref().unwrap_or("");
        let purpose = f.purpose.as_deref().unwrap_or("");
        let texts = [f.holder_name.as_str(), org, f.area.as_str(), purpose];
        let utf8: usize = texts.iter().map(|s| s.len()).sum();
        let compact: usize = texts
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| permit::text::encode(s).len())
            .sum();
        let bytes_if_utf8 = t.to_bytes().len() - compact + utf8;
        // Base45: 3 characters per 2 bytes, 2 for a last odd byte.
        let chars_if_utf8 = 4 + bytes_if_utf8 / 2 * 3 + (bytes_if_utf8 % 2) * 2;
        let v_if_utf8 = version_for(&"0".repeat(chars_if_utf8), Level::Q)?;
        println!(
            "| {label} | {}/{}/{} | {utf8} | {compact} | {} | {} | {} | {} | {v_if_utf8} |",
            f.holder_name.chars().count(),
            org.chars().count(),
            f.area.chars().count(),
            t.to_bytes().len(),
            text.len(),
            version_for(&text, Level::M)?,
            version_for(&text, Level::Q)?,
        );
    }
    Ok(())
}
