//! The city root key: generated once, sealed under a strong passphrase, its
//! public half written beside it (that file is what every build embeds).

use crate::CityError;
use keystore::{generate_signing_key, KdfParams, KeyFile, Passphrase, SigningKey};
use std::path::{Path, PathBuf};

/// Purpose label sealed into the root key file.
pub const ROOT_PURPOSE: &str = "city-root";

/// What `init_root` made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootInfo {
    pub key_file: PathBuf,
    pub public_file: PathBuf,
    /// 64 hex digits, the format of `assets/trust/*.pub`.
    pub public_hex: String,
    pub fingerprint: String,
}

/// The public key file written beside `key_file` (`city-root.key` → `city-root.pub`).
fn public_path(key_file: &Path) -> PathBuf {
    key_file.with_extension("pub")
}

/// Create the city root key at `key_file` (refused if it exists) and its
/// `.pub` beside it. `params` is the KDF cost (`KdfParams::STRONG` for real use).
pub fn init_root(
    key_file: &Path,
    passphrase: &Passphrase,
    params: KdfParams,
) -> Result<RootInfo, CityError> {
    let public_file = public_path(key_file);
    // Both checked before the key is made: a root without its public half is no use.
    if key_file.symlink_metadata().is_ok() {
        return Err(keystore::KeyError::Exists(key_file.to_path_buf()).into());
    }
    let no_clobber = outfile::Options::new();
    outfile::check(&public_file, &no_clobber)?;
    let key = generate_signing_key()?;
    let info = KeyFile::new(key_file).create(&key, passphrase, ROOT_PURPOSE, params)?;
    let public_hex = permit::roots::public_key_hex(&key.verifying_key());
    outfile::write(
        &public_file,
        format!("{public_hex}\n").as_bytes(),
        &no_clobber,
    )?;
    Ok(RootInfo {
        key_file: key_file.to_path_buf(),
        public_file,
        public_hex,
        fingerprint: info.fingerprint.to_string(),
    })
}

/// Open the root key to sign with.
pub fn load_root(key_file: &Path, passphrase: &Passphrase) -> Result<SigningKey, CityError> {
    Ok(KeyFile::new(key_file).load(passphrase)?)
}
