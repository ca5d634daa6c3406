//! For tests that print through the real CUPS queue GDD-PDF (scripts/cups-test-setup.sh) and
//! read back what it printed with poppler and zbar: this crate's, the CLI's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub const QUEUE: &str = "GDD-PDF";
/// Where scripts/cups-test-setup.sh makes cups-pdf write (override: GDD_CUPS_PDF_OUT).
pub const DEFAULT_OUT_DIR: &str = "/var/spool/cups-pdf-gdd";

pub fn out_dir() -> PathBuf {
    std::env::var_os("GDD_CUPS_PDF_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT_DIR))
}

fn run(tool: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(tool)
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .map_err(|e| format!("{tool}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{tool} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Panics (the test fails, it is not skipped) with what to run when CUPS is not ready.
pub fn require_cups() {
    let problem = match run("lpstat", &["-r"]) {
        Err(e) => Some(e),
        Ok(o) if !o.contains("scheduler is running") => Some(o),
        Ok(_) => match run("lpstat", &["-v", QUEUE]) {
            Err(e) => Some(e),
            Ok(o) if !o.contains("cups-pdf:") => Some(o),
            Ok(_) => None,
        },
    };
    let missing_tools: Vec<&str> = ["pdfinfo", "pdftoppm", "pdftotext", "zbarimg"]
        .into_iter()
        .filter(|t| Command::new(t).arg("-v").output().is_err())
        .collect();
    if problem.is_some() || !missing_tools.is_empty() || !out_dir().is_dir() {
        panic!(
            "CUPS test printer not ready ({}; missing tools: {missing_tools:?}; output folder {}).\n\
             Run: scripts/cups-test-setup.sh   (installs cups + cups-pdf, starts cupsd, creates {QUEUE})",
            problem.unwrap_or_else(|| "scheduler and queue ok".into()),
            out_dir().display(),
        );
    }
}

/// The file cups-pdf wrote for a job: "<title>-job_<n>.pdf" (Label 2 in the setup script).
/// `system_job` is the print system's job id, e.g. "GDD-PDF-22".
pub fn cups_output(system_job: &str) -> PathBuf {
    let number = system_job
        .rsplit('-')
        .next()
        .unwrap_or_default()
        .to_string();
    let suffix = format!("-job_{number}.pdf");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = std::fs::read_dir(out_dir())
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.path())
                    .find(|p| p.to_string_lossy().ends_with(&suffix))
            })
            .unwrap_or(None);
        if let Some(p) = found {
            return p;
        }
        if Instant::now() > deadline {
            panic!("no *{suffix} in {}", out_dir().display());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Page count by poppler's pdfinfo.
pub fn pages(pdf: &Path) -> usize {
    let info = run("pdfinfo", &[&pdf.to_string_lossy()]).expect("pdfinfo");
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in pdfinfo output:\n{info}"))
}

/// Every QR on every page: pdftoppm at 150 dpi, then zbarimg on each page image.
pub fn qr_codes(pdf: &Path, work: &Path) -> Vec<String> {
    std::fs::create_dir_all(work).expect("create the page image folder");
    let prefix = work.join("page");
    run(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            &pdf.to_string_lossy(),
            &prefix.to_string_lossy(),
        ],
    )
    .expect("pdftoppm");
    let mut images: Vec<PathBuf> = std::fs::read_dir(work)
        .expect("read the page images")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    images.sort();
    let mut codes = Vec::new();
    for img in images {
        let out = Command::new("zbarimg")
            .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
            .arg(&img)
            .output()
            .expect("zbarimg");
        // zbarimg exits 4 when a page has no code; that page just contributes nothing.
        codes.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.trim().to_string()),
        );
    }
    codes
}

/// pdftotext of the whole file.
pub fn text(pdf: &Path) -> String {
    run("pdftotext", &["-layout", &pdf.to_string_lossy(), "-"]).expect("pdftotext")
}

/// A valid PDF with `n` A4 pages saying "Trang i" (Helvetica, ASCII only), built by hand.
pub fn small_pdf(dir: &Path, n: usize) -> PathBuf {
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        String::new(), // pages, filled below
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ];
    let mut kids = Vec::new();
    for i in 1..=n {
        let content = format!("BT /F1 36 Tf 72 720 Td (Trang {i} / {n}) Tj ET");
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
        let content_id = objects.len();
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
        ));
        kids.push(format!("{} 0 R", objects.len()));
    }
    objects[1] = format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" "));
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    let path = dir.join(format!("small-{n}.pdf"));
    std::fs::write(&path, out).expect("write the test PDF");
    path
}

/// Puts the queue back to enabled and accepting when dropped, even if the test panicked.
pub struct QueueGuard;

impl QueueGuard {
    pub fn disable(reason: &str) -> Self {
        run("cupsdisable", &["-r", reason, QUEUE]).expect("cupsdisable (needs lpadmin rights)");
        QueueGuard
    }

    pub fn reject(reason: &str) -> Self {
        run("cupsreject", &["-r", reason, QUEUE]).expect("cupsreject (needs lpadmin rights)");
        QueueGuard
    }
}

impl Drop for QueueGuard {
    fn drop(&mut self) {
        let _ = run("cupsenable", &[QUEUE]);
        let _ = run("cupsaccept", &[QUEUE]);
    }
}
