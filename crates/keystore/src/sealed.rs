//! A signing key sealed under a passphrase: Argon2id derives a wrapping key,
//! XChaCha20-Poly1305 encrypts the 32-byte Ed25519 secret, and the whole
//! versioned header (salt, KDF costs, nonce, purpose, public key, time) is the
//! associated data, so none of it can be changed without detection.
//!
//! Binary layout, version 1 (all integers big-endian; see docs/keys.md):
//!
//! ```text
//! "GDDK" | version=1 | kdf=1 (Argon2id v1.3) | m_cost u32 | t_cost u32 | p_cost u32
//! | salt[16] | nonce[24] | created i64 (Unix s) | public_key[32] | label_len u8 | label
//! | ciphertext[32] | tag[16] | check[8] = SHA-256(everything before)[..8]
//! ```
//!
//! The check value is not a security measure (the AEAD tag is): it tells an
//! accidentally damaged file (`key.corrupt`) from a wrong passphrase
//! (`key.bad_passphrase`), which would otherwise look the same.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::armor;
use crate::codec::{put_bytes8, Reader, Truncated};
use crate::error::KeyError;
use crate::fingerprint::Fingerprint;
use crate::kdf::KdfParams;
use crate::passphrase::Passphrase;

/// Label of the armored block.
pub const ARMOR_LABEL: &str = "GDD ENCRYPTED SIGNING KEY";
/// Longest purpose label, in bytes of UTF-8.
pub const MAX_LABEL_BYTES: usize = 100;
/// Largest text `open` reads: a sealed key is about 500 bytes.
const MAX_TEXT_BYTES: usize = 64 * 1024;

const MAGIC: &[u8; 4] = b"GDDK";
const VERSION: u8 = 1;
const KDF_ARGON2ID: u8 = 1;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const SECRET_LEN: usize = 32;
const TAG_LEN: usize = 16;
const CHECK_LEN: usize = 8;

/// What a sealed key says about itself without its passphrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedKeyInfo {
    /// What the key is for, e.g. "city-root" or "workstation 00004-2".
    pub purpose: String,
    pub public_key: VerifyingKey,
    pub fingerprint: Fingerprint,
    pub created_at: OffsetDateTime,
    pub kdf: KdfParams,
}

struct Parsed<'a> {
    info: SealedKeyInfo,
    salt: &'a [u8],
    nonce: [u8; NONCE_LEN],
    header: &'a [u8],
    ciphertext: &'a [u8],
}

/// Seal `key` under `passphrase` as armored text. The passphrase must pass
/// [`Passphrase::check_new`]: a weak passphrase cannot protect a signing key.
/// `params` is the Argon2id cost: [`KdfParams::STANDARD`] for real keys.
pub fn seal(
    key: &SigningKey,
    passphrase: &Passphrase,
    purpose: &str,
    params: KdfParams,
) -> Result<String, KeyError> {
    passphrase.check_new()?;
    let purpose = clean_label(purpose)?;
    params.validate()?;
    let mut random = Zeroizing::new([0u8; SALT_LEN + NONCE_LEN]);
    getrandom::fill(random.as_mut()).map_err(|e| KeyError::Rng(e.to_string()))?;
    let (salt, nonce) = random.split_at(SALT_LEN);
    let created = OffsetDateTime::now_utc().unix_timestamp();
    let public = key.verifying_key();

    let mut blob = Vec::with_capacity(200);
    blob.extend_from_slice(MAGIC);
    blob.push(VERSION);
    blob.push(KDF_ARGON2ID);
    blob.extend_from_slice(&params.m_cost_kib.to_be_bytes());
    blob.extend_from_slice(&params.t_cost.to_be_bytes());
    blob.extend_from_slice(&params.p_cost.to_be_bytes());
    blob.extend_from_slice(salt);
    blob.extend_from_slice(nonce);
    blob.extend_from_slice(&created.to_be_bytes());
    blob.extend_from_slice(public.as_bytes());
    put_bytes8(&mut blob, purpose.as_bytes());

    let wrapping = params.derive(passphrase, salt)?;
    let cipher = XChaCha20Poly1305::new_from_slice(wrapping.as_ref())
        .map_err(|e| KeyError::BadKdfParams(e.to_string()))?;
    let secret = Zeroizing::new(key.to_bytes());
    let nonce_arr: [u8; NONCE_LEN] = nonce
        .try_into()
        .map_err(|_| KeyError::Rng("nonce".to_string()))?;
    let ciphertext = cipher
        .encrypt(
            &XNonce::from(nonce_arr),
            Payload {
                msg: secret.as_ref(),
                aad: &blob,
            },
        )
        .map_err(|_| KeyError::Corrupt("không mã hóa được".to_string()))?;
    blob.extend_from_slice(&ciphertext);
    let check = Sha256::digest(&blob);
    blob.extend_from_slice(&check[..CHECK_LEN]);

    let info = parse(&blob)?.info;
    Ok(armor::encode(
        ARMOR_LABEL,
        &armor_headers(&info)
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect::<Vec<_>>(),
        &blob,
    ))
}

/// Open a sealed key. Wrong passphrase → `key.bad_passphrase`; damaged,
/// truncated or edited text → `key.corrupt`; a newer format → `key.unsupported`.
pub fn open(text: &str, passphrase: &Passphrase) -> Result<SigningKey, KeyError> {
    let blob = decode_text(text)?;
    let parsed = parse(&blob)?;
    let wrapping = parsed.info.kdf.derive(passphrase, parsed.salt)?;
    let cipher = XChaCha20Poly1305::new_from_slice(wrapping.as_ref())
        .map_err(|e| KeyError::BadKdfParams(e.to_string()))?;
    let secret = Zeroizing::new(
        cipher
            .decrypt(
                &XNonce::from(parsed.nonce),
                Payload {
                    msg: parsed.ciphertext,
                    aad: parsed.header,
                },
            )
            // The check value matched, so the bytes are as written: the
            // passphrase is wrong (or the file was forged with a new check value).
            .map_err(|_| KeyError::BadPassphrase)?,
    );
    let secret: Zeroizing<[u8; SECRET_LEN]> = Zeroizing::new(
        secret
            .as_slice()
            .try_into()
            .map_err(|_| KeyError::Corrupt("độ dài khóa bí mật sai".to_string()))?,
    );
    let key = SigningKey::from_bytes(&secret);
    if key.verifying_key() != parsed.info.public_key {
        return Err(KeyError::Corrupt(
            "khóa bí mật không khớp khóa công khai ghi trong tệp".to_string(),
        ));
    }
    Ok(key)
}

/// Read what a sealed key says about itself (purpose, public key, fingerprint,
/// time, cost) without the passphrase. Checks the same integrity as `open`
/// except the encryption tag.
pub fn inspect(text: &str) -> Result<SealedKeyInfo, KeyError> {
    let blob = decode_text(text)?;
    Ok(parse(&blob)?.info)
}

fn decode_text(text: &str) -> Result<Vec<u8>, KeyError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(KeyError::Corrupt(format!(
            "tệp quá lớn ({} byte) để là một tệp khóa",
            text.len()
        )));
    }
    let mut blocks = armor::decode_all(text, ARMOR_LABEL);
    if blocks.len() > 1 {
        return Err(KeyError::Corrupt(format!(
            "tệp có {} khối khóa; mỗi tệp chỉ được chứa một khóa",
            blocks.len()
        )));
    }
    let armored = blocks
        .pop()
        .unwrap_or(Err(armor::ArmorError::NoBegin))
        .map_err(|e| KeyError::Corrupt(e.to_string()))?;
    let info = parse(&armored.data)?.info;
    // The headers are for people; they must say exactly what the sealed data says.
    let expected = armor_headers(&info);
    let same = armored.headers.len() == expected.len()
        && armored
            .headers
            .iter()
            .zip(&expected)
            .all(|((k, v), (ek, ev))| k == ek && v == ev);
    if !same {
        return Err(KeyError::Corrupt(
            "các dòng tiêu đề không khớp với nội dung khóa".to_string(),
        ));
    }
    Ok(armored.data)
}

fn armor_headers(info: &SealedKeyInfo) -> Vec<(&'static str, String)> {
    vec![
        ("Purpose", info.purpose.clone()),
        ("Fingerprint", info.fingerprint.to_string()),
        (
            "Created",
            info.created_at
                .format(&Rfc3339)
                .unwrap_or_else(|_| info.created_at.unix_timestamp().to_string()),
        ),
        (
            "KDF",
            format!(
                "argon2id m={} t={} p={}",
                info.kdf.m_cost_kib, info.kdf.t_cost, info.kdf.p_cost
            ),
        ),
    ]
}

fn clean_label(label: &str) -> Result<String, KeyError> {
    let label = vntext::clean(label);
    if label.is_empty() {
        return Err(KeyError::BadLabel("nhãn trống".to_string()));
    }
    if label.len() > MAX_LABEL_BYTES {
        return Err(KeyError::BadLabel(format!(
            "dài {} byte, tối đa {MAX_LABEL_BYTES}",
            label.len()
        )));
    }
    if label.chars().any(char::is_control) {
        return Err(KeyError::BadLabel("có ký tự điều khiển".to_string()));
    }
    Ok(label)
}

fn truncated(_: Truncated) -> KeyError {
    KeyError::Corrupt("dữ liệu bị cắt cụt".to_string())
}

fn parse(blob: &[u8]) -> Result<Parsed<'_>, KeyError> {
    let mut r = Reader::new(blob);
    if r.take(MAGIC.len()).map_err(truncated)? != MAGIC {
        return Err(KeyError::Corrupt(
            "không phải khóa của phần mềm này".to_string(),
        ));
    }
    let version = r.u8().map_err(truncated)?;
    if version != VERSION {
        return Err(KeyError::Unsupported(format!(
            "định dạng khóa phiên bản {version}"
        )));
    }
    let body_len = blob
        .len()
        .checked_sub(CHECK_LEN)
        .filter(|&n| n >= r.position())
        .ok_or_else(|| truncated(Truncated))?;
    let (body, check) = blob.split_at(body_len);
    if Sha256::digest(body)[..CHECK_LEN] != *check {
        return Err(KeyError::Corrupt(
            "giá trị kiểm tra không khớp: tệp bị hỏng hoặc bị sửa".to_string(),
        ));
    }
    let mut r = Reader::new(body);
    r.take(MAGIC.len() + 1).map_err(truncated)?;
    let kdf_id = r.u8().map_err(truncated)?;
    if kdf_id != KDF_ARGON2ID {
        return Err(KeyError::Unsupported(format!(
            "thuật toán dẫn xuất khóa số {kdf_id}"
        )));
    }
    let kdf = KdfParams {
        m_cost_kib: r.u32().map_err(truncated)?,
        t_cost: r.u32().map_err(truncated)?,
        p_cost: r.u32().map_err(truncated)?,
    };
    let beyond_limits = kdf.m_cost_kib > KdfParams::MAX_M_COST_KIB
        || kdf.t_cost > KdfParams::MAX_T_COST
        || kdf.p_cost > KdfParams::MAX_P_COST;
    kdf.validate().map_err(|e| {
        if beyond_limits {
            // Costs this version will not spend: a newer version, or crafted.
            KeyError::Unsupported(e.to_string())
        } else {
            KeyError::Corrupt(e.to_string())
        }
    })?;
    let salt = r.take(SALT_LEN).map_err(truncated)?;
    let nonce: [u8; NONCE_LEN] = r.array().map_err(truncated)?;
    let created = r.i64().map_err(truncated)?;
    let created_at = OffsetDateTime::from_unix_timestamp(created)
        .map_err(|_| KeyError::Corrupt("thời điểm tạo không hợp lệ".to_string()))?;
    let public_key = VerifyingKey::from_bytes(&r.array().map_err(truncated)?)
        .map_err(|_| KeyError::Corrupt("khóa công khai không hợp lệ".to_string()))?;
    let label = r.bytes8().map_err(truncated)?;
    let purpose = std::str::from_utf8(label)
        .ok()
        .filter(|s| clean_label(s).is_ok_and(|c| c == *s))
        .ok_or_else(|| KeyError::Corrupt("nhãn mục đích không hợp lệ".to_string()))?
        .to_string();
    let header_len = r.position();
    let ciphertext = r.take(SECRET_LEN + TAG_LEN).map_err(truncated)?;
    if r.remaining() != 0 {
        return Err(KeyError::Corrupt("thừa dữ liệu sau khóa".to_string()));
    }
    Ok(Parsed {
        info: SealedKeyInfo {
            purpose,
            fingerprint: Fingerprint::of(&public_key),
            public_key,
            created_at,
            kdf,
        },
        salt,
        nonce,
        header: &body[..header_len],
        ciphertext,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    const PASS: &str = "Cây đa đầu làng 1975";
    const FAST: KdfParams = KdfParams::INSECURE_FAST;

    fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    fn sealed() -> String {
        seal(&key(7), &Passphrase::new(PASS), "city-root", FAST).unwrap()
    }

    fn blob_of(text: &str) -> Vec<u8> {
        armor::decode(text, ARMOR_LABEL).unwrap().data
    }

    /// Re-armor `blob` with the headers of `text`, to test damage to the data
    /// itself rather than to the headers.
    fn rearmor(text: &str, blob: &[u8]) -> String {
        let headers = armor::decode(text, ARMOR_LABEL).unwrap().headers;
        let refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        armor::encode(ARMOR_LABEL, &refs, blob)
    }

    #[test]
    fn round_trip() {
        let text = sealed();
        assert!(text.starts_with("-----BEGIN GDD ENCRYPTED SIGNING KEY-----\nPurpose: city-root\n"));
        let k = open(&text, &Passphrase::new(PASS)).unwrap();
        assert_eq!(k.to_bytes(), key(7).to_bytes());
        let info = inspect(&text).unwrap();
        assert_eq!(info.purpose, "city-root");
        assert_eq!(info.public_key, key(7).verifying_key());
        assert_eq!(info.kdf, FAST);
        assert!(text.contains(&format!("Fingerprint: {}\n", info.fingerprint)));
        // Fresh salt and nonce each time: the same key never seals to the same text.
        assert_ne!(blob_of(&text), blob_of(&sealed()));
    }

    #[test]
    fn vietnamese_purpose_label_round_trips() {
        let text = seal(
            &key(1),
            &Passphrase::new(PASS),
            "  Máy trạm  số 2 — Phường Ba Đình ",
            FAST,
        )
        .unwrap();
        assert_eq!(
            inspect(&text).unwrap().purpose,
            "Máy trạm số 2 — Phường Ba Đình"
        );
        open(&text, &Passphrase::new(PASS)).unwrap();
    }

    #[test]
    fn wrong_passphrase_is_told_apart_from_damage() {
        let text = sealed();
        for wrong in [
            "Cây đa đầu làng 1976",
            "cây đa đầu làng 1975",
            "Cay da dau lang 1975",
            "",
        ] {
            let e = open(&text, &Passphrase::new(wrong)).unwrap_err();
            assert_eq!(e.code(), "key.bad_passphrase", "{wrong:?}");
        }
    }

    #[test]
    fn nfd_passphrase_opens_what_nfc_sealed_and_back() {
        let nfd: String = PASS.nfd().collect();
        assert_ne!(nfd, PASS);
        let text = sealed();
        assert_eq!(
            open(&text, &Passphrase::new(&nfd)).unwrap().to_bytes(),
            key(7).to_bytes()
        );
        let text = seal(&key(7), &Passphrase::new(&nfd), "city-root", FAST).unwrap();
        assert_eq!(
            open(&text, &Passphrase::new(PASS)).unwrap().to_bytes(),
            key(7).to_bytes()
        );
    }

    #[test]
    fn seal_refuses_weak_passphrase_and_bad_label() {
        let e = seal(&key(1), &Passphrase::new("matkhau12345"), "x", FAST).unwrap_err();
        assert_eq!(e.code(), "passphrase.common");
        let e = seal(&key(1), &Passphrase::new(PASS), "  ", FAST).unwrap_err();
        assert_eq!(e.code(), "key.bad_label");
        let e = seal(&key(1), &Passphrase::new(PASS), &"x".repeat(101), FAST).unwrap_err();
        assert_eq!(e.code(), "key.bad_label");
        let e = seal(&key(1), &Passphrase::new(PASS), "a\u{7}b", FAST).unwrap_err();
        assert_eq!(e.code(), "key.bad_label");
    }

    #[test]
    fn every_single_byte_change_of_the_data_fails() {
        let text = sealed();
        let blob = blob_of(&text);
        for i in 0..blob.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = blob.clone();
                bad[i] ^= flip;
                let e = open(&rearmor(&text, &bad), &Passphrase::new(PASS)).unwrap_err();
                // Byte 4 is the version: a changed version reads as "newer format".
                let want = if i == 4 {
                    "key.unsupported"
                } else {
                    "key.corrupt"
                };
                assert_eq!(e.code(), want, "byte {i} ^ {flip:#x}");
            }
        }
    }

    #[test]
    fn every_single_character_change_of_the_text_fails() {
        let text = sealed();
        let pass = Passphrase::new(PASS);
        let alnum: Vec<u8> = (b'A'..=b'Z')
            .chain(b'a'..=b'z')
            .chain(b'0'..=b'9')
            .collect();
        for i in 0..text.len() {
            let old = text.as_bytes()[i];
            let mut replacements = vec![b'x', b'=', b' '];
            if let Some(p) = alnum.iter().position(|&c| c == old) {
                replacements.push(alnum[(p + 1) % alnum.len()]);
            }
            for new in replacements {
                if new == old || (new.is_ascii_whitespace() && old.is_ascii_whitespace()) {
                    continue; // no change, or only spacing (which the armor ignores)
                }
                let mut bytes = text.clone().into_bytes();
                bytes[i] = new;
                let changed = String::from_utf8(bytes).unwrap();
                assert!(
                    open(&changed, &pass).is_err(),
                    "byte {i} {:?} -> {:?} was accepted",
                    old as char,
                    new as char
                );
            }
        }
    }

    #[test]
    fn every_truncation_fails() {
        let text = sealed();
        let blob = blob_of(&text);
        for n in 0..blob.len() {
            let e = open(&rearmor(&text, &blob[..n]), &Passphrase::new(PASS)).unwrap_err();
            assert_eq!(e.code(), "key.corrupt", "first {n} bytes");
        }
        for n in 0..text.len() {
            // Dropping only the final line end loses nothing.
            if let Some(cut) = text.get(..n).filter(|c| c.trim_end() != text.trim_end()) {
                assert_eq!(
                    open(cut, &Passphrase::new(PASS)).unwrap_err().code(),
                    "key.corrupt",
                    "first {n} chars"
                );
            }
        }
    }

    #[test]
    fn unknown_version_and_kdf_are_unsupported() {
        let text = sealed();
        let mut blob = blob_of(&text);
        blob[4] = 2;
        let e = open(&rearmor(&text, &blob), &Passphrase::new(PASS)).unwrap_err();
        assert_eq!(e.code(), "key.unsupported");
        assert!(e.to_string().contains("phiên bản 2"), "{e}");

        // A well-formed v1 file whose KDF id is unknown (check value recomputed).
        let mut blob = blob_of(&text);
        blob[5] = 9;
        let n = blob.len() - CHECK_LEN;
        let check = Sha256::digest(&blob[..n]);
        blob[n..].copy_from_slice(&check[..CHECK_LEN]);
        let e = open(&rearmor(&text, &blob), &Passphrase::new(PASS)).unwrap_err();
        assert_eq!(e.code(), "key.unsupported");
    }

    #[test]
    fn costs_beyond_limits_are_unsupported_below_minimum_corrupt() {
        let text = sealed();
        for (m, want) in [(u32::MAX, "key.unsupported"), (1, "key.corrupt")] {
            let mut blob = blob_of(&text);
            blob[6..10].copy_from_slice(&m.to_be_bytes());
            let n = blob.len() - CHECK_LEN;
            let check = Sha256::digest(&blob[..n]);
            blob[n..].copy_from_slice(&check[..CHECK_LEN]);
            let armored = armor::encode(ARMOR_LABEL, &[], &blob);
            assert_eq!(
                open(&armored, &Passphrase::new(PASS)).unwrap_err().code(),
                want
            );
        }
    }

    #[test]
    fn forged_check_value_reads_as_wrong_passphrase_never_as_success() {
        // Someone edits the public key and recomputes the check value: the AEAD
        // tag (which covers the header) still refuses it.
        let text = sealed();
        let mut blob = blob_of(&text);
        let pk_at = 4 + 1 + 1 + 12 + SALT_LEN + NONCE_LEN + 8;
        blob[pk_at..pk_at + 32].copy_from_slice(key(8).verifying_key().as_bytes());
        let n = blob.len() - CHECK_LEN;
        let check = Sha256::digest(&blob[..n]);
        blob[n..].copy_from_slice(&check[..CHECK_LEN]);
        let forged = armor::encode(
            ARMOR_LABEL,
            &[
                ("Purpose", "city-root"),
                (
                    "Fingerprint",
                    &Fingerprint::of(&key(8).verifying_key()).to_string(),
                ),
                (
                    "Created",
                    &armor::decode(&text, ARMOR_LABEL).unwrap().headers[2].1,
                ),
                ("KDF", "argon2id m=64 t=1 p=1"),
            ],
            &blob,
        );
        assert_eq!(inspect(&forged).unwrap().public_key, key(8).verifying_key());
        let e = open(&forged, &Passphrase::new(PASS)).unwrap_err();
        assert_eq!(e.code(), "key.bad_passphrase");
    }

    #[test]
    fn two_keys_in_one_file_are_refused() {
        let text = format!("{}{}", sealed(), sealed());
        let e = open(&text, &Passphrase::new(PASS)).unwrap_err();
        assert_eq!(e.code(), "key.corrupt");
        assert!(e.to_string().contains("2 khối"), "{e}");
    }

    #[test]
    fn survives_crlf_and_quoting() {
        let text = sealed().replace('\n', "\r\n");
        open(&text, &Passphrase::new(PASS)).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn random_text_never_panics(s in "\\PC{0,400}") {
            let _ = open(&s, &Passphrase::new(PASS));
            let _ = inspect(&s);
        }

        #[test]
        fn random_armored_bytes_never_panic(mut data in proptest::collection::vec(any::<u8>(), 0..200), magic in any::<bool>()) {
            if magic && data.len() >= 5 {
                data[..4].copy_from_slice(MAGIC);
                data[4] = VERSION;
            }
            let text = armor::encode(ARMOR_LABEL, &[], &data);
            prop_assert!(open(&text, &Passphrase::new(PASS)).is_err());
        }

        #[test]
        fn round_trips_any_key(seed in any::<[u8; 32]>()) {
            let k = SigningKey::from_bytes(&seed);
            let text = seal(&k, &Passphrase::new(PASS), "test", FAST).unwrap();
            prop_assert_eq!(open(&text, &Passphrase::new(PASS)).unwrap().to_bytes(), seed);
        }
    }
}
