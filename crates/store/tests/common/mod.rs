#![allow(dead_code)]

use identity::{IdDocument, IdKind, PersonInput, Sex};
use store::{Session, Store};
use time::macros::date;

pub fn demo_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("nested/gdd.db")).unwrap();
    store::demo::fill(&store).unwrap();
    (dir, store)
}

pub fn login(store: &Store, user: &str) -> Session {
    store.login(user, store::demo::DEMO_PASSWORD).unwrap()
}

pub fn person(name: &str, cccd: &str) -> PersonInput {
    PersonInput {
        full_name: name.into(),
        id_doc: IdDocument {
            kind: IdKind::Cccd,
            number: cccd.into(),
            label: None,
        },
        date_of_birth: Some(date!(1990 - 05 - 17)),
        sex: Some(Sex::Female),
        phone: Some("0912345678".into()),
        residence: Some("Số 1 Đội Cấn".into()),
        workplace: None,
        position: None,
        purpose: Some("Đi làm".into()),
        area: Some("Nội thành".into()),
        valid_from: Some(date!(2026 - 01 - 01)),
        valid_to: Some(date!(2099 - 01 - 31)),
        notes: vec![("Ghi chú".into(), "ca đêm".into())],
    }
}
