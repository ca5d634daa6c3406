//! Users, roles, passwords (Argon2id) and login.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use workflow::Role;

use crate::audit::{self, Actor};
use crate::error::{Result, StoreError};
use crate::util::now_rfc3339;
use crate::Store;

mod throttle;

/// A logged-in user. Obtained from [`Store::login`]; every service that acts
/// takes it, re-reads the user (still enabled? roles?) and records it in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<Role>,
}

impl Session {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A user to create.
#[derive(Debug, Clone, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub password: String,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserInfo {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub created_at: String,
}

pub(crate) const MIN_PASSWORD_CHARS: usize = 8;

pub(crate) fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::invalid(
            "auth.weak_password",
            format!("Mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự."),
        ));
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::PasswordHash(e.to_string()))
}

/// An Argon2id hash with the default parameters of a random password nobody
/// knows: an unknown user name is checked against it so that it takes as long
/// as a known one (a test checks its parameters are [`Argon2::default`]'s).
const DUMMY_PHC: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$LAyVsWixuLQ7Sewm8UjmvQ$2+qUhz+f4v1uqNf7eJOJxq33ypyaAv/3BGqUDrUmSwQ";

/// Who an audit entry of a failed login names when the name is not a user's.
const UNKNOWN_USER: &str = "(tên không có)";

/// Longest password looked at; a longer one cannot be right (hashing is bounded).
const MAX_PASSWORD_BYTES: usize = 1024;

fn bounded(password: &str) -> &str {
    if password.len() <= MAX_PASSWORD_BYTES {
        password
    } else {
        ""
    }
}

fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Usernames: 3–32 of a-z 0-9 . _ - (typed on any keyboard, no diacritics).
pub(crate) fn normalize_username(raw: &str) -> Result<String> {
    let u = raw.trim().to_lowercase();
    let ok = (3..=32).contains(&u.len())
        && u.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if ok {
        Ok(u)
    } else {
        Err(StoreError::invalid(
            "auth.invalid_username",
            format!("Tên đăng nhập «{}» không hợp lệ: dùng 3–32 ký tự a-z, 0-9, dấu chấm, gạch dưới hoặc gạch ngang, không dấu.", raw.trim()),
        ))
    }
}

fn roles_of(conn: &Connection, user_id: i64) -> Result<Vec<Role>> {
    let mut st = conn.prepare_cached("SELECT role FROM user_roles WHERE user_id = ?1")?;
    let codes = st
        .query_map([user_id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut roles: Vec<Role> = codes.iter().filter_map(|c| Role::parse(c)).collect();
    roles.sort();
    Ok(roles)
}

/// Re-read the session's user inside a transaction: a user disabled or
/// stripped of a role since login can no longer act.
pub(crate) fn current(tx: &Transaction<'_>, s: &Session) -> Result<Session> {
    let row: Option<(String, String, bool)> = tx
        .query_row(
            "SELECT username, full_name, disabled FROM users WHERE id = ?1",
            [s.user_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match row {
        None => Err(StoreError::BadCredentials),
        Some((username, _, true)) => Err(StoreError::UserDisabled { username }),
        Some((username, full_name, false)) => Ok(Session {
            user_id: s.user_id,
            username,
            full_name,
            roles: roles_of(tx, s.user_id)?,
        }),
    }
}

/// Require one of `roles` for a non-workflow action (`action` is a Vietnamese verb phrase).
pub(crate) fn require(s: &Session, action: &'static str, roles: &[Role]) -> Result<()> {
    if s.roles.iter().any(|r| roles.contains(r)) {
        Ok(())
    } else {
        Err(StoreError::Forbidden {
            action,
            required: roles.to_vec(),
        })
    }
}

pub(crate) fn actor(s: &Session) -> Actor<'_> {
    Actor {
        user_id: Some(s.user_id),
        username: &s.username,
    }
}

/// Insert a user; shared by `init_ward` (first admin) and `add_user`.
pub(crate) fn insert_user(tx: &Transaction<'_>, u: &NewUser) -> Result<i64> {
    let username = normalize_username(&u.username)?;
    let full_name = vntext::clean(&u.full_name);
    if full_name.is_empty() {
        return Err(StoreError::invalid(
            "auth.full_name_required",
            "Cần nhập họ và tên người dùng.",
        ));
    }
    if u.roles.is_empty() {
        return Err(StoreError::invalid(
            "auth.roles_required",
            "Người dùng cần ít nhất một vai trò.",
        ));
    }
    let taken: Option<i64> = tx
        .query_row(
            "SELECT id FROM users WHERE username = ?1",
            [&username],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(StoreError::invalid(
            "auth.username_taken",
            format!("Tên đăng nhập «{username}» đã có người dùng."),
        ));
    }
    let hash = hash_password(&u.password)?;
    tx.execute(
        "INSERT INTO users (username, full_name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![username, full_name, hash, now_rfc3339()],
    )?;
    let id = tx.last_insert_rowid();
    for role in &u.roles {
        tx.execute(
            "INSERT OR IGNORE INTO user_roles (user_id, role) VALUES (?1, ?2)",
            params![id, role.as_str()],
        )?;
    }
    Ok(id)
}

impl Store {
    /// Check a username and password. A wrong password and an unknown user
    /// give the same `auth.bad_credentials`, in the same time (an unknown name
    /// is checked against a dummy hash); a disabled user with the right
    /// password gets `auth.user_disabled`. After [`throttle::FREE_FAILURES`]
    /// failures for an account, each further try must wait (growing, kept in
    /// the database): `auth.throttled` with the seconds left, and the password
    /// is not even checked. Every attempt is audited; a name that is not a
    /// user's is never stored (it is often a password typed in the wrong field).
    pub fn login(&self, username: &str, password: &str) -> Result<Session> {
        // Bounded before any work: a 100 KB "name" is not looked at further.
        let name = (username.len() <= 64)
            .then(|| normalize_username(username).ok())
            .flatten();
        self.write(|tx| {
            let row: Option<(i64, String, String, bool)> = match &name {
                Some(n) => tx
                    .query_row(
                        "SELECT id, full_name, password_hash, disabled FROM users WHERE username = ?1",
                        [n],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )
                    .optional()?,
                None => None,
            };
            let account = match (&row, &name) {
                (Some(_), Some(n)) => n.as_str(),
                _ => throttle::UNKNOWN_ACCOUNT,
            };
            let now = throttle::now_ms();
            if let Some(wait_secs) = throttle::wait(tx, account, now)? {
                return Ok(Err(StoreError::Throttled { wait_secs }));
            }
            let phc = row.as_ref().map_or(DUMMY_PHC, |r| r.2.as_str());
            // Same work whatever the name: the dummy hash has the real parameters.
            let password_ok = verify_password(bounded(password), phc) && row.is_some();
            let outcome = match &row {
                Some((_, _, _, true)) if password_ok => Err(StoreError::UserDisabled {
                    username: account.to_string(),
                }),
                Some((user_id, full_name, _, false)) if password_ok => Ok(Session {
                    user_id: *user_id,
                    username: account.to_string(),
                    full_name: full_name.clone(),
                    roles: roles_of(tx, *user_id)?,
                }),
                _ => Err(StoreError::BadCredentials),
            };
            let mut details = serde_json::json!({});
            if password_ok {
                throttle::clear(tx, account)?;
            } else {
                let f = throttle::fail(tx, account, now)?;
                details = serde_json::json!({"reason": "auth.bad_credentials", "failures": f.failures});
                if f.wait_secs > 0 {
                    details["wait_secs"] = f.wait_secs.into();
                }
            }
            if let Err(StoreError::UserDisabled { .. }) = &outcome {
                details = serde_json::json!({"reason": "auth.user_disabled"});
            }
            let user_id = row.as_ref().map(|r| r.0);
            let action = if outcome.is_ok() {
                "auth.login"
            } else {
                "auth.login_failed"
            };
            audit::append(
                tx,
                &Actor {
                    user_id,
                    username: if user_id.is_some() { account } else { UNKNOWN_USER },
                },
                action,
                "user",
                user_id,
                details,
            )?;
            Ok(outcome)
        })?
    }

    /// Create a user (ward administrator only).
    pub fn add_user(&self, s: &Session, u: &NewUser) -> Result<UserInfo> {
        let id = self.write(|tx| {
            let me = current(tx, s)?;
            require(&me, "thêm người dùng", &[Role::WardAdmin])?;
            let id = insert_user(tx, u)?;
            let roles: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
            audit::append(
                tx,
                &actor(&me),
                "user.add",
                "user",
                Some(id),
                serde_json::json!({"username": normalize_username(&u.username)?, "roles": roles}),
            )?;
            Ok(id)
        })?;
        self.user_by_id(id)
    }

    /// Every user, enabled or not.
    pub fn list_users(&self, _s: &Session) -> Result<Vec<UserInfo>> {
        let mut st = self.conn.prepare(
            "SELECT id, username, full_name, disabled, created_at FROM users ORDER BY username",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok(UserInfo {
                    id: r.get(0)?,
                    username: r.get(1)?,
                    full_name: r.get(2)?,
                    roles: Vec::new(),
                    disabled: r.get(3)?,
                    created_at: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|mut u| {
                u.roles = roles_of(&self.conn, u.id)?;
                Ok(u)
            })
            .collect()
    }

    fn user_by_id(&self, id: i64) -> Result<UserInfo> {
        let mut u = self
            .conn
            .query_row(
                "SELECT id, username, full_name, disabled, created_at FROM users WHERE id = ?1",
                [id],
                |r| {
                    Ok(UserInfo {
                        id: r.get(0)?,
                        username: r.get(1)?,
                        full_name: r.get(2)?,
                        roles: Vec::new(),
                        disabled: r.get(3)?,
                        created_at: r.get(4)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("người dùng", id))?;
        u.roles = roles_of(&self.conn, id)?;
        Ok(u)
    }

    fn user_id(tx: &Transaction<'_>, username: &str) -> Result<i64> {
        let username = username.trim().to_lowercase();
        tx.query_row(
            "SELECT id FROM users WHERE username = ?1",
            [&username],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| StoreError::not_found("người dùng", username))
    }

    /// Set a password: the ward administrator for anyone, or a user for themself.
    pub fn set_password(&self, s: &Session, username: &str, new_password: &str) -> Result<()> {
        self.write(|tx| {
            let me = current(tx, s)?;
            let id = Self::user_id(tx, username)?;
            if id != me.user_id {
                require(&me, "đặt mật khẩu cho người khác", &[Role::WardAdmin])?;
            }
            let hash = hash_password(new_password)?;
            tx.execute(
                "UPDATE users SET password_hash = ?1 WHERE id = ?2",
                params![hash, id],
            )?;
            // A new password ends a lockout: the administrator has spoken to the user.
            let name: String =
                tx.query_row("SELECT username FROM users WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            throttle::clear(tx, &name)?;
            audit::append(
                tx,
                &actor(&me),
                "user.set_password",
                "user",
                Some(id),
                serde_json::json!({}),
            )
        })
    }

    /// Disable (`true`) or re-enable a user (ward administrator; not oneself,
    /// so a ward cannot lock out its last administrator by mistake).
    pub fn set_user_disabled(&self, s: &Session, username: &str, disabled: bool) -> Result<()> {
        self.write(|tx| {
            let me = current(tx, s)?;
            require(&me, "khoá hoặc mở khoá người dùng", &[Role::WardAdmin])?;
            let id = Self::user_id(tx, username)?;
            if id == me.user_id {
                return Err(StoreError::invalid(
                    "auth.cannot_disable_self",
                    "Không thể tự khoá tài khoản của chính mình.",
                ));
            }
            tx.execute(
                "UPDATE users SET disabled = ?1 WHERE id = ?2",
                params![disabled, id],
            )?;
            audit::append(
                tx,
                &actor(&me),
                if disabled {
                    "user.disable"
                } else {
                    "user.enable"
                },
                "user",
                Some(id),
                serde_json::json!({}),
            )
        })
    }

    /// Shorthand for `set_user_disabled(s, username, true)`.
    pub fn disable_user(&self, s: &Session, username: &str) -> Result<()> {
        self.set_user_disabled(s, username, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_is_argon2id_and_verifies() {
        let h = hash_password("mật khẩu dài").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("mật khẩu dài", &h));
        assert!(!verify_password("mat khau dai", &h));
        assert!(!verify_password("x", "not a phc string"));
        assert_eq!(
            hash_password("short").unwrap_err().code(),
            "auth.weak_password"
        );
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let dummy = PasswordHash::new(DUMMY_PHC).expect("parses");
        let real_text = hash_password("mật khẩu dài").unwrap();
        let real = PasswordHash::new(&real_text).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.params, real.params);
        assert!(!verify_password("", DUMMY_PHC));
    }

    #[test]
    fn usernames() {
        assert_eq!(normalize_username(" CanBo.01 ").unwrap(), "canbo.01");
        for bad in ["ab", "cán bộ", "a b c", "x@y", ""] {
            assert_eq!(
                normalize_username(bad).unwrap_err().code(),
                "auth.invalid_username",
                "{bad}"
            );
        }
    }
}
