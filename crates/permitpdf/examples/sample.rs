//! Writes a sample A4 sheet (4 demo permits: short, typical, longest, and a
//! reprint) to the path given, default `permit-sheet-a4.pdf`.
//!
//! `cargo run -p permitpdf --example sample -- out.pdf [a4-4|a5-2|a6]`

use permitpdf::samples::DemoSigner;
use permitpdf::{render, Layout};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "permit-sheet-a4.pdf".into());
    let layout = Layout::parse(&args.next().unwrap_or_else(|| "a4-4".into()))?;
    let signer = DemoSigner::new()?;
    let mut fields = [
        permit::samples::short(),
        permit::samples::typical(),
        permit::samples::longest(),
        permit::samples::typical(),
    ];
    fields[3].holder_name = "Phạm Đức Hưởng".into();
    fields[3].sequence = 123_457;
    let permits = fields
        .iter()
        .enumerate()
        .map(|(i, f)| signer.permit(f, if i == 3 { 2 } else { 0 }))
        .collect::<Result<Vec<_>, _>>()?;
    let stats = render(permits, layout, std::fs::File::create(&path)?)?;
    println!(
        "{path}: {} permits, {} pages, {} bytes, QR up to version {} at {:.3} mm per module",
        stats.permits, stats.pages, stats.bytes, stats.max_qr_version, stats.min_module_mm
    );
    Ok(())
}
