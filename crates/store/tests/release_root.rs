//! A release build (`--features release-root`, city root from
//! GDD_CITY_ROOT_PUB): trusts the city root only and refuses the demo root.
//! Run by scripts/test-all.sh with the test city root:
//! `GDD_CITY_ROOT_PUB=assets/trust/test-city-root.pub cargo test -p store --features release-root --test release_root`
#![cfg(feature = "release-root")]

use permit::{
    roots, CategorySet, Certificate, CertificateFields, DatasetVersion, Scope, SigningKey,
};
use store::{KdfParams, Passphrase, Store, WardInit};
use time::Duration;

fn test_city_root() -> SigningKey {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/trust/test-city-root.key"
    ))
    .unwrap();
    roots::parse_secret_key(&text).unwrap()
}

fn install_key(public_key: permit::VerifyingKey, root: &SigningKey) -> String {
    let today = store::today_vn();
    Certificate::sign(
        CertificateFields {
            ward_code: 4,
            dataset: DatasetVersion {
                year: 2025,
                month: 7,
            },
            workstation: 1,
            public_key,
            valid_from: today - Duration::days(1),
            valid_to: today + Duration::days(100),
            scope: Scope {
                categories: CategorySet::ALL,
                max_validity_days: 60,
            },
        },
        root,
    )
    .unwrap()
    .to_text()
}

#[test]
fn a_release_build_trusts_the_city_root_and_refuses_the_demo_root() {
    let city = test_city_root();
    assert_eq!(
        store::trust::trusted_roots().unwrap(),
        [city.verifying_key()]
    );
    assert!(!store::trust::trusts_demo_root());
    // Verifiers still know the demo root, as DEMO only.
    let anchors = store::trust::verifier_anchors().unwrap();
    assert!(anchors
        .iter()
        .any(|a| !a.demo && a.public_key == city.verifying_key()));

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("gdd.db")).unwrap();
    let admin = store
        .init_ward(&WardInit {
            code: "00004".into(),
            name: "Phường Ba Đình".into(),
            dataset: "2025-07".into(),
            workstation: 1,
            admin_username: "quantri".into(),
            admin_full_name: "Nguyễn Văn Quản".into(),
            admin_password: "matkhau-quantri-1".into(),
        })
        .unwrap();
    let pass = Passphrase::new("Cây đa đầu làng năm 1975");
    store
        .create_workstation_key(&admin, &pass, KdfParams::INSECURE_FAST)
        .unwrap();
    let key = store.load_workstation_key(&pass).unwrap();
    // Signed by the demo root: refused even if a caller offers that root.
    let demo = install_key(key.verifying_key(), &roots::demo_root_signing_key());
    let err = store
        .install_key(&admin, &demo, &store::trust::trusted_roots().unwrap())
        .unwrap_err();
    assert_eq!(err.code(), "signature.wrong_issuer", "{err}");
    let err = store
        .install_key(&admin, &demo, &[roots::demo_root_public()])
        .unwrap_err();
    assert_eq!(err.code(), "trust.demo_root_refused", "{err}");
    assert!(!store.is_activated().unwrap());
    // Signed by the city root: activated, not demo.
    let real = install_key(key.verifying_key(), &city);
    let installed = store
        .install_key(&admin, &real, &store::trust::trusted_roots().unwrap())
        .unwrap();
    assert!(!installed.demo_root);
    assert!(store.is_activated().unwrap());
}

#[test]
fn the_demo_ward_of_a_release_build_is_not_activated() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("demo.db")).unwrap();
    store::demo::fill(&store).unwrap();
    assert!(!store.is_activated().unwrap());
}
