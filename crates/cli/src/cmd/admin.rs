//! The ward, its users and its organizations.

use super::{new_password, Ctx};
use crate::args::{InitArgs, OrgCmd, UserCmd};
use crate::output::{emit, table};
use anyhow::anyhow;
use store::{NewOrganization, NewUser, Role, WardInit};

pub fn init(ctx: &Ctx, a: InitArgs) -> anyhow::Result<()> {
    let store = ctx.open()?;
    let password = new_password(None, &a.admin)?;
    let workstation =
        u8::try_from(a.workstation).map_err(|_| anyhow!("số máy trạm phải từ 1 đến 255"))?;
    let session = store.init_ward(&WardInit {
        code: a.ward_code,
        name: a.ward_name,
        dataset: a.dataset,
        workstation,
        admin_username: a.admin,
        admin_full_name: a.admin_name,
        admin_password: password,
    })?;
    let ward = store.ward()?;
    emit(
        ctx.json,
        &serde_json::json!({ "ward": ward, "admin": session.username }),
        |_| {
            if let Some(w) = &ward {
                println!(
                    "Đã khởi tạo {} (mã {}, danh mục {}), máy trạm số {}; quản trị: {}.",
                    w.name, w.code, w.dataset, w.workstation, session.username
                );
            }
        },
    )
}

pub fn demo(ctx: &Ctx) -> anyhow::Result<()> {
    let store = ctx.open()?;
    store::demo::fill(&store)?;
    let users: Vec<serde_json::Value> = store::demo::DEMO_USERS
        .iter()
        .map(|(u, name, role)| serde_json::json!({"username": u, "full_name": name, "role": role}))
        .collect();
    let out = serde_json::json!({
        "ward": store.ward()?,
        "users": users,
        "password": store::demo::DEMO_PASSWORD,
        "counts": store.counts_by_state()?,
    });
    emit(ctx.json, &out, |_| {
        println!(
            "Đã tạo phường mẫu. Người dùng (mật khẩu {}):",
            store::demo::DEMO_PASSWORD
        );
        for (u, name, role) in store::demo::DEMO_USERS {
            println!("  {u:<8} {name} — {}", role.label_vi());
        }
    })
}

pub fn status(ctx: &Ctx) -> anyhow::Result<()> {
    let store = ctx.open()?;
    let ward = store.ward()?;
    let counts = store.counts_by_state()?;
    let activated = store.is_activated()?;
    let path = store.path().map(|p| p.display().to_string());
    emit(
        ctx.json,
        &serde_json::json!({ "db": path, "ward": ward, "activated": activated, "counts": counts }),
        |_| {
            println!("Cơ sở dữ liệu: {}", path.clone().unwrap_or_default());
            match &ward {
                Some(w) => println!(
                    "Phường: {} (mã {}, danh mục {}), máy trạm số {}{}",
                    w.name,
                    w.code,
                    w.dataset,
                    w.workstation,
                    if activated {
                        ""
                    } else {
                        " — chưa kích hoạt"
                    }
                ),
                None => println!("Chưa khởi tạo phường (gdd init, hoặc gdd demo)."),
            }
            let rows: Vec<Vec<String>> = counts
                .iter()
                .map(|c| vec![c.label.to_string(), c.count.to_string()])
                .collect();
            table(&["trạng thái", "số giấy"], &rows);
        },
    )
}

fn parse_roles(names: &[String]) -> anyhow::Result<Vec<Role>> {
    names
        .iter()
        .map(|n| {
            Role::parse(n.trim()).ok_or_else(|| {
                anyhow!(
                    "vai trò «{n}» không có; dùng: area_police, ward_official, ward_police, ward_admin"
                )
            })
        })
        .collect()
}

pub fn user(ctx: &Ctx, c: UserCmd) -> anyhow::Result<()> {
    let (store, s) = ctx.login()?;
    match c {
        UserCmd::Add {
            username,
            full_name,
            roles,
            new_password_file,
        } => {
            let roles = parse_roles(&roles)?;
            let password = new_password(new_password_file.as_deref(), &username)?;
            let info = store.add_user(
                &s,
                &NewUser {
                    username,
                    full_name,
                    password,
                    roles,
                },
            )?;
            emit(ctx.json, &info, |u| {
                println!("Đã thêm người dùng {} ({}).", u.username, u.full_name)
            })
        }
        UserCmd::List => {
            let users = store.list_users(&s)?;
            emit(ctx.json, &users, |users| {
                let rows: Vec<Vec<String>> = users
                    .iter()
                    .map(|u| {
                        let roles: Vec<&str> = u.roles.iter().map(|r| r.label_vi()).collect();
                        vec![
                            u.username.clone(),
                            u.full_name.clone(),
                            roles.join(", "),
                            if u.disabled { "đã khoá" } else { "" }.to_string(),
                        ]
                    })
                    .collect();
                table(&["tên đăng nhập", "họ tên", "vai trò", ""], &rows);
            })
        }
        UserCmd::Passwd {
            username,
            new_password_file,
        } => {
            let password = new_password(new_password_file.as_deref(), &username)?;
            store.set_password(&s, &username, &password)?;
            emit(ctx.json, &serde_json::json!({ "ok": true }), |_| {
                println!("Đã đổi mật khẩu của {username}.")
            })
        }
        UserCmd::Disable { username } => {
            store.disable_user(&s, &username)?;
            emit(ctx.json, &serde_json::json!({ "ok": true }), |_| {
                println!("Đã khoá tài khoản {username}.")
            })
        }
    }
}

pub fn org(ctx: &Ctx, c: OrgCmd) -> anyhow::Result<()> {
    let (store, s) = ctx.login()?;
    match c {
        OrgCmd::Add {
            name,
            tax_code,
            address,
            contact,
            emails,
            category,
        } => {
            let org = store.add_organization(
                &s,
                &NewOrganization {
                    name,
                    tax_code,
                    address,
                    contact_person: contact,
                    contact_emails: emails,
                    category,
                },
            )?;
            emit(ctx.json, &org, |o| {
                println!(
                    "Đã đăng ký {} — mã tham chiếu {} (tổ chức ghi mã này trong email gửi danh sách).",
                    o.name, o.ref_code
                )
            })
        }
        OrgCmd::List => {
            let orgs = store.list_organizations(&s)?;
            emit(ctx.json, &orgs, |orgs| {
                let rows: Vec<Vec<String>> = orgs
                    .iter()
                    .map(|o| {
                        vec![
                            o.ref_code.clone(),
                            o.name.clone(),
                            o.tax_code.clone(),
                            o.contact_emails.join(", "),
                        ]
                    })
                    .collect();
                table(&["mã", "tên", "mã số thuế", "email"], &rows);
            })
        }
        OrgCmd::Show { reference } => {
            let org = store.organization_by_ref(&s, &reference)?;
            emit(ctx.json, &org, |o| {
                println!("{} — {}", o.ref_code, o.name);
                println!("Mã số thuế: {}", o.tax_code);
                println!("Địa chỉ: {}", o.address);
                println!("Người liên hệ: {}", o.contact_person);
                println!("Email: {}", o.contact_emails.join(", "));
            })
        }
    }
}
