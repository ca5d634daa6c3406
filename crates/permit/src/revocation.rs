//! Signed, versioned revocation lists: permits by serial (with a reason) and
//! workstation keys by key id. Issued by the city root, or by a workstation
//! (which carries its certificate and may only revoke its own ward's permits).
//!
//! A `RevocationList` value only exists once its signature has been checked
//! (`decode` verifies), so a verifier can trust whatever it is handed.

use crate::cert::{issuer_id, Certificate, KeyId};
use crate::error::PermitError;
use crate::token::Serial;
use crate::wire::{put_u24, Reader};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use std::collections::BTreeMap;
use time::OffsetDateTime;

const MAGIC: &[u8; 4] = b"GDRL";
pub const REVOCATION_VERSION: u8 = 1;
const CONTEXT: &[u8] = b"GDD revocations v1\0";
/// Armor label for the text form.
pub const REVOCATIONS_LABEL: &str = "GDD-REVOCATIONS-V1";
const MAX_REASON: usize = 200;

/// Reason codes (the text says more).
pub mod reason {
    pub const OTHER: u8 = 0;
    pub const LOST: u8 = 1;
    pub const LEFT_ORGANIZATION: u8 = 2;
    pub const WRONG_DATA: u8 = 3;
    pub const REISSUED: u8 = 4;
    pub const KEY_COMPROMISED: u8 = 5;
    pub const WORKSTATION_RETIRED: u8 = 6;

    pub fn name_vi(code: u8) -> &'static str {
        match code {
            LOST => "Mất giấy",
            LEFT_ORGANIZATION => "Người được cấp đã nghỉ việc",
            WRONG_DATA => "Sai thông tin",
            REISSUED => "Đã cấp giấy mới thay thế",
            KEY_COMPROMISED => "Khóa ký bị lộ",
            WORKSTATION_RETIRED => "Máy trạm ngừng sử dụng",
            _ => "Lý do khác",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub code: u8,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedPermit {
    pub serial: Serial,
    pub reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedKey {
    pub key_id: KeyId,
    pub reason: Reason,
}

/// What the list says, before signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationContent {
    /// Goes up with every list the same issuer publishes.
    pub number: u32,
    pub issued_at: OffsetDateTime,
    pub permits: Vec<RevokedPermit>,
    pub keys: Vec<RevokedKey>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    /// The city root (its key is one of the verifier's roots).
    Root { issuer_id: [u8; 4] },
    /// A workstation, with the certificate that binds it to its ward.
    Workstation(Box<Certificate>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationList {
    content: RevocationContent,
    issuer: Issuer,
    bytes: Vec<u8>,
    /// Lookups stay logarithmic for a city-sized list.
    permit_index: BTreeMap<Serial, usize>,
    key_index: BTreeMap<KeyId, usize>,
}

impl RevocationList {
    pub fn sign_by_root(
        content: RevocationContent,
        root: &SigningKey,
    ) -> Result<RevocationList, PermitError> {
        let issuer = Issuer::Root {
            issuer_id: issuer_id(&root.verifying_key()),
        };
        Self::sign(content, issuer, root)
    }

    /// A ward's list: only permits of the certificate's ward, no keys.
    pub fn sign_by_workstation(
        content: RevocationContent,
        key: &SigningKey,
        certificate: &Certificate,
    ) -> Result<RevocationList, PermitError> {
        if key.verifying_key() != certificate.fields().public_key {
            return Err(PermitError::WrongIssuer);
        }
        check_ward_scope(&content, certificate)?;
        Self::sign(
            content,
            Issuer::Workstation(Box::new(certificate.clone())),
            key,
        )
    }

    fn sign(
        content: RevocationContent,
        issuer: Issuer,
        key: &SigningKey,
    ) -> Result<RevocationList, PermitError> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(REVOCATION_VERSION);
        match &issuer {
            Issuer::Root { issuer_id } => {
                out.push(0);
                out.extend_from_slice(issuer_id);
            }
            Issuer::Workstation(cert) => {
                out.push(1);
                out.extend_from_slice(cert.encode());
            }
        }
        out.extend_from_slice(&content.number.to_be_bytes());
        let secs = u64::try_from(content.issued_at.unix_timestamp())
            .map_err(|_| PermitError::DateOutOfRange("issued_at"))?;
        out.extend_from_slice(&secs.to_be_bytes());
        let count = |n: usize| u32::try_from(n).map_err(|_| PermitError::BadField("count"));
        out.extend_from_slice(&count(content.permits.len())?.to_be_bytes());
        for p in &content.permits {
            if p.serial.ward_code > 99_999 {
                return Err(PermitError::BadField("serial"));
            }
            put_u24(&mut out, p.serial.ward_code);
            out.push(p.serial.workstation);
            out.extend_from_slice(&p.serial.sequence.to_be_bytes());
            put_reason(&mut out, &p.reason)?;
        }
        out.extend_from_slice(&count(content.keys.len())?.to_be_bytes());
        for k in &content.keys {
            out.extend_from_slice(&k.key_id.0);
            put_reason(&mut out, &k.reason)?;
        }
        let sig = key.sign(&signed_message(&out));
        out.extend_from_slice(&sig.to_bytes());
        Ok(RevocationList::new(content, issuer, out))
    }

    fn new(content: RevocationContent, issuer: Issuer, bytes: Vec<u8>) -> RevocationList {
        // First entry wins for a duplicated serial or key.
        let mut permit_index = BTreeMap::new();
        for (i, p) in content.permits.iter().enumerate() {
            permit_index.entry(p.serial).or_insert(i);
        }
        let mut key_index = BTreeMap::new();
        for (i, k) in content.keys.iter().enumerate() {
            key_index.entry(k.key_id).or_insert(i);
        }
        RevocationList {
            content,
            issuer,
            bytes,
            permit_index,
            key_index,
        }
    }

    /// The root that stands behind this list (directly, or through the
    /// workstation's certificate).
    pub fn root_issuer_id(&self) -> [u8; 4] {
        match &self.issuer {
            Issuer::Root { issuer_id } => *issuer_id,
            Issuer::Workstation(cert) => cert.issuer_id(),
        }
    }

    pub fn encode(&self) -> &[u8] {
        &self.bytes
    }

    pub fn to_text(&self) -> String {
        crate::armor::encode(REVOCATIONS_LABEL, &self.bytes)
    }

    pub fn from_text(text: &str, roots: &[VerifyingKey]) -> Result<RevocationList, PermitError> {
        Self::decode(&crate::armor::decode(REVOCATIONS_LABEL, text)?, roots)
    }

    /// Decodes and verifies: signed by one of `roots`, or by a workstation
    /// whose certificate chains to one of them. A list that fails is refused.
    pub fn decode(bytes: &[u8], roots: &[VerifyingKey]) -> Result<RevocationList, PermitError> {
        let mut r = Reader::new(bytes);
        if r.take(4, "magic")? != MAGIC {
            return Err(PermitError::BadPrefix("GDRL"));
        }
        let version = r.u8("version")?;
        if version != REVOCATION_VERSION {
            return Err(PermitError::UnsupportedVersion(version));
        }
        let issuer = match r.u8("issuer")? {
            0 => Issuer::Root {
                issuer_id: r.array("issuer")?,
            },
            1 => Issuer::Workstation(Box::new(Certificate::read(&mut r)?)),
            _ => return Err(PermitError::BadField("issuer")),
        };
        let number = r.u32("number")?;
        let secs =
            i64::try_from(r.u64("issued_at")?).map_err(|_| PermitError::BadField("issued_at"))?;
        let issued_at = OffsetDateTime::from_unix_timestamp(secs)
            .map_err(|_| PermitError::BadField("issued_at"))?;
        let n = r.u32("permits")? as usize;
        // Each entry takes at least 10 bytes: refuse counts the input cannot hold
        // before allocating for them.
        if n > r.remaining() / 10 {
            return Err(PermitError::Truncated("permits"));
        }
        let mut permits = Vec::with_capacity(n);
        for _ in 0..n {
            let ward_code = r.u24("permits")?;
            let workstation = r.u8("permits")?;
            let sequence = r.u32("permits")?;
            if ward_code > 99_999 {
                return Err(PermitError::BadField("serial"));
            }
            permits.push(RevokedPermit {
                serial: Serial {
                    ward_code,
                    workstation,
                    sequence,
                },
                reason: read_reason(&mut r)?,
            });
        }
        let n = r.u32("keys")? as usize;
        if n > r.remaining() / 10 {
            return Err(PermitError::Truncated("keys"));
        }
        let mut keys = Vec::with_capacity(n);
        for _ in 0..n {
            keys.push(RevokedKey {
                key_id: KeyId(r.array("keys")?),
                reason: read_reason(&mut r)?,
            });
        }
        let split = r.pos();
        let sig: [u8; 64] = r.array("signature")?;
        r.finish()?;
        let sig = Signature::from_bytes(&sig);
        let message = signed_message(&bytes[..split]);
        let content = RevocationContent {
            number,
            issued_at,
            permits,
            keys,
        };
        match &issuer {
            Issuer::Root { issuer_id: id } => {
                let root = roots
                    .iter()
                    .find(|k| issuer_id(k) == *id)
                    .ok_or(PermitError::WrongIssuer)?;
                root.verify_strict(&message, &sig)
                    .map_err(|_| PermitError::BadSignature)?;
            }
            Issuer::Workstation(cert) => {
                let root = roots
                    .iter()
                    .find(|k| issuer_id(k) == cert.issuer_id())
                    .ok_or(PermitError::WrongIssuer)?;
                cert.verify_with(root)?;
                cert.fields()
                    .public_key
                    .verify_strict(&message, &sig)
                    .map_err(|_| PermitError::BadSignature)?;
                check_ward_scope(&content, cert)?;
            }
        }
        Ok(RevocationList::new(content, issuer, bytes.to_vec()))
    }

    pub fn content(&self) -> &RevocationContent {
        &self.content
    }

    pub fn issuer(&self) -> &Issuer {
        &self.issuer
    }

    pub fn issued_at(&self) -> OffsetDateTime {
        self.content.issued_at
    }

    pub fn permit(&self, serial: &Serial) -> Option<&RevokedPermit> {
        self.permit_index
            .get(serial)
            .and_then(|&i| self.content.permits.get(i))
    }

    pub fn key(&self, key_id: &KeyId) -> Option<&RevokedKey> {
        self.key_index
            .get(key_id)
            .and_then(|&i| self.content.keys.get(i))
    }
}

fn check_ward_scope(content: &RevocationContent, cert: &Certificate) -> Result<(), PermitError> {
    let ward = cert.fields().ward_code;
    if !content.keys.is_empty() || content.permits.iter().any(|p| p.serial.ward_code != ward) {
        return Err(PermitError::BadField(
            "revocations (a ward may only revoke its own permits)",
        ));
    }
    Ok(())
}

fn put_reason(out: &mut Vec<u8>, reason: &Reason) -> Result<(), PermitError> {
    let len = reason.text.chars().count();
    if len > MAX_REASON {
        return Err(PermitError::TextTooLong {
            field: "reason",
            len,
            max: MAX_REASON,
        });
    }
    out.push(reason.code);
    let bytes = reason.text.as_bytes();
    let n = u16::try_from(bytes.len()).map_err(|_| PermitError::BadField("reason"))?;
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(bytes);
    Ok(())
}

fn read_reason(r: &mut Reader<'_>) -> Result<Reason, PermitError> {
    let code = r.u8("reason")?;
    let n = r.u16("reason")?;
    let bytes = r.take(usize::from(n), "reason")?;
    let text = std::str::from_utf8(bytes)
        .map_err(|_| PermitError::BadText("reason"))?
        .to_string();
    Ok(Reason { code, text })
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
    use crate::cert::{CategorySet, CertificateFields, Scope};
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn cert(ws: &SigningKey, root: &SigningKey) -> Certificate {
        Certificate::sign(
            CertificateFields {
                ward_code: 4,
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
            root,
        )
        .unwrap()
    }

    fn content() -> RevocationContent {
        RevocationContent {
            number: 7,
            issued_at: datetime!(2026-11-24 08:00 UTC),
            permits: vec![RevokedPermit {
                serial: "00004-01-000042".parse().unwrap(),
                reason: Reason {
                    code: reason::LOST,
                    text: "Người được cấp báo mất".into(),
                },
            }],
            keys: vec![],
        }
    }

    #[test]
    fn root_list_round_trip() {
        let root = key(1);
        let mut c = content();
        c.keys.push(RevokedKey {
            key_id: KeyId::of(&key(9).verifying_key()),
            reason: Reason {
                code: reason::KEY_COMPROMISED,
                text: String::new(),
            },
        });
        let list = RevocationList::sign_by_root(c.clone(), &root).unwrap();
        let back = RevocationList::decode(list.encode(), &[root.verifying_key()]).unwrap();
        assert_eq!(back.content(), &c);
        assert!(back.permit(&"00004-01-000042".parse().unwrap()).is_some());
        assert!(back.permit(&"00004-01-000043".parse().unwrap()).is_none());
        let text = list.to_text();
        assert_eq!(
            RevocationList::from_text(&text, &[root.verifying_key()]).unwrap(),
            back
        );
        assert_eq!(
            RevocationList::decode(list.encode(), &[key(2).verifying_key()]),
            Err(PermitError::WrongIssuer)
        );
    }

    #[test]
    fn ward_list_round_trip_and_limits() {
        let (root, ws) = (key(1), key(2));
        let c = cert(&ws, &root);
        let list = RevocationList::sign_by_workstation(content(), &ws, &c).unwrap();
        let back = RevocationList::decode(list.encode(), &[root.verifying_key()]).unwrap();
        assert_eq!(back.content(), &content());
        let mut other_ward = content();
        other_ward.permits[0].serial.ward_code = 5;
        assert!(RevocationList::sign_by_workstation(other_ward, &ws, &c).is_err());
        assert!(RevocationList::sign_by_workstation(content(), &key(3), &c).is_err());
    }

    #[test]
    fn tampered_list_is_refused() {
        let root = key(1);
        let list = RevocationList::sign_by_root(content(), &root).unwrap();
        let bytes = list.encode().to_vec();
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x01;
            assert!(
                RevocationList::decode(&b, &[root.verifying_key()]).is_err(),
                "byte {i}"
            );
        }
    }

    proptest! {
        #[test]
        fn decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let _ = RevocationList::decode(&bytes, &[key(1).verifying_key()]);
            let mut b = b"GDRL\x01\x00".to_vec();
            b.extend_from_slice(&bytes);
            let _ = RevocationList::decode(&b, &[key(1).verifying_key()]);
        }
    }
}
