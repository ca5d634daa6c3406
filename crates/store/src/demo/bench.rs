//! A ward for benchmarks: activated under the demo root, with one employer's
//! list of `n` approved permits, ready to stamp (store's stamp bench) or to
//! stamp and print (printjob's bench).

use identity::{IdDocument, IdKind, PersonInput, Sex};
use keystore::{KdfParams, Passphrase, SigningKey};
use time::Duration;

use crate::error::Result;
use crate::model::ImportRow;
use crate::org::NewOrganization;
use crate::util::today_vn;
use crate::{NewUser, Role, Session, Store, WardInit};

const PASSWORD: &str = "bench-password";

/// What [`approved_ward`] made.
pub struct BenchWard {
    pub official: Session,
    pub police: Session,
    /// The opened workstation key.
    pub key: SigningKey,
    /// The approved permits, in list order.
    pub approved: Vec<i64>,
}

/// Rows of a list of `n` employees, valid for 30 days from today.
pub fn list_rows(n: usize) -> Vec<ImportRow> {
    let today = today_vn();
    (0..n)
        .map(|i| ImportRow {
            row: i as u32 + 2,
            person: PersonInput {
                full_name: format!("Nguyễn Thị Minh Khai {i}"),
                id_doc: IdDocument {
                    kind: IdKind::Cccd,
                    number: format!("00118{:07}", 5_000_000 + i),
                    label: None,
                },
                date_of_birth: Some(time::macros::date!(1985 - 07 - 21)),
                sex: Some(Sex::Female),
                phone: None,
                residence: Some(format!("Số {} phố Đội Cấn, phường Ba Đình, Hà Nội", i + 1)),
                workplace: None,
                position: None,
                purpose: Some("Đi làm ca sáng".into()),
                area: Some("Phường Ô Chợ Dừa, HN".into()),
                valid_from: Some(today),
                valid_to: Some(today + Duration::days(29)),
                notes: Vec::new(),
            },
            sheet: None,
            warnings: Vec::new(),
        })
        .collect()
}

/// Initialize the empty `store` as Phường Ba Đình (code 00004), with a ward
/// official and ward police, activated under the demo root (cheap KDF), and
/// `n` approved permits of one employer.
pub fn approved_ward(store: &Store, n: usize) -> Result<BenchWard> {
    let admin = store.init_ward(&WardInit {
        code: "00004".into(),
        name: "Phường Ba Đình".into(),
        dataset: "2025-07".into(),
        workstation: 1,
        admin_username: "quantri".into(),
        admin_full_name: "Quản Trị".into(),
        admin_password: PASSWORD.into(),
    })?;
    for (username, role) in [("canbo", Role::WardOfficial), ("congan", Role::WardPolice)] {
        store.add_user(
            &admin,
            &NewUser {
                username: username.into(),
                full_name: "Người Chạy Thử".into(),
                password: PASSWORD.into(),
                roles: vec![role],
            },
        )?;
    }
    let official = store.login("canbo", PASSWORD)?;
    let police = store.login("congan", PASSWORD)?;
    let org = store.add_organization(
        &official,
        &NewOrganization {
            name: "Công ty Cổ phần May Thăng Long".into(),
            tax_code: "0101234567".into(),
            address: "250 Minh Khai, Hà Nội".into(),
            contact_person: "Ngô Thị Lan".into(),
            contact_emails: vec!["nhansu@maythanglong.vn".into()],
            category: permit::category::PRODUCTION,
        },
    )?;
    let imp = store.import_list(&official, &org.ref_code, "bench.xlsx", &list_rows(n), &[])?;
    let approved = store
        .approve_request(&official, imp.request_id)?
        .iter()
        .map(|t| t.permit_id)
        .collect();
    let pass = Passphrase::new("Cây đa đầu làng năm 1975");
    store.create_workstation_key(&admin, &pass, KdfParams::INSECURE_FAST)?;
    let key = store.load_workstation_key(&pass)?;
    super::install_demo_root_key(store, &admin, &key, today_vn() - Duration::days(1), 60)?;
    Ok(BenchWard {
        official,
        police,
        key,
        approved,
    })
}
