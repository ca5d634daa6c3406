use super::*;
use permit::revocation::reason as why;
use permit::{
    samples, CategorySet, Certificate, CertificateFields, PermitFields, Scope, SigningKey, Token,
};
use proptest::prelude::*;
use time::macros::{date, datetime};
use time::OffsetDateTime;

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn cert_with(ws: &SigningKey, root: &SigningKey, categories: CategorySet) -> Certificate {
    Certificate::sign(
        CertificateFields {
            ward_code: 4,
            dataset: "2025-07".parse().unwrap(),
            workstation: 1,
            public_key: ws.verifying_key(),
            valid_from: date!(2026 - 01 - 01),
            valid_to: date!(2026 - 12 - 31),
            scope: Scope {
                categories,
                max_validity_days: 30,
            },
        },
        root,
    )
    .unwrap()
}

fn stamp(f: &PermitFields, root: &SigningKey) -> String {
    let ws = key(2);
    // Unchecked: some tests need tokens the certificate does not allow.
    Token::sign_unchecked(f, &cert_with(&ws, root, CategorySet::ALL), &ws)
        .unwrap()
        .to_text()
}

fn roots() -> Vec<TrustAnchor> {
    vec![
        TrustAnchor::production(key(1).verifying_key()),
        TrustAnchor::demo(key(7).verifying_key()),
    ]
}

const AT: OffsetDateTime = datetime!(2026-11-25 09:00 +7);

#[test]
fn valid_and_demo() {
    let v = verify(&stamp(&samples::typical(), &key(1)), AT, &roots(), None);
    assert_eq!(v.verdict, Verdict::Valid, "{v:?}");
    let f = v.fields.unwrap();
    assert_eq!(f.holder_name, "Nguyễn Thị Minh Khai");
    assert_eq!(f.serial, "00004-01-123456");
    assert_eq!(f.valid_to, "2026-12-19");
    assert!(v.revocation.is_none());
    let v = verify(&stamp(&samples::typical(), &key(7)), AT, &roots(), None);
    assert_eq!(v.verdict, Verdict::Demo);
    assert!(v.certificate.unwrap().demo);
}

#[test]
fn vietnam_calendar_days() {
    let t = stamp(&samples::typical(), &key(1)); // 2026-11-20 .. 2026-12-19
    let check = |at| verify(&t, at, &roots(), None).verdict;
    assert_eq!(
        check(datetime!(2026-11-19 16:59:59 UTC)),
        Verdict::NotYetValid
    );
    assert_eq!(check(datetime!(2026-11-19 17:00 UTC)), Verdict::Valid);
    assert_eq!(check(datetime!(2026-12-19 16:59:59 UTC)), Verdict::Valid);
    assert_eq!(check(datetime!(2026-12-19 17:00 UTC)), Verdict::Expired);
}

#[test]
fn daily_hours_are_flagged_not_refused() {
    let t = stamp(&samples::typical(), &key(1)); // 06:00-18:00
    let v = verify(&t, datetime!(2026-11-25 19:30 +7), &roots(), None);
    assert_eq!(v.verdict, Verdict::Valid);
    assert!(v.outside_daily_hours);
    assert!(!verify(&t, AT, &roots(), None).outside_daily_hours);
}

#[test]
fn unknown_root_and_tampering() {
    let t = stamp(&samples::typical(), &key(9));
    let v = verify(&t, AT, &roots(), None);
    assert_eq!(v.verdict, Verdict::UnknownIssuer);
    assert!(v.fields.is_none());

    let ws = key(2);
    let token = Token::sign(
        &samples::typical(),
        &cert_with(&ws, &key(1), CategorySet::ALL),
        &ws,
    )
    .unwrap();
    let mut b = token.to_bytes().to_vec();
    b[3] ^= 1; // sequence
    let t = format!("GD1:{}", base45_of(&b));
    assert_eq!(
        verify(&t, AT, &roots(), None).verdict,
        Verdict::BadSignature
    );
    let mut b = token.to_bytes().to_vec();
    let cert_at = b.len() - 64 - permit::CERT_LEN;
    b[cert_at + 50] ^= 0xff; // max validity days
    let t = format!("GD1:{}", base45_of(&b));
    let v = verify(&t, AT, &roots(), None);
    assert_eq!(v.verdict, Verdict::BadSignature);
    assert!(v.fields.is_none());
}

fn base45_of(bytes: &[u8]) -> String {
    encode45(bytes)
}

#[test]
fn out_of_scope() {
    let ws = key(2);
    let narrow = cert_with(&ws, &key(1), CategorySet::of(&[permit::category::HEALTH]));
    let t = Token::sign_unchecked(&samples::typical(), &narrow, &ws)
        .unwrap()
        .to_text();
    assert_eq!(verify(&t, AT, &roots(), None).verdict, Verdict::OutOfScope);

    let mut long = samples::typical();
    long.valid_to = long.valid_from + time::Duration::days(30); // 31 days > 30
    let v = verify(&stamp(&long, &key(1)), AT, &roots(), None);
    assert_eq!(v.verdict, Verdict::OutOfScope);

    let mut late = samples::typical();
    late.valid_from = date!(2027 - 01 - 02);
    late.valid_to = date!(2027 - 01 - 10);
    let v = verify(&stamp(&late, &key(1)), AT, &roots(), None);
    assert_eq!(v.verdict, Verdict::OutOfScope);
}

fn list(root: &SigningKey, serial: &str, keys: Vec<RevokedKey>) -> RevocationList {
    RevocationList::sign_by_root(
        RevocationContent {
            number: 3,
            issued_at: datetime!(2026-11-24 09:00 +7),
            permits: vec![RevokedPermit {
                serial: serial.parse().unwrap(),
                reason: Reason {
                    code: why::LEFT_ORGANIZATION,
                    text: String::new(),
                },
            }],
            keys,
        },
        root,
    )
    .unwrap()
}

#[test]
fn revocation() {
    let t = stamp(&samples::typical(), &key(1));
    let l = list(&key(1), "00004-01-123456", vec![]);
    let v = verify(&t, AT, &roots(), Some(&l));
    assert_eq!(v.verdict, Verdict::Revoked);
    let r = v.revocation.clone().unwrap();
    assert_eq!(r.list_age_seconds, 24 * 3600);
    assert_eq!(v.revocation_list_age(), Some(time::Duration::DAY));
    assert_eq!(r.reason.as_deref(), Some("Người được cấp đã nghỉ việc"));

    // Another serial: valid, and the list's age is still reported.
    let l = list(&key(1), "00004-01-123457", vec![]);
    let v = verify(&t, AT, &roots(), Some(&l));
    assert_eq!(v.verdict, Verdict::Valid);
    assert_eq!(v.revocation.unwrap().list_age_seconds, 24 * 3600);

    // The key revoked: every permit it signed is revoked.
    let ws_id = permit::KeyId::of(&key(2).verifying_key());
    let l = list(
        &key(1),
        "00004-01-000001",
        vec![RevokedKey {
            key_id: ws_id,
            reason: Reason {
                code: why::KEY_COMPROMISED,
                text: "Máy trạm bị mất cắp".into(),
            },
        }],
    );
    let v = verify(&t, AT, &roots(), Some(&l));
    assert_eq!(v.verdict, Verdict::Revoked);

    // Several lists: the city's old one and a newer one that revokes it.
    let old = list(&key(1), "00004-01-000009", vec![]);
    let mut newer_content = l.content().clone();
    newer_content.number = 4;
    newer_content.issued_at = datetime!(2026-11-25 08:00 +7);
    let newer = RevocationList::sign_by_root(newer_content, &key(1)).unwrap();
    let v = verify_with_lists(&t, AT, &roots(), &[old.clone(), newer]);
    assert_eq!(v.verdict, Verdict::Revoked);
    assert_eq!(v.revocation.unwrap().list_number, 4);
    let young = list(&key(1), "00004-01-000010", vec![]);
    let mut young_content = young.content().clone();
    young_content.number = 9;
    young_content.issued_at = datetime!(2026-11-25 08:30 +7);
    let young = RevocationList::sign_by_root(young_content, &key(1)).unwrap();
    let v = verify_with_lists(&t, AT, &roots(), &[old, young]);
    assert_eq!(v.verdict, Verdict::Valid);
    let r = v.revocation.unwrap();
    assert_eq!((r.list_number, r.list_age_seconds), (9, 30 * 60));

    // A list from another root (the demo one) does not touch production permits.
    let l = list(&key(7), "00004-01-123456", vec![]);
    let v = verify(&t, AT, &roots(), Some(&l));
    assert_eq!(v.verdict, Verdict::Valid);
    assert!(!v.revocation.unwrap().applies);
}

#[test]
fn verdict_names() {
    for v in Verdict::ALL {
        assert_eq!(Verdict::parse(v.as_str()), Some(v));
        assert_eq!(
            serde_json::to_value(v).unwrap(),
            serde_json::Value::String(v.as_str().into())
        );
    }
    assert!(Verdict::Demo.is_accepted() && !Verdict::Revoked.is_accepted());
}

proptest! {
    #[test]
    fn any_text_gets_a_verdict(s in ".{0,600}") {
        let v = verify(&s, AT, &roots(), None);
        prop_assert_eq!(v.verdict, Verdict::Malformed);
    }

    #[test]
    fn any_base45_gets_a_verdict(bytes in prop::collection::vec(any::<u8>(), 0..500)) {
        let text = format!("GD1:{}", encode45(&bytes));
        let _ = verify(&text, AT, &roots(), None);
    }

    #[test]
    fn mutated_tokens_never_verify_as_valid(pos in 0usize..400, bit in 0u8..8) {
        let ws = key(2);
        let token = Token::sign(&samples::typical(), &cert_with(&ws, &key(1), CategorySet::ALL), &ws).unwrap();
        let mut b = token.to_bytes().to_vec();
        let i = pos % b.len();
        b[i] ^= 1 << bit;
        let text = format!("GD1:{}", encode45(&b));
        let v = verify(&text, AT, &roots(), None);
        prop_assert!(!v.verdict.is_accepted(), "byte {} bit {}: {:?}", i, bit, v.verdict);
    }
}

/// Minimal Base45 (RFC 9285) for the tests, independent of the encoder under test.
fn encode45(bytes: &[u8]) -> String {
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
