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
    println!("| case | name/org/area chars | text UTF-8 bytes | token bytes | QR chars | QR version M | QR version Q |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for (label, f) in [
        ("short", samples::short()),
        ("typical", samples::typical()),
        ("longest", samples::longest()),
    ] {
        let t = Token::sign(&f, &cert, &ws)?;
        let text = t.to_text();
        let org = f.organization.as_deref().unwrap_or("");
        let purpose = f.purpose.as_deref().unwrap_or("");
        let utf8 = f.holder_name.len() + org.len() + f.area.len() + purpose.len();
        println!(
            "| {label} | {}/{}/{} | {utf8} | {} | {} | {} | {} |",
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
