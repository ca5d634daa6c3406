//! A real operating-system write failure, not a simulated one: a child process
//! whose file-size limit (RLIMIT_FSIZE) is smaller than a sealed key tries to
//! re-seal an existing key file. The write fails with EFBIG, the way a full
//! disk fails with ENOSPC; the old file must be intact and still open.

#![cfg(unix)]

use keystore::*;
use std::process::Command;

const OLD: &str = "Cây đa đầu làng 1975";
const NEW: &str = "Trăng rằm tháng tám 2026";
const CHILD_VAR: &str = "KEYSTORE_TEST_CHILD_KEYFILE";

#[test]
fn a_real_write_failure_leaves_the_old_key_file() {
    if let Ok(path) = std::env::var(CHILD_VAR) {
        return child(&path);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.key");
    let file = KeyFile::new(&path);
    let key = generate_signing_key().unwrap();
    file.create(
        &key,
        &Passphrase::new(OLD),
        "workstation",
        KdfParams::INSECURE_FAST,
    )
    .unwrap();
    let before = std::fs::read(&path).unwrap();
    assert!(before.len() > 300);

    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_real_write_failure_leaves_the_old_key_file",
            "--nocapture",
        ])
        .env(CHILD_VAR, &path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("CHILD-RESULT "))
        .unwrap_or_else(|| panic!("no result from child: {stdout}"));
    assert!(line.starts_with("CHILD-RESULT key.write_failed "), "{line}");
    let efbig = std::io::Error::from_raw_os_error(libc::EFBIG).to_string();
    assert!(line.contains(&efbig), "{line}");

    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        file.load(&Passphrase::new(OLD)).unwrap().to_bytes(),
        key.to_bytes()
    );
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "temporary file left behind: {names:?}");
}

fn child(path: &str) {
    // SAFETY: plain libc calls on this process's own signal disposition and
    // limits, with valid arguments; this child process exits right after.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let limit = libc::rlimit {
            rlim_cur: 200,
            rlim_max: libc::RLIM_INFINITY,
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
    }
    let result = KeyFile::new(path).change_passphrase(
        &Passphrase::new(OLD),
        &Passphrase::new(NEW),
        KdfParams::INSECURE_FAST,
    );
    match result {
        Ok(()) => println!("CHILD-RESULT ok"),
        Err(e) => println!("CHILD-RESULT {} {e}", e.code()),
    }
}
