//! The activation request a workstation sends to the city by email: who it is
//! (ward, administrative-unit dataset, workstation number), its public key,
//! when, and where to answer. The city's tool turns it into an install key.
//!
//! The request is self-signed with the workstation key over a domain-separated
//! message, so a garbled paste is detected and possession of the private key is
//! proven. It does NOT prove that the ward sent it: the city administrator
//! confirms the fingerprint with the ward by phone (docs/keys.md).
//!
//! Binary layout, version 1 (integers big-endian; `str8` = u8 length + UTF-8):
//!
//! ```text
//! "GDDA" | version=1 | ward_code str8 | dataset str8 | ward_name str8 (NFC)
//! | workstation u8 | public_key[32] | created i64 (Unix s) | n u8 | n × email str8
//! | signature[64] = Ed25519(key, "GDD activation request v1\0" || everything before)
//! ```

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use time::{OffsetDateTime, UtcOffset};

use crate::armor::{self, ArmorError};
use crate::codec::{put_bytes8, Reader, Truncated};
use crate::error::RequestError;
use crate::fingerprint::Fingerprint;

/// Label of the armored block.
pub const REQUEST_ARMOR_LABEL: &str = "GDD ACTIVATION REQUEST";
/// Most contact emails in one request (a ward has three Gmail accounts).
pub const MAX_EMAILS: usize = 5;
/// Longest ward name, in characters.
pub const MAX_WARD_NAME_CHARS: usize = 100;

const MAGIC: &[u8; 4] = b"GDDA";
const VERSION: u8 = 1;
/// Prefix of the signed message: the workstation key also signs permits, and a
/// request signature must never be mistaken for any other signature.
const SIGNING_CONTEXT: &[u8] = b"GDD activation request v1\0";
const SIGNATURE_LEN: usize = 64;
/// Largest text read: a request is about 500 bytes plus whatever mail around it.
const MAX_TEXT_BYTES: usize = 256 * 1024;

/// What a workstation asks the city to certify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationRequest {
    /// 5-digit code from the administrative-unit dataset.
    pub ward_code: String,
    /// Ward name, NFC Vietnamese ("Phường Ba Đình").
    pub ward_name: String,
    /// Administrative-unit dataset version, `YYYY-MM`: codes were reused.
    pub dataset: String,
    /// 1–99.
    pub workstation: u8,
    /// The workstation's own signing key (public half).
    pub public_key: VerifyingKey,
    /// When the request was made (whole seconds).
    pub created_at: OffsetDateTime,
    /// Where the city sends the install key; lowercase.
    pub contact_emails: Vec<String>,
}

impl ActivationRequest {
    /// Tidy what people type: NFC and single spaces in the name, trimmed codes,
    /// lowercase emails, time in whole seconds UTC.
    pub fn normalize(&mut self) {
        self.ward_code = self.ward_code.trim().to_string();
        self.dataset = self.dataset.trim().to_string();
        self.ward_name = vntext::clean(&self.ward_name);
        for e in &mut self.contact_emails {
            *e = e.trim().to_lowercase();
        }
        self.created_at = self
            .created_at
            .to_offset(UtcOffset::UTC)
            .replace_nanosecond(0)
            .unwrap_or(self.created_at);
    }

    /// Check every field is valid and already normalized.
    pub fn validate(&self) -> Result<(), RequestError> {
        let code = &self.ward_code;
        if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RequestError::InvalidWardCode(code.clone()));
        }
        if !valid_dataset(&self.dataset) {
            return Err(RequestError::InvalidDataset(self.dataset.clone()));
        }
        let name = &self.ward_name;
        if name.is_empty()
            || *name != vntext::clean(name)
            || name.chars().count() > MAX_WARD_NAME_CHARS
            || name.len() > u8::MAX as usize
            || name.chars().any(char::is_control)
        {
            return Err(RequestError::InvalidWardName(name.clone()));
        }
        if !(1..=99).contains(&self.workstation) {
            return Err(RequestError::InvalidWorkstation(self.workstation));
        }
        match self.contact_emails.len() {
            0 => return Err(RequestError::NoEmail),
            n if n > MAX_EMAILS => {
                return Err(RequestError::TooManyEmails {
                    count: n,
                    max: MAX_EMAILS,
                })
            }
            _ => {}
        }
        for (i, e) in self.contact_emails.iter().enumerate() {
            if !valid_email(e) {
                return Err(RequestError::InvalidEmail(e.clone()));
            }
            if self.contact_emails[..i].contains(e) {
                return Err(RequestError::DuplicateEmail(e.clone()));
            }
        }
        if self.created_at.offset() != UtcOffset::UTC || self.created_at.nanosecond() != 0 {
            return Err(RequestError::Malformed(
                "thời điểm lập phải tính bằng giây, giờ UTC".to_string(),
            ));
        }
        Ok(())
    }

    /// Normalize, validate and sign with the workstation key, which must be
    /// the key named in the request.
    pub fn sign(&self, key: &SigningKey) -> Result<SignedActivationRequest, RequestError> {
        let mut request = self.clone();
        request.normalize();
        request.validate()?;
        if key.verifying_key() != request.public_key {
            return Err(RequestError::KeyMismatch);
        }
        let body = encode_body(&request);
        let signature = key.sign(&signed_message(&body));
        Ok(SignedActivationRequest {
            request,
            body,
            signature,
        })
    }

    /// Short description for people, in Vietnamese (one line per field).
    pub fn describe(&self) -> String {
        let local = self
            .created_at
            .to_offset(UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC));
        format!(
            "Đơn vị: {} (mã {}, danh mục đơn vị hành chính {})\n\
             Máy trạm số: {}\n\
             Dấu vân tay khóa: {}\n\
             Thời điểm lập: {:02}/{:02}/{} {:02}:{:02}:{:02} (giờ Việt Nam)\n\
             Email liên hệ: {}\n",
            self.ward_name,
            self.ward_code,
            self.dataset,
            self.workstation,
            Fingerprint::of(&self.public_key),
            local.day(),
            u8::from(local.month()),
            local.year(),
            local.hour(),
            local.minute(),
            local.second(),
            self.contact_emails.join(", "),
        )
    }
}

/// A request with the workstation's signature, as sent and as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedActivationRequest {
    request: ActivationRequest,
    body: Vec<u8>,
    signature: Signature,
}

impl SignedActivationRequest {
    /// The request; when decoded, its signature has been checked.
    pub fn request(&self) -> &ActivationRequest {
        &self.request
    }

    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(&self.request.public_key)
    }

    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Binary form: the encoded request followed by its signature.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.body.clone();
        out.extend_from_slice(&self.signature.to_bytes());
        out
    }

    /// Read the binary form and check the signature.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RequestError> {
        let body_len = bytes
            .len()
            .checked_sub(SIGNATURE_LEN)
            .ok_or_else(|| malformed(Truncated))?;
        let (body, sig) = bytes.split_at(body_len);
        let request = decode_body(body)?;
        let sig: [u8; SIGNATURE_LEN] = sig.try_into().map_err(|_| malformed(Truncated))?;
        let signature = Signature::from_bytes(&sig);
        request
            .public_key
            .verify_strict(&signed_message(body), &signature)
            .map_err(|_| RequestError::BadSignature)?;
        // Only now is the content trusted enough to judge its fields.
        request
            .validate()
            .map_err(|e| RequestError::Malformed(e.to_string()))?;
        Ok(SignedActivationRequest {
            request,
            body: body.to_vec(),
            signature,
        })
    }

    /// Just the armored block.
    pub fn armored(&self) -> String {
        armor::encode(REQUEST_ARMOR_LABEL, &[], &self.to_bytes())
    }

    /// The email body / file: a human-readable preamble (not trusted by the
    /// reader) above the armored block.
    pub fn to_text(&self) -> String {
        format!(
            "YÊU CẦU KÍCH HOẠT MÁY TRẠM — phần mềm cấp giấy đi đường có nhận diện\n\
             \n\
             {}\n\
             Gửi quản trị hệ thống thành phố: dán nguyên văn thư này vào công cụ cấp khóa cài đặt.\n\
             Các dòng trên chỉ để đọc; công cụ chỉ tin khối dưới đây, có chữ ký của máy trạm.\n\
             Trước khi cấp khóa, gọi điện cho phường để đối chiếu dấu vân tay khóa.\n\
             \n\
             {}",
            self.request.describe(),
            self.armored()
        )
    }

    /// Find the armored block in `text` (an email body, a file, a paste — with
    /// quoting, CRLF, re-wrapping), decode it and check its signature. The same
    /// block quoted twice counts once; two different blocks are refused
    /// (`request.multiple`) rather than one being silently ignored — use
    /// [`Self::all_from_text`] for an email carrying several requests.
    pub fn from_text(text: &str) -> Result<Self, RequestError> {
        let all = Self::all_from_text(text);
        let mut distinct: Vec<Result<Self, RequestError>> = Vec::new();
        for r in all {
            if !distinct.contains(&r) {
                distinct.push(r);
            }
        }
        match distinct.len() {
            0 => Err(RequestError::NotFound),
            1 => distinct.pop().unwrap_or(Err(RequestError::NotFound)),
            n => Err(RequestError::Multiple(n)),
        }
    }

    /// Every request block in `text`, in order, each verified or with its error.
    /// Empty if there is none.
    pub fn all_from_text(text: &str) -> Vec<Result<Self, RequestError>> {
        if text.len() > MAX_TEXT_BYTES {
            return vec![Err(RequestError::Malformed(format!(
                "văn bản quá lớn ({} byte)",
                text.len()
            )))];
        }
        armor::decode_all(text, REQUEST_ARMOR_LABEL)
            .into_iter()
            .map(|block| {
                let armored = block.map_err(|e| match e {
                    ArmorError::NoBegin => RequestError::NotFound,
                    ArmorError::NoEnd | ArmorError::Empty => {
                        RequestError::Incomplete(e.to_string())
                    }
                    ArmorError::BadHeader { .. } | ArmorError::BadBase64 { .. } => {
                        RequestError::Garbled(e.to_string())
                    }
                })?;
                if !armored.headers.is_empty() {
                    return Err(RequestError::Garbled(
                        "có dòng tiêu đề lạ trong khối".to_string(),
                    ));
                }
                Self::from_bytes(&armored.data)
            })
            .collect()
    }
}

fn signed_message(body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(SIGNING_CONTEXT.len() + body.len());
    m.extend_from_slice(SIGNING_CONTEXT);
    m.extend_from_slice(body);
    m
}

fn encode_body(r: &ActivationRequest) -> Vec<u8> {
    let mut out = Vec::with_capacity(160);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    put_bytes8(&mut out, r.ward_code.as_bytes());
    put_bytes8(&mut out, r.dataset.as_bytes());
    put_bytes8(&mut out, r.ward_name.as_bytes());
    out.push(r.workstation);
    out.extend_from_slice(r.public_key.as_bytes());
    out.extend_from_slice(&r.created_at.unix_timestamp().to_be_bytes());
    out.push(r.contact_emails.len().min(u8::MAX as usize) as u8);
    for e in &r.contact_emails {
        put_bytes8(&mut out, e.as_bytes());
    }
    out
}

fn malformed(_: Truncated) -> RequestError {
    RequestError::Malformed("dữ liệu bị cắt cụt".to_string())
}

fn text_field(r: &mut Reader<'_>, what: &str) -> Result<String, RequestError> {
    let bytes = r.bytes8().map_err(malformed)?;
    String::from_utf8(bytes.to_vec())
        .map_err(|_| RequestError::Malformed(format!("{what} không phải UTF-8")))
}

fn decode_body(body: &[u8]) -> Result<ActivationRequest, RequestError> {
    let mut r = Reader::new(body);
    if r.take(MAGIC.len()).map_err(malformed)? != MAGIC {
        return Err(RequestError::Malformed(
            "không phải yêu cầu kích hoạt của phần mềm này".to_string(),
        ));
    }
    let version = r.u8().map_err(malformed)?;
    if version != VERSION {
        return Err(RequestError::Unsupported(version));
    }
    let ward_code = text_field(&mut r, "mã phường")?;
    let dataset = text_field(&mut r, "phiên bản danh mục")?;
    let ward_name = text_field(&mut r, "tên phường")?;
    let workstation = r.u8().map_err(malformed)?;
    let public_key = VerifyingKey::from_bytes(&r.array().map_err(malformed)?)
        .map_err(|_| RequestError::Malformed("khóa công khai không hợp lệ".to_string()))?;
    let created_at = OffsetDateTime::from_unix_timestamp(r.i64().map_err(malformed)?)
        .map_err(|_| RequestError::Malformed("thời điểm lập không hợp lệ".to_string()))?;
    let n = r.u8().map_err(malformed)?;
    let contact_emails = (0..n)
        .map(|_| text_field(&mut r, "email"))
        .collect::<Result<Vec<_>, _>>()?;
    if r.remaining() != 0 {
        return Err(RequestError::Malformed("thừa dữ liệu ở cuối".to_string()));
    }
    Ok(ActivationRequest {
        ward_code,
        ward_name,
        dataset,
        workstation,
        public_key,
        created_at,
        contact_emails,
    })
}

fn valid_dataset(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_digit)
        && matches!(d[5..].parse::<u8>(), Ok(1..=12))
}

/// A practical check, not RFC 5322: lowercase ASCII `local@domain.tld`, the
/// forms Gmail and government mail use.
fn valid_email(e: &str) -> bool {
    if e.len() > 254 || e != e.to_lowercase() {
        return false;
    }
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._+-".contains(&c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
        });
    local_ok && domain_ok
}

#[cfg(test)]
mod tests;
