//! Organizations (employers) registered by the ward official.

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use workflow::Role;

use crate::audit;
use crate::auth::{self, Session};
use crate::error::{Result, StoreError};
use crate::util::{now_rfc3339, sha256_hex};
use crate::Store;

/// Alphabet of reference codes: no 0/O, 1/I/L — read aloud or typed from an
/// email without ambiguity.
const REF_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const REF_LEN: usize = 5;
const REF_PREFIX: &str = "DN-";

#[derive(Debug, Clone, Deserialize)]
pub struct NewOrganization {
    pub name: String,
    /// 10 digits, or 10 digits + "-" + 3 digits (a branch).
    pub tax_code: String,
    pub address: String,
    pub contact_person: String,
    /// At least one; each validated, stored lowercase.
    pub contact_emails: Vec<String>,
    /// Permit category of its employees (permit::category, e.g. PRODUCTION).
    pub category: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organization {
    pub id: i64,
    /// Reference code the organization quotes in its emails, e.g. "DN-7KQ3M".
    pub ref_code: String,
    pub name: String,
    pub tax_code: String,
    pub address: String,
    pub contact_person: String,
    pub contact_emails: Vec<String>,
    pub category: u8,
    pub created_at: String,
}

/// Normalize a typed reference code ("dn 7kq3m", "DN7KQ3M" → "DN-7KQ3M");
/// `None` if it cannot be one.
pub fn normalize_ref(s: &str) -> Option<String> {
    let compact: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(|c| c.to_uppercase())
        .collect();
    let body = compact.strip_prefix("DN")?;
    (body.len() == REF_LEN && body.bytes().all(|b| REF_ALPHABET.contains(&b)))
        .then(|| format!("{REF_PREFIX}{body}"))
}

pub(crate) fn validate_tax_code(raw: &str) -> Result<String> {
    let t: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match t.split_once('-') {
        None => digits(&t, 10),
        Some((main, branch)) => digits(main, 10) && digits(branch, 3),
    };
    if ok {
        Ok(t)
    } else {
        Err(StoreError::invalid(
            "org.invalid_tax_code",
            format!("Mã số thuế «{}» không hợp lệ: cần 10 chữ số, hoặc 10 chữ số-3 chữ số cho chi nhánh (ví dụ 0101234567-001).", raw.trim()),
        ))
    }
}

/// A deliberately plain check (local@domain.tld, no spaces, sane characters):
/// the confirmation email is the real test of an address.
pub(crate) fn validate_email(raw: &str) -> Result<String> {
    let e = raw.trim().to_lowercase();
    let bad = || {
        StoreError::invalid(
            "org.invalid_email",
            format!("Địa chỉ email «{}» không hợp lệ.", raw.trim()),
        )
    };
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(e)
    } else {
        Err(bad())
    }
}

fn ref_candidate(seed: &str, attempt: u32) -> String {
    let h = sha256_hex(format!("{seed}|{attempt}").as_bytes());
    let bytes = h.as_bytes();
    let body: String = (0..REF_LEN)
        .map(|i| {
            let v = u8::from_str_radix(&h[i * 2..i * 2 + 2], 16).unwrap_or(bytes[i]);
            REF_ALPHABET[v as usize % REF_ALPHABET.len()] as char
        })
        .collect();
    format!("{REF_PREFIX}{body}")
}

fn row_to_org(r: &Row<'_>) -> rusqlite::Result<Organization> {
    let emails: String = r.get(6)?;
    Ok(Organization {
        id: r.get(0)?,
        ref_code: r.get(1)?,
        name: r.get(2)?,
        tax_code: r.get(3)?,
        address: r.get(4)?,
        contact_person: r.get(5)?,
        contact_emails: serde_json::from_str(&emails).unwrap_or_default(),
        created_at: r.get(7)?,
        category: r.get(8)?,
    })
}

const ORG_COLS: &str =
    "id, ref_code, name, tax_code, address, contact_person, contact_emails, created_at, category";

impl Store {
    /// Register an organization (ward official). Returns it with its new reference code.
    pub fn add_organization(&self, s: &Session, o: &NewOrganization) -> Result<Organization> {
        let name = vntext::clean(&o.name);
        if name.is_empty() {
            return Err(StoreError::invalid(
                "org.name_required",
                "Cần nhập tên tổ chức, doanh nghiệp.",
            ));
        }
        let tax_code = validate_tax_code(&o.tax_code)?;
        let category = crate::requests::check_category(o.category)?;
        let address = vntext::clean(&o.address);
        if address.is_empty() {
            return Err(StoreError::invalid(
                "org.address_required",
                "Cần nhập địa chỉ tổ chức.",
            ));
        }
        let contact_person = vntext::clean(&o.contact_person);
        if contact_person.is_empty() {
            return Err(StoreError::invalid(
                "org.contact_required",
                "Cần nhập người liên hệ.",
            ));
        }
        let mut emails = Vec::new();
        for e in &o.contact_emails {
            let e = validate_email(e)?;
            if !emails.contains(&e) {
                emails.push(e);
            }
        }
        if emails.is_empty() {
            return Err(StoreError::invalid(
                "org.email_required",
                "Cần ít nhất một email liên hệ: hệ thống gửi xác nhận và nhận danh sách qua email.",
            ));
        }
        let id = self.write(|tx| {
            let me = auth::current(tx, s)?;
            auth::require(&me, "nhập đăng ký tổ chức", &[Role::WardOfficial])?;
            let dup: Option<String> = tx
                .query_row("SELECT name FROM organizations WHERE tax_code = ?1", [&tax_code], |r| r.get(0))
                .optional()?;
            if let Some(other) = dup {
                return Err(StoreError::invalid(
                    "org.tax_code_taken",
                    format!("Mã số thuế {tax_code} đã được đăng ký cho «{other}»."),
                ));
            }
            let seed = format!("{tax_code}|{}", now_rfc3339());
            let mut ref_code = None;
            for attempt in 0..64 {
                let c = ref_candidate(&seed, attempt);
                let used: Option<i64> = tx
                    .query_row("SELECT id FROM organizations WHERE ref_code = ?1", [&c], |r| r.get(0))
                    .optional()?;
                if used.is_none() {
                    ref_code = Some(c);
                    break;
                }
            }
            let ref_code = ref_code.ok_or_else(|| {
                StoreError::invalid("org.ref_exhausted", "Không tạo được mã tham chiếu mới; hãy thử lại.")
            })?;
            tx.execute(
                "INSERT INTO organizations (ref_code, name, name_key, tax_code, address, contact_person, contact_emails, created_by, created_at, category)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    ref_code,
                    name,
                    vntext::fold(&name),
                    tax_code,
                    address,
                    contact_person,
                    serde_json::to_string(&emails).unwrap_or_else(|_| "[]".into()),
                    me.user_id,
                    now_rfc3339(),
                    category
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                &auth::actor(&me),
                "org.add",
                "organization",
                Some(id),
                serde_json::json!({"ref": ref_code, "name": name, "tax_code": tax_code, "emails": emails, "category": category}),
            )?;
            Ok(id)
        })?;
        self.organization_by_id(id)
    }

    pub fn list_organizations(&self, _s: &Session) -> Result<Vec<Organization>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {ORG_COLS} FROM organizations ORDER BY name_key"
        ))?;
        let v = st
            .query_map([], row_to_org)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(v)
    }

    /// By reference code, as typed ("dn7kq3m" works).
    pub fn organization_by_ref(&self, _s: &Session, ref_code: &str) -> Result<Organization> {
        let norm = normalize_ref(ref_code)
            .ok_or_else(|| StoreError::not_found("tổ chức có mã tham chiếu", ref_code.trim()))?;
        self.conn
            .query_row(
                &format!("SELECT {ORG_COLS} FROM organizations WHERE ref_code = ?1"),
                [&norm],
                row_to_org,
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("tổ chức có mã tham chiếu", norm))
    }

    pub(crate) fn organization_by_id(&self, id: i64) -> Result<Organization> {
        self.conn
            .query_row(
                &format!("SELECT {ORG_COLS} FROM organizations WHERE id = ?1"),
                [id],
                row_to_org,
            )
            .optional()?
            .ok_or_else(|| StoreError::not_found("tổ chức", id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_codes() {
        assert_eq!(validate_tax_code("0101234567").unwrap(), "0101234567");
        assert_eq!(
            validate_tax_code(" 0101234567-001 ").unwrap(),
            "0101234567-001"
        );
        for bad in [
            "010123456",
            "01012345678",
            "0101234567-01",
            "0101234567-0011",
            "01012345a7",
            "",
            "-001",
        ] {
            assert_eq!(
                validate_tax_code(bad).unwrap_err().code(),
                "org.invalid_tax_code",
                "{bad}"
            );
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            validate_email(" NhanSu@Cong-Ty.com.vn ").unwrap(),
            "nhansu@cong-ty.com.vn"
        );
        assert!(validate_email("a.b+c@x.vn").is_ok());
        for bad in [
            "",
            "a",
            "a@",
            "@x.vn",
            "a@x",
            "a b@x.vn",
            "a@x..vn",
            "a@-x.vn",
            "a..b@x.vn",
            "nhân@x.vn",
            "a@x.v1",
        ] {
            assert_eq!(
                validate_email(bad).unwrap_err().code(),
                "org.invalid_email",
                "{bad}"
            );
        }
    }

    #[test]
    fn ref_codes_are_unambiguous_and_normalize() {
        for attempt in 0..200 {
            let c = ref_candidate("seed", attempt);
            assert_eq!(c.len(), 8);
            assert!(!c[3..].contains(['0', 'O', '1', 'I', 'L']), "{c}");
            assert_eq!(
                normalize_ref(&c.to_lowercase()).as_deref(),
                Some(c.as_str())
            );
            assert_eq!(
                normalize_ref(&c.replace('-', " ")).as_deref(),
                Some(c.as_str())
            );
        }
        assert_eq!(normalize_ref("DN-0OIL1"), None);
        assert_eq!(normalize_ref("DN-ABC"), None);
        assert_eq!(normalize_ref("XY-ABCDE"), None);
    }
}
