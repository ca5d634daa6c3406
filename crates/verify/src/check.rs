//! token → verdict.

use crate::details::{CertificateSummary, HolderDetails};
use crate::verdict::Verdict;
use permit::revocation::{reason, Issuer, RevocationList};
use permit::{issuer_id, Token, VerifyingKey};
use serde::Serialize;
use time::{Duration, OffsetDateTime, UtcOffset};

/// Permit dates are Vietnam calendar days (UTC+7, no daylight saving).
pub const VIETNAM: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// A root the verifier trusts. Demo roots make every permit under them `demo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustAnchor {
    pub public_key: VerifyingKey,
    pub demo: bool,
}

impl TrustAnchor {
    pub fn production(public_key: VerifyingKey) -> TrustAnchor {
        TrustAnchor {
            public_key,
            demo: false,
        }
    }

    pub fn demo(public_key: VerifyingKey) -> TrustAnchor {
        TrustAnchor {
            public_key,
            demo: true,
        }
    }
}

/// The demo root shipped in assets/trust/, marked demo.
pub fn demo_anchor() -> TrustAnchor {
    TrustAnchor::demo(permit::roots::demo_root_public())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevocationStatus {
    /// The list's number and signing time.
    pub list_number: u32,
    pub list_issued_at: String,
    /// Seconds between the list's signing and the verification time.
    pub list_age_seconds: i64,
    /// Whether the list applies to this permit (same root; a ward's list only
    /// covers its own ward).
    pub applies: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub verdict: Verdict,
    /// The verdict's meaning, in Vietnamese, for the screen.
    pub message: String,
    /// Why, when there is more to say (which field is out of scope, the
    /// revocation reason, what could not be read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Holder details, only when the signatures check out: a forged token's
    /// text is never shown as if it meant something.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<HolderDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation: Option<RevocationStatus>,
    /// True when the permit has daily hours and `at` is outside them.
    pub outside_daily_hours: bool,
}

impl Verification {
    fn bare(verdict: Verdict, detail: Option<String>) -> Verification {
        Verification {
            verdict,
            message: verdict.message_vi().to_string(),
            detail,
            fields: None,
            certificate: None,
            revocation: None,
            outside_daily_hours: false,
        }
    }

    /// Age of the revocation list used, if one was given.
    pub fn revocation_list_age(&self) -> Option<Duration> {
        self.revocation
            .as_ref()
            .map(|r| Duration::seconds(r.list_age_seconds))
    }
}

/// Verifies a token's text (`GD1:…`) at time `at` against trusted roots and,
/// optionally, a revocation list (already verified when it was decoded).
/// Never panics; every input gets a verdict.
pub fn verify(
    token_text: &str,
    at: OffsetDateTime,
    roots: &[TrustAnchor],
    revocations: Option<&RevocationList>,
) -> Verification {
    let lists = revocations.map(std::slice::from_ref).unwrap_or(&[]);
    verify_with_lists(token_text, at, roots, lists)
}

/// Same as [`verify`], with any number of revocation lists (the city's and
/// wards'): the first that revokes the permit decides; otherwise the result
/// reports the youngest list that applies.
pub fn verify_with_lists(
    token_text: &str,
    at: OffsetDateTime,
    roots: &[TrustAnchor],
    revocations: &[RevocationList],
) -> Verification {
    match Token::from_text(token_text) {
        Ok(t) => verify_token(&t, at, roots, revocations),
        Err(e) => Verification::bare(Verdict::Malformed, Some(e.to_string())),
    }
}

/// Same as [`verify_with_lists`], for a token already decoded.
pub fn verify_token(
    token: &Token,
    at: OffsetDateTime,
    roots: &[TrustAnchor],
    revocations: &[RevocationList],
) -> Verification {
    let cert = token.certificate();
    let Some(anchor) = roots
        .iter()
        .find(|r| issuer_id(&r.public_key) == cert.issuer_id())
    else {
        return Verification::bare(
            Verdict::UnknownIssuer,
            Some(format!(
                "chứng thư do khóa gốc {} ký, không có trong danh sách tin cậy",
                hex(&cert.issuer_id())
            )),
        );
    };
    if cert.verify_with(&anchor.public_key).is_err() {
        return Verification::bare(
            Verdict::BadSignature,
            Some("chứng thư máy trạm bị sửa (chữ ký của khóa gốc không khớp)".into()),
        );
    }
    if token.verify_signature().is_err() {
        return Verification::bare(
            Verdict::BadSignature,
            Some("nội dung giấy bị sửa (chữ ký của máy trạm không khớp)".into()),
        );
    }

    let fields = HolderDetails::of(token);
    let mut v = Verification {
        verdict: Verdict::Valid,
        message: String::new(),
        detail: None,
        fields: Some(fields),
        certificate: Some(CertificateSummary::of(cert, anchor.demo)),
        revocation: None,
        outside_daily_hours: false,
    };
    let (verdict, detail) = decide(token, at, anchor, revocations, &mut v);
    v.verdict = verdict;
    v.message = verdict.message_vi().to_string();
    v.detail = detail;
    v
}

fn decide(
    token: &Token,
    at: OffsetDateTime,
    anchor: &TrustAnchor,
    revocations: &[RevocationList],
    v: &mut Verification,
) -> (Verdict, Option<String>) {
    let cert = token.certificate();
    let c = cert.fields();
    let f = token.fields();

    let mut newest: Option<RevocationStatus> = None;
    for list in revocations {
        let applies = list.root_issuer_id() == cert.issuer_id()
            && match list.issuer() {
                Issuer::Root { .. } => true,
                Issuer::Workstation(ws) => ws.fields().ward_code == c.ward_code,
            };
        let mut status = RevocationStatus {
            list_number: list.content().number,
            list_issued_at: rfc3339(list.issued_at()),
            list_age_seconds: (at - list.issued_at()).whole_seconds(),
            applies,
            reason_code: None,
            reason: None,
        };
        let hit = if applies {
            list.key(&cert.key_id())
                .map(|k| ("khóa ký của máy trạm đã bị thu hồi", &k.reason))
                .or_else(|| {
                    list.permit(&token.serial())
                        .map(|p| ("giấy đã bị thu hồi", &p.reason))
                })
        } else {
            None
        };
        if let Some((what, reason)) = hit {
            status.reason_code = Some(reason.code);
            status.reason = Some(if reason.text.is_empty() {
                reason::name_vi(reason.code).to_string()
            } else {
                reason.text.clone()
            });
            let detail = format!(
                "{what}: {} (danh sách số {}, ký lúc {})",
                status.reason.as_deref().unwrap_or(""),
                status.list_number,
                status.list_issued_at
            );
            v.revocation = Some(status);
            return (Verdict::Revoked, Some(detail));
        }
        // Report the youngest list that applies (else any list given).
        let better = match &newest {
            None => true,
            Some(n) => {
                (status.applies, -status.list_age_seconds) > (n.applies, -n.list_age_seconds)
            }
        };
        if better {
            newest = Some(status);
        }
    }
    v.revocation = newest;

    if !c.scope.categories.contains(f.category) {
        return (
            Verdict::OutOfScope,
            Some(format!(
                "máy trạm không được cấp loại \"{}\"",
                permit::category::name_vi(f.category)
            )),
        );
    }
    let days = f.validity_days();
    if days > i64::from(c.scope.max_validity_days) {
        return (
            Verdict::OutOfScope,
            Some(format!(
                "thời hạn {days} ngày vượt mức tối đa {} ngày",
                c.scope.max_validity_days
            )),
        );
    }
    if f.valid_from < c.valid_from || f.valid_from > c.valid_to {
        return (
            Verdict::OutOfScope,
            Some(format!(
                "ngày bắt đầu {} nằm ngoài thời hạn chứng thư máy trạm ({} – {})",
                f.valid_from, c.valid_from, c.valid_to
            )),
        );
    }

    let local = at.to_offset(VIETNAM);
    let today = local.date();
    if today < f.valid_from {
        return (
            Verdict::NotYetValid,
            Some(format!("có hiệu lực từ ngày {}", f.valid_from)),
        );
    }
    if today > f.valid_to {
        return (
            Verdict::Expired,
            Some(format!("hết hạn sau ngày {}", f.valid_to)),
        );
    }
    let mut detail = None;
    if let Some(h) = f.daily_hours {
        let minute = u16::from(local.hour()) * 60 + u16::from(local.minute());
        if minute < h.start || minute >= h.end {
            v.outside_daily_hours = true;
            detail = Some(format!("ngoài khung giờ được phép ({h})"));
        }
    }
    if anchor.demo {
        (Verdict::Demo, detail)
    } else {
        (Verdict::Valid, detail)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}
