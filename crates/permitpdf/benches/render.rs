//! `cargo bench -p permitpdf --bench render [-- N]`: N stamped demo permits
//! (default 10,000; real signed tokens, short/typical/longest fields) →
//! one A4 4-up PDF. Prints seconds, bytes per permit and peak RSS; fails
//! when over the targets (10 s, 4 KB per permit).
//!
//! Tokens are signed before the clock starts and kept as text (~0.4 KB
//! each); the permits themselves are built lazily, as the store streams its
//! rows, so the peak RSS shown is the renderer's plus the token list.

use permitpdf::samples::DemoSigner;
use permitpdf::{render, Layout, PrintPermit};
use std::time::Instant;

fn peak_rss_kb() -> u64 {
    // Linux: VmHWM is the process's peak resident set.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let layout = std::env::var("PERMITPDF_LAYOUT")
        .ok()
        .map(|l| Layout::parse(&l))
        .transpose()?
        .unwrap_or(Layout::A4x4);
    let signer = DemoSigner::new()?;
    let templates = signer.batch(3)?;
    let bases = [
        permit::samples::short(),
        permit::samples::typical(),
        permit::samples::longest(),
    ];
    let t = Instant::now();
    let tokens: Vec<String> = (0..n)
        .map(|i| {
            let mut f = bases[i % 3].clone();
            f.sequence = 10_000 + i as u32;
            signer.permit(&f, 0).map(|p| p.token)
        })
        .collect::<Result<_, _>>()?;
    let signing = t.elapsed();
    let rss_before = peak_rss_kb();

    let permits = tokens.iter().enumerate().map(|(i, token)| PrintPermit {
        serial: format!("00004-01-{:06}", 10_000 + i),
        token: token.clone(),
        reprint: u32::from(i % 50 == 49),
        ..templates[i % 3].clone()
    });
    let dir = std::env::temp_dir().join(format!("permitpdf-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("batch.pdf");
    let t = Instant::now();
    let stats = render(permits, layout, std::fs::File::create(&path)?)?;
    let elapsed = t.elapsed().as_secs_f64();
    let rss_after = peak_rss_kb();
    std::fs::remove_dir_all(&dir)?;

    let per_permit = stats.bytes as f64 / n as f64;
    println!(
        "permitpdf: {n} permits → {} ({} pages) in {elapsed:.2} s ({:.0} permits/s); \
         {} bytes, {per_permit:.0} bytes per permit; QR up to v{} at {:.3} mm/module",
        layout,
        stats.pages,
        n as f64 / elapsed,
        stats.bytes,
        stats.max_qr_version,
        stats.min_module_mm
    );
    println!(
        "permitpdf: peak RSS {} KB before rendering ({n} tokens signed in {:.2} s), {} KB after",
        rss_before,
        signing.as_secs_f64(),
        rss_after
    );
    if n >= 10_000 && elapsed > 10.0 {
        return Err(format!("too slow: {elapsed:.2} s for {n} permits (target ≤ 10 s)").into());
    }
    if n >= 100 && per_permit > 4096.0 {
        return Err(format!("too big: {per_permit:.0} bytes per permit (target ≤ 4096)").into());
    }
    Ok(())
}
