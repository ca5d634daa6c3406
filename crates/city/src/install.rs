//! Activation request → install key.

use crate::CityError;
use keystore::{SignedActivationRequest, SigningKey};
use permit::{CategorySet, Certificate, CertificateFields, DatasetVersion, Scope};
use time::{Date, Duration};

/// What the city grants a workstation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssueOptions {
    /// First day the workstation may sign (usually today).
    pub valid_from: Date,
    /// How many days the install key lasts, counting the first.
    pub valid_days: u16,
    /// Permit categories the ward may issue.
    pub categories: CategorySet,
    /// Longest permit validity, in days.
    pub max_validity_days: u16,
}

/// The install key and what it was made from, to show the administrator.
#[derive(Debug, Clone)]
pub struct Issued {
    pub certificate: Certificate,
    /// The install key as text that survives email.
    pub text: String,
    /// The request, in words: ward, workstation, emails, key fingerprint.
    pub request_description: String,
    pub fingerprint: String,
    pub contact_emails: Vec<String>,
}

/// Check the request (its self-signature proves the workstation holds the
/// key) and sign the install key with the city root. The demo root is
/// refused: what it signs is never real.
pub fn issue_install_key(
    request_text: &str,
    root: &SigningKey,
    opts: IssueOptions,
) -> Result<Issued, CityError> {
    if permit::roots::is_demo_root(&root.verifying_key()) {
        return Err(CityError::DemoRoot);
    }
    issue_with_any_root(request_text, root, opts)
}

/// `issue_install_key` without the demo-root refusal: for the demo ward and tests.
#[doc(hidden)]
pub fn issue_with_any_root(
    request_text: &str,
    root: &SigningKey,
    opts: IssueOptions,
) -> Result<Issued, CityError> {
    let signed = SignedActivationRequest::from_text(request_text)?;
    let req = signed.request();
    let ward_code: u32 = req
        .ward_code
        .parse()
        .map_err(|_| CityError::BadRequestField {
            field: "mã phường/xã",
            value: req.ward_code.clone(),
        })?;
    let dataset: DatasetVersion = req
        .dataset
        .parse()
        .map_err(|_| CityError::BadRequestField {
            field: "phiên bản danh mục",
            value: req.dataset.clone(),
        })?;
    let last = i64::from(opts.valid_days.max(1)) - 1;
    let certificate = Certificate::sign(
        CertificateFields {
            ward_code,
            dataset,
            workstation: req.workstation,
            public_key: req.public_key,
            valid_from: opts.valid_from,
            valid_to: opts.valid_from + Duration::days(last),
            scope: Scope {
                categories: opts.categories,
                max_validity_days: opts.max_validity_days,
            },
        },
        root,
    )?;
    Ok(Issued {
        text: certificate.to_text(),
        certificate,
        request_description: req.describe(),
        fingerprint: signed.fingerprint().to_string(),
        contact_emails: req.contact_emails.clone(),
    })
}
