//! Fixed files written by version 1 of the formats: every later version must
//! still read them the same way (and other implementations can check against
//! them). Key seed: 32 bytes of 0x42. Passphrase: "Cây đa đầu làng 1975".

use keystore::*;
use unicode_normalization::UnicodeNormalization;

const PASS: &str = "Cây đa đầu làng 1975";
const FINGERPRINT: &str = "GCL6-FXXC-ZNFD-JNJY-IDG3-OBNO";

fn data(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[test]
fn sealed_key_v1_opens_with_nfc_and_nfd_passphrases() {
    let file = KeyFile::new(data("sealed-v1.txt"));
    let info = file.inspect().unwrap();
    assert_eq!(info.purpose, "test vector — khóa thử");
    assert_eq!(info.fingerprint.to_string(), FINGERPRINT);
    assert_eq!(info.kdf, KdfParams::INSECURE_FAST);
    assert_eq!(info.created_at.unix_timestamp(), 1_795_579_882);

    let nfc = file.load(&Passphrase::new(PASS)).unwrap();
    assert_eq!(nfc.to_bytes(), [0x42; 32]);
    let nfd: String = PASS.nfd().collect();
    assert_ne!(nfd.as_bytes(), PASS.as_bytes());
    assert_eq!(
        file.load(&Passphrase::new(&nfd)).unwrap().to_bytes(),
        [0x42; 32]
    );

    let e = file
        .load(&Passphrase::new("Cay da dau lang 1975"))
        .unwrap_err();
    assert_eq!(e.code(), "key.bad_passphrase");
}

#[test]
fn activation_request_v1_reads_and_verifies() {
    let text = std::fs::read_to_string(data("activation-request-v1.txt")).unwrap();
    let s = SignedActivationRequest::from_text(&text).unwrap();
    let r = s.request();
    assert_eq!(r.ward_code, "00004");
    assert_eq!(r.ward_name, "Phường Ba Đình");
    assert_eq!(r.dataset, "2025-07");
    assert_eq!(r.workstation, 1);
    assert_eq!(
        r.public_key,
        SigningKey::from_bytes(&[0x42; 32]).verifying_key()
    );
    assert_eq!(r.created_at.unix_timestamp(), 1_764_043_066);
    assert_eq!(
        r.contact_emails,
        vec!["ubnd.badinh.1@gmail.com", "ubnd.badinh.2@gmail.com"]
    );
    assert_eq!(s.fingerprint().to_string(), FINGERPRINT);
    // Ed25519 is deterministic: signing the same request again gives the same bytes.
    let again = r.sign(&SigningKey::from_bytes(&[0x42; 32])).unwrap();
    assert_eq!(again.to_text(), text);
}

#[test]
fn key_file_written_from_a_nfd_passphrase_opens_with_nfc() {
    let dir = tempfile::tempdir().unwrap();
    let file = KeyFile::new(dir.path().join("ws.key"));
    let key = generate_signing_key().unwrap();
    let nfd: String = PASS.nfd().collect();
    file.create(
        &key,
        &Passphrase::new(&nfd),
        "workstation",
        KdfParams::INSECURE_FAST,
    )
    .unwrap();
    assert_eq!(
        file.load(&Passphrase::new(PASS)).unwrap().to_bytes(),
        key.to_bytes()
    );
}
