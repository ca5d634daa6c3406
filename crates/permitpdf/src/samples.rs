//! Demo permits for the example, tests and benchmark: `permit::samples`
//! fields signed by a workstation key certified by the demo root
//! (assets/trust), so every verifier shows them as DEMO and the PDF prints
//! "MẪU THỬ – KHÔNG CÓ GIÁ TRỊ" on them.

use crate::model::{PrintPermit, StampMark, WardHeader};
use permit::{
    category, CategorySet, Certificate, CertificateFields, IdType, PermitError, PermitFields,
    Scope, SigningKey, Token,
};
use time::macros::{date, datetime};

/// The demo ward of `store::demo`: Phường Ba Đình, code 00004, workstation 1.
pub fn demo_ward() -> WardHeader {
    WardHeader {
        ubnd: "UBND PHƯỜNG BA ĐÌNH".into(),
        police: "CÔNG AN PHƯỜNG BA ĐÌNH".into(),
        ward_name: "Phường Ba Đình".into(),
        ward_code: "00004".into(),
    }
}

pub struct DemoSigner {
    key: SigningKey,
    cert: Certificate,
}

impl DemoSigner {
    pub fn new() -> Result<DemoSigner, PermitError> {
        let key = SigningKey::from_bytes(&[7; 32]);
        let cert = Certificate::sign(
            CertificateFields {
                ward_code: 4,
                dataset: "2025-07".parse()?,
                workstation: 1,
                public_key: key.verifying_key(),
                valid_from: date!(2026 - 01 - 01),
                valid_to: date!(2026 - 12 - 31),
                scope: Scope {
                    categories: CategorySet::ALL,
                    max_validity_days: 60,
                },
            },
            &permit::roots::demo_root_signing_key(),
        )?;
        Ok(DemoSigner { key, cert })
    }

    /// Signs `fields` and turns them into what the printer needs.
    pub fn permit(&self, fields: &PermitFields, reprint: u32) -> Result<PrintPermit, PermitError> {
        let token = Token::sign(fields, &self.cert, &self.key)?;
        let id_label = match fields.id.kind {
            IdType::Cccd => format!("CCCD {}", fields.id.number),
            IdType::Cmnd => format!("CMND {}", fields.id.number),
            IdType::PassportVn => format!("Hộ chiếu {}", fields.id.number),
            IdType::Other => format!(
                "{} {}",
                fields.id.label.as_deref().unwrap_or("Giấy tờ"),
                fields.id.number
            ),
        };
        Ok(PrintPermit {
            serial: token.serial().to_string(),
            holder_name: fields.holder_name.clone(),
            id_label,
            date_of_birth: fields.date_of_birth,
            organization: fields.organization.clone(),
            address: Some(format!(
                "Số {} phố Đội Cấn, phường Ba Đình, thành phố Hà Nội",
                fields.sequence % 1000
            )),
            purpose: fields
                .purpose
                .clone()
                .unwrap_or_else(|| category::name_vi(fields.category).to_string()),
            area: fields.area.clone(),
            valid_from: fields.valid_from,
            valid_to: fields.valid_to,
            daily_hours: fields.daily_hours.map(|h| h.to_string().replace('-', "–")),
            issued_on: date!(2026 - 11 - 19),
            ward: demo_ward(),
            stamp: StampMark {
                workstation: 1,
                stamped_at: datetime!(2026-11-19 02:15 UTC),
                // As the ward reads it to the city at activation (keystore::fingerprint).
                key_fingerprint: keystore::fingerprint(&self.key.verifying_key()).to_string(),
                demo: true,
            },
            token: token.to_text(),
            reprint,
        })
    }

    /// `n` permits cycling through the short, typical and longest samples,
    /// with distinct sequence numbers; every 7th is a reprint.
    pub fn batch(&self, n: usize) -> Result<Vec<PrintPermit>, PermitError> {
        let bases = [
            permit::samples::short(),
            permit::samples::typical(),
            permit::samples::longest(),
        ];
        (0..n)
            .map(|i| {
                let mut f = bases[i % 3].clone();
                f.sequence = 1000 + i as u32;
                let reprint = if i % 7 == 6 {
                    1 + (i / 7 % 3) as u32
                } else {
                    0
                };
                self.permit(&f, reprint)
            })
            .collect()
    }
}
