//! Plain, serializable views of what a verified token says (strings for
//! dates, so JSON output and test vectors read the same everywhere).

use permit::{category, Certificate, CertificateFields, Token};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderDetails {
    pub serial: String,
    pub holder_name: String,
    pub id_type: String,
    pub id_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    pub category: u8,
    pub category_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    pub area: String,
    pub valid_from: String,
    pub valid_to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_hours: Option<String>,
    /// Issuing ward (from the certificate): 5-digit code and dataset version.
    pub ward_code: String,
    pub dataset: String,
    pub workstation: u8,
}

impl HolderDetails {
    pub fn of(token: &Token) -> HolderDetails {
        let f = token.fields();
        let c = token.certificate().fields();
        HolderDetails {
            serial: token.serial().to_string(),
            holder_name: f.holder_name.clone(),
            id_type: f.id.kind.as_str().to_string(),
            id_number: f.id.number.clone(),
            id_label: f.id.label.clone(),
            date_of_birth: f.date_of_birth.map(|d| d.to_string()),
            organization: f.organization.clone(),
            category: f.category,
            category_name: category::name_vi(f.category).to_string(),
            purpose: f.purpose.clone(),
            area: f.area.clone(),
            valid_from: f.valid_from.to_string(),
            valid_to: f.valid_to.to_string(),
            daily_hours: f.daily_hours.map(|h| h.to_string()),
            ward_code: c.ward_code_text(),
            dataset: c.dataset.to_string(),
            workstation: c.workstation,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateSummary {
    pub ward_code: String,
    pub dataset: String,
    pub workstation: u8,
    /// Hex, 16 digits: how revocation lists name this workstation key.
    pub key_id: String,
    pub valid_from: String,
    pub valid_to: String,
    pub categories: Vec<u8>,
    pub max_validity_days: u16,
    /// Hex, 8 digits: which root signed the certificate.
    pub issuer_id: String,
    /// Chains to the DEMO root.
    pub demo: bool,
}

impl CertificateSummary {
    pub fn of(cert: &Certificate, demo: bool) -> CertificateSummary {
        let c: &CertificateFields = cert.fields();
        CertificateSummary {
            ward_code: c.ward_code_text(),
            dataset: c.dataset.to_string(),
            workstation: c.workstation,
            key_id: cert.key_id().to_string(),
            valid_from: c.valid_from.to_string(),
            valid_to: c.valid_to.to_string(),
            categories: c.scope.categories.iter().collect(),
            max_validity_days: c.scope.max_validity_days,
            issuer_id: cert
                .issuer_id()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            demo,
        }
    }
}
