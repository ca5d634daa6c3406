//! Test vectors in tests/vectors/*.json: this test both generates them
//! (`GDD_WRITE_VECTORS=1 cargo test -p verify --test vectors`) and checks them
//! (always): every file's token must get its verdict and fields, and the
//! generator must reproduce every file byte for byte (Ed25519 is deterministic).

use permit::revocation::reason;
use permit::roots::{parse_public_key, parse_secret_key, public_key_hex};
use permit::{
    category, samples, CategorySet, Certificate, CertificateFields, Scope, SigningKey, Token,
    CERT_LEN,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use time::format_description::well_known::Rfc3339;
use time::macros::{date, datetime};
use time::OffsetDateTime;
use verify::{
    verify, Reason, RevocationContent, RevocationList, RevokedPermit, TrustAnchor, Verdict,
};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn secret(name: &str) -> SigningKey {
    let path = repo().join(format!("assets/trust/{name}.key"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    parse_secret_key(&text).unwrap()
}

/// The workstation key of the vectors (a test key: seed 0x42 × 32).
fn workstation() -> SigningKey {
    SigningKey::from_bytes(&[0x42; 32])
}

fn certificate(root: &SigningKey, categories: CategorySet) -> Certificate {
    Certificate::sign(
        CertificateFields {
            ward_code: 9_616,
            dataset: "2025-07".parse().unwrap(),
            workstation: 1,
            public_key: workstation().verifying_key(),
            valid_from: date!(2026 - 11 - 01),
            valid_to: date!(2027 - 10 - 31),
            scope: Scope {
                categories,
                max_validity_days: 31,
            },
        },
        root,
    )
    .unwrap()
}

fn token(root: &SigningKey, categories: CategorySet) -> Token {
    // Unchecked: the out_of_scope vector is one the certificate does not allow.
    Token::sign_unchecked(
        &samples::typical(),
        &certificate(root, categories),
        &workstation(),
    )
    .unwrap()
}

fn base45(bytes: &[u8]) -> String {
    Token::from_bytes(bytes).unwrap().to_text()
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap()
}

struct Vector {
    name: &'static str,
    description: &'static str,
    token: String,
    at: OffsetDateTime,
    verdict: Verdict,
    revocations: Option<String>,
}

fn generate() -> Vec<Vector> {
    let city = secret("test-city-root");
    let demo = secret("demo-root");
    let other = secret("other-root");
    let all = CategorySet::ALL;
    let at = datetime!(2026-11-25 09:00 +7);
    let good = token(&city, all);

    // valid_to moved 30 days later, signature left as it was.
    let mut payload = good.to_bytes().to_vec();
    let valid_to = u16::from_be_bytes([payload[9], payload[10]]) + 30;
    payload[9..11].copy_from_slice(&valid_to.to_be_bytes());
    // The certificate's longest validity raised from 31 to 365 days.
    let mut cert = good.to_bytes().to_vec();
    let max_days = cert.len() - 64 - CERT_LEN + 49;
    cert[max_days..max_days + 2].copy_from_slice(&365u16.to_be_bytes());

    let list = RevocationList::sign_by_root(
        RevocationContent {
            number: 12,
            issued_at: datetime!(2026-11-24 20:00 +7),
            permits: vec![RevokedPermit {
                serial: good.serial(),
                reason: Reason {
                    code: reason::LEFT_ORGANIZATION,
                    text: "Người lao động đã nghỉ việc".into(),
                },
            }],
            keys: vec![],
        },
        &city,
    )
    .unwrap();

    vec![
        Vector {
            name: "valid",
            description: "typical permit, workstation certified by the test city root, in date",
            token: good.to_text(),
            at,
            verdict: Verdict::Valid,
            revocations: None,
        },
        Vector {
            name: "demo",
            description: "the same permit under the demo root: never valid, always demo",
            token: token(&demo, all).to_text(),
            at,
            verdict: Verdict::Demo,
            revocations: None,
        },
        Vector {
            name: "expired",
            description: "valid to 2026-12-19; checked on 2026-12-20 00:00 Vietnam time",
            token: good.to_text(),
            at: datetime!(2026-12-19 17:00 UTC),
            verdict: Verdict::Expired,
            revocations: None,
        },
        Vector {
            name: "not_yet_valid",
            description: "valid from 2026-11-20; checked one second before midnight Vietnam time",
            token: good.to_text(),
            at: datetime!(2026-11-19 23:59:59 +7),
            verdict: Verdict::NotYetValid,
            revocations: None,
        },
        Vector {
            name: "tampered_payload",
            description: "valid_to moved 30 days later after signing",
            token: base45(&payload),
            at,
            verdict: Verdict::BadSignature,
            revocations: None,
        },
        Vector {
            name: "tampered_certificate",
            description: "certificate's longest validity raised from 31 to 365 days after signing",
            token: base45(&cert),
            at,
            verdict: Verdict::BadSignature,
            revocations: None,
        },
        Vector {
            name: "other_root",
            description: "certificate signed by a root that is not in roots.json",
            token: token(&other, all).to_text(),
            at,
            verdict: Verdict::UnknownIssuer,
            revocations: None,
        },
        Vector {
            name: "out_of_scope",
            description:
                "certificate allows health care permits only; the permit is for essential goods",
            token: token(&city, CategorySet::of(&[category::HEALTH])).to_text(),
            at,
            verdict: Verdict::OutOfScope,
            revocations: None,
        },
        Vector {
            name: "revoked",
            description:
                "the valid permit, on the city's revocation list number 12 (given in the vector)",
            token: good.to_text(),
            at,
            verdict: Verdict::Revoked,
            revocations: Some(list.to_text()),
        },
        Vector {
            name: "malformed",
            description: "not Base45 after the prefix",
            token: "GD1:THIS IS NOT A PERMIT!".into(),
            at,
            verdict: Verdict::Malformed,
            revocations: None,
        },
    ]
}

fn roots_json() -> Value {
    json!({
        "description": "Roots a verifier must trust to check the vectors. other-root is deliberately absent.",
        "roots": [
            {"name": "test-city-root", "public_key": public_key_hex(&secret("test-city-root").verifying_key()), "demo": false},
            {"name": "demo-root", "public_key": public_key_hex(&secret("demo-root").verifying_key()), "demo": true},
        ]
    })
}

fn anchors_of(roots: &Value) -> Vec<TrustAnchor> {
    roots["roots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| TrustAnchor {
            public_key: parse_public_key(r["public_key"].as_str().unwrap()).unwrap(),
            demo: r["demo"].as_bool().unwrap(),
        })
        .collect()
}

fn check(name: &str, v: &Value, roots: &[TrustAnchor]) -> Value {
    let at = OffsetDateTime::parse(v["at"].as_str().unwrap(), &Rfc3339).unwrap();
    let keys: Vec<_> = roots.iter().map(|r| r.public_key).collect();
    let list = v
        .get("revocations")
        .and_then(Value::as_str)
        .map(|t| RevocationList::from_text(t, &keys).unwrap());
    let result = verify(v["token"].as_str().unwrap(), at, roots, list.as_ref());
    assert_eq!(
        result.verdict.as_str(),
        v["verdict"].as_str().unwrap(),
        "{name}: {result:?}"
    );
    let fields = result
        .fields
        .map(|f| serde_json::to_value(f).unwrap())
        .unwrap_or_else(|| json!({}));
    assert_eq!(fields, v["fields"], "{name}: fields");
    fields
}

#[test]
fn vectors() {
    let dir = repo().join("tests/vectors");
    let write = std::env::var_os("GDD_WRITE_VECTORS").is_some();
    let roots = roots_json();
    let anchors = anchors_of(&roots);
    let mut generated = BTreeMap::new();
    generated.insert(
        "roots.json".to_string(),
        serde_json::to_string_pretty(&roots).unwrap() + "\n",
    );
    for g in generate() {
        let mut v = json!({
            "name": g.name,
            "description": g.description,
            "token": g.token,
            "at": rfc3339(g.at),
            "verdict": g.verdict.as_str(),
            "fields": {},
        });
        if let Some(r) = &g.revocations {
            v["revocations"] = json!(r);
        }
        // Fields come from the verifier, then are checked by `check` below on
        // the file's copy (the verdict is asserted against the intent here).
        let result = verify(
            &g.token,
            g.at,
            &anchors,
            g.revocations
                .as_ref()
                .map(|t| {
                    RevocationList::from_text(
                        t,
                        &anchors.iter().map(|a| a.public_key).collect::<Vec<_>>(),
                    )
                    .unwrap()
                })
                .as_ref(),
        );
        assert_eq!(result.verdict, g.verdict, "{}: {result:?}", g.name);
        if let Some(f) = result.fields {
            v["fields"] = serde_json::to_value(f).unwrap();
        }
        generated.insert(
            format!("{}.json", g.name),
            serde_json::to_string_pretty(&v).unwrap() + "\n",
        );
    }
    if write {
        std::fs::create_dir_all(&dir).unwrap();
        for (file, text) in &generated {
            std::fs::write(dir.join(file), text).unwrap();
        }
    }

    // Check the files as another implementation would read them.
    let roots_file: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("roots.json")).unwrap()).unwrap();
    let file_anchors = anchors_of(&roots_file);
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        if !file.ends_with(".json") || file == "roots.json" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        check(&file, &v, &file_anchors);
        assert_eq!(
            Some(&text),
            generated.get(&file),
            "{file} differs from the generator: run GDD_WRITE_VECTORS=1 cargo test -p verify --test vectors"
        );
        seen.push(v["verdict"].as_str().unwrap().to_string());
    }
    for verdict in [
        "valid",
        "demo",
        "expired",
        "not_yet_valid",
        "bad_signature",
        "unknown_issuer",
        "out_of_scope",
        "revoked",
        "malformed",
    ] {
        assert!(seen.iter().any(|s| s == verdict), "no vector for {verdict}");
    }
    assert_eq!(seen.len() + 1, generated.len(), "a vector file is missing");
}
