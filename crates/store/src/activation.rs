//! Activation: the workstation's own signing key, the activation request it
//! emails to the city, and the install key (certificate) the city answers with.
//!
//! The sealed private key is a file next to the database
//! ([`Store::workstation_key_path`]); the database keeps only its public half
//! and fingerprint, and the install keys. Every step is audited.

use std::path::PathBuf;

use keystore::{
    ActivationRequest, KdfParams, KeyFile, Passphrase, SignedActivationRequest, SigningKey,
};
use permit::{Certificate, DatasetVersion, InstallTarget, KeyId, VerifyingKey};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::audit;
use crate::auth::{self, Session};
use crate::error::{Result, StoreError};
use crate::util::{date_str, now_rfc3339, today_vn};
use crate::{Role, Store};

/// The workstation key as recorded in the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkstationKeyInfo {
    /// 64 hex digits.
    pub public_key: String,
    /// `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`, read out over the phone to the city.
    pub fingerprint: String,
    /// The sealed key file (`None` for an in-memory store).
    pub key_file: Option<PathBuf>,
    pub created_at: String,
}

/// An installed install key (workstation certificate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstalledKey {
    /// `permit::KeyId` of the certified workstation key (16 hex digits).
    pub key_id: String,
    pub valid_from: String,
    pub valid_to: String,
    /// Signed by the demo root: everything stamped under it verifies as DEMO.
    pub demo_root: bool,
    /// Permit categories allowed (codes 0–15).
    pub categories: Vec<u8>,
    pub max_validity_days: u16,
    pub installed_at: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn admin_only(s: &Session, action: &'static str) -> Result<()> {
    auth::require(s, action, &[Role::WardAdmin])
}

/// Ward row as an install target (without the key).
fn ward_target(tx: &Transaction<'_>) -> Result<(u32, DatasetVersion, u8, String, bool)> {
    let (code, dataset, ws, name, demo): (String, String, u8, String, bool) = tx
        .query_row(
            "SELECT code, dataset, workstation, name, demo FROM ward WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
        .ok_or(StoreError::WardMissing)?;
    let bad = || {
        StoreError::invalid(
            "store.corrupt",
            format!(
                "Mã phường «{code}» hoặc danh mục «{dataset}» trong cơ sở dữ liệu không hợp lệ."
            ),
        )
    };
    let ward_code: u32 = code.parse().map_err(|_| bad())?;
    let dataset: DatasetVersion = dataset.parse().map_err(|_| bad())?;
    Ok((ward_code, dataset, ws, name, demo))
}

fn recorded_public_key(tx: &Transaction<'_>) -> Result<Option<VerifyingKey>> {
    let hex: Option<String> = tx
        .query_row(
            "SELECT public_key FROM workstation_key WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    match hex {
        None => Ok(None),
        Some(h) => permit::roots::parse_public_key(&h).map(Some).map_err(|_| {
            StoreError::invalid(
                "store.corrupt",
                "Khóa công khai của máy trạm trong cơ sở dữ liệu bị hỏng.",
            )
        }),
    }
}

fn no_key() -> StoreError {
    StoreError::invalid(
        "activation.no_key",
        "Máy trạm chưa có khóa ký. Quản trị phường hãy tạo khóa máy trạm trước (kích hoạt → tạo khóa).",
    )
}

/// The certificate stamping uses: the newest installed one in date on `today`
/// for the recorded workstation key.
pub(crate) fn active_certificate(
    conn: &rusqlite::Connection,
    today: Date,
) -> Result<Option<Certificate>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT i.certificate FROM install_keys i JOIN workstation_key k ON k.public_key = i.public_key
             WHERE i.valid_from <= ?1 AND i.valid_to >= ?1 ORDER BY i.id DESC LIMIT 1",
            [date_str(today)],
            |r| r.get(0),
        )
        .optional()?;
    match text {
        None => Ok(None),
        Some(t) => Certificate::from_text(&t)
            .map(Some)
            .map_err(StoreError::InstallKey),
    }
}

impl Store {
    /// Where this workstation's sealed key lives: next to the database,
    /// `<db name>-workstation-<n>.key` (`…-demo.key` for the demo ward).
    /// `None` for an in-memory store.
    pub fn workstation_key_path(&self) -> Result<Option<PathBuf>> {
        let ward = self.ward()?.ok_or(StoreError::WardMissing)?;
        let demo = if ward.demo { "-demo" } else { "" };
        Ok(self.beside_db(&format!("workstation-{}{demo}.key", ward.workstation)))
    }

    /// `<db dir>/<db name>-<suffix>`: files that belong with this database
    /// (its key, serial mark, activation request). `None` in memory.
    pub fn beside_db(&self, suffix: &str) -> Option<PathBuf> {
        Some(crate::files::beside(self.path()?, suffix))
    }

    /// Ward administrator: generate this workstation's signing key, seal it
    /// under `passphrase` into [`Store::workstation_key_path`] and record its
    /// public half. Refuses if a key exists (file or record): a certified key
    /// must never be replaced by accident.
    pub fn create_workstation_key(
        &self,
        s: &Session,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<WorkstationKeyInfo> {
        let key = keystore::generate_signing_key()?;
        self.record_workstation_key(s, &key, passphrase, params)
    }

    /// Seal and record a given key (the demo, and [`Store::create_workstation_key`]).
    pub(crate) fn record_workstation_key(
        &self,
        s: &Session,
        key: &SigningKey,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<WorkstationKeyInfo> {
        admin_only(s, "tạo khóa ký của máy trạm")?;
        let path = self.workstation_key_path()?;
        let public = key.verifying_key();
        let public_hex = hex(public.as_bytes());
        let fingerprint = keystore::fingerprint(&public).to_string();
        // Check the record before touching the disk, then write the file, then
        // commit the record: if the commit fails the file is there but
        // unrecorded, and a retry says `key.exists` with its path.
        let exists: Option<String> = self
            .conn
            .query_row(
                "SELECT fingerprint FROM workstation_key WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(fp) = exists {
            return Err(StoreError::invalid(
                "activation.key_exists",
                format!("Máy trạm đã có khóa ký (dấu vân tay {fp}). Không tạo khóa mới để tránh mất khóa đã được thành phố chứng nhận."),
            ));
        }
        if let Some(p) = &path {
            KeyFile::new(p).create(key, passphrase, "khóa ký máy trạm — giấy đi đường", params)?;
        }
        let key_file = path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        let now = now_rfc3339();
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            admin_only(&me, "tạo khóa ký của máy trạm")?;
            tx.execute(
                "INSERT INTO workstation_key (id, public_key, fingerprint, key_file, created_by, created_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5)",
                params![public_hex, fingerprint, key_file, me.user_id, now],
            )?;
            audit::append(
                tx,
                &auth::actor(&me),
                "activation.key_created",
                "workstation",
                None,
                serde_json::json!({"fingerprint": fingerprint, "key_file": key_file}),
            )
        })?;
        Ok(WorkstationKeyInfo {
            public_key: public_hex,
            fingerprint,
            key_file: path,
            created_at: now,
        })
    }

    /// The recorded workstation key, if any.
    pub fn workstation_key(&self) -> Result<Option<WorkstationKeyInfo>> {
        let row: Option<(String, String, String)> = self
            .conn
            .query_row(
                "SELECT public_key, fingerprint, created_at FROM workstation_key WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(match row {
            None => None,
            Some((public_key, fingerprint, created_at)) => Some(WorkstationKeyInfo {
                public_key,
                fingerprint,
                key_file: self.workstation_key_path()?,
                created_at,
            }),
        })
    }

    /// Open the sealed workstation key with `passphrase` (ward police before a
    /// stamping session, the administrator for the activation request).
    /// `key.bad_passphrase`, `key.not_found`… from keystore; `activation.no_key`
    /// when none was created; `activation.key_mismatch` if the file holds
    /// another key than the one recorded.
    pub fn load_workstation_key(&self, passphrase: &Passphrase) -> Result<SigningKey> {
        let path = self.workstation_key_path()?.ok_or_else(no_key)?;
        let recorded = {
            let tx = self.conn.unchecked_transaction()?;
            recorded_public_key(&tx)?
        }
        .ok_or_else(no_key)?;
        let key = KeyFile::new(&path).load(passphrase)?;
        if key.verifying_key() != recorded {
            return Err(StoreError::invalid(
                "activation.key_mismatch",
                format!(
                    "Tệp khóa {} chứa một khóa khác với khóa đã đăng ký của máy trạm này.",
                    path.display()
                ),
            ));
        }
        Ok(key)
    }

    /// Ward administrator: the activation request to email to the city,
    /// signed with the workstation key (opened with `passphrase`).
    pub fn activation_request(
        &self,
        s: &Session,
        passphrase: &Passphrase,
        contact_emails: &[String],
    ) -> Result<SignedActivationRequest> {
        admin_only(s, "lập yêu cầu kích hoạt")?;
        let key = self.load_workstation_key(passphrase)?;
        self.activation_request_with(s, &key, contact_emails)
    }

    /// [`Store::activation_request`] with an already opened key.
    pub fn activation_request_with(
        &self,
        s: &Session,
        key: &SigningKey,
        contact_emails: &[String],
    ) -> Result<SignedActivationRequest> {
        admin_only(s, "lập yêu cầu kích hoạt")?;
        let ward = self.ward()?.ok_or(StoreError::WardMissing)?;
        let signed = ActivationRequest {
            ward_code: ward.code,
            ward_name: ward.name,
            dataset: ward.dataset,
            workstation: ward.workstation,
            public_key: key.verifying_key(),
            created_at: OffsetDateTime::now_utc(),
            contact_emails: contact_emails.to_vec(),
        }
        .sign(key)?;
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            audit::append(
                tx,
                &auth::actor(&me),
                "activation.request",
                "workstation",
                None,
                serde_json::json!({
                    "fingerprint": signed.fingerprint().to_string(),
                    "emails": signed.request().contact_emails,
                }),
            )
        })?;
        Ok(signed)
    }

    /// Ward administrator: install the city's install key. Checked against
    /// `roots` (the build's trusted roots: [`crate::trust::trusted_roots`]),
    /// this ward and dataset, this workstation number, this workstation's key,
    /// and today's date (Vietnam); the error names the failed check with
    /// permit's code (`install_key.wrong_ward`, `install_key.wrong_key`,
    /// `install_key.expired`, `signature.wrong_issuer`, `signature.bad`…).
    pub fn install_key(
        &self,
        s: &Session,
        install_key_text: &str,
        roots: &[VerifyingKey],
    ) -> Result<InstalledKey> {
        self.install_key_on(s, install_key_text, roots, today_vn())
    }

    /// [`Store::install_key`] on a given day (tests).
    #[doc(hidden)]
    pub fn install_key_on(
        &self,
        s: &Session,
        install_key_text: &str,
        roots: &[VerifyingKey],
        today: Date,
    ) -> Result<InstalledKey> {
        admin_only(s, "cài khóa cài đặt")?;
        let cert = Certificate::from_text(install_key_text).map_err(StoreError::InstallKey)?;
        let root = roots
            .iter()
            .find(|r| permit::issuer_id(r) == cert.issuer_id())
            .ok_or(StoreError::InstallKey(permit::PermitError::WrongIssuer))?;
        let demo_root = permit::roots::is_demo_root(root);
        if demo_root && !crate::trust::trusts_demo_root() {
            return Err(StoreError::invalid(
                "trust.demo_root_refused",
                "Bản phát hành không nhận khóa cài đặt ký bằng khóa gốc MẪU (demo): hãy xin khóa cài đặt thật của thành phố.",
            ));
        }
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            admin_only(&me, "cài khóa cài đặt")?;
            let (ward_code, dataset, workstation, _, _) = ward_target(tx)?;
            let public_key = recorded_public_key(tx)?.ok_or_else(no_key)?;
            cert.check_install(
                root,
                &InstallTarget {
                    ward_code,
                    dataset,
                    workstation,
                    public_key,
                },
                today,
            )
            .map_err(StoreError::InstallKey)?;
            let f = cert.fields();
            let now = now_rfc3339();
            let key_id = cert.key_id().to_string();
            tx.execute(
                "INSERT INTO install_keys (certificate, key_id, public_key, valid_from, valid_to, demo_root, installed_by, installed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    cert.to_text(),
                    key_id,
                    hex(f.public_key.as_bytes()),
                    date_str(f.valid_from),
                    date_str(f.valid_to),
                    demo_root,
                    me.user_id,
                    now
                ],
            )?;
            let info = InstalledKey {
                key_id,
                valid_from: date_str(f.valid_from),
                valid_to: date_str(f.valid_to),
                demo_root,
                categories: f.scope.categories.iter().collect(),
                max_validity_days: f.scope.max_validity_days,
                installed_at: now,
            };
            audit::append(
                tx,
                &auth::actor(&me),
                "activation.install_key",
                "workstation",
                None,
                serde_json::json!({
                    "key_id": info.key_id,
                    "valid_from": info.valid_from,
                    "valid_to": info.valid_to,
                    "demo_root": demo_root,
                    "categories": info.categories,
                    "max_validity_days": info.max_validity_days,
                }),
            )?;
            Ok(info)
        })
    }

    /// The install key stamping uses today, if any (newest in date for this
    /// workstation's key).
    pub fn installed_key(&self) -> Result<Option<InstalledKey>> {
        let row: Option<(String, String, String, bool, String, String)> = self
            .conn
            .query_row(
                "SELECT i.key_id, i.valid_from, i.valid_to, i.demo_root, i.installed_at, i.certificate
                 FROM install_keys i JOIN workstation_key k ON k.public_key = i.public_key
                 WHERE i.valid_from <= ?1 AND i.valid_to >= ?1 ORDER BY i.id DESC LIMIT 1",
                [date_str(today_vn())],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()?;
        let Some((key_id, valid_from, valid_to, demo_root, installed_at, text)) = row else {
            return Ok(None);
        };
        let cert = Certificate::from_text(&text).map_err(StoreError::InstallKey)?;
        let scope = cert.fields().scope;
        Ok(Some(InstalledKey {
            key_id,
            valid_from,
            valid_to,
            demo_root,
            categories: scope.categories.iter().collect(),
            max_validity_days: scope.max_validity_days,
            installed_at,
        }))
    }

    /// Ward administrator, on a backup PC that took over from a copied or
    /// restored database: continue as workstation `workstation` (the number
    /// the city assigns to this PC), so that no serial of the old workstation
    /// can be signed twice. The old key's record goes (its install keys stay
    /// as history and stop counting); the PC then creates its own key, sends
    /// an activation request and installs its own install key.
    pub fn take_over_workstation(&self, s: &Session, workstation: u8) -> Result<u8> {
        admin_only(s, "nhận quyền máy trạm mới")?;
        if !(1..=99).contains(&workstation) {
            return Err(StoreError::invalid(
                "activation.bad_workstation",
                format!("Số máy trạm {workstation} không hợp lệ (1–99)."),
            ));
        }
        self.write(|tx| {
            let me = auth::current(tx, s)?;
            admin_only(&me, "nhận quyền máy trạm mới")?;
            let (code, old): (String, u8) =
                tx.query_row("SELECT code, workstation FROM ward WHERE id = 1", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            if workstation == old {
                return Err(StoreError::invalid(
                    "activation.same_workstation",
                    format!("Máy này đang là máy trạm số {old}: chọn số máy trạm mới mà thành phố cấp cho máy dự phòng."),
                ));
            }
            if crate::serials::has_serials(tx, &code, workstation)? {
                return Err(StoreError::invalid(
                    "activation.workstation_used",
                    format!("Cơ sở dữ liệu đã có giấy mang số sê-ri của máy trạm số {workstation}: chọn số khác."),
                ));
            }
            let old_fp: Option<String> = tx
                .query_row("SELECT fingerprint FROM workstation_key WHERE id = 1", [], |r| r.get(0))
                .optional()?;
            tx.execute("DELETE FROM workstation_key WHERE id = 1", [])?;
            tx.execute("UPDATE ward SET workstation = ?1 WHERE id = 1", [workstation])?;
            audit::append(
                tx,
                &auth::actor(&me),
                "activation.takeover",
                "workstation",
                None,
                serde_json::json!({"from": old, "to": workstation, "old_fingerprint": old_fp}),
            )?;
            Ok(workstation)
        })
    }

    /// Whether this workstation holds an install key from the city that is in
    /// date today for its own key: only then can it stamp.
    pub fn is_activated(&self) -> Result<bool> {
        Ok(active_certificate(&self.conn, today_vn())?.is_some())
    }
}

/// Key id of a public key, as certificates and revocation lists name it.
pub fn key_id_of(key: &VerifyingKey) -> String {
    KeyId::of(key).to_string()
}
