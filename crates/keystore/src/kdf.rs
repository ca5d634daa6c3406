//! Passphrase → 256-bit key with Argon2id (RFC 9106), via RustCrypto `argon2`.

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::error::KeyError;
use crate::passphrase::Passphrase;

/// Argon2id cost. Stored in every sealed key, so a file always opens with the
/// cost it was sealed with, whatever the current default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Passes over memory.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfParams {
    /// What workstation keys use: 128 MiB, 3 passes, 1 lane (Argon2id, RFC 9106;
    /// one lane because a ward PC may have two slow cores). Measured about
    /// 0.4 s per unlock on the development machine (release build, shared
    /// cores), paid once when the key is unlocked. See docs/keys.md.
    pub const STANDARD: KdfParams = KdfParams {
        m_cost_kib: 128 * 1024,
        t_cost: 3,
        p_cost: 1,
    };

    /// What the city root key uses: 256 MiB, 4 passes (measured about 1 s). The root
    /// is opened a few times a year, offline, and is worth the most to guess.
    pub const STRONG: KdfParams = KdfParams {
        m_cost_kib: 256 * 1024,
        t_cost: 4,
        p_cost: 1,
    };

    /// Cheap setting for tests and the demo ward only: 64 KiB, 1 pass. Offers no
    /// real protection against guessing; never use it for a real key.
    pub const INSECURE_FAST: KdfParams = KdfParams {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };

    /// Largest costs a file may ask for: bounds the memory and time a crafted
    /// file can make us spend (4 GiB would not fit on a ward PC anyway).
    pub const MAX_M_COST_KIB: u32 = 2 * 1024 * 1024;
    pub const MAX_T_COST: u32 = 64;
    pub const MAX_P_COST: u32 = 16;

    fn to_argon2(self) -> Result<Params, KeyError> {
        if self.m_cost_kib > Self::MAX_M_COST_KIB
            || self.t_cost > Self::MAX_T_COST
            || self.p_cost > Self::MAX_P_COST
        {
            return Err(KeyError::BadKdfParams(format!(
                "m={} KiB, t={}, p={} vượt giới hạn (m ≤ {} KiB, t ≤ {}, p ≤ {})",
                self.m_cost_kib,
                self.t_cost,
                self.p_cost,
                Self::MAX_M_COST_KIB,
                Self::MAX_T_COST,
                Self::MAX_P_COST
            )));
        }
        Params::new(self.m_cost_kib, self.t_cost, self.p_cost, Some(32)).map_err(|e| {
            KeyError::BadKdfParams(format!(
                "m={} KiB, t={}, p={}: {e}",
                self.m_cost_kib, self.t_cost, self.p_cost
            ))
        })
    }

    /// Check the costs are usable before doing any work.
    pub fn validate(self) -> Result<(), KeyError> {
        self.to_argon2().map(|_| ())
    }

    /// Derive the 32-byte wrapping key.
    pub(crate) fn derive(
        self,
        passphrase: &Passphrase,
        salt: &[u8],
    ) -> Result<Zeroizing<[u8; 32]>, KeyError> {
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, self.to_argon2()?);
        let mut out = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
            .map_err(|e| KeyError::BadKdfParams(e.to_string()))?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivation_depends_on_passphrase_salt_and_cost() {
        let p = KdfParams::INSECURE_FAST;
        let a = p
            .derive(&Passphrase::new("một hai ba bốn"), &[1; 16])
            .unwrap();
        let b = p
            .derive(&Passphrase::new("một hai ba bốn"), &[1; 16])
            .unwrap();
        let c = p
            .derive(&Passphrase::new("một hai ba bốn"), &[2; 16])
            .unwrap();
        let d = p
            .derive(&Passphrase::new("một hai ba năm"), &[1; 16])
            .unwrap();
        let e = KdfParams { t_cost: 2, ..p }
            .derive(&Passphrase::new("một hai ba bốn"), &[1; 16])
            .unwrap();
        assert_eq!(*a, *b);
        assert_ne!(*a, *c);
        assert_ne!(*a, *d);
        assert_ne!(*a, *e);
    }

    #[test]
    fn refuses_unusable_costs() {
        for bad in [
            KdfParams {
                m_cost_kib: 4,
                ..KdfParams::INSECURE_FAST
            },
            KdfParams {
                t_cost: 0,
                ..KdfParams::INSECURE_FAST
            },
            KdfParams {
                p_cost: 0,
                ..KdfParams::INSECURE_FAST
            },
            KdfParams {
                m_cost_kib: u32::MAX,
                ..KdfParams::STANDARD
            },
            KdfParams {
                t_cost: 1000,
                ..KdfParams::STANDARD
            },
        ] {
            assert_eq!(
                bad.validate().unwrap_err().code(),
                "key.bad_kdf_params",
                "{bad:?}"
            );
        }
        KdfParams::STANDARD.validate().unwrap();
    }

    /// `cargo test --release -p keystore -- --ignored --nocapture cost_timing`
    #[test]
    #[ignore = "timing measurement, run by hand in release mode"]
    fn standard_cost_timing() {
        let p = Passphrase::new("Cây đa đầu làng 1975");
        for params in [KdfParams::STANDARD, KdfParams::STRONG] {
            let start = std::time::Instant::now();
            let n = 4;
            for i in 0..n {
                params.derive(&p, &[i; 16]).unwrap();
            }
            let each = start.elapsed() / n as u32;
            println!("Argon2id {params:?}: {each:?} per derivation");
        }
    }
}
