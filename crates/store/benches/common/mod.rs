//! Setup shared by the benches: a ward, a ward official and one organization.

use store::{NewOrganization, NewUser, Organization, Role, Session, Store, WardInit};

pub const PASSWORD: &str = "bench-password";

/// Initialize `store` as Phường Ba Đình, add the ward official `canbo`, log
/// them in and register an organization with `tax_code`.
pub fn ward_official_and_org(store: &Store, tax_code: &str) -> (Session, Organization) {
    let admin = store
        .init_ward(&WardInit {
            code: "00004".into(),
            name: "Phường Ba Đình".into(),
            dataset: "2025-07".into(),
            workstation: 1,
            admin_username: "quantri".into(),
            admin_full_name: "Quản Trị".into(),
            admin_password: PASSWORD.into(),
        })
        .expect("init ward");
    store
        .add_user(
            &admin,
            &NewUser {
                username: "canbo".into(),
                full_name: "Cán Bộ".into(),
                password: PASSWORD.into(),
                roles: vec![Role::WardOfficial],
            },
        )
        .expect("add official");
    let official = store.login("canbo", PASSWORD).expect("login");
    let org = store
        .add_organization(
            &official,
            &NewOrganization {
                category: permit::category::PRODUCTION,
                name: "Công ty Cổ phần May Thăng Long".into(),
                tax_code: tax_code.into(),
                address: "250 Minh Khai, Hà Nội".into(),
                contact_person: "Ngô Thị Lan".into(),
                contact_emails: vec!["nhansu@maythanglong.vn".into()],
            },
        )
        .expect("organization");
    (official, org)
}
