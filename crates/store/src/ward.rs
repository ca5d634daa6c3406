//! The ward this workstation serves, and its first administrator.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use workflow::Role;

use crate::audit::{self, Actor};
use crate::auth::{self, NewUser, Session};
use crate::error::{Result, StoreError};
use crate::util::now_rfc3339;
use crate::Store;

/// What `gdd init` / the first-start screen asks for.
#[derive(Debug, Clone, Deserialize)]
pub struct WardInit {
    /// Ward code from the administrative-unit dataset (5 digits, e.g. "00004").
    pub code: String,
    pub name: String,
    /// Dataset version the code comes from, `YYYY-MM` (e.g. "2025-07"):
    /// codes were reused with new meanings when units merged on 2025-07-01.
    pub dataset: String,
    /// Workstation number within the ward (1, 2; the backup PC takes one over).
    pub workstation: u8,
    pub admin_username: String,
    pub admin_full_name: String,
    pub admin_password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ward {
    pub code: String,
    pub name: String,
    pub dataset: String,
    pub workstation: u8,
    pub created_at: String,
    /// Created by the demo: its accounts are public, and what it issues is not real.
    pub demo: bool,
}

fn validate(w: &WardInit) -> Result<(String, String, String)> {
    let code = w.code.trim().to_string();
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(StoreError::invalid(
            "ward.invalid_code",
            format!("Mã phường/xã «{code}» không hợp lệ: cần 5 chữ số theo danh mục đơn vị hành chính (ví dụ 00004)."),
        ));
    }
    let name = vntext::clean(&w.name);
    if name.is_empty() {
        return Err(StoreError::invalid(
            "ward.name_required",
            "Cần nhập tên phường/xã.",
        ));
    }
    let dataset = w.dataset.trim().to_string();
    let ok = dataset.len() == 7
        && dataset.as_bytes()[4] == b'-'
        && dataset[..4].bytes().all(|b| b.is_ascii_digit())
        && dataset[5..].bytes().all(|b| b.is_ascii_digit())
        && (1..=12).contains(&dataset[5..].parse::<u8>().unwrap_or(0));
    if !ok {
        return Err(StoreError::invalid(
            "ward.invalid_dataset",
            format!("Phiên bản danh mục đơn vị hành chính «{dataset}» không hợp lệ: dùng dạng NĂM-THÁNG, ví dụ 2025-07."),
        ));
    }
    if !(1..=99).contains(&w.workstation) {
        return Err(StoreError::invalid(
            "ward.invalid_workstation",
            "Số máy trạm phải từ 1 đến 99.",
        ));
    }
    Ok((code, name, dataset))
}

impl Store {
    /// The ward, or `None` on a fresh database (offer init or the demo).
    pub fn ward(&self) -> Result<Option<Ward>> {
        Ok(self
            .conn
            .query_row(
                "SELECT code, name, dataset, workstation, created_at, demo FROM ward WHERE id = 1",
                [],
                |r| {
                    Ok(Ward {
                        code: r.get(0)?,
                        name: r.get(1)?,
                        dataset: r.get(2)?,
                        workstation: r.get(3)?,
                        created_at: r.get(4)?,
                        demo: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// Set up the ward and its first administrator; returns the administrator's session.
    pub fn init_ward(&self, w: &WardInit) -> Result<Session> {
        self.init_ward_as(w, false)
    }

    /// `init_ward`, recording whether this is the demo ward.
    pub(crate) fn init_ward_as(&self, w: &WardInit, demo: bool) -> Result<Session> {
        let (code, name, dataset) = validate(w)?;
        let user_id = self.write(|tx| {
            if let Some((code, name)) = tx
                .query_row("SELECT code, name FROM ward WHERE id = 1", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?
            {
                return Err(StoreError::WardExists { code, name });
            }
            tx.execute(
                "INSERT INTO ward (id, code, name, dataset, workstation, created_at, demo) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
                params![code, name, dataset, w.workstation, now_rfc3339(), demo],
            )?;
            let admin = NewUser {
                username: w.admin_username.clone(),
                full_name: w.admin_full_name.clone(),
                password: w.admin_password.clone(),
                roles: vec![Role::WardAdmin],
            };
            let id = auth::insert_user(tx, &admin)?;
            let username = auth::normalize_username(&w.admin_username)?;
            audit::append(
                tx,
                &Actor { user_id: Some(id), username: &username },
                "ward.init",
                "ward",
                Some(1),
                serde_json::json!({"code": code, "name": name, "dataset": dataset, "workstation": w.workstation, "demo": demo}),
            )?;
            Ok(id)
        })?;
        let u = self.list_users_unchecked(user_id)?;
        Ok(u)
    }

    fn list_users_unchecked(&self, id: i64) -> Result<Session> {
        let (username, full_name): (String, String) = self.conn.query_row(
            "SELECT username, full_name FROM users WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Session {
            user_id: id,
            username,
            full_name,
            roles: vec![Role::WardAdmin],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn init() -> WardInit {
        WardInit {
            code: "00004".into(),
            name: "Phường Ba Đình".into(),
            dataset: "2025-07".into(),
            workstation: 1,
            admin_username: "quantri".into(),
            admin_full_name: "Nguyễn Văn Quản".into(),
            admin_password: "demo1234".into(),
        }
    }

    #[test]
    fn validates_fields() {
        let cases = [
            (
                WardInit {
                    code: "4".into(),
                    ..init()
                },
                "ward.invalid_code",
            ),
            (
                WardInit {
                    name: "  ".into(),
                    ..init()
                },
                "ward.name_required",
            ),
            (
                WardInit {
                    dataset: "2025".into(),
                    ..init()
                },
                "ward.invalid_dataset",
            ),
            (
                WardInit {
                    dataset: "2025-13".into(),
                    ..init()
                },
                "ward.invalid_dataset",
            ),
            (
                WardInit {
                    workstation: 0,
                    ..init()
                },
                "ward.invalid_workstation",
            ),
        ];
        for (w, code) in cases {
            assert_eq!(validate(&w).unwrap_err().code(), code);
        }
        assert!(validate(&init()).is_ok());
    }

    #[test]
    fn init_once() {
        let st = Store::open_in_memory().unwrap();
        assert!(st.ward().unwrap().is_none());
        let s = st.init_ward(&init()).unwrap();
        assert_eq!(s.roles, vec![Role::WardAdmin]);
        let w = st.ward().unwrap().unwrap();
        assert_eq!(
            (w.code.as_str(), w.dataset.as_str(), w.workstation),
            ("00004", "2025-07", 1)
        );
        assert!(!w.demo, "a ward made by init is a real ward");
        assert_eq!(
            st.init_ward(&init()).unwrap_err().code(),
            "store.ward_exists"
        );
    }
}
