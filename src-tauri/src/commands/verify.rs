//! Checkpoint verification: a pasted token or a photo of the QR → verdict, offline, with
//! the roots this build trusts (`store::trust::verifier_anchors`, the same as `gdd verify`).
//! No login needed: a checkpoint officer has no account on the ward's workstation.

use time::OffsetDateTime;
use verify::{RevocationList, Verification};

use crate::error::ApiError;

/// Photos above this size are refused before decoding (a phone photo is a few MB).
const MAX_IMAGE_BYTES: usize = 25 * 1024 * 1024;

fn lists(revocations: &[String]) -> Result<Vec<RevocationList>, ApiError> {
    let anchors = store::trust::verifier_anchors()?;
    let keys: Vec<_> = anchors.iter().map(|a| a.public_key).collect();
    revocations
        .iter()
        .map(|text| {
            RevocationList::from_text(text, &keys)
                .map_err(|e| ApiError::new(e.code(), format!("Danh sách thu hồi bị từ chối: {e}.")))
        })
        .collect()
}

/// Verify token texts (each a `GD1:…`) against the build's roots and the given
/// revocation lists (their text), now.
pub fn verify_texts(
    tokens: &[String],
    revocations: &[String],
) -> Result<Vec<Verification>, ApiError> {
    let anchors = store::trust::verifier_anchors()?;
    let lists = lists(revocations)?;
    let now = OffsetDateTime::now_utc();
    Ok(tokens
        .iter()
        .map(|t| verify::verify_with_lists(t.trim(), now, &anchors, &lists))
        .collect())
}

pub fn do_verify_token(token: &str, revocations: &[String]) -> Result<Verification, ApiError> {
    let mut v = verify_texts(&[token.to_string()], revocations)?;
    v.pop()
        .ok_or_else(|| ApiError::new("app.internal", "Không có kết quả kiểm tra."))
}

/// A PNG/JPEG photo (base64, as the webview reads a file) → the verdict of each permit QR in it.
pub fn do_verify_image(
    image_base64: &str,
    revocations: &[String],
) -> Result<Vec<Verification>, ApiError> {
    // A data URL ("data:image/png;base64,…") or bare base64.
    let b64 = image_base64
        .split_once(',')
        .map_or(image_base64, |(_, b)| b)
        .trim();
    if b64.len() / 4 * 3 > MAX_IMAGE_BYTES {
        return Err(ApiError::new(
            "scan.too_large",
            "Ảnh quá lớn (trên 25 MB): chụp lại hoặc thu nhỏ ảnh.",
        ));
    }
    let bytes = data_encoding::BASE64.decode(b64.as_bytes()).map_err(|e| {
        ApiError::new(
            "scan.bad_image",
            format!("Không đọc được tệp ảnh ({e}): cần ảnh PNG hoặc JPEG."),
        )
    })?;
    let scanned = verify::scan::scan_image(&bytes)?;
    if scanned.tokens.is_empty() {
        return Err(ApiError::new(
            "scan.no_permit",
            format!(
                "Ảnh có {} mã QR nhưng không mã nào là giấy đi đường.",
                scanned.others.len()
            ),
        ));
    }
    verify_texts(&scanned.tokens, revocations)
}

#[tauri::command]
pub async fn verify_token(
    token: String,
    revocations: Vec<String>,
) -> Result<Verification, ApiError> {
    do_verify_token(&token, &revocations)
}

// Async: decoding a large photo takes a moment and must not freeze the window.
#[tauri::command]
pub async fn verify_image(
    image_base64: String,
    revocations: Vec<String>,
) -> Result<Vec<Verification>, ApiError> {
    do_verify_image(&image_base64, &revocations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::stamp::{do_stamp, do_stamp_queue};
    use crate::commands::tests::demo_as;
    use verify::Verdict;

    fn stamped_token() -> String {
        let (_dir, st) = demo_as("congan");
        let id = do_stamp_queue(&st, None, 1).expect("queue").items[0].permit_id;
        do_stamp(&st, &[id], store::demo::DEMO_KEY_PASSPHRASE).expect("stamp")[0]
            .token
            .clone()
    }

    #[test]
    fn a_demo_permit_reads_demo_with_its_holder_and_a_changed_one_does_not() {
        let token = stamped_token();
        let v = do_verify_token(&format!("  {token}\n"), &[]).expect("verify");
        assert_eq!(v.verdict, Verdict::Demo);
        let f = v.fields.expect("holder details");
        assert!(!f.holder_name.is_empty());
        assert!(v.revocation.is_none());

        // One character changed in the signed data.
        let mut chars: Vec<char> = token.chars().collect();
        let i = chars.len() / 2;
        chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
        let tampered: String = chars.into_iter().collect();
        let v = do_verify_token(&tampered, &[]).expect("verify");
        assert!(
            matches!(v.verdict, Verdict::BadSignature | Verdict::Malformed),
            "{:?}",
            v.verdict
        );
        assert!(v.fields.is_none());
        assert_eq!(
            do_verify_token("hello", &[]).expect("verify").verdict,
            Verdict::Malformed
        );
    }

    #[test]
    fn a_photo_of_the_qr_verifies_and_bad_input_is_explained() {
        let token = stamped_token();
        let qr = permit::qr::render(&token).expect("qr");
        // Draw the QR as a PNG, 6 px per module, with a quiet zone.
        let scale = 6;
        let side = ((qr.width + 8) * scale) as u32;
        let img = image::GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) = (x as usize / scale, y as usize / scale);
            let dark = mx >= 4 && my >= 4 && qr.is_dark(mx - 4, my - 4);
            image::Luma([if dark { 0 } else { 255 }])
        });
        let mut png = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("png");
        let b64 = format!(
            "data:image/png;base64,{}",
            data_encoding::BASE64.encode(&png)
        );
        let v = do_verify_image(&b64, &[]).expect("verify image");
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].verdict, Verdict::Demo);

        assert_eq!(
            do_verify_image("not base64!", &[]).unwrap_err().code,
            "scan.bad_image"
        );
        let not_an_image = data_encoding::BASE64.encode(b"plain text");
        assert_eq!(
            do_verify_image(&not_an_image, &[]).unwrap_err().code,
            "scan.bad_image"
        );
        assert!(do_verify_token(&token, &["garbage".to_string()]).is_err());
    }
}
