//! `cargo bench -p verify`: verifications per second on one core (target
//! ≥ 5,000/s), and token sign + encode per second (the stamping budget).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use permit::{samples, CategorySet, Certificate, CertificateFields, Scope, SigningKey, Token};
use std::hint::black_box;
use std::time::Duration;
use time::macros::{date, datetime};
use verify::{verify, TrustAnchor, Verdict};

fn setup() -> (SigningKey, Certificate, TrustAnchor) {
    let root = SigningKey::from_bytes(&[1; 32]);
    let ws = SigningKey::from_bytes(&[2; 32]);
    let cert = Certificate::sign(
        CertificateFields {
            ward_code: 9_616,
            dataset: "2025-07".parse().expect("dataset"),
            workstation: 1,
            public_key: ws.verifying_key(),
            valid_from: date!(2026 - 01 - 01),
            valid_to: date!(2027 - 12 - 31),
            scope: Scope {
                categories: CategorySet::ALL,
                max_validity_days: 60,
            },
        },
        &root,
    )
    .expect("certificate");
    (ws, cert, TrustAnchor::production(root.verifying_key()))
}

fn benches(c: &mut Criterion) {
    let (ws, cert, anchor) = setup();
    let roots = [anchor];
    let at = datetime!(2026-11-25 09:00 +7);
    let typical = samples::typical();
    let text = Token::sign(&typical, &cert, &ws).expect("sign").to_text();
    assert_eq!(verify(&text, at, &roots, None).verdict, Verdict::Valid);

    let mut g = c.benchmark_group("permit");
    g.throughput(Throughput::Elements(1));
    g.bench_function("verify typical token", |b| {
        b.iter(|| verify(black_box(&text), at, &roots, None))
    });
    g.bench_function("decode typical token (no signature check)", |b| {
        b.iter(|| Token::from_text(black_box(&text)))
    });
    g.bench_function("sign + encode typical token", |b| {
        b.iter(|| Token::sign(black_box(&typical), &cert, &ws).map(|t| t.to_text()))
    });
    g.finish();
}

criterion_group! {
    name = group;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(group);
