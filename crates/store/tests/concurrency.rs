//! The app and the CLI may hold the same database file open at once.

mod common;

use common::*;
use store::{NewResidentRequest, Store};

#[test]
fn two_handles_write_the_same_file() {
    let (dir, store) = demo_store();
    let path = dir.path().join("nested/gdd.db");
    let writers: Vec<_> = (0..2)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let other = Store::open(&path).unwrap();
                let area = other.login("cskv", store::demo::DEMO_PASSWORD).unwrap();
                for i in 0..10 {
                    let p = person(&format!("Đồng Thời {t} {i}"), &format!("00120{t}{i:06}"));
                    other
                        .create_resident_request(
                            &area,
                            &NewResidentRequest {
                                category: permit::category::URGENT_PERSONAL,
                                note: None,
                                persons: vec![p],
                            },
                        )
                        .unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let page = store.search("dong thoi", 1, 50).unwrap();
    assert_eq!(page.items.len(), 20);
    let report = store.audit_verify().unwrap();
    assert!(
        report.ok,
        "the chain stays intact under concurrent writers: {report:?}"
    );
}
