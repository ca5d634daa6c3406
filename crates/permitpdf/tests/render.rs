//! Renders every layout, rasterizes with poppler (`pdftoppm -r 150`), reads
//! every QR back from the pixels (`zbarimg`) and verifies it; checks the text
//! layer (`pdftotext`) and page counts (`pdfinfo`). The tools are required:
//! `scripts/install-app-deps.sh` installs poppler-utils and zbar-tools.

use permitpdf::samples::DemoSigner;
use permitpdf::{render, Layout, PrintPermit};
use std::path::Path;
use std::process::Command;
use time::macros::datetime;
use unicode_normalization::UnicodeNormalization;
use verify::Verdict;

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!(
            "`{tool}` is required by this test ({e}): install poppler-utils and zbar-tools \
             (scripts/install-app-deps.sh)"
        )
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("tool output is UTF-8")
}

fn batch(n: usize) -> Vec<PrintPermit> {
    let signer = DemoSigner::new().expect("demo signer");
    let bases = [
        permit::samples::longest(),
        permit::samples::typical(),
        permit::samples::short(),
    ];
    (0..n)
        .map(|i| {
            let mut f = bases[i % 3].clone();
            f.sequence = 500 + i as u32;
            if i == 1 {
                f.holder_name = "Đặng Thị Ngọc Ánh".into();
            }
            // The longest permit is also a reprint.
            let reprint = if i == 0 { 3 } else { 0 };
            signer.permit(&f, reprint).expect("sign")
        })
        .collect()
}

fn collapse(s: &str) -> String {
    s.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn check_layout(layout: Layout, n: usize, pages: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join(format!("{}.pdf", layout.as_str()));
    let permits = batch(n);
    let stats = render(
        permits.clone(),
        layout,
        std::fs::File::create(&pdf).expect("create"),
    )
    .expect("render");
    assert_eq!((stats.permits, stats.pages), (n, pages));
    assert!(stats.min_module_mm >= permitpdf::MIN_MODULE_MM);
    let p = pdf.to_str().expect("utf-8 path");

    let info = run("pdfinfo", &[p]);
    let count = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|v| v.trim().to_string());
    assert_eq!(count.as_deref(), Some(pages.to_string().as_str()), "{info}");

    // Raster at 150 dpi and decode every QR from the pixels.
    let prefix = dir.path().join("page");
    run(
        "pdftoppm",
        &["-r", "150", "-png", p, prefix.to_str().expect("path")],
    );
    let mut pngs: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|f| f.extension().is_some_and(|x| x == "png"))
        .collect();
    pngs.sort();
    assert_eq!(pngs.len(), pages);
    let mut decoded: Vec<String> = Vec::new();
    for png in &pngs {
        let text = run("zbarimg", &["--raw", "-q", png_str(png)]);
        decoded.extend(text.lines().filter(|l| !l.is_empty()).map(str::to_string));
    }
    let mut expected: Vec<String> = permits.iter().map(|p| p.token.clone()).collect();
    expected.sort();
    decoded.sort();
    assert_eq!(decoded, expected, "every QR decodes to exactly its token");
    let at = datetime!(2026-11-25 09:00 +7);
    for token in &decoded {
        let v = verify::verify(token, at, &[verify::demo_anchor()], None);
        assert_eq!(v.verdict, Verdict::Demo, "{v:?}");
    }

    // The text layer gives back the names with their diacritics.
    let text = collapse(&run("pdftotext", &[p, "-"]));
    for permit in &permits {
        let name = collapse(&permit.holder_name);
        assert!(
            text.contains(&name),
            "{name:?} not in the text layer:\n{text}"
        );
        assert!(text.contains(&permit.serial));
    }
    assert!(text.contains("BẢN IN LẠI lần 3"));
    assert!(text.contains("GIẤY ĐI ĐƯỜNG"));
    assert!(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(text.contains("Độc lập – Tự do – Hạnh phúc"));
    assert!(text.contains("Xuất trình kèm CCCD/CMND"));
    assert!(text.contains("MẪU THỬ – KHÔNG CÓ GIÁ TRỊ"));
}

fn png_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn a4_four_up() {
    check_layout(Layout::A4x4, 5, 2);
}

#[test]
fn a5_two_up() {
    check_layout(Layout::A5x2, 3, 2);
}

#[test]
fn a6_single() {
    check_layout(Layout::A6, 3, 3);
}

#[test]
fn a6_one_permit_is_small() {
    // Fonts subsetted: one permit is a few tens of KB, not the ~1 MB of two full faces.
    let mut out = Vec::new();
    let stats = render(batch(1), Layout::A6, &mut out).expect("render");
    assert!(stats.bytes < 60_000, "{} bytes", stats.bytes);
    assert_eq!(stats.bytes as usize, out.len());
}
