//! The hostile list shapes of issue 8 through the real commands an official runs:
//! `gdd list check FILE` and `gdd list import FILE --org REF` on a demo ward, each in its own
//! process, with its wall time and peak memory (the child's `ru_maxrss`, from `wait4`).
//! The shapes are generated at bench time (`listimport::testdata::hostile`).
//!
//! `cargo bench -p gdd --bench hostile_lists` prints a Markdown table and fails if a command
//! went over 256 MB or crashed. `HOSTILE_ONLY=substring` runs the matching shapes only;
//! `HOSTILE_TIMEOUT=seconds` (default 300) kills a command that runs longer.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LIMIT_MB: f64 = 256.0;

struct Run {
    secs: f64,
    peak_mb: f64,
    /// `rows N, valid V` or the error code, or why it did not finish.
    outcome: String,
    ok: bool,
}

/// Runs `cmd` to the end (or kills it after `timeout`) and reads its own peak RSS.
fn measure(mut cmd: Command, timeout: Duration) -> Run {
    let started = Instant::now();
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn gdd");
    let pid = child.id() as libc::pid_t;
    // Drain the pipes on threads so a chatty child never blocks.
    let mut child = child;
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let (status, usage, timed_out) = loop {
        let mut status = 0;
        // SAFETY: a zeroed rusage is a valid out-parameter; `pid` is our own child.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break (status, usage, false);
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
            unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            break (status, usage, true);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let secs = started.elapsed().as_secs_f64();
    let stdout = out_t.join().unwrap_or_default();
    let stderr = err_t.join().unwrap_or_default();
    let peak_mb = usage.ru_maxrss as f64 / 1024.0;
    let exited = libc::WIFEXITED(status);
    let code = libc::WEXITSTATUS(status);
    let outcome = if timed_out {
        format!("did not finish in {} s", timeout.as_secs())
    } else if !exited {
        format!("CRASHED (signal {})", libc::WTERMSIG(status))
    } else if code == 0 {
        summary(&stdout)
    } else {
        serde_json::from_str::<serde_json::Value>(stderr.trim())
            .ok()
            .and_then(|v| {
                v["error"]["code"]
                    .as_str()
                    .map(|c| format!("refused `{c}`"))
            })
            .unwrap_or_else(|| format!("exit {code}: {}", stderr.trim()))
    };
    Run {
        secs,
        peak_mb,
        ok: !timed_out && exited && code <= 1 && peak_mb <= LIMIT_MB,
        outcome,
    }
}

fn summary(stdout: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(stdout).unwrap_or_default();
    if let Some(rows) = v["rows"].as_u64() {
        let invalid = v["invalid"].as_array().map_or(0, |a| a.len());
        format!("rows {rows}, valid {}, invalid {invalid}", v["valid"])
    } else if let Some(p) = v["persons"].as_u64() {
        format!("imported {p}, rejected {}", v["rejected"])
    } else {
        "ok".into()
    }
}

fn gdd(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gdd"));
    c.env_clear()
        .env("GDD_DB", db)
        .env("GDD_USER", "canbo")
        .env("GDD_PASSWORD", "demo1234")
        .args(args);
    c
}

fn main() {
    let only = std::env::var("HOSTILE_ONLY").unwrap_or_default();
    let timeout = Duration::from_secs(
        std::env::var("HOSTILE_TIMEOUT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(300),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("ward.db");
    let demo = gdd(&db, &["demo", "--json"]).output().expect("gdd demo");
    assert!(demo.status.success(), "gdd demo failed");
    let orgs = gdd(&db, &["org", "list", "--json"])
        .output()
        .expect("gdd org list");
    let orgs: serde_json::Value = serde_json::from_slice(&orgs.stdout).expect("org list json");
    let org = orgs[0]["ref_code"]
        .as_str()
        .expect("an organization")
        .to_string();

    println!("| shape | file | `gdd list check` | time (s) | peak RSS (MB) | `gdd list import` | time (s) | peak RSS (MB) |");
    println!("| --- | ---: | --- | ---: | ---: | --- | ---: | ---: |");
    let mut failed = Vec::new();
    for (key, make) in listimport::testdata::hostile::shapes() {
        if !key.contains(&only) {
            continue;
        }
        let shape = make();
        let path = dir.path().join(shape.file_name);
        std::fs::write(&path, &shape.bytes).expect("write shape");
        let size = format!("{:.1} MB", shape.bytes.len() as f64 / 1_048_576.0);
        drop(shape.bytes);
        let p = path.to_str().expect("utf-8 path");
        let check = measure(gdd(&db, &["list", "check", p, "--json"]), timeout);
        let import = measure(
            gdd(&db, &["list", "import", p, "--org", &org, "--json"]),
            timeout,
        );
        println!(
            "| {} | {size} | {} | {:.2} | {:.0} | {} | {:.2} | {:.0} |",
            shape.name,
            check.outcome,
            check.secs,
            check.peak_mb,
            import.outcome,
            import.secs,
            import.peak_mb
        );
        for (what, r) in [("check", &check), ("import", &import)] {
            if !r.ok {
                failed.push(format!("{key} {what}: {} ({:.0} MB)", r.outcome, r.peak_mb));
            }
        }
        let _ = std::fs::remove_file(&path);
    }
    if !failed.is_empty() {
        eprintln!(
            "over {LIMIT_MB} MB, crashed or unfinished:\n  {}",
            failed.join("\n  ")
        );
        std::process::exit(1);
    }
}
