//! Importing a list file: check it (listimport) against this ward's active
//! permits, then store valid and rejected rows as one request.

use std::cell::RefCell;
use std::path::Path;

use crate::error::Result;
use crate::model::ImportSummary;
use crate::util::today_vn;
use crate::{Session, Store};

impl Store {
    /// Check `path` and import it as a request of the organization `org_ref`.
    /// Rows whose person already holds an active permit in this ward are
    /// rejected with that reason; every row ends imported or rejected.
    pub fn import_list_file(
        &self,
        s: &Session,
        org_ref: &str,
        path: &Path,
    ) -> Result<ImportSummary> {
        // The lookup cannot return an error through listimport; keep the
        // first one and fail the import with it, so no duplicate slips through.
        let lookup_error = RefCell::new(None);
        let active = |id: &identity::IdDocument| match self.active_permit_holder(id) {
            Ok(h) => h.map(|h| {
                format!(
                    "«{}» đang có giấy đi đường còn hiệu lực (giấy #{}, {})",
                    h.full_name,
                    h.permit_id,
                    h.state.label_vi()
                )
            }),
            Err(e) => {
                lookup_error.borrow_mut().get_or_insert(e);
                None
            }
        };
        let opts = listimport::CheckOptions::new(today_vn()).with_active_permit(&active);
        let report = listimport::check_file(path, &opts)?;
        if let Some(e) = lookup_error.into_inner() {
            return Err(e);
        }
        self.import_list(
            s,
            org_ref,
            &report.file_name,
            &report.valid,
            &report.invalid,
        )
    }
}
