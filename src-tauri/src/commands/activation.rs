//! Activation (ward administrator): the workstation's own key, the activation request for
//! the city, and the install key the city answers with. The store checks roles and keys.

use serde::Serialize;
use store::worklist::ActivationOverview;
use store::{InstalledKey, KdfParams, Passphrase, WorkstationKeyInfo};
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize)]
pub struct ActivationStatus {
    #[serde(flatten)]
    pub overview: ActivationOverview,
    pub ward_code: String,
    pub ward_name: String,
    pub workstation: u8,
    pub demo_ward: bool,
    /// Vietnamese names of the categories the install key in date allows.
    pub category_names: Vec<String>,
    /// This build accepts install keys from the demo root (development builds).
    pub trusts_demo_root: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestText {
    pub text: String,
    pub fingerprint: String,
    /// Where a copy was written, next to the database.
    pub file: Option<String>,
    /// Why the copy could not be written (the text is still shown).
    pub file_error: Option<String>,
}

pub fn do_activation_status(st: &AppState) -> Result<ActivationStatus, ApiError> {
    st.require_session()?;
    let store = st.store()?;
    let ward = store.ward()?.ok_or(store::StoreError::WardMissing)?;
    let overview = store.activation_overview()?;
    // Unnamed codes share one name ("Loại khác…"): listed once.
    let mut category_names: Vec<String> = Vec::new();
    for c in overview.installed.iter().flat_map(|i| i.categories.iter()) {
        let name = permit::category::name_vi(*c).to_string();
        if !category_names.contains(&name) {
            category_names.push(name);
        }
    }
    Ok(ActivationStatus {
        overview,
        category_names,
        ward_code: ward.code,
        ward_name: ward.name,
        workstation: ward.workstation,
        demo_ward: ward.demo,
        trusts_demo_root: store::trust::trusts_demo_root(),
    })
}

/// `Ok(())` when `passphrase` may protect a new key, else the rule it breaks (live hint).
pub fn check_new_passphrase(passphrase: &str) -> Result<(), ApiError> {
    Ok(Passphrase::new(passphrase).check_new()?)
}

/// Create this workstation's key ("each workstation generates its own key on first start").
pub fn do_create_key(
    st: &AppState,
    passphrase: &str,
    repeat: &str,
) -> Result<WorkstationKeyInfo, ApiError> {
    let s = st.require_session()?;
    let (p, r) = (Passphrase::new(passphrase), Passphrase::new(repeat));
    p.check_new()?;
    // Compared after NFC, as the key derivation sees them.
    if passphrase.is_empty() || vntext::nfc(passphrase) != vntext::nfc(repeat) {
        return Err(keystore::KeyError::PassphraseMismatch.into());
    }
    drop(r);
    Ok(st
        .store()?
        .create_workstation_key(&s, &p, KdfParams::STANDARD)?)
}

/// The activation request text, also written to `<db>-activation-request.txt`.
pub fn do_activation_request(
    st: &AppState,
    passphrase: &str,
    emails: &[String],
) -> Result<RequestText, ApiError> {
    let s = st.require_session()?;
    let emails: Vec<String> = emails
        .iter()
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty())
        .collect();
    let store = st.store()?;
    let request = store.activation_request(&s, &Passphrase::new(passphrase), &emails)?;
    let text = request.to_text();
    let (file, file_error) = match store.beside_db("activation-request.txt") {
        None => (None, None),
        // The app's own copy of the request, written again each time it is shown.
        Some(path) => match outfile::write(
            &path,
            text.as_bytes(),
            &outfile::Options::new()
                .force(true)
                .protect(store.protected_files()),
        ) {
            Ok(_) => (Some(path.display().to_string()), None),
            Err(e) => (None, Some(format!("{}: {e}", path.display()))),
        },
    };
    Ok(RequestText {
        text,
        fingerprint: request.fingerprint().to_string(),
        file,
        file_error,
    })
}

pub fn do_install_key(st: &AppState, text: &str) -> Result<InstalledKey, ApiError> {
    let s = st.require_session()?;
    Ok(st
        .store()?
        .install_key(&s, text, &store::trust::trusted_roots()?)?)
}

#[tauri::command]
pub async fn activation_status(state: State<'_, AppState>) -> Result<ActivationStatus, ApiError> {
    do_activation_status(&state)
}

#[tauri::command]
pub async fn passphrase_check(passphrase: String) -> Result<(), ApiError> {
    check_new_passphrase(&passphrase)
}

// Async: sealing and opening the key run Argon2 (128 MiB, about half a second).
#[tauri::command]
pub async fn create_workstation_key(
    state: State<'_, AppState>,
    passphrase: String,
    repeat: String,
) -> Result<WorkstationKeyInfo, ApiError> {
    do_create_key(&state, &passphrase, &repeat)
}

#[tauri::command]
pub async fn activation_request(
    state: State<'_, AppState>,
    passphrase: String,
    emails: Vec<String>,
) -> Result<RequestText, ApiError> {
    do_activation_request(&state, &passphrase, &emails)
}

#[tauri::command]
pub async fn install_key(
    state: State<'_, AppState>,
    text: String,
) -> Result<InstalledKey, ApiError> {
    do_install_key(&state, &text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::tests::demo_as;
    use crate::commands::{do_login, status};
    use store::worklist::ActivationReason;

    const GOOD: &str = "Cây đa đầu làng năm 1975";

    #[test]
    fn the_demo_ward_is_activated_under_the_demo_root() {
        let (_dir, st) = demo_as("quantri");
        let a = do_activation_status(&st).expect("status");
        assert!(a.overview.activated && a.demo_ward);
        assert_eq!(a.overview.reason, ActivationReason::Activated);
        assert!(a.overview.installed.as_ref().is_some_and(|i| i.demo_root));
        let mut unique = a.category_names.clone();
        unique.dedup();
        assert!(!unique.is_empty() && unique.len() == a.category_names.len());
        assert_eq!(
            do_create_key(&st, GOOD, GOOD).unwrap_err().code,
            "activation.key_exists"
        );
    }

    #[test]
    fn a_new_ward_creates_its_key_writes_its_request_and_refuses_garbage() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("gdd.db");
        let st = AppState::open(db.clone());
        let admin = st.store().expect("store").init_ward(&store::WardInit {
            code: "00007".into(),
            name: "Phường Hoàn Kiếm".into(),
            dataset: "2025-07".into(),
            workstation: 2,
            admin_username: "admin".into(),
            admin_full_name: "Lê Thị Quản Trị".into(),
            admin_password: "mật khẩu dài 2025".into(),
        });
        let admin = admin.expect("init ward");
        assert!(status(&st).expect("status").has_ward);
        do_login(&st, &admin.username, "mật khẩu dài 2025").expect("login");
        let a = do_activation_status(&st).expect("status");
        assert_eq!(a.overview.reason, ActivationReason::NoKey);

        assert_eq!(
            check_new_passphrase("ngắn").unwrap_err().code,
            "passphrase.too_short"
        );
        assert!(check_new_passphrase(GOOD).is_ok());
        assert_eq!(
            do_create_key(&st, GOOD, "Cây đa đầu làng năm 1976")
                .unwrap_err()
                .code,
            "passphrase.mismatch"
        );
        let key = do_create_key(&st, GOOD, GOOD).expect("key");
        assert_eq!(
            do_activation_status(&st).expect("status").overview.reason,
            ActivationReason::NoInstallKey
        );

        assert_eq!(
            do_activation_request(&st, "wrong passphrase", &["a@b.vn".into()])
                .unwrap_err()
                .code,
            "key.bad_passphrase"
        );
        let req =
            do_activation_request(&st, GOOD, &[" ubnd.hk@gmail.com ".into()]).expect("request");
        assert_eq!(req.fingerprint, key.fingerprint);
        assert!(req.text.contains("-----BEGIN GDD ACTIVATION REQUEST-----"));
        let file = req.file.expect("written");
        assert_eq!(std::fs::read_to_string(&file).expect("file"), req.text);

        let e = do_install_key(&st, "garbage").unwrap_err();
        assert!(!e.code.is_empty() && e.message.starts_with("Khóa cài đặt bị từ chối"));
        assert!(
            !do_activation_status(&st)
                .expect("status")
                .overview
                .activated
        );
    }
}
