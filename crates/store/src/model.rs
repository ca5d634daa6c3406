//! Plain data the services take and return (serializable for the app and `--json`).

use identity::PersonInput;
use serde::{Deserialize, Serialize};
use workflow::{RequestKind, State};

/// A valid row of an imported list: what list import produces.
pub use listimport::ValidRow as ImportRow;

/// A row of an imported list that was refused, kept with its reason.
pub use listimport::InvalidRow as RejectedRow;

#[derive(Debug, Clone, Serialize)]
pub struct ImportSummary {
    pub request_id: i64,
    pub persons: u64,
    pub rejected: u64,
}

/// Residents' request recorded by area police.
#[derive(Debug, Clone, Deserialize)]
pub struct NewResidentRequest {
    pub note: Option<String>,
    /// permit::category of every permit of the request (residents: usually
    /// URGENT_PERSONAL or HEALTH).
    pub category: u8,
    pub persons: Vec<PersonInput>,
}

/// Permits per state, for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateCount {
    pub state: State,
    /// Vietnamese label ("Đã phê duyệt").
    pub label: &'static str,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestSummary {
    pub id: i64,
    pub kind: RequestKind,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub org_ref: Option<String>,
    pub source_name: Option<String>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub persons: u64,
    pub rejected_rows: u64,
    /// Permits of this request per state (only non-zero states).
    pub states: Vec<(State, u64)>,
}

/// A person of a request with their permit.
#[derive(Debug, Clone, Serialize)]
pub struct PersonPermit {
    pub person_id: i64,
    pub row: Option<u32>,
    /// The sheet of the imported list the row was on (workbooks of several sheets).
    pub sheet: Option<String>,
    pub full_name: String,
    pub id_kind: String,
    pub id_number: String,
    pub id_label: Option<String>,
    pub date_of_birth: Option<String>,
    pub sex: Option<String>,
    pub phone: Option<String>,
    pub residence: Option<String>,
    pub workplace: Option<String>,
    pub position: Option<String>,
    pub notes: Vec<(String, String)>,
    pub warnings: Vec<String>,
    pub permit: PermitInfo,
}

#[derive(Debug, Clone, Serialize)]
pub struct PermitInfo {
    pub id: i64,
    pub state: State,
    pub serial: Option<String>,
    pub purpose: Option<String>,
    pub area: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub decision_reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestDetail {
    pub summary: RequestSummary,
    pub persons: Vec<PersonPermit>,
    pub rejected_rows: Vec<RejectedRow>,
}

/// Someone who already holds an active permit in this ward (duplicate check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActiveHolder {
    pub person_id: i64,
    pub permit_id: i64,
    pub request_id: i64,
    pub full_name: String,
    pub state: State,
    pub valid_to: Option<String>,
    pub org_name: Option<String>,
}

/// Outcome of one bulk decision: each permit and its new state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transitioned {
    pub permit_id: i64,
    pub from: State,
    pub to: State,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentInfo {
    pub id: i64,
    pub request_id: i64,
    pub filename: String,
    pub mime: String,
    pub sha256: String,
    pub size: u64,
    pub created_at: String,
}

/// A permit signed by [`crate::Store::stamp_with`].
#[derive(Debug, Clone, Serialize)]
pub struct Stamped {
    pub permit_id: i64,
    /// `WWWWW-NN-SSSSSS`.
    pub serial: String,
    /// `GD1:…`, what goes in the QR.
    pub token: String,
    /// Stamped before this batch (a batch run again after a crash or by
    /// mistake): the serial and token are the ones it already had.
    pub already_stamped: bool,
}
