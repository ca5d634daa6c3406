//! A sealed key on disk.

use std::io;
use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use zeroize::Zeroizing;

use crate::atomic;
use crate::error::KeyError;
use crate::kdf::KdfParams;
use crate::passphrase::Passphrase;
use crate::sealed::{self, SealedKeyInfo};

/// Largest key file read: a sealed key is about 500 bytes.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// Where a sealed signing key lives (the city root on the administrator's PC,
/// each workstation's own key in its data folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFile {
    path: PathBuf,
}

impl KeyFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        KeyFile { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn exists(&self) -> bool {
        self.path.symlink_metadata().is_ok()
    }

    /// Seal `key` and write it. Refuses to replace an existing file
    /// (`key.exists`): losing a key that has been certified is not undoable.
    pub fn create(
        &self,
        key: &SigningKey,
        passphrase: &Passphrase,
        purpose: &str,
        params: KdfParams,
    ) -> Result<SealedKeyInfo, KeyError> {
        if self.exists() {
            return Err(KeyError::Exists(self.path.clone()));
        }
        let text = sealed::seal(key, passphrase, purpose, params)?;
        atomic::write_file(&self.path, text.as_bytes(), false)?;
        sealed::inspect(&text)
    }

    /// Read and open the key.
    pub fn load(&self, passphrase: &Passphrase) -> Result<SigningKey, KeyError> {
        sealed::open(&self.read_text()?, passphrase)
    }

    /// Purpose, public key, fingerprint, time and cost, without the passphrase.
    pub fn inspect(&self) -> Result<SealedKeyInfo, KeyError> {
        sealed::inspect(&self.read_text()?)
    }

    /// The sealed text, checked, e.g. to print or copy it as a backup (it stays
    /// encrypted under the passphrase).
    pub fn read_text(&self) -> Result<String, KeyError> {
        let meta = std::fs::metadata(&self.path).map_err(|e| self.read_error(e))?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(KeyError::Corrupt(format!(
                "tệp quá lớn ({} byte) để là một tệp khóa",
                meta.len()
            )));
        }
        let bytes = std::fs::read(&self.path).map_err(|e| self.read_error(e))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| KeyError::Corrupt("không phải văn bản UTF-8".to_string()))?;
        sealed::inspect(&text)?;
        Ok(text)
    }

    /// Re-seal under a new passphrase, replacing the file atomically: if
    /// anything fails, the file still opens with the old passphrase.
    pub fn change_passphrase(
        &self,
        old: &Passphrase,
        new: &Passphrase,
        params: KdfParams,
    ) -> Result<(), KeyError> {
        let text = Zeroizing::new(self.read_text()?);
        let info = sealed::inspect(&text)?;
        let key = sealed::open(&text, old)?;
        let resealed = sealed::seal(&key, new, &info.purpose, params)?;
        atomic::write_file(&self.path, resealed.as_bytes(), true)
    }

    fn read_error(&self, e: io::Error) -> KeyError {
        match e.kind() {
            io::ErrorKind::NotFound => KeyError::NotFound(self.path.clone()),
            _ => KeyError::ReadFailed {
                path: self.path.clone(),
                message: e.to_string(),
            },
        }
    }
}

/// A new Ed25519 signing key from the operating system's random generator.
pub fn generate_signing_key() -> Result<SigningKey, KeyError> {
    let mut seed = Zeroizing::new([0u8; 32]);
    getrandom::fill(seed.as_mut()).map_err(|e| KeyError::Rng(e.to_string()))?;
    Ok(SigningKey::from_bytes(&seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASS: &str = "Cây đa đầu làng 1975";
    const FAST: KdfParams = KdfParams::INSECURE_FAST;

    #[test]
    fn generated_keys_differ_and_sign() {
        use ed25519_dalek::{Signer, Verifier};
        let a = generate_signing_key().unwrap();
        let b = generate_signing_key().unwrap();
        assert_ne!(a.to_bytes(), b.to_bytes());
        let sig = a.sign(b"giay di duong");
        a.verifying_key().verify(b"giay di duong", &sig).unwrap();
        assert!(b.verifying_key().verify(b"giay di duong", &sig).is_err());
    }

    #[test]
    fn create_load_inspect() {
        let dir = tempfile::tempdir().unwrap();
        let file = KeyFile::new(dir.path().join("city-root.key"));
        let key = generate_signing_key().unwrap();
        let info = file
            .create(&key, &Passphrase::new(PASS), "city-root", FAST)
            .unwrap();
        assert_eq!(info.public_key, key.verifying_key());
        assert_eq!(file.inspect().unwrap(), info);
        assert_eq!(
            file.load(&Passphrase::new(PASS)).unwrap().to_bytes(),
            key.to_bytes()
        );
        assert_eq!(
            file.load(&Passphrase::new("sai mật khẩu rồi"))
                .unwrap_err()
                .code(),
            "key.bad_passphrase"
        );
        // Never replaces an existing key.
        let other = generate_signing_key().unwrap();
        let e = file
            .create(&other, &Passphrase::new(PASS), "city-root", FAST)
            .unwrap_err();
        assert_eq!(e.code(), "key.exists");
        assert_eq!(file.inspect().unwrap().public_key, key.verifying_key());
    }

    #[test]
    fn missing_damaged_and_foreign_files() {
        let dir = tempfile::tempdir().unwrap();
        let file = KeyFile::new(dir.path().join("none.key"));
        assert_eq!(
            file.load(&Passphrase::new(PASS)).unwrap_err().code(),
            "key.not_found"
        );
        assert!(!file.exists());

        std::fs::write(file.path(), [0xff, 0x00, 0x12]).unwrap();
        assert_eq!(
            file.load(&Passphrase::new(PASS)).unwrap_err().code(),
            "key.corrupt"
        );
        std::fs::write(file.path(), "một tệp văn bản khác").unwrap();
        assert_eq!(file.inspect().unwrap_err().code(), "key.corrupt");
        std::fs::write(file.path(), vec![b'A'; 70 * 1024]).unwrap();
        assert_eq!(file.inspect().unwrap_err().code(), "key.corrupt");

        let dir_as_file = KeyFile::new(dir.path());
        assert_eq!(dir_as_file.inspect().unwrap_err().code(), "key.read_failed");
    }

    #[test]
    fn change_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let file = KeyFile::new(dir.path().join("ws.key"));
        let key = generate_signing_key().unwrap();
        file.create(&key, &Passphrase::new(PASS), "workstation 00004-1", FAST)
            .unwrap();
        let new = Passphrase::new("Trăng rằm tháng tám 2026");

        let before = std::fs::read(file.path()).unwrap();
        let e = file
            .change_passphrase(&Passphrase::new("không phải mật khẩu"), &new, FAST)
            .unwrap_err();
        assert_eq!(e.code(), "key.bad_passphrase");
        let e = file
            .change_passphrase(&Passphrase::new(PASS), &Passphrase::new("yếu"), FAST)
            .unwrap_err();
        assert_eq!(e.code(), "passphrase.too_short");
        assert_eq!(std::fs::read(file.path()).unwrap(), before);

        file.change_passphrase(&Passphrase::new(PASS), &new, FAST)
            .unwrap();
        assert_eq!(file.load(&new).unwrap().to_bytes(), key.to_bytes());
        assert_eq!(
            file.load(&Passphrase::new(PASS)).unwrap_err().code(),
            "key.bad_passphrase"
        );
        assert_eq!(file.inspect().unwrap().purpose, "workstation 00004-1");
    }
}
