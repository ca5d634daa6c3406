//! Permit token and workstation certificate formats (docs/permit-format.md).

pub mod armor;
mod bits;
pub mod cert;
pub mod error;
#[cfg(feature = "qr")]
pub mod qr;
pub mod revocation;
pub mod roots;
pub mod samples;
pub mod text;
pub mod token;
mod wire;

pub use cert::{
    issuer_id, CategorySet, Certificate, CertificateFields, DatasetVersion, InstallTarget, KeyId,
    Scope, CERT_LEN, INSTALL_KEY_LABEL,
};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
pub use error::PermitError;
pub use token::{category, DailyHours, HolderId, IdType, PermitFields, Serial, Token, PREFIX};
pub use wire::{BIRTH_EPOCH, VALIDITY_EPOCH};
