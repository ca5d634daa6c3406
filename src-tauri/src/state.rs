//! What the app holds while it runs: the open store and the logged-in session.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use store::{Session, Store};

use crate::error::ApiError;

pub struct AppState {
    pub db_path: PathBuf,
    /// `Err` when the database could not be opened (newer schema, changed migration, no
    /// access…): the window still opens and shows why.
    store: Result<Mutex<Store>, ApiError>,
    session: Mutex<Option<Session>>,
    /// The demo ward was created by this run. The store keeps no "demo" mark yet, so the
    /// demo accounts are offered only right after creating it.
    demo_created: Mutex<bool>,
}

impl AppState {
    pub fn open(db_path: PathBuf) -> Self {
        let store = Store::open(&db_path)
            .map(Mutex::new)
            .map_err(ApiError::from);
        AppState {
            db_path,
            store,
            session: Mutex::new(None),
            demo_created: Mutex::new(false),
        }
    }

    pub fn store(&self) -> Result<MutexGuard<'_, Store>, ApiError> {
        match &self.store {
            Ok(m) => m.lock().map_err(|_| ApiError::poisoned()),
            Err(e) => Err(e.clone()),
        }
    }

    pub fn session(&self) -> Result<MutexGuard<'_, Option<Session>>, ApiError> {
        self.session.lock().map_err(|_| ApiError::poisoned())
    }

    /// The logged-in session, or `app.not_logged_in`.
    pub fn require_session(&self) -> Result<Session, ApiError> {
        self.session()?.clone().ok_or_else(ApiError::not_logged_in)
    }

    pub fn demo_created(&self) -> Result<MutexGuard<'_, bool>, ApiError> {
        self.demo_created.lock().map_err(|_| ApiError::poisoned())
    }
}
