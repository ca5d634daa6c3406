//! Time and peak memory of `check_file` on the hostile list shapes of
//! `listimport::testdata::hostile` (issue 8), each run in a child process so
//! that its peak RSS is its own: `cargo bench -p listimport --bench hostile`.
//!
//! Environment: `HOSTILE_ONLY=substring` runs the matching shapes only,
//! `HOSTILE_TIMEOUT=seconds` (default 120) kills a shape that runs longer.
//! Prints a Markdown table.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD: &str = "GDD_HOSTILE_CHILD";

/// `VmHWM` (peak resident set) of a process, in KiB.
fn vm_hwm_kb(pid: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn child(path: &str) {
    let opts = listimport::CheckOptions::new(time::macros::date!(2026 - 11 - 25));
    let t = Instant::now();
    let outcome = match listimport::check_file(path.as_ref(), &opts) {
        Ok(r) => format!(
            "rows {}, valid {}, invalid {}",
            r.rows,
            r.valid.len(),
            r.invalid.len()
        ),
        Err(e) => format!("refused `{}`", e.code()),
    };
    let secs = t.elapsed().as_secs_f64();
    println!("{outcome}\t{secs:.3}\t{}", vm_hwm_kb("self").unwrap_or(0));
}

fn main() {
    if let Ok(path) = std::env::var(CHILD) {
        child(&path);
        return;
    }
    let only = std::env::var("HOSTILE_ONLY").unwrap_or_default();
    let timeout = std::env::var("HOSTILE_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120u64);
    let exe = std::env::current_exe().expect("own path");
    let dir = std::env::temp_dir().join(format!("gdd-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    println!("| shape | file | result | check time (s) | peak RSS (MB) |");
    println!("| --- | ---: | --- | ---: | ---: |");
    for (key, make) in listimport::testdata::hostile::shapes() {
        if !key.contains(&only) {
            continue;
        }
        let shape = make();
        let path = dir.join(shape.file_name);
        std::fs::write(&path, &shape.bytes).expect("write shape");
        let size = format!("{:.1} MB", shape.bytes.len() as f64 / 1048576.0);
        drop(shape.bytes);
        let started = Instant::now();
        let mut c = Command::new(&exe)
            .env(CHILD, &path)
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn child");
        let pid = c.id().to_string();
        let mut peak = 0;
        let status = loop {
            if let Some(kb) = vm_hwm_kb(&pid) {
                peak = peak.max(kb);
            }
            if let Some(st) = c.try_wait().expect("wait") {
                break Some(st);
            }
            if started.elapsed() > Duration::from_secs(timeout) {
                let _ = c.kill();
                let _ = c.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let out = c
            .wait_with_output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        let mut f = out.trim().split('\t');
        let row = match (status, f.next(), f.next(), f.next()) {
            (Some(st), Some(res), Some(secs), Some(kb)) if st.success() => {
                let kb: u64 = kb.parse().unwrap_or(peak);
                format!("{res} | {secs} | {:.0}", kb.max(peak) as f64 / 1024.0)
            }
            (Some(st), ..) => format!(
                "crashed ({st}) | {:.1} | ≥ {:.0}",
                started.elapsed().as_secs_f64(),
                peak as f64 / 1024.0
            ),
            (None, ..) => format!(
                "did not finish | > {timeout} (killed) | ≥ {:.0}",
                peak as f64 / 1024.0
            ),
        };
        println!("| {} | {size} | {row} |", shape.name);
        std::fs::remove_file(&path).ok();
    }
    std::fs::remove_dir_all(&dir).ok();
}
