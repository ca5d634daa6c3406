//! City root → install key → the workstation accepts it.

use city::{init_root, issue_install_key, load_root, IssueOptions};
use keystore::{generate_signing_key, ActivationRequest, KdfParams, Passphrase};
use permit::{CategorySet, InstallTarget};
use time::macros::{date, datetime};

const PASS: &str = "Khóa gốc Hà Nội 2026!";

fn request_text(ws_key: &keystore::SigningKey) -> String {
    ActivationRequest {
        ward_code: "00004".into(),
        ward_name: "Phường Ba Đình".into(),
        dataset: "2025-07".into(),
        workstation: 2,
        public_key: ws_key.verifying_key(),
        created_at: datetime!(2026-11-25 08:00 UTC),
        contact_emails: vec!["phuongbadinh.gdd1@gmail.com".into()],
    }
    .sign(ws_key)
    .expect("sign request")
    .to_text()
}

fn opts() -> IssueOptions {
    IssueOptions {
        valid_from: date!(2026 - 11 - 25),
        valid_days: 180,
        categories: CategorySet::ALL,
        max_validity_days: 31,
    }
}

#[test]
fn root_issues_an_install_key_the_workstation_accepts() {
    let dir = tempfile::tempdir().expect("tmp");
    let key_file = dir.path().join("city-root.key");
    let info =
        init_root(&key_file, &Passphrase::new(PASS), KdfParams::INSECURE_FAST).expect("init");
    assert_eq!(
        std::fs::read_to_string(&info.public_file)
            .expect("pub")
            .trim(),
        info.public_hex
    );
    assert!(
        init_root(&key_file, &Passphrase::new(PASS), KdfParams::INSECURE_FAST).is_err(),
        "never overwrites a root"
    );

    let root = load_root(&key_file, &Passphrase::new(PASS)).expect("load");
    let ws = generate_signing_key().expect("ws key");
    // Mail clients quote and re-wrap: the request must still read.
    let quoted: String = request_text(&ws)
        .lines()
        .map(|l| format!("> {l}\r\n"))
        .collect();
    let issued = issue_install_key(&quoted, &root, opts()).expect("issue");
    assert!(issued.text.starts_with(permit::INSTALL_KEY_LABEL));
    assert_eq!(
        issued.contact_emails,
        vec!["phuongbadinh.gdd1@gmail.com".to_string()]
    );

    let cert = permit::Certificate::from_text(&issued.text).expect("parse install key");
    let target = InstallTarget {
        ward_code: 4,
        dataset: "2025-07".parse().expect("dataset"),
        workstation: 2,
        public_key: ws.verifying_key(),
    };
    let root_pub = permit::roots::parse_public_key(&info.public_hex).expect("pub");
    cert.check_install(&root_pub, &target, date!(2026 - 11 - 26))
        .expect("accepted");
    // 180 days counting the first: the 181st day is out.
    assert!(cert
        .check_install(&root_pub, &target, date!(2027 - 05 - 24))
        .is_err());
    assert!(cert
        .check_install(&root_pub, &target, date!(2027 - 05 - 23))
        .is_ok());
}

#[test]
fn wrong_passphrase_tampered_request_and_demo_root_are_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let key_file = dir.path().join("city-root.key");
    init_root(&key_file, &Passphrase::new(PASS), KdfParams::INSECURE_FAST).expect("init");
    assert_eq!(
        load_root(&key_file, &Passphrase::new("sai mật khẩu rồi"))
            .expect_err("wrong")
            .code(),
        "key.bad_passphrase"
    );
    let root = load_root(&key_file, &Passphrase::new(PASS)).expect("load");
    let ws = generate_signing_key().expect("ws key");
    let text = request_text(&ws);
    // One character changed inside the armored body.
    let body_start = text.find("-----\n").expect("armor") + 6;
    let mut bytes = text.clone().into_bytes();
    bytes[body_start + 3] = if bytes[body_start + 3] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let tampered = String::from_utf8(bytes).expect("utf8");
    assert!(issue_install_key(&tampered, &root, opts()).is_err());
    let demo = permit::roots::demo_root_signing_key();
    assert_eq!(
        issue_install_key(&text, &demo, opts())
            .expect_err("demo")
            .code(),
        "city.demo_root"
    );
}
