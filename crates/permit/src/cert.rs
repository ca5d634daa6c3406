//! The workstation certificate ("install key"): the city root binds a
//! workstation's public key to a ward, a validity window and a scope.

use crate::armor;
use crate::error::PermitError;
use crate::wire::{date_from_day, day_number, put_u24, Reader, VALIDITY_EPOCH};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;
use time::Date;

pub const CERT_VERSION: u8 = 1;
/// Encoded size of a version-1 certificate.
pub const CERT_LEN: usize = 115;
const SIGNED_LEN: usize = CERT_LEN - 64;
/// Domain separation: a root signature over a certificate can never be
/// mistaken for one over a revocation list, and vice versa.
const CONTEXT: &[u8] = b"GDD certificate v1\0";
/// Armor label of the install key text.
pub const INSTALL_KEY_LABEL: &str = "GDD-INSTALL-KEY-V1";

/// Administrative-unit dataset version, e.g. `2025-07`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DatasetVersion {
    pub year: u16,
    pub month: u8,
}

impl fmt::Display for DatasetVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for DatasetVersion {
    type Err = PermitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || PermitError::BadField("dataset");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let v = DatasetVersion {
            year: y.parse().map_err(|_| bad())?,
            month: m.parse().map_err(|_| bad())?,
        };
        v.check()?;
        Ok(v)
    }
}

impl DatasetVersion {
    fn check(&self) -> Result<(), PermitError> {
        if (2000..=2255).contains(&self.year) && (1..=12).contains(&self.month) {
            Ok(())
        } else {
            Err(PermitError::BadField("dataset"))
        }
    }
}

/// Permit categories (bit n = category n, 0..=15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CategorySet(pub u16);

impl CategorySet {
    pub const ALL: CategorySet = CategorySet(u16::MAX);

    pub fn of(categories: &[u8]) -> CategorySet {
        CategorySet(
            categories
                .iter()
                .filter(|&&c| c < 16)
                .fold(0, |acc, &c| acc | (1 << c)),
        )
    }

    pub fn contains(self, category: u8) -> bool {
        category < 16 && self.0 & (1 << category) != 0
    }

    pub fn iter(self) -> impl Iterator<Item = u8> {
        (0u8..16).filter(move |&c| self.contains(c))
    }
}

/// What a workstation may sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub categories: CategorySet,
    /// Longest permit validity, in days, counting both ends.
    pub max_validity_days: u16,
}

/// 8 bytes of SHA-256 of a workstation public key: how revocation lists name a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 8]);

impl KeyId {
    pub fn of(key: &VerifyingKey) -> KeyId {
        let d = Sha256::digest(key.as_bytes());
        let mut id = [0u8; 8];
        id.copy_from_slice(&d[..8]);
        KeyId(id)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl FromStr for KeyId {
    type Err = PermitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let bad = || PermitError::BadField("key_id");
        if s.len() != 16 || !s.is_ascii() {
            return Err(bad());
        }
        let mut id = [0u8; 8];
        for (i, b) in id.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(KeyId(id))
    }
}

/// 4 bytes of SHA-256 of a root public key, written in every certificate so a
/// verifier can tell "signed by a root I do not know" from "tampered".
pub fn issuer_id(root: &VerifyingKey) -> [u8; 4] {
    let d = Sha256::digest(root.as_bytes());
    [d[0], d[1], d[2], d[3]]
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFields {
    /// Ward code, 5 digits (0..=99999).
    pub ward_code: u32,
    pub dataset: DatasetVersion,
    /// Workstation number within the ward, 1..=99.
    pub workstation: u8,
    pub public_key: VerifyingKey,
    /// First and last day (inclusive) on which the workstation may sign.
    pub valid_from: Date,
    pub valid_to: Date,
    pub scope: Scope,
}

impl CertificateFields {
    fn check(&self) -> Result<(), PermitError> {
        if self.ward_code > 99_999 {
            return Err(PermitError::BadField("ward_code"));
        }
        self.dataset.check()?;
        if !(1..=99).contains(&self.workstation) {
            return Err(PermitError::BadField("workstation"));
        }
        if self.valid_from > self.valid_to {
            return Err(PermitError::BadField("certificate validity"));
        }
        if self.scope.categories.0 == 0 || self.scope.max_validity_days == 0 {
            return Err(PermitError::BadField("scope"));
        }
        Ok(())
    }

    /// The ward code as printed: 5 digits with leading zeros.
    pub fn ward_code_text(&self) -> String {
        format!("{:05}", self.ward_code)
    }
}

/// Who a workstation is, for `Certificate::check_install`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallTarget {
    pub ward_code: u32,
    pub dataset: DatasetVersion,
    pub workstation: u8,
    pub public_key: VerifyingKey,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    fields: CertificateFields,
    issuer_id: [u8; 4],
    bytes: [u8; CERT_LEN],
}

impl Certificate {
    /// Signs a certificate with the city root key.
    pub fn sign(fields: CertificateFields, root: &SigningKey) -> Result<Certificate, PermitError> {
        fields.check()?;
        let issuer = issuer_id(&root.verifying_key());
        let mut out = Vec::with_capacity(CERT_LEN);
        out.push(CERT_VERSION);
        out.extend_from_slice(&issuer);
        put_u24(&mut out, fields.ward_code);
        out.push((fields.dataset.year - 2000) as u8);
        out.push(fields.dataset.month);
        out.push(fields.workstation);
        out.extend_from_slice(fields.public_key.as_bytes());
        out.extend_from_slice(
            &day_number(fields.valid_from, VALIDITY_EPOCH, "valid_from")?.to_be_bytes(),
        );
        out.extend_from_slice(
            &day_number(fields.valid_to, VALIDITY_EPOCH, "valid_to")?.to_be_bytes(),
        );
        out.extend_from_slice(&fields.scope.categories.0.to_be_bytes());
        out.extend_from_slice(&fields.scope.max_validity_days.to_be_bytes());
        debug_assert_eq!(out.len(), SIGNED_LEN);
        let sig = root.sign(&signed_message(&out));
        out.extend_from_slice(&sig.to_bytes());
        let mut bytes = [0u8; CERT_LEN];
        bytes.copy_from_slice(&out);
        Ok(Certificate {
            fields,
            issuer_id: issuer,
            bytes,
        })
    }

    pub fn encode(&self) -> &[u8; CERT_LEN] {
        &self.bytes
    }

    /// Decodes exactly one certificate (no signature check: see `verify_with`).
    pub fn decode(bytes: &[u8]) -> Result<Certificate, PermitError> {
        let mut r = Reader::new(bytes);
        let cert = Certificate::read(&mut r)?;
        r.finish()?;
        Ok(cert)
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Certificate, PermitError> {
        let version = r.u8("certificate")?;
        if version != CERT_VERSION {
            return Err(PermitError::UnsupportedVersion(version));
        }
        let start = r.pos() - 1;
        let issuer_id = r.array::<4>("certificate")?;
        let ward_code = r.u24("certificate")?;
        let year = u16::from(r.u8("certificate")?) + 2000;
        let month = r.u8("certificate")?;
        let workstation = r.u8("certificate")?;
        let key = r.array::<32>("certificate")?;
        let public_key = VerifyingKey::from_bytes(&key).map_err(|_| PermitError::BadPublicKey)?;
        let valid_from = date_from_day(r.u16("certificate")?, VALIDITY_EPOCH, "valid_from")?;
        let valid_to = date_from_day(r.u16("certificate")?, VALIDITY_EPOCH, "valid_to")?;
        let categories = CategorySet(r.u16("certificate")?);
        let max_validity_days = r.u16("certificate")?;
        r.take(64, "certificate signature")?;
        let fields = CertificateFields {
            ward_code,
            dataset: DatasetVersion { year, month },
            workstation,
            public_key,
            valid_from,
            valid_to,
            scope: Scope {
                categories,
                max_validity_days,
            },
        };
        fields.check()?;
        let mut bytes = [0u8; CERT_LEN];
        // read() consumed exactly CERT_LEN bytes from `start`.
        let raw = r.slice_from(start);
        if raw.len() != CERT_LEN {
            return Err(PermitError::Truncated("certificate"));
        }
        bytes.copy_from_slice(raw);
        Ok(Certificate {
            fields,
            issuer_id,
            bytes,
        })
    }

    pub fn fields(&self) -> &CertificateFields {
        &self.fields
    }

    pub fn issuer_id(&self) -> [u8; 4] {
        self.issuer_id
    }

    pub fn key_id(&self) -> KeyId {
        KeyId::of(&self.fields.public_key)
    }

    /// Checks the root's signature. `WrongIssuer` when the certificate names a
    /// different root; `BadSignature` when it names this root but does not verify.
    pub fn verify_with(&self, root: &VerifyingKey) -> Result<(), PermitError> {
        if self.issuer_id != issuer_id(root) {
            return Err(PermitError::WrongIssuer);
        }
        let mut sig = [0u8; 64];
        sig.copy_from_slice(&self.bytes[SIGNED_LEN..]);
        root.verify_strict(
            &signed_message(&self.bytes[..SIGNED_LEN]),
            &Signature::from_bytes(&sig),
        )
        .map_err(|_| PermitError::BadSignature)
    }

    /// What a workstation checks before installing its install key: signed by
    /// `root` (else `WrongIssuer`/`BadSignature`), for this ward + dataset,
    /// this workstation number and this key, and in date on `today`.
    pub fn check_install(
        &self,
        root: &VerifyingKey,
        ours: &InstallTarget,
        today: Date,
    ) -> Result<(), PermitError> {
        self.verify_with(root)?;
        let c = &self.fields;
        if c.ward_code != ours.ward_code || c.dataset != ours.dataset {
            return Err(PermitError::InstallWrongWard {
                cert: c.ward_code_text(),
                cert_dataset: c.dataset.to_string(),
                ours: format!("{:05}", ours.ward_code),
                our_dataset: ours.dataset.to_string(),
            });
        }
        if c.workstation != ours.workstation {
            return Err(PermitError::InstallWrongWorkstation {
                cert: c.workstation,
                ours: ours.workstation,
            });
        }
        if c.public_key != ours.public_key {
            return Err(PermitError::InstallWrongKey {
                cert: self.key_id().to_string(),
                ours: KeyId::of(&ours.public_key).to_string(),
            });
        }
        if today < c.valid_from {
            return Err(PermitError::InstallNotYetValid(c.valid_from.to_string()));
        }
        if today > c.valid_to {
            return Err(PermitError::InstallExpired(c.valid_to.to_string()));
        }
        Ok(())
    }

    /// The install key as text that survives an email body.
    pub fn to_text(&self) -> String {
        armor::encode(INSTALL_KEY_LABEL, &self.bytes)
    }

    /// Parses an install key pasted from an email (extra spaces, line breaks,
    /// CRLF, `> ` quoting are all fine). No signature check: see `verify_with`.
    pub fn from_text(text: &str) -> Result<Certificate, PermitError> {
        Certificate::decode(&armor::decode(INSTALL_KEY_LABEL, text)?)
    }
}

fn signed_message(body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(CONTEXT.len() + body.len());
    m.extend_from_slice(CONTEXT);
    m.extend_from_slice(body);
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    pub(crate) fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn fields(ws: &SigningKey) -> CertificateFields {
        CertificateFields {
            ward_code: 4,
            dataset: "2025-07".parse().unwrap(),
            workstation: 1,
            public_key: ws.verifying_key(),
            valid_from: date!(2026 - 01 - 01),
            valid_to: date!(2026 - 12 - 31),
            scope: Scope {
                categories: CategorySet::of(&[1, 2, 3]),
                max_validity_days: 30,
            },
        }
    }

    #[test]
    fn sign_encode_decode_verify() {
        let root = key(1);
        let cert = Certificate::sign(fields(&key(2)), &root).unwrap();
        assert_eq!(cert.encode().len(), CERT_LEN);
        let back = Certificate::decode(cert.encode()).unwrap();
        assert_eq!(back, cert);
        assert_eq!(back.verify_with(&root.verifying_key()), Ok(()));
        assert_eq!(
            back.verify_with(&key(3).verifying_key()),
            Err(PermitError::WrongIssuer)
        );
    }

    #[test]
    fn every_flipped_bit_is_caught() {
        let root = key(1);
        let cert = Certificate::sign(fields(&key(2)), &root).unwrap();
        for i in 0..CERT_LEN * 8 {
            let mut b = *cert.encode();
            b[i / 8] ^= 1 << (i % 8);
            if let Ok(c) = Certificate::decode(&b) {
                assert!(c.verify_with(&root.verifying_key()).is_err(), "bit {i}");
            }
        }
    }

    #[test]
    fn install_key_text_survives_email() {
        let cert = Certificate::sign(fields(&key(2)), &key(1)).unwrap();
        let text = cert.to_text();
        assert!(text.starts_with(INSTALL_KEY_LABEL));
        assert!(text.lines().all(|l| l.len() <= 64));
        let quoted: String = text.lines().map(|l| format!(">  {l}  \r\n")).collect();
        assert_eq!(Certificate::from_text(&quoted).unwrap(), cert);
        let joined = format!(
            "Kính gửi phường,\n\n{}\nTrân trọng.",
            text.replace('\n', " ")
        );
        assert_eq!(Certificate::from_text(&joined).unwrap(), cert);
        let lower = text.to_lowercase();
        assert_eq!(Certificate::from_text(&lower).unwrap(), cert);
        let damaged = text.replacen('A', "B", 1);
        if damaged != text {
            assert!(Certificate::from_text(&damaged).is_err());
        }
    }

    #[test]
    fn install_checks_name_what_is_wrong() {
        let (root, ws) = (key(1), key(2));
        let cert = Certificate::sign(fields(&ws), &root).unwrap();
        let ours = InstallTarget {
            ward_code: 4,
            dataset: "2025-07".parse().unwrap(),
            workstation: 1,
            public_key: ws.verifying_key(),
        };
        let today = date!(2026 - 06 - 01);
        let rk = root.verifying_key();
        assert_eq!(cert.check_install(&rk, &ours, today), Ok(()));
        let code = |r: Result<(), PermitError>| r.unwrap_err().code();
        assert_eq!(
            code(cert.check_install(&key(5).verifying_key(), &ours, today)),
            "signature.wrong_issuer"
        );
        let mut o = ours.clone();
        o.ward_code = 5;
        assert_eq!(
            code(cert.check_install(&rk, &o, today)),
            "install_key.wrong_ward"
        );
        let mut o = ours.clone();
        o.dataset = "2024-01".parse().unwrap();
        assert_eq!(
            code(cert.check_install(&rk, &o, today)),
            "install_key.wrong_ward"
        );
        let mut o = ours.clone();
        o.workstation = 2;
        assert_eq!(
            code(cert.check_install(&rk, &o, today)),
            "install_key.wrong_workstation"
        );
        let mut o = ours.clone();
        o.public_key = key(3).verifying_key();
        assert_eq!(
            code(cert.check_install(&rk, &o, today)),
            "install_key.wrong_key"
        );
        assert_eq!(
            code(cert.check_install(&rk, &ours, date!(2027 - 01 - 01))),
            "install_key.expired"
        );
        assert_eq!(
            code(cert.check_install(&rk, &ours, date!(2025 - 12 - 31))),
            "install_key.not_yet_valid"
        );
        let mut b = *cert.encode();
        b[47] ^= 1; // scope: categories
        let tampered = Certificate::decode(&b).unwrap();
        assert_eq!(
            code(tampered.check_install(&rk, &ours, today)),
            "signature.bad"
        );
    }

    #[test]
    fn bad_fields_are_refused() {
        let mut f = fields(&key(2));
        f.ward_code = 100_000;
        assert!(Certificate::sign(f, &key(1)).is_err());
        let mut f = fields(&key(2));
        f.workstation = 0;
        assert!(Certificate::sign(f, &key(1)).is_err());
        let mut f = fields(&key(2));
        f.valid_to = date!(2025 - 01 - 01);
        assert!(Certificate::sign(f, &key(1)).is_err());
        assert!("2025-13".parse::<DatasetVersion>().is_err());
        let k = KeyId::of(&key(2).verifying_key());
        assert_eq!(k.to_string().parse::<KeyId>(), Ok(k));
    }
}
