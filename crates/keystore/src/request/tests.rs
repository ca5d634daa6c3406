use super::*;
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn request(k: &SigningKey) -> ActivationRequest {
    ActivationRequest {
        ward_code: "00004".into(),
        ward_name: "Phường Ba Đình".into(),
        dataset: "2025-07".into(),
        workstation: 2,
        public_key: k.verifying_key(),
        created_at: OffsetDateTime::from_unix_timestamp(1_764_043_066).unwrap(),
        contact_emails: vec![
            "ubnd.badinh.1@gmail.com".into(),
            "ubnd.badinh.2@gmail.com".into(),
        ],
    }
}

fn signed() -> SignedActivationRequest {
    request(&key(3)).sign(&key(3)).unwrap()
}

#[test]
fn round_trip_text_and_bytes() {
    let s = signed();
    let text = s.to_text();
    assert!(text.contains("Đơn vị: Phường Ba Đình (mã 00004, danh mục đơn vị hành chính 2025-07)"));
    assert!(text.contains(&format!("Dấu vân tay khóa: {}", s.fingerprint())));
    assert!(
        text.contains("Thời điểm lập: 25/11/2025 10:57:46 (giờ Việt Nam)"),
        "{text}"
    );
    assert!(text.contains("\n-----BEGIN GDD ACTIVATION REQUEST-----\n"));
    assert!(text.ends_with("-----END GDD ACTIVATION REQUEST-----\n"));
    for line in s.armored().lines() {
        assert!(line.len() <= 64 || line.starts_with("-----"), "{line}");
    }
    let back = SignedActivationRequest::from_text(&text).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.request(), &request(&key(3)));
    assert_eq!(
        SignedActivationRequest::from_bytes(&s.to_bytes()).unwrap(),
        s
    );
}

#[test]
fn sign_normalizes_what_people_type() {
    let k = key(4);
    let mut r = request(&k);
    r.ward_name = format!("  {}  ", "Phường   Ba Đình".nfd().collect::<String>());
    r.ward_code = " 00004 ".into();
    r.contact_emails = vec![" UBND.BaDinh@Gmail.com ".into()];
    r.created_at = OffsetDateTime::from_unix_timestamp(1_764_043_066)
        .unwrap()
        .replace_nanosecond(123_456_789)
        .unwrap()
        .to_offset(UtcOffset::from_hms(7, 0, 0).unwrap());
    let s = r.sign(&k).unwrap();
    let got = s.request();
    assert_eq!(got.ward_name, "Phường Ba Đình");
    assert_eq!(got.ward_code, "00004");
    assert_eq!(got.contact_emails, vec!["ubnd.badinh@gmail.com"]);
    assert_eq!(got.created_at.unix_timestamp(), 1_764_043_066);
    assert_eq!(
        SignedActivationRequest::from_text(&s.to_text())
            .unwrap()
            .request(),
        got
    );
}

#[test]
fn invalid_fields_are_named() {
    let k = key(5);
    type Change = Box<dyn Fn(&mut ActivationRequest)>;
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|r| r.ward_code = "4".into()),
            "request.invalid_ward_code",
        ),
        (
            Box::new(|r| r.ward_code = "0000a".into()),
            "request.invalid_ward_code",
        ),
        (
            Box::new(|r| r.dataset = "2025-13".into()),
            "request.invalid_dataset",
        ),
        (
            Box::new(|r| r.dataset = "2025".into()),
            "request.invalid_dataset",
        ),
        (
            Box::new(|r| r.ward_name = "  ".into()),
            "request.invalid_ward_name",
        ),
        (
            Box::new(|r| r.ward_name = "Đ".repeat(101)),
            "request.invalid_ward_name",
        ),
        (
            Box::new(|r| r.workstation = 0),
            "request.invalid_workstation",
        ),
        (
            Box::new(|r| r.workstation = 100),
            "request.invalid_workstation",
        ),
        (Box::new(|r| r.contact_emails.clear()), "request.no_email"),
        (
            Box::new(|r| r.contact_emails = (0..6).map(|i| format!("a{i}@b.vn")).collect()),
            "request.too_many_emails",
        ),
        (
            Box::new(|r| r.contact_emails = vec!["a@b.vn".into(), "A@B.vn".into()]),
            "request.duplicate_email",
        ),
    ];
    for (change, code) in cases {
        let mut r = request(&k);
        change(&mut r);
        assert_eq!(r.sign(&k).unwrap_err().code(), code, "{r:?}");
    }
    for bad in [
        "ubnd",
        "@gmail.com",
        "a@gmail",
        "a@.com",
        "a b@gmail.com",
        "a..b@gmail.com",
        "phường@gmail.com",
        "a@-x.com",
        "a@b..com",
    ] {
        let mut r = request(&k);
        r.contact_emails = vec![bad.into()];
        assert_eq!(
            r.sign(&k).unwrap_err().code(),
            "request.invalid_email",
            "{bad}"
        );
    }
    assert_eq!(
        request(&k).sign(&key(6)).unwrap_err().code(),
        "request.key_mismatch"
    );
}

#[test]
fn survives_email_mangling() {
    let s = signed();
    let text = s.to_text();
    // A quoted reply in Outlook: CRLF, "> " prefixes, a greeting around it.
    let quoted: String = text.lines().map(|l| format!("> {l}\r\n")).collect();
    let reply = format!("Kính gửi anh,\r\n\r\nEm chuyển tiếp:\r\n{quoted}\r\n-- \r\nPhòng CNTT");
    assert_eq!(SignedActivationRequest::from_text(&reply).unwrap(), s);
    // Twice quoted, with trailing spaces.
    let twice: String = text.lines().map(|l| format!(">> > {l}   \n")).collect();
    assert_eq!(SignedActivationRequest::from_text(&twice).unwrap(), s);
    // Re-wrapped body at 40 and 76 columns, leading spaces from a paste.
    let body: String = s
        .armored()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    for width in [40, 76, 1000] {
        let lines: Vec<String> = body
            .as_bytes()
            .chunks(width)
            .map(|c| format!("   {}", String::from_utf8_lossy(c)))
            .collect();
        let pasted = format!(
            "-----BEGIN GDD ACTIVATION REQUEST-----\n{}\n-----END GDD ACTIVATION REQUEST-----",
            lines.join("\n")
        );
        assert_eq!(
            SignedActivationRequest::from_text(&pasted).unwrap(),
            s,
            "{width}"
        );
    }
}

#[test]
fn several_requests_in_one_email() {
    let one = signed();
    let k2 = key(8);
    let mut r2 = request(&k2);
    r2.workstation = 1;
    let two = r2.sign(&k2).unwrap();
    // The same request quoted again in a reply counts once.
    let quoted: String = one.to_text().lines().map(|l| format!("> {l}\n")).collect();
    let reply = format!("{}\n{quoted}", one.to_text());
    assert_eq!(SignedActivationRequest::from_text(&reply).unwrap(), one);
    // Two workstations in one email: refused by from_text, both read by all_from_text.
    let both = format!("{}\n{}", one.to_text(), two.to_text());
    assert_eq!(
        SignedActivationRequest::from_text(&both).unwrap_err(),
        RequestError::Multiple(2)
    );
    let all = SignedActivationRequest::all_from_text(&both);
    assert_eq!(all, vec![Ok(one.clone()), Ok(two)]);
    // A cut first paste followed by a complete one: both reported, in order.
    let text = one.to_text();
    let cut_at = text.find("-----END").unwrap() - 10;
    let twice = format!("{}\n{}", &text[..cut_at], text);
    let all = SignedActivationRequest::all_from_text(&twice);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].as_ref().unwrap_err().code(), "request.incomplete");
    assert_eq!(all[1], Ok(one));
    assert!(SignedActivationRequest::all_from_text("trống").is_empty());
}

#[test]
fn the_preamble_is_not_trusted() {
    let s = signed();
    let forged = s
        .to_text()
        .replace("Phường Ba Đình (mã 00004", "Phường Hoàn Kiếm (mã 00070")
        .replace("Máy trạm số: 2", "Máy trạm số: 1");
    let back = SignedActivationRequest::from_text(&forged).unwrap();
    assert_eq!(back.request().ward_name, "Phường Ba Đình");
    assert_eq!(back.request().ward_code, "00004");
    assert_eq!(back.request().workstation, 2);
}

#[test]
fn every_one_character_change_in_the_body_is_refused() {
    let s = signed();
    let text = s.armored();
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut checked = 0;
    for (i, &old) in text.as_bytes().iter().enumerate() {
        let Some(p) = alphabet.iter().position(|&c| c == old) else {
            continue;
        };
        // Inside the markers, base64 letters are also part of "BEGIN GDD …": all count.
        for step in [1, 17] {
            let mut bytes = text.clone().into_bytes();
            bytes[i] = alphabet[(p + step) % alphabet.len()];
            let changed = String::from_utf8(bytes).unwrap();
            let e = SignedActivationRequest::from_text(&changed)
                .expect_err(&format!("change at {i} accepted"));
            assert!(
                matches!(
                    e.code(),
                    "request.bad_signature"
                        | "request.malformed"
                        | "request.garbled"
                        | "request.not_found"
                        | "request.incomplete"
                        | "request.unsupported"
                ),
                "{e:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked}");
}

#[test]
fn a_signature_from_another_key_is_refused() {
    let s = signed();
    let mut bytes = s.to_bytes();
    let n = bytes.len() - SIGNATURE_LEN;
    let other = key(9).sign(&signed_message(&bytes[..n]));
    bytes[n..].copy_from_slice(&other.to_bytes());
    assert_eq!(
        SignedActivationRequest::from_bytes(&bytes).unwrap_err(),
        RequestError::BadSignature
    );
    // Without the context prefix (e.g. a signature made for another purpose).
    let mut bytes = s.to_bytes();
    let plain = key(3).sign(&bytes[..n]);
    bytes[n..].copy_from_slice(&plain.to_bytes());
    assert_eq!(
        SignedActivationRequest::from_bytes(&bytes).unwrap_err(),
        RequestError::BadSignature
    );
}

#[test]
fn signed_but_invalid_content_is_refused() {
    // A correctly signed request whose name is not NFC: another implementation
    // might produce it; we refuse it rather than store two spellings.
    let k = key(3);
    let mut r = request(&k);
    r.ward_name = "Phường Ba Đình".nfd().collect();
    let body = encode_body(&r);
    let mut bytes = body.clone();
    bytes.extend_from_slice(&k.sign(&signed_message(&body)).to_bytes());
    let e = SignedActivationRequest::from_bytes(&bytes).unwrap_err();
    assert_eq!(e.code(), "request.malformed", "{e}");
}

#[test]
fn unknown_version_and_missing_pieces() {
    let s = signed();
    let mut bytes = s.to_bytes();
    bytes[4] = 2;
    let text = armor::encode(REQUEST_ARMOR_LABEL, &[], &bytes);
    assert_eq!(
        SignedActivationRequest::from_text(&text).unwrap_err(),
        RequestError::Unsupported(2)
    );
    assert_eq!(
        SignedActivationRequest::from_text("Chào anh, em gửi yêu cầu.").unwrap_err(),
        RequestError::NotFound
    );
    let text = s.to_text();
    let begin = text
        .lines()
        .position(|l| l.starts_with("-----BEGIN"))
        .unwrap();
    let cut: String = text.lines().take(begin + 3).collect::<Vec<_>>().join("\n");
    assert_eq!(
        SignedActivationRequest::from_text(&cut).unwrap_err().code(),
        "request.incomplete"
    );
    for n in 0..s.to_bytes().len() {
        assert!(
            SignedActivationRequest::from_bytes(&s.to_bytes()[..n]).is_err(),
            "{n}"
        );
    }
}

fn arb_request() -> impl Strategy<Value = (ActivationRequest, SigningKey)> {
    (
        any::<[u8; 32]>(),
        "[0-9]{5}",
        "Phường|Xã|Thị trấn",
        "[A-Za-zÀ-ỹĐđ]{1,12}( [A-Za-zÀ-ỹĐđ]{1,12}){0,4}",
        (2000u16..2100, 1u8..=12),
        1u8..=99,
        0i64..4_102_444_800,
        proptest::collection::btree_set(
            "[a-z0-9]{1,10}(\\.[a-z0-9]{1,8})?@[a-z]{2,10}\\.(vn|com|gov\\.vn)",
            1..=5,
        ),
    )
        .prop_map(|(seed, code, kind, name, (y, m), ws, t, emails)| {
            let k = SigningKey::from_bytes(&seed);
            let r = ActivationRequest {
                ward_code: code,
                ward_name: vntext::clean(&format!("{kind} {name}")),
                dataset: format!("{y:04}-{m:02}"),
                workstation: ws,
                public_key: k.verifying_key(),
                created_at: OffsetDateTime::from_unix_timestamp(t).unwrap(),
                contact_emails: emails.into_iter().collect(),
            };
            (r, k)
        })
}

proptest! {
    #[test]
    fn any_valid_request_round_trips_through_mangled_text(
        (r, k) in arb_request(),
        quote in "(> ?){0,2}",
        crlf in any::<bool>(),
        width in 20usize..100,
    ) {
        let s = r.sign(&k).unwrap();
        prop_assert_eq!(s.request(), &r);
        let body: String = s.armored().lines().filter(|l| !l.starts_with("-----")).collect();
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("Xin chào{eol}{quote}-----BEGIN GDD ACTIVATION REQUEST-----{eol}");
        for chunk in body.as_bytes().chunks(width) {
            text.push_str(&format!("{quote}{}{eol}", String::from_utf8_lossy(chunk)));
        }
        text.push_str(&format!("{quote}-----END GDD ACTIVATION REQUEST-----{eol}"));
        prop_assert_eq!(SignedActivationRequest::from_text(&text).unwrap(), s);
    }

    #[test]
    fn random_bytes_never_panic(mut bytes in proptest::collection::vec(any::<u8>(), 0..300), magic in any::<bool>()) {
        if magic && bytes.len() >= 5 {
            bytes[..4].copy_from_slice(MAGIC);
            bytes[4] = VERSION;
        }
        prop_assert!(SignedActivationRequest::from_bytes(&bytes).is_err());
        let text = armor::encode(REQUEST_ARMOR_LABEL, &[], &bytes);
        prop_assert!(SignedActivationRequest::from_text(&text).is_err());
    }

    #[test]
    fn random_text_never_panics(s in "\\PC{0,400}") {
        let _ = SignedActivationRequest::from_text(&s);
        let _ = SignedActivationRequest::from_text(&format!("-----BEGIN GDD ACTIVATION REQUEST-----\n{s}\n-----END GDD ACTIVATION REQUEST-----"));
    }

    #[test]
    fn flipping_any_bit_of_the_binary_form_is_refused((r, k) in arb_request(), idx in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut bytes = r.sign(&k).unwrap().to_bytes();
        let i = idx.index(bytes.len());
        bytes[i] ^= 1 << bit;
        prop_assert!(SignedActivationRequest::from_bytes(&bytes).is_err());
    }
}
