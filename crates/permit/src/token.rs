//! The permit token: fields, the workstation certificate, the workstation's
//! signature; Base45 behind `GD1:` for the QR.

use crate::cert::Certificate;
use crate::error::PermitError;
use crate::text;
use crate::wire::{
    date_from_day, day_number, put_short_bytes, Reader, BIRTH_EPOCH, VALIDITY_EPOCH,
};
use ed25519_dalek::{Signature, Signer, SigningKey};
use std::fmt;
use std::str::FromStr;
use time::Date;
use unicode_normalization::is_nfc;

pub const TOKEN_VERSION: u8 = 1;
/// Text prefix of a version-1 token (QR alphanumeric characters only).
pub const PREFIX: &str = "GD1:";
const CONTEXT: &[u8] = b"GDD permit v1\0";

/// Longest texts, in characters.
pub const MAX_NAME: usize = 50;
pub const MAX_ORGANIZATION: usize = 60;
pub const MAX_PURPOSE: usize = 40;
pub const MAX_AREA: usize = 40;
pub const MAX_OTHER_ID: usize = 20;
pub const MAX_ID_LABEL: usize = 30;

const FLAG_ORGANIZATION: u8 = 1;
const FLAG_PURPOSE: u8 = 2;
const FLAG_HOURS: u8 = 4;
const FLAG_BIRTH: u8 = 8;

/// ID document type (mirrors `identity::IdKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdType {
    Cccd,
    Cmnd,
    PassportVn,
    Other,
}

impl IdType {
    pub fn as_str(self) -> &'static str {
        match self {
            IdType::Cccd => "cccd",
            IdType::Cmnd => "cmnd",
            IdType::PassportVn => "passport_vn",
            IdType::Other => "other",
        }
    }
}

impl FromStr for IdType {
    type Err = PermitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "cccd" => Ok(IdType::Cccd),
            "cmnd" => Ok(IdType::Cmnd),
            "passport_vn" => Ok(IdType::PassportVn),
            "other" => Ok(IdType::Other),
            _ => Err(PermitError::BadField("id_type")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolderId {
    pub kind: IdType,
    pub number: String,
    /// What the document is, for `Other` (e.g. "Hộ chiếu Hàn Quốc").
    pub label: Option<String>,
}

/// Daily hours, minutes after midnight, multiples of 15; `end` may be 1440.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyHours {
    pub start: u16,
    pub end: u16,
}

impl fmt::Display for DailyHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

/// Permit number: ward, workstation (both from the certificate), sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Serial {
    pub ward_code: u32,
    pub workstation: u8,
    pub sequence: u32,
}

impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:05}-{:02}-{:06}",
            self.ward_code, self.workstation, self.sequence
        )
    }
}

impl FromStr for Serial {
    type Err = PermitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || PermitError::BadField("serial");
        let mut parts = s.trim().split('-');
        let (Some(w), Some(n), Some(q), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(w) && all_digits(n) && all_digits(q)) {
            return Err(bad());
        }
        let serial = Serial {
            ward_code: w.parse().map_err(|_| bad())?,
            workstation: n.parse().map_err(|_| bad())?,
            sequence: q.parse().map_err(|_| bad())?,
        };
        if serial.ward_code > 99_999 {
            return Err(bad());
        }
        Ok(serial)
    }
}

/// Permit categories. Codes 0..=15; the certificate's scope is a bit set of them.
pub mod category {
    pub const OTHER: u8 = 0;
    pub const PUBLIC_DUTY: u8 = 1;
    pub const HEALTH: u8 = 2;
    pub const ESSENTIAL_GOODS: u8 = 3;
    pub const PRODUCTION: u8 = 4;
    pub const TRANSPORT: u8 = 5;
    pub const UTILITIES: u8 = 6;
    pub const PRESS: u8 = 7;
    pub const URGENT_PERSONAL: u8 = 8;

    /// Vietnamese name shown to the checkpoint officer.
    pub fn name_vi(code: u8) -> &'static str {
        match code {
            OTHER => "Khác",
            PUBLIC_DUTY => "Công vụ",
            HEALTH => "Y tế",
            ESSENTIAL_GOODS => "Hàng hóa, dịch vụ thiết yếu",
            PRODUCTION => "Sản xuất, kinh doanh",
            TRANSPORT => "Vận tải, giao nhận",
            UTILITIES => "Điện, nước, viễn thông, môi trường",
            PRESS => "Báo chí",
            URGENT_PERSONAL => "Việc cá nhân khẩn cấp",
            _ => "Loại khác (chưa đặt tên)",
        }
    }

    /// Every named category, in code order.
    pub const ALL: [u8; 9] = [
        OTHER,
        PUBLIC_DUTY,
        HEALTH,
        ESSENTIAL_GOODS,
        PRODUCTION,
        TRANSPORT,
        UTILITIES,
        PRESS,
        URGENT_PERSONAL,
    ];

    /// Stable English name for command lines and JSON (`production`, …).
    pub fn slug(code: u8) -> Option<&'static str> {
        Some(match code {
            OTHER => "other",
            PUBLIC_DUTY => "public-duty",
            HEALTH => "health",
            ESSENTIAL_GOODS => "essential-goods",
            PRODUCTION => "production",
            TRANSPORT => "transport",
            UTILITIES => "utilities",
            PRESS => "press",
            URGENT_PERSONAL => "urgent-personal",
            _ => return None,
        })
    }

    /// A slug or a code number (`"production"`, `"4"`).
    pub fn parse(text: &str) -> Option<u8> {
        let t = text.trim().to_ascii_lowercase().replace('_', "-");
        if let Ok(n) = t.parse::<u8>() {
            return ALL.contains(&n).then_some(n);
        }
        ALL.into_iter().find(|c| slug(*c) == Some(t.as_str()))
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn slugs_round_trip() {
            for c in super::ALL {
                assert_eq!(super::parse(super::slug(c).unwrap()), Some(c));
                assert_eq!(super::parse(&c.to_string()), Some(c));
            }
            assert_eq!(
                super::parse("Urgent_Personal"),
                Some(super::URGENT_PERSONAL)
            );
            assert_eq!(super::parse("16"), None);
            assert_eq!(super::parse("holiday"), None);
        }
    }
}

/// Everything the workstation signs about the holder and the permit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitFields {
    pub sequence: u32,
    /// NFC, with diacritics.
    pub holder_name: String,
    pub id: HolderId,
    pub date_of_birth: Option<Date>,
    pub organization: Option<String>,
    pub category: u8,
    pub purpose: Option<String>,
    /// Area or route.
    pub area: String,
    /// First and last day (inclusive), Vietnam time.
    pub valid_from: Date,
    pub valid_to: Date,
    pub daily_hours: Option<DailyHours>,
}

impl PermitFields {
    /// Days of validity, counting both ends.
    pub fn validity_days(&self) -> i64 {
        (self.valid_to - self.valid_from).whole_days() + 1
    }
}

/// A decoded (or freshly signed) token. Decoding does not check signatures:
/// that is the verifier's job (crates/verify).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    fields: PermitFields,
    certificate: Certificate,
    bytes: Vec<u8>,
}

impl Token {
    /// Signs the fields with the workstation key that the certificate names,
    /// after checking that the certificate allows it (category, length of
    /// validity, first day within the certificate's window): a verifier would
    /// otherwise answer `out_of_scope`.
    pub fn sign(
        fields: &PermitFields,
        certificate: &Certificate,
        key: &SigningKey,
    ) -> Result<Token, PermitError> {
        check_scope(fields, certificate)?;
        Self::sign_unchecked(fields, certificate, key)
    }

    /// Signs without the scope check: only for producing out-of-scope test
    /// vectors (and tests of the encoding itself).
    pub fn sign_unchecked(
        fields: &PermitFields,
        certificate: &Certificate,
        key: &SigningKey,
    ) -> Result<Token, PermitError> {
        if key.verifying_key() != certificate.fields().public_key {
            return Err(PermitError::WrongIssuer);
        }
        let mut out = encode_fields(fields)?;
        out.extend_from_slice(certificate.encode());
        let sig = key.sign(&signed_message(&out));
        out.extend_from_slice(&sig.to_bytes());
        Ok(Token {
            fields: fields.clone(),
            certificate: certificate.clone(),
            bytes: out,
        })
    }

    pub fn fields(&self) -> &PermitFields {
        &self.fields
    }

    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    pub fn serial(&self) -> Serial {
        let c = self.certificate.fields();
        Serial {
            ward_code: c.ward_code,
            workstation: c.workstation,
            sequence: self.fields.sequence,
        }
    }

    pub fn to_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// `GD1:` + Base45: what goes in the QR.
    pub fn to_text(&self) -> String {
        let mut s = String::with_capacity(PREFIX.len() + self.bytes.len() * 3 / 2 + 2);
        s.push_str(PREFIX);
        s.push_str(&base45::encode(&self.bytes));
        s
    }

    pub fn from_text(text: &str) -> Result<Token, PermitError> {
        // Base45 uses ' ' as a digit (never as the last one), so only line ends
        // are trimmed at the end, to be safe.
        let body = text
            .trim_start()
            .trim_end_matches(['\r', '\n', '\t'])
            .strip_prefix(PREFIX)
            .ok_or(PermitError::BadPrefix(PREFIX))?;
        let bytes = base45::decode(body).map_err(|_| PermitError::BadEncoding)?;
        Token::from_bytes(&bytes)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Token, PermitError> {
        let mut r = Reader::new(bytes);
        let fields = decode_fields(&mut r)?;
        let certificate = Certificate::read(&mut r)?;
        r.take(64, "signature")?;
        r.finish()?;
        Ok(Token {
            fields,
            certificate,
            bytes: bytes.to_vec(),
        })
    }

    /// Checks the workstation's signature with the key in the certificate
    /// (the certificate itself is checked against a root by the verifier).
    pub fn verify_signature(&self) -> Result<(), PermitError> {
        let split = self.bytes.len() - 64;
        let mut sig = [0u8; 64];
        sig.copy_from_slice(&self.bytes[split..]);
        self.certificate
            .fields()
            .public_key
            .verify_strict(
                &signed_message(&self.bytes[..split]),
                &Signature::from_bytes(&sig),
            )
            .map_err(|_| PermitError::BadSignature)
    }
}

fn check_scope(f: &PermitFields, certificate: &Certificate) -> Result<(), PermitError> {
    let c = certificate.fields();
    if !c.scope.categories.contains(f.category) {
        return Err(PermitError::OutOfScope(format!(
            "loại \"{}\" không thuộc phạm vi của chứng thư",
            category::name_vi(f.category)
        )));
    }
    let days = f.validity_days();
    if days > i64::from(c.scope.max_validity_days) {
        return Err(PermitError::OutOfScope(format!(
            "thời hạn {days} ngày vượt mức tối đa {} ngày",
            c.scope.max_validity_days
        )));
    }
    if f.valid_from < c.valid_from || f.valid_from > c.valid_to {
        return Err(PermitError::OutOfScope(format!(
            "ngày bắt đầu {} nằm ngoài thời hạn chứng thư ({} – {})",
            f.valid_from, c.valid_from, c.valid_to
        )));
    }
    Ok(())
}

fn signed_message(body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(CONTEXT.len() + body.len());
    m.extend_from_slice(CONTEXT);
    m.extend_from_slice(body);
    m
}

fn check_text(s: &str, field: &'static str, max: usize) -> Result<(), PermitError> {
    let len = s.chars().count();
    if len == 0 || s.trim().is_empty() {
        return Err(PermitError::EmptyText(field));
    }
    if len > max {
        return Err(PermitError::TextTooLong { field, len, max });
    }
    if !is_nfc(s) {
        return Err(PermitError::NotNfc(field));
    }
    Ok(())
}

fn put_text(
    out: &mut Vec<u8>,
    s: &str,
    field: &'static str,
    max: usize,
) -> Result<(), PermitError> {
    check_text(s, field, max)?;
    put_short_bytes(out, &text::encode(s), field)
}

fn read_text(r: &mut Reader<'_>, field: &'static str, max: usize) -> Result<String, PermitError> {
    let bytes = r.short_bytes(field)?;
    let s = text::decode(bytes).map_err(|_| PermitError::BadText(field))?;
    check_text(&s, field, max)?;
    Ok(s)
}

fn digits(s: &str, n: usize) -> Option<u64> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn put_id(out: &mut Vec<u8>, id: &HolderId) -> Result<(), PermitError> {
    let bad = || PermitError::BadIdNumber(id.number.clone());
    match id.kind {
        IdType::Cccd => {
            let v = digits(&id.number, 12).ok_or_else(bad)?;
            out.push(1);
            out.extend_from_slice(&v.to_be_bytes()[3..]);
        }
        IdType::Cmnd => {
            if let Some(v) = digits(&id.number, 9) {
                out.push(2);
                out.extend_from_slice(&(v as u32).to_be_bytes());
            } else {
                let v = digits(&id.number, 12).ok_or_else(bad)?;
                out.push(3);
                out.extend_from_slice(&v.to_be_bytes()[3..]);
            }
        }
        IdType::PassportVn => {
            let mut cs = id.number.chars();
            let letter = cs.next().filter(char::is_ascii_uppercase).ok_or_else(bad)?;
            let v = digits(cs.as_str(), 7).ok_or_else(bad)?;
            out.push(4);
            out.push(letter as u8);
            out.extend_from_slice(&(v as u32).to_be_bytes()[1..]);
        }
        IdType::Other => {
            out.push(5);
            put_text(out, &id.number, "id_number", MAX_OTHER_ID)?;
            let label = id
                .label
                .as_deref()
                .ok_or(PermitError::EmptyText("id_label"))?;
            put_text(out, label, "id_label", MAX_ID_LABEL)?;
        }
    }
    Ok(())
}

fn read_id(r: &mut Reader<'_>) -> Result<HolderId, PermitError> {
    let bad = || PermitError::BadField("id_number");
    let number_of = |v: u64, n: usize| -> Result<String, PermitError> {
        let s = format!("{v:0n$}");
        if s.len() == n {
            Ok(s)
        } else {
            Err(bad())
        }
    };
    let wide = |b: &[u8]| -> u64 { b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x)) };
    let kind = r.u8("id_type")?;
    let (kind, number, label) = match kind {
        1 => (
            IdType::Cccd,
            number_of(wide(r.take(5, "id_number")?), 12)?,
            None,
        ),
        2 => (
            IdType::Cmnd,
            number_of(u64::from(r.u32("id_number")?), 9)?,
            None,
        ),
        3 => (
            IdType::Cmnd,
            number_of(wide(r.take(5, "id_number")?), 12)?,
            None,
        ),
        4 => {
            let letter = r.u8("id_number")?;
            if !letter.is_ascii_uppercase() {
                return Err(bad());
            }
            let v = number_of(u64::from(r.u24("id_number")?), 7)?;
            (
                IdType::PassportVn,
                format!("{}{v}", char::from(letter)),
                None,
            )
        }
        5 => {
            let number = read_text(r, "id_number", MAX_OTHER_ID)?;
            let label = read_text(r, "id_label", MAX_ID_LABEL)?;
            (IdType::Other, number, Some(label))
        }
        _ => return Err(PermitError::BadField("id_type")),
    };
    Ok(HolderId {
        kind,
        number,
        label,
    })
}

fn check_hours(h: DailyHours) -> Result<(u8, u8), PermitError> {
    if !h.start.is_multiple_of(15) || !h.end.is_multiple_of(15) || h.start >= h.end || h.end > 1440
    {
        return Err(PermitError::BadField("daily_hours"));
    }
    Ok(((h.start / 15) as u8, (h.end / 15) as u8))
}

fn encode_fields(f: &PermitFields) -> Result<Vec<u8>, PermitError> {
    let mut flags = 0u8;
    if f.organization.is_some() {
        flags |= FLAG_ORGANIZATION;
    }
    if f.purpose.is_some() {
        flags |= FLAG_PURPOSE;
    }
    if f.daily_hours.is_some() {
        flags |= FLAG_HOURS;
    }
    if f.date_of_birth.is_some() {
        flags |= FLAG_BIRTH;
    }
    if f.category > 15 {
        return Err(PermitError::BadField("category"));
    }
    if f.valid_from > f.valid_to {
        return Err(PermitError::BadField("valid_to"));
    }
    let mut out = Vec::with_capacity(160);
    out.push(TOKEN_VERSION);
    out.push(flags);
    out.extend_from_slice(&f.sequence.to_be_bytes());
    out.push(f.category);
    out.extend_from_slice(&day_number(f.valid_from, VALIDITY_EPOCH, "valid_from")?.to_be_bytes());
    out.extend_from_slice(&day_number(f.valid_to, VALIDITY_EPOCH, "valid_to")?.to_be_bytes());
    if let Some(h) = f.daily_hours {
        let (a, b) = check_hours(h)?;
        out.extend_from_slice(&[a, b]);
    }
    if let Some(d) = f.date_of_birth {
        out.extend_from_slice(&day_number(d, BIRTH_EPOCH, "date_of_birth")?.to_be_bytes());
    }
    put_id(&mut out, &f.id)?;
    put_text(&mut out, &f.holder_name, "holder_name", MAX_NAME)?;
    if let Some(o) = &f.organization {
        put_text(&mut out, o, "organization", MAX_ORGANIZATION)?;
    }
    if let Some(p) = &f.purpose {
        put_text(&mut out, p, "purpose", MAX_PURPOSE)?;
    }
    put_text(&mut out, &f.area, "area", MAX_AREA)?;
    Ok(out)
}

fn decode_fields(r: &mut Reader<'_>) -> Result<PermitFields, PermitError> {
    let version = r.u8("version")?;
    if version != TOKEN_VERSION {
        return Err(PermitError::UnsupportedVersion(version));
    }
    let flags = r.u8("flags")?;
    if flags & !(FLAG_ORGANIZATION | FLAG_PURPOSE | FLAG_HOURS | FLAG_BIRTH) != 0 {
        return Err(PermitError::BadField("flags"));
    }
    let sequence = r.u32("serial")?;
    let category = r.u8("category")?;
    if category > 15 {
        return Err(PermitError::BadField("category"));
    }
    let valid_from = date_from_day(r.u16("valid_from")?, VALIDITY_EPOCH, "valid_from")?;
    let valid_to = date_from_day(r.u16("valid_to")?, VALIDITY_EPOCH, "valid_to")?;
    if valid_from > valid_to {
        return Err(PermitError::BadField("valid_to"));
    }
    let daily_hours = if flags & FLAG_HOURS != 0 {
        let [a, b] = r.array("daily_hours")?;
        let h = DailyHours {
            start: u16::from(a) * 15,
            end: u16::from(b) * 15,
        };
        check_hours(h)?;
        Some(h)
    } else {
        None
    };
    let date_of_birth = if flags & FLAG_BIRTH != 0 {
        Some(date_from_day(
            r.u16("date_of_birth")?,
            BIRTH_EPOCH,
            "date_of_birth",
        )?)
    } else {
        None
    };
    let id = read_id(r)?;
    let holder_name = read_text(r, "holder_name", MAX_NAME)?;
    let organization = if flags & FLAG_ORGANIZATION != 0 {
        Some(read_text(r, "organization", MAX_ORGANIZATION)?)
    } else {
        None
    };
    let purpose = if flags & FLAG_PURPOSE != 0 {
        Some(read_text(r, "purpose", MAX_PURPOSE)?)
    } else {
        None
    };
    let area = read_text(r, "area", MAX_AREA)?;
    Ok(PermitFields {
        sequence,
        holder_name,
        id,
        date_of_birth,
        organization,
        category,
        purpose,
        area,
        valid_from,
        valid_to,
        daily_hours,
    })
}

#[cfg(test)]
mod tests;
