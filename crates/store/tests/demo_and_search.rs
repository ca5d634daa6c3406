mod common;

use common::*;
use store::{SearchKind, State};

#[test]
fn demo_has_every_reachable_state_and_a_clean_audit() {
    let (_dir, store) = demo_store();
    let counts = store.counts_by_state().unwrap();
    assert_eq!(counts.len(), 9);
    let get = |s: State| counts.iter().find(|c| c.state == s).unwrap().count;
    for s in State::ALL {
        assert!(get(s) > 0, "{s:?} should have demo permits");
    }
    // 20 signed: 8 still stamped, 6 printed, 6 delivered
    assert_eq!(
        (
            get(State::Stamped),
            get(State::Printed),
            get(State::Delivered)
        ),
        (8, 6, 6)
    );
    assert!(store.is_activated().unwrap());
    assert!(store.installed_key().unwrap().unwrap().demo_root);
    let report = store.audit_verify().unwrap();
    assert!(report.ok, "{report:?}");
    assert!(report.entries > 50);
    // the demo ward says so, across reopenings
    let path = store.path().unwrap().to_path_buf();
    drop(store);
    let store = store::Store::open(&path).unwrap();
    assert!(store.ward().unwrap().unwrap().demo);
    // a second fill is refused: the demo only goes into an empty store
    assert_eq!(
        store::demo::fill(&store).unwrap_err().code(),
        "store.ward_exists"
    );
}

#[test]
fn folded_name_search_finds_both_thuy() {
    let (_dir, store) = demo_store();
    for q in [
        "dang thi thuy",
        "Đặng Thị Thủy",
        "ĐẶNG THỊ THUỶ",
        "thuy dang",
        "Dang  thi   thuy",
    ] {
        let page = store.search(q, 1, 20).unwrap();
        assert_eq!(page.kind, SearchKind::Name);
        let mut names: Vec<&str> = page.items.iter().map(|h| h.full_name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["Đặng Thị Thuỷ", "Đặng Thị Thủy"], "query {q:?}");
        assert_ne!(page.items[0].id_number, page.items[1].id_number);
    }
    // a half-typed last word falls back to a prefix match
    let page = store.search("dang thi thu", 1, 20).unwrap();
    assert!(page.items.iter().any(|h| h.full_name == "Đặng Thị Thủy"));
    // …but not a single letter, which would match most names
    assert!(store.search("dang thi t", 1, 20).unwrap().items.is_empty());
    // no match is an empty page, not an error
    let page = store.search("zzz qqq", 1, 20).unwrap();
    assert!(page.items.is_empty() && !page.has_more);
}

#[test]
fn exact_lookups_and_pagination() {
    let (_dir, store) = demo_store();
    let s = login(&store, "canbo");
    let thuy = &store.search("dang thi thuy", 1, 5).unwrap().items[0];
    let by_id = store.search(&thuy.id_number, 1, 5).unwrap();
    assert_eq!(by_id.kind, SearchKind::IdNumber);
    assert_eq!(by_id.items.len(), 1);
    assert_eq!(by_id.items[0].person_id, thuy.person_id);
    assert_eq!(by_id.items[0].org_ref, thuy.org_ref);

    let org_ref = thuy.org_ref.clone().unwrap();
    let org = store
        .organization_by_ref(&s, &org_ref.to_lowercase())
        .unwrap();
    let mut seen = Vec::new();
    let mut page_no = 1;
    loop {
        let page = store.search(&org.ref_code, page_no, 15).unwrap();
        assert_eq!(page.kind, SearchKind::Organization);
        seen.extend(page.items.iter().map(|h| h.person_id));
        if !page.has_more {
            break;
        }
        page_no += 1;
    }
    assert_eq!(
        seen.len(),
        40,
        "the whole list of the food company, over 3 pages"
    );
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), 40);
    assert_eq!(page_no, 3);

    // serials are allocated at stamping: the demo's first one finds its holder
    let page = store.search("00004-01-000001", 1, 10).unwrap();
    assert_eq!(page.kind, SearchKind::Serial);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].serial.as_deref(), Some("00004-01-000001"));
    let page = store.search("00004-01-999999", 1, 10).unwrap();
    assert_eq!(page.kind, SearchKind::Serial);
    assert!(page.items.is_empty());
}

#[test]
fn logins() {
    let (_dir, store) = demo_store();
    assert_eq!(
        store.login("canbo", "wrong-pass").unwrap_err().code(),
        "auth.bad_credentials"
    );
    assert_eq!(
        store.login("nobody", "demo1234").unwrap_err().code(),
        "auth.bad_credentials"
    );
    // failed attempts are in the audit trail; a name that is not a user's is not
    // recorded (it is often a password typed in the wrong field)
    let last = &store.audit_entries(None, 1).unwrap()[0];
    assert_eq!(
        (last.action.as_str(), last.username.as_str()),
        ("auth.login_failed", "(tên không có)")
    );
    assert_eq!(last.details["reason"], "auth.bad_credentials");
    let s = store.login(" CanBo ", "demo1234").unwrap();
    assert_eq!(s.full_name, "Trần Thị Hồng Nhung");
    let admin = login(&store, "quantri");
    store.disable_user(&admin, "canbo").unwrap();
    let err = store.login("canbo", "demo1234").unwrap_err();
    assert_eq!(err.code(), "auth.user_disabled");
    assert!(err.to_string().contains("bị khoá"));
    // a session opened before the user was disabled can no longer act
    let err = store.approve(&s, &[1]).unwrap_err();
    assert_eq!(err.code(), "auth.user_disabled");
    // only the administrator manages users
    let cskv = login(&store, "cskv");
    assert_eq!(
        store.disable_user(&cskv, "congan").unwrap_err().code(),
        "auth.forbidden"
    );
    assert_eq!(
        store.disable_user(&admin, "quantri").unwrap_err().code(),
        "auth.cannot_disable_self"
    );
    store.set_password(&cskv, "cskv", "mat-khau-moi").unwrap();
    assert!(store.login("cskv", "demo1234").is_err());
    store.login("cskv", "mat-khau-moi").unwrap();
    assert_eq!(
        store
            .set_password(&cskv, "congan", "12345678")
            .unwrap_err()
            .code(),
        "auth.forbidden"
    );
}
