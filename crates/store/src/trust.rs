//! The roots this build trusts for install keys.
//!
//! Development builds trust the **demo root** (`assets/trust/demo-root.pub`,
//! whose private half is public: everything signed under it is DEMO). With the
//! cargo feature `release-root` the build trusts only the city root in
//! `assets/trust/city-root.pub` (64 hex digits) and refuses the demo root.
//! That file is not in the repository: the city administrator puts the real
//! root's public key there before building a release; without it the release
//! build fails at compile time ("couldn't read …/assets/trust/city-root.pub").

use permit::VerifyingKey;

use crate::error::Result;
#[cfg(feature = "release-root")]
use crate::error::StoreError;

// A release build reads the city root here. "couldn't read …/city-root.pub":
// put the city root's public key (64 hex digits, `gdd city init` prints it)
// in assets/trust/city-root.pub, or build without `--features release-root`.
#[cfg(feature = "release-root")]
const CITY_ROOT_HEX: &str = include_str!("../../../assets/trust/city-root.pub");

/// The roots to pass to [`crate::Store::install_key`].
pub fn trusted_roots() -> Result<Vec<VerifyingKey>> {
    #[cfg(feature = "release-root")]
    {
        let root = permit::roots::parse_public_key(CITY_ROOT_HEX).map_err(|_| {
            StoreError::invalid(
                "trust.bad_root",
                "Khóa gốc của thành phố nhúng trong bản cài đặt không hợp lệ: hãy cài lại phần mềm.",
            )
        })?;
        if permit::roots::is_demo_root(&root) {
            return Err(StoreError::invalid(
                "trust.demo_root_in_release",
                "Bản phát hành không được dùng khóa gốc DEMO.",
            ));
        }
        Ok(vec![root])
    }
    #[cfg(not(feature = "release-root"))]
    {
        Ok(vec![permit::roots::demo_root_public()])
    }
}

/// True when this build trusts the demo root (development builds).
pub fn trusts_demo_root() -> bool {
    !cfg!(feature = "release-root")
}

/// The roots a verifier (checkpoint, `gdd verify`) trusts in this build: the
/// build's roots, and always the demo root marked demo, so that a permit
/// signed under it reads DEMO everywhere instead of "unknown issuer".
pub fn verifier_anchors() -> Result<Vec<verify::TrustAnchor>> {
    let mut anchors: Vec<verify::TrustAnchor> = trusted_roots()?
        .into_iter()
        .filter(|k| !permit::roots::is_demo_root(k))
        .map(verify::TrustAnchor::production)
        .collect();
    anchors.push(verify::demo_anchor());
    Ok(anchors)
}

#[cfg(test)]
mod tests {
    #[test]
    fn verifiers_always_know_the_demo_root_as_demo() {
        let anchors = super::verifier_anchors().unwrap();
        assert!(anchors
            .iter()
            .any(|a| a.demo && permit::roots::is_demo_root(&a.public_key)));
        assert!(anchors
            .iter()
            .all(|a| a.demo == permit::roots::is_demo_root(&a.public_key)));
    }
}
