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
}
