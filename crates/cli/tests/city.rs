//! `gdd city init` and `gdd city issue-install-key`, as the city administrator runs them.

use serde_json::Value;
use std::process::{Command, Output};

const PASS: &str = "Khóa gốc Hà Nội 2026!";

fn gdd(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gdd"))
        .env_clear()
        .env("GDD_CITY_PASSPHRASE", PASS)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run gdd")
}

#[test]
fn city_root_signs_an_install_key_for_a_request() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = gdd(
        dir.path(),
        &["city", "init", "--insecure-fast-kdf", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info: Value = serde_json::from_slice(&out.stdout).expect("json");
    let fp = info["fingerprint"].as_str().expect("fingerprint");
    assert_eq!(fp.len(), 29, "{fp}");
    assert!(dir.path().join("city-root.pub").exists());
    // A second init would overwrite the root: refused.
    let again = gdd(dir.path(), &["city", "init", "--insecure-fast-kdf"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("key.exists"));

    let ws = keystore::generate_signing_key().expect("ws");
    let request = keystore::ActivationRequest {
        ward_code: "00004".into(),
        ward_name: "Phường Ba Đình".into(),
        dataset: "2025-07".into(),
        workstation: 1,
        public_key: ws.verifying_key(),
        created_at: time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .expect("time"),
        contact_emails: vec!["badinh.gdd1@gmail.com".into()],
    }
    .sign(&ws)
    .expect("sign");
    std::fs::write(dir.path().join("request.txt"), request.to_text()).expect("write");
    let out = gdd(
        dir.path(),
        &[
            "city",
            "issue-install-key",
            "request.txt",
            "--days",
            "90",
            "-o",
            "install-key.txt",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let issued: Value = serde_json::from_slice(&out.stdout).expect("json");
    let text = std::fs::read_to_string(dir.path().join("install-key.txt")).expect("install key");
    assert_eq!(issued["install_key"], text.as_str());
    let cert = permit::Certificate::from_text(&text).expect("parse");
    assert_eq!(cert.fields().public_key, ws.verifying_key());

    // The wrong passphrase: refused with its code, nothing written.
    let bad = Command::new(env!("CARGO_BIN_EXE_gdd"))
        .env_clear()
        .env("GDD_CITY_PASSPHRASE", "không phải mật khẩu")
        .current_dir(dir.path())
        .args([
            "city",
            "issue-install-key",
            "request.txt",
            "-o",
            "other.txt",
        ])
        .output()
        .expect("run");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("key.bad_passphrase"));
    assert!(!dir.path().join("other.txt").exists());
}

#[test]
fn a_ward_requests_activation_and_refuses_a_key_from_a_root_it_does_not_trust() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("gdd.db");
    let ward = |user: Option<&str>, args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gdd"));
        cmd.env_clear()
            .env("GDD_DB", &db)
            .env("GDD_PASSWORD", "matkhau-quan-tri")
            .env("GDD_NEW_PASSWORD", "matkhau-quan-tri")
            .env("GDD_KEY_PASSPHRASE", "Khóa máy trạm phường 2026")
            .env("GDD_CITY_PASSPHRASE", PASS)
            .current_dir(dir.path())
            .args(args);
        if let Some(u) = user {
            cmd.env("GDD_USER", u);
        }
        cmd.output().expect("run gdd")
    };
    let ok = |out: Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).expect("json")
    };
    ok(ward(
        None,
        &[
            "init",
            "--ward-code",
            "00007",
            "--ward-name",
            "Phường Hoàn Kiếm",
            "--admin",
            "quantri",
            "--admin-name",
            "Đỗ Thị Quyên",
            "--json",
        ],
    ));
    let key = ok(ward(Some("quantri"), &["activation", "key", "--json"]));
    let req = ok(ward(
        Some("quantri"),
        &[
            "activation",
            "request",
            "--email",
            "hoankiem.gdd1@gmail.com",
            "-o",
            "yeu-cau.txt",
            "--json",
        ],
    ));
    assert_eq!(req["fingerprint"], key["fingerprint"]);

    // This build trusts only the demo root: a city root made here is not it.
    ok(ward(
        None,
        &["city", "init", "--insecure-fast-kdf", "--json"],
    ));
    ok(ward(
        None,
        &[
            "city",
            "issue-install-key",
            "yeu-cau.txt",
            "-o",
            "khoa.txt",
            "--json",
        ],
    ));
    let out = ward(
        Some("quantri"),
        &["activation", "install", "khoa.txt", "--json"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("signature.wrong_issuer"), "{err}");
    let status = ok(ward(Some("quantri"), &["activation", "status", "--json"]));
    assert_eq!(status["activated"], false);
}

#[test]
fn the_city_revokes_a_workstation_key_and_checkpoints_refuse_its_permits() {
    let dir = tempfile::tempdir().expect("tmp");
    let root_key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/trust/test-city-root.key"
    );
    let root_pub = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/trust/test-city-root.pub"
    );
    let root = permit::roots::parse_secret_key(&std::fs::read_to_string(root_key).expect("key"))
        .expect("root");
    // A workstation certified by that root, and one permit it signed.
    let ws = permit::SigningKey::from_bytes(&[42; 32]);
    let today = time::OffsetDateTime::now_utc().date();
    let cert = permit::Certificate::sign(
        permit::CertificateFields {
            ward_code: 4,
            dataset: permit::DatasetVersion {
                year: 2025,
                month: 7,
            },
            workstation: 1,
            public_key: ws.verifying_key(),
            valid_from: today - time::Duration::days(1),
            valid_to: today + time::Duration::days(300),
            scope: permit::Scope {
                categories: permit::CategorySet::ALL,
                max_validity_days: 60,
            },
        },
        &root,
    )
    .expect("cert");
    std::fs::write(dir.path().join("install-key.txt"), cert.to_text()).expect("write");
    let mut fields = permit::samples::typical();
    fields.valid_from = today;
    fields.valid_to = today + time::Duration::days(20);
    let token = permit::Token::sign(&fields, &cert, &ws)
        .expect("sign")
        .to_text();
    let verify = |extra: &[&str]| {
        let mut args = vec!["verify", token.as_str(), "--root", root_pub, "--json"];
        args.extend_from_slice(extra);
        let out = gdd(dir.path(), &args);
        let v: Value = serde_json::from_slice(&out.stdout).expect("json");
        (out.status.success(), v)
    };
    let (ok, v) = verify(&[]);
    assert!(ok, "{v}");
    assert_eq!(v["verdict"], "valid");

    // The city revokes the workstation (the PC was stolen), from its install key.
    let args = [
        "city",
        "revoke",
        "--list",
        "city-revocations.txt",
        "--install-key",
        "install-key.txt",
        "--code",
        "key-compromised",
        "--reason",
        "Máy trạm bị mất trộm",
        "--json",
    ];
    // The test root's file is plain hex; the city tool reads the root sealed
    // under its passphrase, as `city init` writes it.
    let sealed = dir.path().join("city-root.key");
    keystore::KeyFile::new(&sealed)
        .create(
            &root,
            &keystore::Passphrase::new(PASS),
            city::ROOT_PURPOSE,
            keystore::KdfParams::INSECURE_FAST,
        )
        .expect("seal");
    let out = gdd(dir.path(), &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (first["number"].as_u64(), first["keys"].as_u64()),
        (Some(1), Some(1))
    );

    let (ok, v) = verify(&["--revocations", "city-revocations.txt"]);
    assert!(!ok);
    assert_eq!(v["verdict"], "revoked", "{v}");
    assert!(v["revocation"]["reason"]
        .as_str()
        .unwrap_or_default()
        .contains("mất trộm"));

    // A later list keeps the key and counts up; a damaged list is not extended.
    let out = gdd(
        dir.path(),
        &[
            "city",
            "revoke",
            "--list",
            "city-revocations.txt",
            "--serial",
            "00004-01-000099",
            "--code",
            "lost",
            "--reason",
            "Mất giấy",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (
            second["number"].as_u64(),
            second["keys"].as_u64(),
            second["permits"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    // Republished without changes: same entries, next number, fresh date.
    let out = gdd(
        dir.path(),
        &[
            "revocations",
            "export",
            "--city",
            "--list",
            "city-revocations.txt",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let third: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (
            third["number"].as_u64(),
            third["keys"].as_u64(),
            third["permits"].as_u64()
        ),
        (Some(3), Some(1), Some(1))
    );
    let (ok, v) = verify(&["--revocations", "city-revocations.txt"]);
    assert!(!ok);
    assert_eq!(v["revocation"]["list_number"], 3, "{v}");
    let mut text = std::fs::read_to_string(dir.path().join("city-revocations.txt")).expect("list");
    text = text.replacen('A', "B", 1);
    std::fs::write(dir.path().join("city-revocations.txt"), text).expect("write");
    let out = gdd(
        dir.path(),
        &[
            "city",
            "revoke",
            "--list",
            "city-revocations.txt",
            "--serial",
            "00004-01-000100",
            "--reason",
            "x",
        ],
    );
    assert!(!out.status.success());
}
