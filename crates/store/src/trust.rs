//! The roots this build trusts for install keys.
//!
//! Development builds trust the **demo root** (`assets/trust/demo-root.pub`,
//! whose private half is public: everything signed under it is DEMO). With the
//! cargo feature `release-root` the build trusts only the city root and
//! refuses the demo root. The city root's public key is read at build time
//! (build.rs) from `GDD_CITY_ROOT_PUB`, or else `assets/trust/city-root.pub`,
//! which is not in the repository: the city administrator provides it. A
//! missing, malformed or demo key fails the build with a message saying so.

use permit::VerifyingKey;

use crate::error::Result;
#[cfg(feature = "release-root")]
use crate::error::StoreError;

#[cfg(feature = "release-root")]
include!(concat!(env!("OUT_DIR"), "/city_root.rs"));

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
