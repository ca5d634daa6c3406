//! Checking a realistic 10,000-row .xlsx list (issue target for check +
//! import + store: ≤ 2 s; this measures the check part).
//! `cargo bench -p listimport`

use criterion::{criterion_group, criterion_main, Criterion};
use listimport::{check_bytes, CheckOptions};
use std::hint::black_box;
use std::time::Duration;
use time::macros::date;

fn bench(c: &mut Criterion) {
    let xlsx = listimport::testdata::generate_xlsx(10_000, 42).expect("generate list");
    let opts = CheckOptions::new(date!(2026 - 11 - 25));
    let r = check_bytes("bench.xlsx", &xlsx, &opts).expect("check");
    assert_eq!((r.rows, r.valid.len()), (10_000, 10_000));

    let mut csv = String::from("Họ và tên;Số CCCD;Ngày sinh;Số điện thoại\r\n");
    for p in listimport::testdata::people(10_000, 42) {
        csv.push_str(&format!(
            "{};{};{:02}/{:02}/{};{}\r\n",
            p.full_name, p.cccd, p.dob.2, p.dob.1, p.dob.0, p.phone
        ));
    }

    let mut g = c.benchmark_group("check");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("xlsx_10k_rows", |b| {
        b.iter(|| check_bytes("bench.xlsx", black_box(&xlsx), &opts).map(|r| r.valid.len()))
    });
    g.bench_function("csv_10k_rows", |b| {
        b.iter(|| check_bytes("bench.csv", black_box(csv.as_bytes()), &opts).map(|r| r.valid.len()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
