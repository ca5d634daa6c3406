//! Activation (workstation key, request, install key) and stamping, on a
//! fresh (non-demo) ward so that nothing depends on the demo's contents.

mod common;

use permit::{
    roots, CategorySet, Certificate, CertificateFields, DatasetVersion, Scope, SigningKey,
    VerifyingKey,
};
use store::{
    KdfParams, NewResidentRequest, NewUser, Passphrase, Role, Session, State, Store, WardInit,
};
use time::{Date, Duration, OffsetDateTime};

const PASS: &str = "Cây đa đầu làng năm 1975";

struct Ward {
    _dir: tempfile::TempDir,
    store: Store,
    admin: Session,
    area: Session,
    official: Session,
    police: Session,
}

fn ward() -> Ward {
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
    let mut sessions = Vec::new();
    for (u, role) in [
        ("cskv", Role::AreaPolice),
        ("canbo", Role::WardOfficial),
        ("congan", Role::WardPolice),
    ] {
        store
            .add_user(
                &admin,
                &NewUser {
                    username: u.into(),
                    full_name: "Người Thử".into(),
                    password: "matkhau-thu-123".into(),
                    roles: vec![role],
                },
            )
            .unwrap();
        sessions.push(store.login(u, "matkhau-thu-123").unwrap());
    }
    let police = sessions.pop().unwrap();
    let official = sessions.pop().unwrap();
    let area = sessions.pop().unwrap();
    Ward {
        _dir: dir,
        store,
        admin,
        area,
        official,
        police,
    }
}

fn today() -> Date {
    store::today_vn()
}

/// `n` approved resident permits valid from today for 30 days.
fn approved(w: &Ward, n: u32, first: u32) -> Vec<i64> {
    let persons = (0..n)
        .map(|i| {
            let mut p = common::person(
                &format!("Nguyễn Thị Thử {}", first + i),
                &format!("0011900{:05}", first + i),
            );
            p.valid_from = Some(today());
            p.valid_to = Some(today() + Duration::days(29));
            p
        })
        .collect();
    let req = w
        .store
        .create_resident_request(
            &w.area,
            &NewResidentRequest {
                category: permit::category::URGENT_PERSONAL,
                note: None,
                persons,
            },
        )
        .unwrap();
    let ids: Vec<i64> = w
        .store
        .request(&w.area, req)
        .unwrap()
        .persons
        .iter()
        .map(|p| p.permit.id)
        .collect();
    w.store.check(&w.area, &ids).unwrap();
    w.store.approve(&w.official, &ids).unwrap();
    ids
}

fn cert_for(
    public_key: VerifyingKey,
    root: &SigningKey,
    edit: impl FnOnce(&mut CertificateFields),
) -> String {
    let mut f = CertificateFields {
        ward_code: 4,
        dataset: DatasetVersion {
            year: 2025,
            month: 7,
        },
        workstation: 1,
        public_key,
        valid_from: today() - Duration::days(1),
        valid_to: today() + Duration::days(365),
        scope: Scope {
            categories: CategorySet::ALL,
            max_validity_days: 60,
        },
    };
    edit(&mut f);
    Certificate::sign(f, root).unwrap().to_text()
}

fn other_root() -> SigningKey {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/trust/other-root.key"
    ))
    .unwrap();
    roots::parse_secret_key(&text).unwrap()
}

/// Key created, request made, install key installed: returns the key.
fn activate(w: &Ward) -> SigningKey {
    w.store
        .create_workstation_key(&w.admin, &Passphrase::new(PASS), KdfParams::INSECURE_FAST)
        .unwrap();
    let key = w
        .store
        .load_workstation_key(&Passphrase::new(PASS))
        .unwrap();
    let text = cert_for(key.verifying_key(), &roots::demo_root_signing_key(), |_| {});
    w.store
        .install_key(&w.admin, &text, &store::trust::trusted_roots().unwrap())
        .unwrap();
    key
}

fn counter(store: &Store) -> i64 {
    store
        .raw_connection()
        .query_row("SELECT last FROM serial_counter", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn activation_happy_path() {
    let w = ward();
    let ids = approved(&w, 2, 0);
    assert!(!w.store.is_activated().unwrap());
    assert_eq!(
        w.store.stamp(&w.police, &ids).unwrap_err().code(),
        "workflow.not_activated"
    );
    let pass = Passphrase::new(PASS);
    // only the ward administrator makes the key
    assert_eq!(
        w.store
            .create_workstation_key(&w.police, &pass, KdfParams::INSECURE_FAST)
            .unwrap_err()
            .code(),
        "auth.forbidden"
    );
    // no key yet: no request, no install
    assert_eq!(
        w.store
            .activation_request(&w.admin, &pass, &["a@b.vn".into()])
            .unwrap_err()
            .code(),
        "activation.no_key"
    );
    let info = w
        .store
        .create_workstation_key(&w.admin, &pass, KdfParams::INSECURE_FAST)
        .unwrap();
    let path = info.key_file.clone().unwrap();
    assert!(path.exists());
    assert_eq!(
        path.file_name().unwrap().to_string_lossy(),
        "gdd-workstation-1.key"
    );
    assert_eq!(w.store.workstation_key().unwrap().unwrap(), info);
    assert_eq!(
        w.store
            .create_workstation_key(&w.admin, &pass, KdfParams::INSECURE_FAST)
            .unwrap_err()
            .code(),
        "activation.key_exists"
    );
    assert_eq!(
        w.store
            .load_workstation_key(&Passphrase::new("sai mật khẩu rồi"))
            .unwrap_err()
            .code(),
        "key.bad_passphrase"
    );

    let req = w
        .store
        .activation_request(&w.admin, &pass, &["UBND.BaDinh@gmail.com".into()])
        .unwrap();
    let back = keystore::SignedActivationRequest::from_text(&req.to_text()).unwrap();
    let r = back.request();
    assert_eq!(
        (
            r.ward_code.as_str(),
            r.dataset.as_str(),
            r.ward_name.as_str(),
            r.workstation
        ),
        ("00004", "2025-07", "Phường Ba Đình", 1)
    );
    assert_eq!(back.fingerprint().to_string(), info.fingerprint);
    assert_eq!(r.contact_emails, ["ubnd.badinh@gmail.com"]);

    // the city answers; the workstation installs it
    let text = cert_for(r.public_key, &roots::demo_root_signing_key(), |_| {});
    // pasted from an email: quoted, re-wrapped, CRLF
    let pasted: String = text
        .lines()
        .map(|l| format!("> {l}  \r\n"))
        .collect::<String>();
    let installed = w
        .store
        .install_key(&w.admin, &pasted, &[roots::demo_root_public()])
        .unwrap();
    assert!(installed.demo_root);
    assert_eq!(installed.max_validity_days, 60);
    assert!(w.store.is_activated().unwrap());
    assert_eq!(w.store.installed_key().unwrap().unwrap(), installed);

    let all: Vec<String> = w
        .store
        .audit_entries(None, 50)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "activation.key_created",
        "activation.request",
        "activation.install_key",
    ] {
        assert!(all.iter().any(|x| x == a), "{a} in {all:?}");
    }
    assert!(w.store.audit_verify().unwrap().ok);

    // and it survives reopening
    let db = w.store.path().unwrap().to_path_buf();
    let reopened = Store::open(&db).unwrap();
    assert!(reopened.is_activated().unwrap());
}

#[test]
fn bad_install_keys_are_refused_with_the_reason() {
    let w = ward();
    let demo = roots::demo_root_signing_key();
    let trusted = [roots::demo_root_public()];
    let stranger = SigningKey::from_bytes(&[7; 32]).verifying_key();
    // before the workstation has a key
    let early = cert_for(stranger, &demo, |_| {});
    assert_eq!(
        w.store
            .install_key(&w.admin, &early, &trusted)
            .unwrap_err()
            .code(),
        "activation.no_key"
    );
    w.store
        .create_workstation_key(&w.admin, &Passphrase::new(PASS), KdfParams::INSECURE_FAST)
        .unwrap();
    let ours = w
        .store
        .load_workstation_key(&Passphrase::new(PASS))
        .unwrap()
        .verifying_key();
    let yesterday = today() - Duration::days(1);
    let cases: Vec<(String, &str)> = vec![
        (
            cert_for(ours, &demo, |f| f.ward_code = 7),
            "install_key.wrong_ward",
        ),
        (
            cert_for(ours, &demo, |f| {
                f.dataset = DatasetVersion {
                    year: 2021,
                    month: 1,
                }
            }),
            "install_key.wrong_ward",
        ),
        (
            cert_for(ours, &demo, |f| f.workstation = 2),
            "install_key.wrong_workstation",
        ),
        (cert_for(stranger, &demo, |_| {}), "install_key.wrong_key"),
        (
            cert_for(ours, &demo, |f| {
                f.valid_from = yesterday - Duration::days(30);
                f.valid_to = yesterday;
            }),
            "install_key.expired",
        ),
        (
            cert_for(ours, &demo, |f| {
                f.valid_from = today() + Duration::days(2);
            }),
            "install_key.not_yet_valid",
        ),
        (
            cert_for(ours, &other_root(), |_| {}),
            "signature.wrong_issuer",
        ),
        ("xin chào".into(), "armor.missing_header"),
    ];
    for (text, code) in &cases {
        let err = w.store.install_key(&w.admin, text, &trusted).unwrap_err();
        assert_eq!(err.code(), *code, "{err}");
        assert!(
            err.to_string().starts_with("Khóa cài đặt bị từ chối"),
            "{err}"
        );
    }
    let wrong_ward = w
        .store
        .install_key(&w.admin, &cases[0].0, &trusted)
        .unwrap_err()
        .to_string();
    assert!(wrong_ward.contains("00007"), "{wrong_ward}");

    // a certificate whose signed bytes were changed: bad signature
    let good = cert_for(ours, &demo, |_| {});
    let cert = Certificate::from_text(&good).unwrap();
    let mut bytes = cert.encode().to_vec();
    bytes[48] ^= 1; // the permit categories, under the root's signature
    let tampered = permit::armor::encode(permit::INSTALL_KEY_LABEL, &bytes);
    assert_eq!(
        w.store
            .install_key(&w.admin, &tampered, &trusted)
            .unwrap_err()
            .code(),
        "signature.bad"
    );
    // only the ward administrator installs
    assert_eq!(
        w.store
            .install_key(&w.official, &good, &trusted)
            .unwrap_err()
            .code(),
        "auth.forbidden"
    );
    assert!(!w.store.is_activated().unwrap());
    // the good one goes in
    w.store.install_key(&w.admin, &good, &trusted).unwrap();
    assert!(w.store.is_activated().unwrap());
    assert!(w.store.audit_verify().unwrap().ok);
}

#[test]
fn stamping_a_batch_signs_with_unique_increasing_serials() {
    let w = ward();
    let ids = approved(&w, 30, 0);
    let key = activate(&w);
    let before = counter(&w.store);
    let out = w.store.stamp_with(&w.police, &ids, &key).unwrap();
    assert_eq!(out.len(), 30);
    let seqs: Vec<u32> = out
        .iter()
        .map(|s| s.serial.parse::<permit::Serial>().unwrap().sequence)
        .collect();
    assert!(seqs.windows(2).all(|p| p[1] == p[0] + 1), "{seqs:?}");
    assert_eq!(i64::from(seqs[0]), before + 1);
    let at = OffsetDateTime::now_utc();
    for s in &out {
        let v = verify::verify(&s.token, at, &[verify::demo_anchor()], None);
        assert_eq!(v.verdict, verify::Verdict::Demo, "{v:?}");
        let f = v.fields.unwrap();
        assert_eq!(f.serial, s.serial);
        assert!(f.holder_name.starts_with("Nguyễn Thị Thử"));
        assert_eq!(
            w.store.permit_token(s.permit_id).unwrap().unwrap(),
            (s.serial.clone(), s.token.clone())
        );
        // a production verifier (no demo root) does not accept it
        let prod = verify::verify(
            &s.token,
            at,
            &[verify::TrustAnchor::production(
                SigningKey::from_bytes(&[9; 32]).verifying_key(),
            )],
            None,
        );
        assert_eq!(prod.verdict, verify::Verdict::UnknownIssuer);
    }
    let counts = w.store.counts_by_state().unwrap();
    let stamped = counts.iter().find(|c| c.state == State::Stamped).unwrap();
    assert_eq!(stamped.count, 30);
    // stamping again signs nothing new: the permit keeps its serial; printing works
    let again = w.store.stamp_with(&w.police, &ids[..1], &key).unwrap();
    assert_eq!(again.len(), 1);
    assert!(again[0].already_stamped);
    assert_eq!(again[0].serial, out[0].serial);
    w.store.mark_printed(&w.police, &ids[..5]).unwrap();
    // one audit entry per stamped permit, naming its serial
    let e = w.store.audit_entries(Some(("permit", ids[3])), 1).unwrap();
    assert_eq!(e[0].action, "permit.mark_printed");
    let e = w.store.audit_entries(Some(("permit", ids[10])), 1).unwrap();
    assert_eq!(e[0].action, "permit.stamp");
    assert_eq!(e[0].details["serial"], out[10].serial.as_str());
    assert!(w.store.audit_verify().unwrap().ok);
}

#[test]
fn a_failed_batch_rolls_back_and_gives_no_serial_twice() {
    let w = ward();
    let ok = approved(&w, 5, 0);
    let key = activate(&w);
    let first = w.store.stamp_with(&w.police, &ok[..2], &key).unwrap();
    let after_first = counter(&w.store);
    // a batch with one permit that is not approved (revoked) fails whole
    let revoked = approved(&w, 1, 50)[0];
    w.store.revoke(&w.official, revoked, "Mất giấy.").unwrap();
    let batch = vec![ok[2], ok[3], revoked];
    let err = w.store.stamp_with(&w.police, &batch, &key).unwrap_err();
    assert_eq!(err.code(), "workflow.illegal_transition");
    assert!(err.to_string().contains(&format!("#{revoked}")), "{err}");
    // nothing moved, nothing signed, and the counter is where it was: a
    // rolled-back batch gives its numbers back (they were never on a permit)
    assert_eq!(counter(&w.store), after_first);
    for id in &ok[2..] {
        assert_eq!(w.store.permit_token(*id).unwrap(), None);
    }
    let stamped = w
        .store
        .counts_by_state()
        .unwrap()
        .into_iter()
        .find(|c| c.state == State::Stamped)
        .unwrap()
        .count;
    assert_eq!(stamped, 2);
    // the next batch continues after the last committed serial
    let next = w.store.stamp_with(&w.police, &ok[2..], &key).unwrap();
    let mut all: Vec<String> = first
        .iter()
        .chain(&next)
        .map(|s| s.serial.clone())
        .collect();
    assert_eq!(all[2], "00004-01-000003");
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), n, "no serial twice");

    // the wrong key is refused before anything happens
    let more = approved(&w, 1, 100);
    let other = SigningKey::from_bytes(&[3; 32]);
    assert_eq!(
        w.store
            .stamp_with(&w.police, &more, &other)
            .unwrap_err()
            .code(),
        "stamp.wrong_key"
    );
    // only the ward police stamps
    assert_eq!(
        w.store
            .stamp_with(&w.official, &more, &key)
            .unwrap_err()
            .code(),
        "workflow.forbidden"
    );
    assert_eq!(counter(&w.store), 5);

    // reopening the database keeps the counter
    let db = w.store.path().unwrap().to_path_buf();
    let reopened = Store::open(&db).unwrap();
    assert_eq!(counter(&reopened), 5);
    let police = reopened.login("congan", "matkhau-thu-123").unwrap();
    let key = reopened
        .load_workstation_key(&Passphrase::new(PASS))
        .unwrap();
    let s = reopened.stamp_with(&police, &more, &key).unwrap();
    assert_eq!(s[0].serial, "00004-01-000006");
    // the counter cannot be moved back by hand either
    assert!(reopened
        .raw_connection()
        .execute("UPDATE serial_counter SET last = 2", [])
        .is_err());
}

#[test]
fn an_install_key_out_of_date_stops_stamping() {
    let w = ward();
    let ids = approved(&w, 1, 0);
    let key = activate(&w);
    // the install key runs a year: the day after, the workstation is no longer activated
    let later = today() + Duration::days(400);
    assert_eq!(
        w.store
            .stamp_on(&w.police, &ids, &key, later)
            .unwrap_err()
            .code(),
        "workflow.not_activated"
    );
    // a permit longer than the certificate allows is refused, named
    let mut p = common::person("Trần Văn Dài", "001090099999");
    p.valid_from = Some(today());
    p.valid_to = Some(today() + Duration::days(89));
    let req = w
        .store
        .create_resident_request(
            &w.area,
            &NewResidentRequest {
                category: permit::category::URGENT_PERSONAL,
                note: None,
                persons: vec![p],
            },
        )
        .unwrap();
    let long = w.store.request(&w.area, req).unwrap().persons[0].permit.id;
    w.store.check(&w.area, &[long]).unwrap();
    w.store.approve(&w.official, &[long]).unwrap();
    let err = w
        .store
        .stamp_with(&w.police, &[ids[0], long], &key)
        .unwrap_err();
    assert_eq!(err.code(), "permit.out_of_scope");
    assert!(err.to_string().contains(&format!("#{long}")), "{err}");
    assert_eq!(counter(&w.store), 0);
}

#[test]
fn trusted_roots_of_a_development_build_are_the_demo_root() {
    assert!(store::trust::trusts_demo_root());
    assert_eq!(
        store::trust::trusted_roots().unwrap(),
        vec![roots::demo_root_public()]
    );
}

#[test]
fn demo_passphrase_meets_the_rules_and_opens_the_demo_key() {
    Passphrase::new(store::demo::DEMO_KEY_PASSPHRASE)
        .check_new()
        .unwrap();
}

fn sequences(out: &[store::Stamped]) -> Vec<u32> {
    out.iter()
        .map(|s| s.serial.parse::<permit::Serial>().unwrap().sequence)
        .collect()
}

#[test]
fn a_restored_or_copied_store_never_signs_a_serial_twice() {
    let Ward {
        _dir: dir,
        store,
        admin,
        police,
        area,
        official,
    } = ward();
    let w = Ward {
        _dir: tempfile::tempdir().unwrap(),
        store,
        admin,
        area,
        official,
        police,
    };
    let ids = approved(&w, 6, 0);
    let key = activate(&w);
    let db = dir.path().join("gdd.db");
    let backup = dir.path().join("backup.db");
    assert_eq!(
        sequences(&w.store.stamp_with(&w.police, &ids[..2], &key).unwrap()),
        [1, 2]
    );
    w.store
        .raw_connection()
        .execute("VACUUM INTO ?1", [backup.to_str().unwrap()])
        .unwrap();
    assert_eq!(
        sequences(&w.store.stamp_with(&w.police, &ids[2..4], &key).unwrap()),
        [3, 4]
    );
    let mark = w.store.serial_mark_path().unwrap().unwrap();
    assert_eq!(std::fs::read_to_string(&mark).unwrap().trim(), "4");
    drop(w);

    // Restored on the same PC (yesterday's copy over today's file): the mark
    // next to the key is ahead, so permits 3 and 4 get new numbers.
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    std::fs::copy(&backup, &db).unwrap();
    let restored = Store::open(&db).unwrap();
    let police = restored.login("congan", "matkhau-thu-123").unwrap();
    let again = restored.stamp_with(&police, &ids[2..4], &key).unwrap();
    assert_eq!(sequences(&again), [5, 6]);
    drop(restored);

    // The same copy opened elsewhere (no mark beside it), even with the key
    // file: it may not sign as workstation 1 again.
    let copy = dir.path().join("backup.db");
    std::fs::copy(
        dir.path().join("gdd-workstation-1.key"),
        dir.path().join("backup-workstation-1.key"),
    )
    .unwrap();
    let other = Store::open(&copy).unwrap();
    let police = other.login("congan", "matkhau-thu-123").unwrap();
    let err = other.stamp_with(&police, &ids[2..3], &key).unwrap_err();
    assert_eq!(err.code(), "stamp.restored_store", "{err}");
    assert!(err.to_string().contains("takeover"), "{err}");

    // Taking over as workstation 2: new key, new install key, its own serials.
    let admin = other.login("quantri", "matkhau-quantri-1").unwrap();
    assert_eq!(
        other.take_over_workstation(&admin, 1).unwrap_err().code(),
        "activation.same_workstation"
    );
    other.take_over_workstation(&admin, 2).unwrap();
    assert!(!other.is_activated().unwrap());
    other
        .create_workstation_key(&admin, &Passphrase::new(PASS), KdfParams::INSECURE_FAST)
        .unwrap();
    let key2 = other.load_workstation_key(&Passphrase::new(PASS)).unwrap();
    let text = cert_for(key2.verifying_key(), &roots::demo_root_signing_key(), |f| {
        f.workstation = 2
    });
    other
        .install_key(&admin, &text, &store::trust::trusted_roots().unwrap())
        .unwrap();
    let out = other.stamp_with(&police, &ids[2..4], &key2).unwrap();
    assert!(
        out.iter().all(|s| s.serial.starts_with("00004-02-")),
        "{out:?}"
    );
    assert_eq!(
        other
            .audit_entries(None, 50)
            .unwrap()
            .iter()
            .filter(|e| e.action == "activation.takeover")
            .count(),
        1
    );
    // Going back to 1 is refused (its serials are here): taking over never
    // lands on a number that has signed.
    assert_eq!(
        other.take_over_workstation(&admin, 1).unwrap_err().code(),
        "activation.workstation_used"
    );
}

#[test]
fn the_category_is_signed_and_a_category_outside_the_scope_is_refused() {
    let w = ward();
    let ids = approved(&w, 2, 0);
    w.store
        .create_workstation_key(&w.admin, &Passphrase::new(PASS), KdfParams::INSECURE_FAST)
        .unwrap();
    let key = w
        .store
        .load_workstation_key(&Passphrase::new(PASS))
        .unwrap();
    // The city allows this workstation health permits only.
    let text = cert_for(key.verifying_key(), &roots::demo_root_signing_key(), |f| {
        f.scope.categories = CategorySet::of(&[permit::category::HEALTH])
    });
    w.store
        .install_key(&w.admin, &text, &store::trust::trusted_roots().unwrap())
        .unwrap();
    let err = w.store.stamp_with(&w.police, &ids, &key).unwrap_err();
    assert!(err.to_string().contains(&format!("#{}", ids[0])), "{err}");
    assert_eq!(err.code(), "permit.out_of_scope", "{err}");
    w.store
        .raw_connection()
        .execute("UPDATE permits SET category = 2", [])
        .unwrap();
    let out = w.store.stamp_with(&w.police, &ids, &key).unwrap();
    let token = permit::Token::from_text(&out[0].token).unwrap();
    assert_eq!(token.fields().category, permit::category::HEALTH);
}

#[test]
fn the_wards_revocation_list_carries_revoked_permits_with_their_reason() {
    let w = ward();
    let ids = approved(&w, 3, 0);
    let key = activate(&w);
    let out = w.store.stamp_with(&w.police, &ids, &key).unwrap();
    w.store
        .revoke_with_code(
            &w.official,
            ids[1],
            permit::revocation::reason::LOST,
            "Người dân báo mất giấy",
        )
        .unwrap();
    let first = w.store.export_revocations(&w.police, &key).unwrap();
    assert_eq!((first.number, first.permits), (1, 1));
    let second = w.store.export_revocations(&w.admin, &key).unwrap();
    assert_eq!(second.number, 2);
    assert_eq!(
        w.store
            .export_revocations(&w.official, &key)
            .unwrap_err()
            .code(),
        "auth.forbidden"
    );
    let list =
        permit::revocation::RevocationList::from_text(&second.text, &[roots::demo_root_public()])
            .unwrap();
    let at = OffsetDateTime::now_utc();
    let anchors = [verify::demo_anchor()];
    let v = verify::verify_with_lists(&out[1].token, at, &anchors, std::slice::from_ref(&list));
    assert_eq!(v.verdict, verify::Verdict::Revoked, "{v:?}");
    let r = v.revocation.unwrap();
    assert!(
        r.reason.as_deref().unwrap_or("").contains("mất giấy"),
        "{r:?}"
    );
    assert_eq!(r.reason_code, Some(permit::revocation::reason::LOST));
    let ok = verify::verify_with_lists(&out[0].token, at, &anchors, &[list]);
    assert_eq!(ok.verdict, verify::Verdict::Demo);
}
