//! Signing keys at rest, and the workstation's activation request.
//!
//! - [`seal`] / [`open`]: an Ed25519 signing key encrypted under a passphrase
//!   (Argon2id + XChaCha20-Poly1305), as armored text that can be backed up and
//!   printed; [`KeyFile`] writes it to disk atomically with owner-only rights.
//! - [`Passphrase`], [`PassphraseSource`]: passphrases from a file, an
//!   environment variable or a prompt; NFC-normalized; rules for new ones.
//! - [`generate_signing_key`], [`fingerprint`]: new keys from the OS RNG, and
//!   short fingerprints people can compare over the phone.
//! - [`ActivationRequest`] / [`SignedActivationRequest`]: what a workstation
//!   emails to the city to be certified, self-signed, as armored text.
//!
//! The format and the choices behind it are in docs/keys.md.

pub mod armor;
mod atomic;
mod codec;
mod error;
mod fingerprint;
mod kdf;
mod keyfile;
mod passphrase;
mod request;
mod sealed;

pub use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
pub use error::{KeyError, RequestError};
pub use fingerprint::{fingerprint, BadFingerprint, Fingerprint};
pub use kdf::KdfParams;
pub use keyfile::{generate_signing_key, KeyFile};
pub use passphrase::{
    Passphrase, PassphraseProblem, PassphraseSource, ENV_CITY_PASSPHRASE,
    ENV_WORKSTATION_PASSPHRASE, MAX_CHARS as MAX_PASSPHRASE_CHARS,
    MIN_CHARS as MIN_PASSPHRASE_CHARS, MIN_DISTINCT as MIN_PASSPHRASE_DISTINCT,
    NEW_PASSPHRASE_ATTEMPTS,
};
pub use request::{
    ActivationRequest, SignedActivationRequest, MAX_EMAILS, MAX_WARD_NAME_CHARS,
    REQUEST_ARMOR_LABEL,
};
pub use sealed::{inspect, open, seal, SealedKeyInfo, ARMOR_LABEL, MAX_LABEL_BYTES};

/// Write a small private file (owner-only on Unix) so that a crash leaves the
/// old content or the new, never a mix; flushed to disk before it returns.
/// For state that must survive with the key, like the serial high-water mark.
pub fn write_private_file(path: &std::path::Path, data: &[u8]) -> Result<(), KeyError> {
    atomic::write_file(path, data, true)
}
