//! The city's revocation list: workstation keys (a stolen PC, a retired
//! workstation) and, rarely, permits, signed by the root. Each new list
//! carries everything the previous one did, numbered one higher, so a
//! checkpoint only ever needs the newest.

use crate::CityError;
use keystore::SigningKey;
use permit::revocation::{Issuer, RevocationContent, RevocationList, RevokedKey, RevokedPermit};
use time::OffsetDateTime;

/// What to add to the city's list.
#[derive(Debug, Clone, Default)]
pub struct Revocations {
    pub keys: Vec<RevokedKey>,
    pub permits: Vec<RevokedPermit>,
}

/// The next city list: `previous` (the armored text of the current list, if
/// any — checked against this root first, so a damaged or foreign file is
/// never extended) plus `add`, numbered one higher. Entries already listed
/// keep their first reason.
pub fn extend_city_list(
    previous: Option<&str>,
    root: &SigningKey,
    add: Revocations,
    now: OffsetDateTime,
) -> Result<RevocationList, CityError> {
    if permit::roots::is_demo_root(&root.verifying_key()) {
        return Err(CityError::DemoRoot);
    }
    let mut content = match previous {
        None => RevocationContent {
            number: 0,
            issued_at: now,
            permits: Vec::new(),
            keys: Vec::new(),
        },
        Some(text) => {
            let list = RevocationList::from_text(text, &[root.verifying_key()])?;
            if !matches!(list.issuer(), Issuer::Root { .. }) {
                return Err(CityError::NotCityList);
            }
            list.content().clone()
        }
    };
    for k in add.keys {
        if !content.keys.iter().any(|e| e.key_id == k.key_id) {
            content.keys.push(k);
        }
    }
    for p in add.permits {
        if !content.permits.iter().any(|e| e.serial == p.serial) {
            content.permits.push(p);
        }
    }
    content.number = content
        .number
        .checked_add(1)
        .ok_or(CityError::NotCityList)?;
    content.issued_at = now;
    Ok(RevocationList::sign_by_root(content, root)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use permit::revocation::{reason, Reason};
    use permit::KeyId;

    fn root() -> SigningKey {
        SigningKey::from_bytes(&[7u8; 32])
    }

    fn key(n: u8) -> RevokedKey {
        RevokedKey {
            key_id: KeyId::of(&SigningKey::from_bytes(&[n; 32]).verifying_key()),
            reason: Reason {
                code: reason::KEY_COMPROMISED,
                text: "Máy bị mất trộm".into(),
            },
        }
    }

    #[test]
    fn each_list_keeps_the_previous_entries_and_counts_up() {
        let now = OffsetDateTime::now_utc();
        let first = extend_city_list(
            None,
            &root(),
            Revocations {
                keys: vec![key(1)],
                ..Default::default()
            },
            now,
        )
        .unwrap();
        assert_eq!(first.content().number, 1);
        let second = extend_city_list(
            Some(&first.to_text()),
            &root(),
            Revocations {
                keys: vec![key(1), key(2)],
                ..Default::default()
            },
            now,
        )
        .unwrap();
        assert_eq!(second.content().number, 2);
        assert_eq!(second.content().keys.len(), 2);
    }

    #[test]
    fn a_list_from_another_root_or_damaged_is_not_extended() {
        let now = OffsetDateTime::now_utc();
        let other = SigningKey::from_bytes(&[9u8; 32]);
        let foreign = extend_city_list(None, &other, Revocations::default(), now).unwrap();
        assert!(extend_city_list(
            Some(&foreign.to_text()),
            &root(),
            Revocations::default(),
            now
        )
        .is_err());
        assert!(extend_city_list(Some("rác"), &root(), Revocations::default(), now).is_err());
    }

    #[test]
    fn the_demo_root_publishes_nothing() {
        let demo = permit::roots::demo_root_signing_key();
        let err = extend_city_list(
            None,
            &demo,
            Revocations::default(),
            OffsetDateTime::now_utc(),
        )
        .unwrap_err();
        assert_eq!(err.code(), "city.demo_root");
    }
}
