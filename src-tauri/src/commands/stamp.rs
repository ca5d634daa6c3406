//! Stamping (ward police): the queue of approved permits, signing a batch with the
//! workstation key, and a stamped permit's QR.

use serde::Serialize;
use store::worklist::{QueueRequest, StampQueue};
use store::{Passphrase, Stamped};
use tauri::State;

use crate::error::ApiError;
use crate::state::AppState;

/// Rows per page of the stamping queue.
pub const QUEUE_PER_PAGE: u32 = 25;

/// A stamped permit's QR, for the screen.
#[derive(Debug, Clone, Serialize)]
pub struct PermitQr {
    pub permit_id: i64,
    pub serial: String,
    pub token: String,
    pub svg: String,
}

pub fn do_stamp_queue(
    st: &AppState,
    request_id: Option<i64>,
    page: u32,
) -> Result<StampQueue, ApiError> {
    st.require_session()?;
    Ok(st.store()?.stamp_queue(request_id, page, QUEUE_PER_PAGE)?)
}

pub fn do_stamp_queue_requests(st: &AppState) -> Result<Vec<QueueRequest>, ApiError> {
    st.require_session()?;
    Ok(st.store()?.stamp_queue_requests()?)
}

/// Sign `permit_ids` in one transaction (all or none), as the CLI's `gdd stamp` does.
pub fn do_stamp(
    st: &AppState,
    permit_ids: &[i64],
    passphrase: &str,
) -> Result<Vec<Stamped>, ApiError> {
    let s = st.require_session()?;
    if permit_ids.is_empty() {
        return Err(ApiError::new(
            "stamp.nothing_selected",
            "Chưa chọn giấy nào để đóng dấu.",
        ));
    }
    let store = st.store()?;
    if !store.is_activated()? {
        // The store answers with the reason (role, state, not activated) before any key is opened.
        store.stamp(&s, permit_ids)?;
    }
    let key = store
        .load_workstation_key(&Passphrase::new(passphrase))
        .map_err(|e| match e.code() {
            // Said plainly, and that nothing happened: the official is about to retry.
            "key.bad_passphrase" => ApiError::new(
                "key.bad_passphrase",
                "Sai mật khẩu khóa ký. Kiểm tra phím Caps Lock và bộ gõ tiếng Việt rồi nhập lại. Chưa giấy nào được đóng dấu.",
            ),
            _ => ApiError::from(e),
        })?;
    Ok(store.stamp_with(&s, permit_ids, &key)?)
}

/// The token and QR (SVG) of a stamped permit; `permit.not_stamped` before stamping.
pub fn do_permit_qr(st: &AppState, permit_id: i64) -> Result<PermitQr, ApiError> {
    st.require_session()?;
    let (serial, token) = st.store()?.permit_token(permit_id)?.ok_or_else(|| {
        ApiError::new(
            "permit.not_stamped",
            format!("Giấy #{permit_id} chưa được đóng dấu nên chưa có mã QR."),
        )
    })?;
    let svg = permit::qr::render(&token)?.to_svg(4);
    Ok(PermitQr {
        permit_id,
        serial,
        token,
        svg,
    })
}

#[tauri::command]
pub async fn stamp_queue(
    state: State<'_, AppState>,
    request_id: Option<i64>,
    page: u32,
) -> Result<StampQueue, ApiError> {
    do_stamp_queue(&state, request_id, page)
}

#[tauri::command]
pub async fn stamp_queue_requests(
    state: State<'_, AppState>,
) -> Result<Vec<QueueRequest>, ApiError> {
    do_stamp_queue_requests(&state)
}

// Async: opening the key runs Argon2 (about half a second), off the window's thread.
#[tauri::command]
pub async fn stamp(
    state: State<'_, AppState>,
    permit_ids: Vec<i64>,
    passphrase: String,
) -> Result<Vec<Stamped>, ApiError> {
    do_stamp(&state, &permit_ids, &passphrase)
}

#[tauri::command]
pub async fn permit_qr(state: State<'_, AppState>, permit_id: i64) -> Result<PermitQr, ApiError> {
    do_permit_qr(&state, permit_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::tests::demo_as;

    #[test]
    fn ward_police_stamp_a_batch_and_a_wrong_passphrase_stamps_nothing() {
        let (_dir, st) = demo_as("congan");
        let queue = do_stamp_queue(&st, None, 1).expect("queue");
        assert!(queue.total >= 2, "{}", queue.total);
        let ids: Vec<i64> = queue.items.iter().take(2).map(|h| h.permit_id).collect();

        let bad = do_stamp(&st, &ids, "not the passphrase").unwrap_err();
        assert_eq!(bad.code, "key.bad_passphrase");
        assert!(bad.message.starts_with("Sai mật khẩu khóa ký"));
        assert_eq!(
            do_stamp_queue(&st, None, 1).expect("queue").total,
            queue.total
        );

        assert_eq!(
            do_stamp(&st, &[], store::demo::DEMO_KEY_PASSPHRASE)
                .unwrap_err()
                .code,
            "stamp.nothing_selected"
        );
        let stamped = do_stamp(&st, &ids, store::demo::DEMO_KEY_PASSPHRASE).expect("stamp");
        assert_eq!(stamped.len(), 2);
        assert!(stamped.iter().all(|p| p.token.starts_with("GD1:")));
        assert_eq!(
            do_stamp_queue(&st, None, 1).expect("queue").total,
            queue.total - 2
        );

        let qr = do_permit_qr(&st, ids[0]).expect("qr");
        assert_eq!(qr.serial, stamped[0].serial);
        assert!(qr.svg.starts_with("<svg"));
        // Stamping the same permits again signs nothing new: each keeps its serial.
        let again = do_stamp(&st, &ids, store::demo::DEMO_KEY_PASSPHRASE).expect("again");
        assert!(again.iter().all(|p| p.already_stamped), "{again:?}");
        let serials: Vec<&str> = again.iter().map(|p| p.serial.as_str()).collect();
        let first: Vec<&str> = stamped.iter().map(|p| p.serial.as_str()).collect();
        assert_eq!(serials, first);
    }

    #[test]
    fn only_ward_police_may_stamp_and_unstamped_permits_have_no_qr() {
        let (_dir, st) = demo_as("canbo");
        let queue = do_stamp_queue(&st, None, 1).expect("queue");
        let id = queue.items[0].permit_id;
        let e = do_stamp(&st, &[id], store::demo::DEMO_KEY_PASSPHRASE).unwrap_err();
        assert!(
            e.code == "auth.forbidden" || e.code.starts_with("workflow."),
            "{e:?}"
        );
        assert_eq!(
            do_permit_qr(&st, id).unwrap_err().code,
            "permit.not_stamped"
        );
    }
}
