//! The commands the UI calls. Each one: take the arguments, call the store, map the error.
//! The logic is in plain functions over [`AppState`] (tested without a window); the
//! `#[tauri::command]` wrappers only unwrap Tauri's managed state.
//! Session and search are here; activation, stamping, printing and verification in submodules.

pub mod activation;
pub mod print;
pub mod stamp;
pub mod verify;

use serde::Serialize;
use store::{demo, Page, PersonHit, Session, StateCount};
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

/// Results per search page: one screen of the table without scrolling far.
pub const PER_PAGE: u32 = 25;

#[derive(Debug, Clone, Serialize)]
pub struct DemoAccount {
    pub username: &'static str,
    pub password: &'static str,
    pub roles: Vec<store::Role>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppStatus {
    pub has_ward: bool,
    pub ward_name: Option<String>,
    pub ward_code: Option<String>,
    pub is_demo: bool,
    pub db_path: String,
    pub session: Option<Session>,
    /// Filled only for a demo ward: its accounts are public knowledge anyway.
    pub demo_accounts: Vec<DemoAccount>,
}

pub fn status(st: &AppState) -> Result<AppStatus, ApiError> {
    let ward = st.store()?.ward()?;
    let is_demo = ward.as_ref().is_some_and(|w| w.demo);
    let demo_accounts = if is_demo {
        demo::DEMO_USERS
            .iter()
            .map(|(username, _, role)| DemoAccount {
                username,
                password: demo::DEMO_PASSWORD,
                roles: vec![*role],
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(AppStatus {
        has_ward: ward.is_some(),
        ward_name: ward.as_ref().map(|w| w.name.clone()),
        ward_code: ward.as_ref().map(|w| w.code.clone()),
        is_demo,
        db_path: st.db_path.display().to_string(),
        session: st.session()?.clone(),
        demo_accounts,
    })
}

pub fn do_create_demo(st: &AppState) -> Result<AppStatus, ApiError> {
    // The store refuses a second ward itself (`store.ward_exists`).
    demo::fill(&*st.store()?)?;
    status(st)
}

pub fn do_login(st: &AppState, username: &str, password: &str) -> Result<Session, ApiError> {
    let session = st.store()?.login(username, password)?;
    *st.session()? = Some(session.clone());
    Ok(session)
}

pub fn do_logout(st: &AppState) -> Result<(), ApiError> {
    *st.session()? = None;
    Ok(())
}

pub fn do_dashboard(st: &AppState) -> Result<Vec<StateCount>, ApiError> {
    st.require_session()?;
    Ok(st.store()?.counts_by_state()?)
}

pub fn do_search(st: &AppState, query: &str, page: u32) -> Result<Page<PersonHit>, ApiError> {
    st.require_session()?;
    Ok(st.store()?.search(query, page, PER_PAGE)?)
}

// Async commands run off the main thread, so Argon2 in login and the demo fill never freeze
// the window.

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, ApiError> {
    status(&state)
}

#[tauri::command]
pub async fn create_demo(state: State<'_, AppState>) -> Result<AppStatus, ApiError> {
    do_create_demo(&state)
}

#[tauri::command]
pub async fn login(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> Result<Session, ApiError> {
    do_login(&state, &username, &password)
}

#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Result<(), ApiError> {
    do_logout(&state)
}

#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> Result<Vec<StateCount>, ApiError> {
    do_dashboard(&state)
}

#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    page: u32,
) -> Result<Page<PersonHit>, ApiError> {
    do_search(&state, &query, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A demo ward on disk (the workstation key is a file next to it), logged in as `username`.
    pub(crate) fn demo_as(username: &str) -> (tempfile::TempDir, AppState) {
        let (dir, st) = fresh();
        do_create_demo(&st).expect("demo");
        do_login(&st, username, demo::DEMO_PASSWORD).expect("login");
        (dir, st)
    }

    fn fresh() -> (tempfile::TempDir, AppState) {
        let dir = tempfile::tempdir().expect("temp dir");
        let st = AppState::open(dir.path().join("sub").join("gdd.db"));
        (dir, st)
    }

    #[test]
    fn first_start_creates_an_empty_store_and_nothing_is_readable_before_login() {
        let (dir, st) = fresh();
        assert!(dir.path().join("sub").join("gdd.db").exists());
        let s = status(&st).expect("status");
        assert!(!s.has_ward && !s.is_demo && s.session.is_none());
        assert!(s.demo_accounts.is_empty());
        assert_eq!(do_dashboard(&st).unwrap_err().code, "app.not_logged_in");
        assert_eq!(
            do_search(&st, "a", 1).unwrap_err().code,
            "app.not_logged_in"
        );
    }

    #[test]
    fn demo_login_dashboard_search_logout() {
        let (_dir, st) = fresh();
        let s = do_create_demo(&st).expect("demo");
        assert!(s.has_ward && s.is_demo);
        assert!(s.ward_name.is_some());
        let again = do_create_demo(&st).unwrap_err();
        assert_eq!(again.code, "store.ward_exists");
        assert!(!again.message.is_empty());

        let account = &s.demo_accounts[0];
        let bad = do_login(&st, account.username, "wrong-password").unwrap_err();
        assert_eq!(bad.code, "auth.bad_credentials");
        assert!(st.require_session().is_err());

        let session = do_login(&st, account.username, account.password).expect("login");
        assert_eq!(session.roles, account.roles);
        assert_eq!(status(&st).expect("status").session, Some(session));

        let counts = do_dashboard(&st).expect("dashboard");
        assert!(counts.iter().map(|c| c.count).sum::<u64>() > 0);

        let page = do_search(&st, "dang thi thuy", 1).expect("search");
        let names: Vec<&str> = page.items.iter().map(|h| h.full_name.as_str()).collect();
        assert!(names.contains(&"Đặng Thị Thủy"), "{names:?}");
        assert!(names.contains(&"Đặng Thị Thuỷ"), "{names:?}");

        do_logout(&st).expect("logout");
        assert_eq!(do_dashboard(&st).unwrap_err().code, "app.not_logged_in");
    }

    #[test]
    fn the_demo_mark_survives_a_restart() {
        let (dir, st) = fresh();
        do_create_demo(&st).expect("demo");
        drop(st);
        let again = AppState::open(dir.path().join("sub").join("gdd.db"));
        let s = status(&again).expect("status");
        assert!(s.has_ward && s.is_demo && s.session.is_none());
        assert_eq!(s.demo_accounts.len(), demo::DEMO_USERS.len());
    }

    #[test]
    fn an_unopenable_store_is_an_error_not_a_crash() {
        let dir = tempfile::tempdir().expect("temp dir");
        // A directory where the database file should be.
        let st = AppState::open(dir.path().to_path_buf());
        let e = status(&st).unwrap_err();
        assert!(e.code.starts_with("store."), "{e:?}");
        assert_eq!(do_login(&st, "a", "b").unwrap_err(), e);
    }
}
