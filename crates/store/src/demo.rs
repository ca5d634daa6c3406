//! Demo ward: something real for the app and the CLI to show (`gdd demo`).
//!
//! [`fill`] works on an empty store only and goes through the public services,
//! so the demo data has a consistent audit trail. It creates:
//!
//! - the ward **Phường Ba Đình**, code `00004`, dataset `2025-07`, workstation 1;
//! - one user per role, all with the password **`demo1234`**:
//!
//! | username | full name | role |
//! | --- | --- | --- |
//! | `quantri` | Nguyễn Văn Quản | ward administrator |
//! | `canbo` | Trần Thị Hồng Nhung | ward official |
//! | `cskv` | Lê Minh Tuấn | area police |
//! | `congan` | Phạm Quốc Huy | ward police |
//!
//! - four organizations with employee lists of 20–45 persons (one list also
//!   with rejected rows), and resident requests;
//! - the workstation **activated under the DEMO root**: a workstation key
//!   sealed with the cheap test KDF cost (`KdfParams::INSECURE_FAST`) under
//!   the public passphrase [`DEMO_KEY_PASSPHRASE`], in
//!   [`Store::workstation_key_path`] (`<db name>-workstation-1-demo.key` next
//!   to the database; none for an in-memory store), and an install key issued
//!   with the demo root's (public) private half — so every permit it signs
//!   verifies as DEMO, and a release build refuses it;
//! - permits in every state: received, checked, approved, rejected, stamped
//!   (signed), printed, delivered, revoked, expired.
//! - "Đặng Thị Thủy" and "Đặng Thị Thuỷ" — two different people, same folded
//!   name — so that searching `dang thi thuy` shows the diacritic-insensitive search.

pub mod bench;

use identity::{Date, IdDocument, IdKind, PersonInput, Sex};
use time::Duration;

use keystore::{KdfParams, Passphrase};
use permit::{CategorySet, Certificate, CertificateFields, DatasetVersion, Scope};

use crate::error::{Result, StoreError};
use crate::model::{ImportRow, NewResidentRequest, RejectedRow};
use crate::org::NewOrganization;
use crate::util::today_vn;
use crate::{NewUser, Role, Store, WardInit};

/// Password of every demo user.
pub const DEMO_PASSWORD: &str = "demo1234";

/// Passphrase of the demo workstation key (public, like the demo root's
/// private key: nothing the demo signs is real).
pub const DEMO_KEY_PASSPHRASE: &str = "Phường Ba Đình chạy thử 2025";

/// (username, full name, role) of the demo users.
pub const DEMO_USERS: [(&str, &str, Role); 4] = [
    ("quantri", "Nguyễn Văn Quản", Role::WardAdmin),
    ("canbo", "Trần Thị Hồng Nhung", Role::WardOfficial),
    ("cskv", "Lê Minh Tuấn", Role::AreaPolice),
    ("congan", "Phạm Quốc Huy", Role::WardPolice),
];

const FAMILY: [&str; 14] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô",
];
const MIDDLE_M: [&str; 6] = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công"];
const MIDDLE_F: [&str; 6] = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng"];
const GIVEN_M: [&str; 12] = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Khánh", "Long", "Nam", "Phong", "Tùng",
];
const GIVEN_F: [&str; 12] = [
    "Anh", "Châu", "Diệp", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Ngân", "Yến",
];

/// Deterministic person number `i`: a realistic name, a CCCD consistent with
/// birth year and sex (Hà Nội 001, century/sex digit, year, 6 digits).
fn person(i: u32, workplace: Option<&str>, valid_from: Date, valid_to: Date) -> PersonInput {
    let female = i % 2 == 1;
    let k = i as usize;
    let name = if female {
        format!(
            "{} {} {}",
            FAMILY[k % 14],
            MIDDLE_F[(k / 3) % 6],
            GIVEN_F[(k * 7) % 12]
        )
    } else {
        format!(
            "{} {} {}",
            FAMILY[k % 14],
            MIDDLE_M[(k / 3) % 6],
            GIVEN_M[(k * 7) % 12]
        )
    };
    named(i, &name, female, workplace, valid_from, valid_to)
}

fn named(
    i: u32,
    name: &str,
    female: bool,
    workplace: Option<&str>,
    valid_from: Date,
    valid_to: Date,
) -> PersonInput {
    let year = 1965 + (i * 7 % 40) as i32;
    let dob = Date::from_calendar_date(
        year,
        time::Month::try_from((i % 12 + 1) as u8).unwrap_or(time::Month::January),
        (i % 27 + 1) as u8,
    )
    .unwrap_or(valid_from);
    let century_sex = if year >= 2000 { 2 } else { 0 } + u32::from(female);
    let number = format!("001{century_sex}{:02}{:06}", year % 100, 100_000 + i * 37);
    PersonInput {
        full_name: name.to_string(),
        id_doc: IdDocument {
            kind: IdKind::Cccd,
            number,
            label: None,
        },
        date_of_birth: Some(dob),
        sex: Some(if female { Sex::Female } else { Sex::Male }),
        phone: Some(format!("09{:08}", 12_345_678 + i * 101)),
        residence: Some(format!(
            "Số {} phố Đội Cấn, phường Ba Đình, Hà Nội",
            i % 90 + 1
        )),
        workplace: workplace.map(str::to_string),
        position: workplace.map(|_| {
            if i.is_multiple_of(5) {
                "Quản lý"
            } else {
                "Nhân viên"
            }
            .to_string()
        }),
        purpose: Some(
            if workplace.is_some() {
                "Đi làm"
            } else {
                "Mua lương thực, thuốc men"
            }
            .to_string(),
        ),
        area: Some("Nội thành Hà Nội".to_string()),
        valid_from: Some(valid_from),
        valid_to: Some(valid_to),
        notes: Vec::new(),
    }
}

fn rows(people: Vec<PersonInput>) -> Vec<ImportRow> {
    people
        .into_iter()
        .enumerate()
        .map(|(i, person)| ImportRow {
            row: i as u32 + 5, // title rows and the header above, as real sheets have
            person,
            sheet: None,
            warnings: Vec::new(),
        })
        .collect()
}

/// Fill an empty store with the demo ward (see the module docs).
pub fn fill(store: &Store) -> Result<()> {
    let admin = store.init_ward_as(
        &WardInit {
            code: "00004".into(),
            name: "Phường Ba Đình".into(),
            dataset: "2025-07".into(),
            workstation: 1,
            admin_username: DEMO_USERS[0].0.into(),
            admin_full_name: DEMO_USERS[0].1.into(),
            admin_password: DEMO_PASSWORD.into(),
        },
        true,
    )?;
    for (username, full_name, role) in &DEMO_USERS[1..] {
        store.add_user(
            &admin,
            &NewUser {
                username: (*username).into(),
                full_name: (*full_name).into(),
                password: DEMO_PASSWORD.into(),
                roles: vec![*role],
            },
        )?;
    }
    let official = store.login("canbo", DEMO_PASSWORD)?;
    let area = store.login("cskv", DEMO_PASSWORD)?;
    let police = store.login("congan", DEMO_PASSWORD)?;

    let today = today_vn();
    let from = today;
    let to = today + Duration::days(30);

    let orgs = [
        (
            "Công ty TNHH Thực phẩm Sạch Hà Nội",
            "0101234567",
            "Số 12 phố Kim Mã, phường Giảng Võ, Hà Nội",
            "Nguyễn Thị Lan",
            "nhansu@thucphamsach.vn",
        ),
        (
            "Bệnh viện Đa khoa Phúc Lâm",
            "0108765432",
            "Số 5 phố Đội Cấn, phường Ba Đình, Hà Nội",
            "Trần Văn Hùng",
            "tochuc@bvphuclam.vn",
        ),
        (
            "Công ty Cổ phần Vận tải Thăng Long",
            "0102468135-001",
            "Số 88 đường Hoàng Hoa Thám, phường Ba Đình, Hà Nội",
            "Lê Thị Mai",
            "dieuhanh@vantaithanglong.com.vn",
        ),
        (
            "Siêu thị Minh Châu",
            "0109876543",
            "Số 3 phố Liễu Giai, phường Ngọc Hà, Hà Nội",
            "Phạm Đức Long",
            "minhchau.sieuthi@gmail.com",
        ),
    ];
    let mut refs = Vec::new();
    // Lines of work, in the orgs' order: the demo shows several categories.
    let categories = [
        permit::category::ESSENTIAL_GOODS,
        permit::category::HEALTH,
        permit::category::TRANSPORT,
        permit::category::ESSENTIAL_GOODS,
    ];
    for (i, (name, tax, address, contact, email)) in orgs.into_iter().enumerate() {
        let o = store.add_organization(
            &official,
            &NewOrganization {
                name: name.into(),
                tax_code: tax.into(),
                address: address.into(),
                contact_person: contact.into(),
                contact_emails: vec![email.into()],
                category: categories[i % categories.len()],
            },
        )?;
        refs.push((o.ref_code, name));
    }

    let mut next = 0u32;
    let mut batch = |n: u32, workplace: Option<&str>, from: Date, to: Date| {
        let v: Vec<PersonInput> = (next..next + n)
            .map(|i| person(i, workplace, from, to))
            .collect();
        next += n;
        v
    };

    // 1. Food company: 40 persons (with the two Thủy/Thuỷ), 36 approved, 2 rejected, 2 waiting.
    let mut list1 = batch(38, Some(refs[0].1), from, to);
    list1.insert(
        3,
        named(900, "Đặng Thị Thủy", true, Some(refs[0].1), from, to),
    );
    list1.insert(
        17,
        named(901, "Đặng Thị Thuỷ", true, Some(refs[0].1), from, to),
    );
    let imp = store.import_list(
        &official,
        &refs[0].0,
        "danh_sach_nhan_vien_thang_11.xlsx",
        &rows(list1),
        &[],
    )?;
    let d = store.request(&official, imp.request_id)?;
    let ids: Vec<i64> = d.persons.iter().map(|p| p.permit.id).collect();
    store.approve(&official, &ids[..36])?;
    store.reject(
        &official,
        &[
            (
                ids[36],
                "Không thuộc đối tượng được cấp giấy đi đường (làm việc tại nhà được).",
            ),
            (ids[37], "Số CCCD không khớp với ảnh chụp căn cước gửi kèm."),
        ],
    )?;

    // 2. Hospital: 25 persons, not yet decided.
    let list2 = batch(25, Some(refs[1].1), from, to);
    store.import_list(
        &official,
        &refs[1].0,
        "DS_nhan_vien_BV_Phuc_Lam.csv",
        &rows(list2),
        &[],
    )?;

    // 3. Transport company: 30 persons plus 3 refused rows; all approved, one revoked.
    let list3 = batch(30, Some(refs[2].1), from, to);
    let rejected = vec![
        RejectedRow {
            row: 12,
            reason: "Thiếu số CCCD/CMND.".into(),
            sheet: None,
            code: "row.id_missing".into(),
        },
        RejectedRow {
            row: 20,
            reason: "Số CCCD 001099123 không đủ 12 chữ số.".into(),
            sheet: None,
            code: "id.cccd_length".into(),
        },
        RejectedRow {
            row: 27,
            reason: "Ngày sinh 31/02/1990 không tồn tại.".into(),
            sheet: None,
            code: "row.bad_date".into(),
        },
    ];
    let imp3 = store.import_list(
        &official,
        &refs[2].0,
        "Danh sach lai xe T11.xls",
        &rows(list3),
        &rejected,
    )?;
    let approved3 = store.approve_request(&official, imp3.request_id)?;
    if let Some(first) = approved3.first() {
        store.revoke(&police, first.permit_id, "Người lao động đã nghỉ việc.")?;
    }

    // 4. Supermarket: 20 persons, whole list rejected.
    let list4 = batch(20, Some(refs[3].1), from, to);
    let imp4 = store.import_list(
        &official,
        &refs[3].0,
        "nhan_su_sieu_thi.xlsx",
        &rows(list4),
        &[],
    )?;
    store.reject_request(
        &official,
        imp4.request_id,
        "Danh sách chưa có xác nhận của người đứng đầu đơn vị.",
    )?;

    // Residents: received; checked; checked then approved; checked then rejected.
    let r1 = batch(3, None, from, to);
    store.create_resident_request(
        &area,
        &NewResidentRequest {
            note: Some("Tổ dân phố số 5".into()),
            category: permit::category::URGENT_PERSONAL,
            persons: r1,
        },
    )?;
    let r2 = batch(4, None, from, to);
    let req2 = store.create_resident_request(
        &area,
        &NewResidentRequest {
            note: Some("Tổ dân phố số 7".into()),
            category: permit::category::URGENT_PERSONAL,
            persons: r2,
        },
    )?;
    let p2 = permit_ids(store, &area, req2)?;
    store.check(&area, &p2)?;
    let r3 = batch(2, None, from, to);
    let req3 = store.create_resident_request(
        &area,
        &NewResidentRequest {
            note: Some("Hộ gia đình có người ốm".into()),
            category: permit::category::HEALTH,
            persons: r3,
        },
    )?;
    let p3 = permit_ids(store, &area, req3)?;
    store.check(&area, &p3)?;
    store.approve(&official, &p3)?;
    let r4 = batch(1, None, from, to);
    let req4 = store.create_resident_request(
        &area,
        &NewResidentRequest {
            note: None,
            category: permit::category::URGENT_PERSONAL,
            persons: r4,
        },
    )?;
    let p4 = permit_ids(store, &area, req4)?;
    store.check(&area, &p4)?;
    store.reject(
        &official,
        &[(
            p4[0],
            "Đã có người trong hộ gia đình được cấp giấy đi mua lương thực.",
        )],
    )?;

    // Expired: approved last month for ten days.
    let old_from = today - Duration::days(40);
    let old_to = today - Duration::days(30);
    let r5 = batch(3, None, old_from, old_to);
    let req5 = store.create_resident_request(
        &area,
        &NewResidentRequest {
            note: Some("Đợt tháng trước".into()),
            category: permit::category::ESSENTIAL_GOODS,
            persons: r5,
        },
    )?;
    let p5 = permit_ids(store, &area, req5)?;
    store.check(&area, &p5)?;
    store.approve(&official, &p5)?;
    store.expire_due(&official, today)?;

    if !crate::trust::trusts_demo_root() {
        // A release build refuses the demo root: its demo ward stays
        // unactivated (nothing stamped, printed or delivered).
        return Ok(());
    }
    // Activation under the demo root, then stamping: 20 of the food company's
    // 36 approved permits are signed, 12 of those printed, 6 delivered.
    let key = keystore::generate_signing_key()?;
    // A demo key left by an earlier demo database with the same name is worth
    // nothing (public passphrase, demo root): replace it. Real keys have
    // another file name and are never touched.
    if let Some(stale) = store.workstation_key_path()?.filter(|p| p.exists()) {
        std::fs::remove_file(&stale).map_err(|source| StoreError::Io {
            path: stale.clone(),
            source,
        })?;
    }
    store.record_workstation_key(
        &admin,
        &key,
        &Passphrase::new(DEMO_KEY_PASSPHRASE),
        KdfParams::INSECURE_FAST,
    )?;
    install_demo_root_key(store, &admin, &key, today - Duration::days(60), 90)?;
    store.stamp_with(&police, &ids[..20], &key)?;
    store.mark_printed(&police, &ids[..12])?;
    store.mark_delivered(&area, &ids[..6])?;
    Ok(())
}

/// Certify `key` for this ward's workstation with an install key signed by
/// the DEMO root, valid a year from `valid_from`, all categories, and install
/// it: for the demo ward, tests and benches. What it stamps verifies as DEMO.
pub fn install_demo_root_key(
    store: &Store,
    admin: &crate::Session,
    key: &keystore::SigningKey,
    valid_from: Date,
    max_validity_days: u16,
) -> Result<crate::InstalledKey> {
    let ward = store.ward()?.ok_or(StoreError::WardMissing)?;
    let bad = |field: &str, value: &str| {
        StoreError::invalid(
            "demo.bad_ward",
            format!("Phường mẫu có {field} «{value}» không dùng được cho khóa cài đặt."),
        )
    };
    let ward_code = ward.code.parse().map_err(|_| bad("mã", &ward.code))?;
    let dataset: DatasetVersion = ward
        .dataset
        .parse()
        .map_err(|_| bad("danh mục", &ward.dataset))?;
    let cert = Certificate::sign(
        CertificateFields {
            ward_code,
            dataset,
            workstation: ward.workstation,
            public_key: key.verifying_key(),
            valid_from,
            valid_to: valid_from + Duration::days(365),
            scope: Scope {
                categories: CategorySet::ALL,
                max_validity_days,
            },
        },
        &permit::roots::demo_root_signing_key(),
    )
    .map_err(StoreError::InstallKey)?;
    store.install_key(admin, &cert.to_text(), &[permit::roots::demo_root_public()])
}

fn permit_ids(store: &Store, s: &crate::Session, request_id: i64) -> Result<Vec<i64>> {
    Ok(store
        .request(s, request_id)?
        .persons
        .iter()
        .map(|p| p.permit.id)
        .collect())
}
