use super::*;
use crate::cert::{CategorySet, CertificateFields, Scope};
use crate::samples;
use proptest::prelude::*;
use time::macros::date;

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn cert(ws: &SigningKey) -> Certificate {
    Certificate::sign(
        CertificateFields {
            ward_code: 9_616,
            dataset: "2025-07".parse().unwrap(),
            workstation: 2,
            public_key: ws.verifying_key(),
            valid_from: date!(2026 - 01 - 01),
            valid_to: date!(2027 - 12 - 31),
            scope: Scope {
                categories: CategorySet::ALL,
                max_validity_days: 60,
            },
        },
        &key(1),
    )
    .unwrap()
}

#[test]
fn samples_round_trip_and_verify() {
    let ws = key(2);
    let c = cert(&ws);
    for f in [samples::short(), samples::typical(), samples::longest()] {
        let t = Token::sign(&f, &c, &ws).unwrap();
        let text = t.to_text();
        assert!(text.starts_with("GD1:"));
        let back = Token::from_text(&text).unwrap();
        assert_eq!(back.fields(), &f);
        assert_eq!(back.certificate(), &c);
        assert_eq!(back.verify_signature(), Ok(()));
        assert_eq!(back, t);
    }
}

#[cfg(feature = "qr")]
#[test]
fn qr_versions_meet_the_targets() {
    use crate::qr::{version_for, Level};
    let ws = key(2);
    let c = cert(&ws);
    let v = |f: PermitFields, l: Level| {
        version_for(&Token::sign(&f, &c, &ws).unwrap().to_text(), l).unwrap()
    };
    assert!(
        v(samples::typical(), Level::Q) <= 15,
        "typical {}",
        v(samples::typical(), Level::Q)
    );
    assert!(
        v(samples::longest(), Level::Q) <= 18,
        "longest {}",
        v(samples::longest(), Level::Q)
    );
    assert!(v(samples::short(), Level::Q) <= v(samples::typical(), Level::Q));
}

#[test]
fn pasted_text_with_line_ends_decodes() {
    let ws = key(2);
    let t = Token::sign(&samples::short(), &cert(&ws), &ws).unwrap();
    assert_eq!(
        Token::from_text(&format!("  {}\r\n", t.to_text())).unwrap(),
        t
    );
    assert_eq!(
        Token::from_text(&t.to_text()[1..]).unwrap_err().code(),
        "format.bad_prefix"
    );
}

#[test]
fn signing_respects_the_certificate_scope() {
    let ws = key(2);
    let c = cert(&ws); // all categories, at most 60 days, 2026-01-01..2027-12-31
    let mut f = samples::typical();
    f.valid_to = f.valid_from + time::Duration::days(60);
    assert_eq!(
        Token::sign(&f, &c, &ws).unwrap_err().code(),
        "permit.out_of_scope"
    );
    f.valid_to = f.valid_from + time::Duration::days(59);
    assert!(Token::sign(&f, &c, &ws).is_ok());
    let mut f = samples::typical();
    f.valid_from = date!(2028 - 01 - 01);
    f.valid_to = date!(2028 - 01 - 05);
    assert_eq!(
        Token::sign(&f, &c, &ws).unwrap_err().code(),
        "permit.out_of_scope"
    );
    let narrow = Certificate::sign(
        CertificateFields {
            scope: Scope {
                categories: CategorySet::of(&[category::HEALTH]),
                max_validity_days: 60,
            },
            ..c.fields().clone()
        },
        &key(1),
    )
    .unwrap();
    assert_eq!(
        Token::sign(&samples::typical(), &narrow, &ws)
            .unwrap_err()
            .code(),
        "permit.out_of_scope"
    );
    assert!(Token::sign_unchecked(&samples::typical(), &narrow, &ws).is_ok());
}

#[test]
fn signing_key_must_match_certificate() {
    let c = cert(&key(2));
    assert_eq!(
        Token::sign(&samples::short(), &c, &key(3)),
        Err(PermitError::WrongIssuer)
    );
}

#[test]
fn field_rules_on_encode() {
    let ws = key(2);
    let c = cert(&ws);
    let mut f = samples::short();
    f.holder_name = "x".repeat(51);
    assert_eq!(
        Token::sign(&f, &c, &ws).unwrap_err().code(),
        "format.text_too_long"
    );
    let mut f = samples::short();
    f.holder_name = "Nguye\u{302}\u{303}n".into();
    assert_eq!(
        Token::sign(&f, &c, &ws).unwrap_err().code(),
        "format.not_nfc"
    );
    let mut f = samples::short();
    f.id.number = "00109001234".into();
    assert_eq!(
        Token::sign(&f, &c, &ws).unwrap_err().code(),
        "format.bad_id_number"
    );
    let mut f = samples::short();
    f.valid_to = date!(2020 - 01 - 01);
    assert!(Token::sign(&f, &c, &ws).is_err());
    let mut f = samples::short();
    f.daily_hours = Some(DailyHours { start: 7, end: 600 });
    assert!(Token::sign(&f, &c, &ws).is_err());
}

#[test]
fn every_id_type_round_trips() {
    let ws = key(2);
    let c = cert(&ws);
    for (kind, number, label) in [
        (IdType::Cccd, "000000000001", None),
        (IdType::Cmnd, "012345678", None),
        (IdType::Cmnd, "012345678901", None),
        (IdType::PassportVn, "B0000001", None),
        (IdType::Other, "M12345678", Some("Hộ chiếu Hàn Quốc")),
    ] {
        let mut f = samples::short();
        f.id = HolderId {
            kind,
            number: number.into(),
            label: label.map(Into::into),
        };
        let t = Token::sign(&f, &c, &ws).unwrap();
        assert_eq!(Token::from_bytes(t.to_bytes()).unwrap().fields().id, f.id);
    }
}

#[test]
fn serial_text() {
    let s = Serial {
        ward_code: 4,
        workstation: 1,
        sequence: 42,
    };
    assert_eq!(s.to_string(), "00004-01-000042");
    assert_eq!("00004-01-000042".parse::<Serial>(), Ok(s));
    assert!("00004-01".parse::<Serial>().is_err());
    assert!("0000a-01-1".parse::<Serial>().is_err());
}

#[test]
fn tampered_bytes_never_verify() {
    let ws = key(2);
    let t = Token::sign(&samples::typical(), &cert(&ws), &ws).unwrap();
    let bytes = t.to_bytes().to_vec();
    for i in (0..bytes.len() * 8).step_by(3) {
        let mut b = bytes.clone();
        b[i / 8] ^= 1 << (i % 8);
        if let Ok(t2) = Token::from_bytes(&b) {
            // A flipped certificate bit may keep the token signature valid only
            // if the certificate's own root signature then fails (verifier's job).
            let token_ok = t2.verify_signature().is_ok();
            let cert_ok = t2
                .certificate()
                .verify_with(&key(1).verifying_key())
                .is_ok();
            assert!(!(token_ok && cert_ok), "bit {i} went unnoticed");
        }
    }
}

fn text_field(max: usize) -> impl Strategy<Value = String> {
    prop::string::string_regex(&format!(
        "[a-zA-Z Đđàáảãạăắằẳẵặâấầẩẫậêếềểễệôốồổỗộơớờởỡợưứừửữựýỳỷỹỵ,.0-9]{{1,{max}}}"
    ))
    .unwrap()
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

proptest! {
    #[test]
    fn arbitrary_fields_round_trip(
        name in text_field(MAX_NAME),
        org in prop::option::of(text_field(MAX_ORGANIZATION)),
        area in text_field(MAX_AREA),
        seq in any::<u32>(),
        cat in 0u8..16,
        from in 0u16..20000,
        len in 0u16..400,
        dob in prop::option::of(0u16..60000),
    ) {
        let ws = key(2);
        let c = cert(&ws);
        let mut f = samples::typical();
        f.holder_name = name;
        f.organization = org;
        f.area = area;
        f.sequence = seq;
        f.category = cat;
        f.valid_from = VALIDITY_EPOCH + time::Duration::days(i64::from(from));
        f.valid_to = f.valid_from + time::Duration::days(i64::from(len));
        f.date_of_birth = dob.map(|d| BIRTH_EPOCH + time::Duration::days(i64::from(d)));
        let t = Token::sign_unchecked(&f, &c, &ws).unwrap();
        let back = Token::from_text(&t.to_text()).unwrap();
        prop_assert_eq!(back.fields(), &f);
        prop_assert!(back.verify_signature().is_ok());
    }

    #[test]
    fn decoding_random_input_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = Token::from_bytes(&bytes);
        let _ = Token::from_text(&format!("GD1:{}", base45::encode(&bytes)));
    }

    #[test]
    fn decoding_random_text_never_panics(s in "GD1:[0-9A-Z $%*+./:-]{0,400}") {
        let _ = Token::from_text(&s);
    }
}

/// Random Vietnamese-looking text of exactly `n` characters (syllables with
/// tones, capitalised words), from a fixed-seed generator.
#[cfg(feature = "qr")]
fn vietnamese_text(state: &mut u64, n: usize) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut next = |k: usize| {
        *state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((*state >> 33) as usize) % k
    };
    const INITIALS: [&str; 26] = [
        "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh",
        "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
    ];
    const VOWELS: [&str; 20] = [
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "uy", "ươ", "iê", "uô",
        "ai", "ao", "oi",
    ];
    const FINALS: [&str; 10] = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
    const TONES: [&str; 7] = [
        "", "", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}",
    ];
    let mut s = String::new();
    while s.chars().count() < n {
        if !s.is_empty() {
            s.push(' ');
        }
        let syl: String = [
            INITIALS[next(INITIALS.len())],
            VOWELS[next(VOWELS.len())],
            TONES[next(TONES.len())],
            FINALS[next(FINALS.len())],
        ]
        .concat()
        .nfc()
        .collect();
        let mut cs = syl.chars();
        if let Some(first) = cs.next() {
            s.extend(first.to_uppercase().chain(cs));
        }
    }
    let s: String = s.chars().take(n).collect();
    // A cut may leave a trailing space: replace it so the length stays n.
    if s.ends_with(' ') {
        format!("{}a", s.trim_end())
    } else {
        s
    }
}

#[cfg(feature = "qr")]
#[test]
fn random_vietnamese_permits_meet_the_targets() {
    use crate::qr::{version_for, Level};
    let ws = key(2);
    let c = cert(&ws);
    let mut state = 42u64;
    for (name, org, area, target) in [(20, 35, 20, 15), (50, 60, 40, 18)] {
        for _ in 0..150 {
            let mut f = samples::typical();
            f.holder_name = vietnamese_text(&mut state, name);
            f.organization = Some(vietnamese_text(&mut state, org));
            f.area = vietnamese_text(&mut state, area);
            assert_eq!(f.holder_name.chars().count(), name);
            let text = Token::sign(&f, &c, &ws).unwrap().to_text();
            let v = version_for(&text, Level::Q).unwrap();
            assert!(v <= target, "{f:?} needs version {v}");
        }
    }
}
