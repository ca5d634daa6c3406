//! Serials are never reused within a ward and workstation, not after a crash
//! (the counter moves in the stamping transaction) and not after a restore.
//!
//! A restored or copied database may be behind what this workstation already
//! signed. So the counter's high-water mark is also kept in a small file next
//! to the workstation key, written (and flushed) before a stamping batch
//! commits: a database restored on the same PC continues above it; a database
//! whose workstation has stamped but which has no such file here was copied
//! or restored from elsewhere, and it may not sign as that workstation again
//! (the PC takes over as a new workstation number: [`Store::take_over_workstation`]).

use std::path::PathBuf;

use permit::Serial;
use rusqlite::{params, OptionalExtension, Transaction};

use crate::error::{Result, StoreError};
use crate::Store;

/// How far the mark may be above the database's counter and still be taken
/// as a restore on the same PC (days of stamping, far more than a backup gap).
pub(crate) const MAX_MARK_LEAD: u32 = 100_000;

/// The last sequence number this database gave out.
fn counter(tx: &Transaction<'_>) -> Result<u32> {
    Ok(
        tx.query_row("SELECT last FROM serial_counter WHERE id = 1", [], |r| {
            r.get(0)
        })?,
    )
}

/// The high-water file for this store, ward and workstation.
pub(crate) struct SerialGuard {
    path: PathBuf,
    floor: u32,
}

fn serial_prefix(ward_code: &str, workstation: u8) -> String {
    let s = Serial {
        ward_code: ward_code.parse().unwrap_or(0),
        workstation,
        sequence: 0,
    }
    .to_string();
    // "WWWWW-NN-" : everything before the sequence.
    s[..s.len() - 6].to_string()
}

/// Whether this database holds any serial of `ward_code`/`workstation`.
pub(crate) fn has_serials(tx: &Transaction<'_>, ward_code: &str, workstation: u8) -> Result<bool> {
    // '.' sorts right after '-': a range on the serial index, any sequence length.
    let lo = serial_prefix(ward_code, workstation);
    let hi = format!("{}.", &lo[..lo.len() - 1]);
    let any: Option<i64> = tx
        .query_row(
            "SELECT 1 FROM permits WHERE serial >= ?1 AND serial < ?2 LIMIT 1",
            params![lo, hi],
            |r| r.get(0),
        )
        .optional()?;
    Ok(any.is_some())
}

impl Store {
    /// `<db stem>-serials-<ward>-<workstation>.txt` next to the database
    /// (`None` in memory).
    pub fn serial_mark_path(&self) -> Result<Option<PathBuf>> {
        if self.path().is_none() {
            return Ok(None);
        }
        let ward = self.ward()?.ok_or(StoreError::WardMissing)?;
        Ok(self.beside_db(&format!(
            "serials-{}-{:02}.txt",
            ward.code, ward.workstation
        )))
    }

    /// Ward administrator: take a serial mark refused as far ahead
    /// (`stamp.serial_mark_ahead`) after checking it: the counter moves up to
    /// it (audited), so this workstation's next serial is above the mark.
    /// Returns the new counter.
    pub fn accept_serial_mark(&self, s: &crate::Session) -> Result<u32> {
        let guard = self.serial_guard()?.ok_or_else(|| {
            StoreError::invalid(
                "stamp.no_serial_mark",
                "Cơ sở dữ liệu trong bộ nhớ không có tệp số sê-ri.",
            )
        })?;
        self.write(|tx| {
            let me = crate::auth::current(tx, s)?;
            crate::auth::require(&me, "xác nhận tệp số sê-ri", &[workflow::Role::WardAdmin])?;
            let last = counter(tx)?;
            if guard.floor > last {
                tx.execute(
                    "UPDATE serial_counter SET last = ?1 WHERE id = 1",
                    [guard.floor],
                )?;
            }
            crate::audit::append(
                tx,
                &crate::auth::actor(&me),
                "serials.accept_mark",
                "ward",
                Some(1),
                serde_json::json!({"counter": last, "mark": guard.floor}),
            )?;
            Ok(guard.floor.max(last))
        })
    }

    /// Read the high-water mark before a stamping batch.
    pub(crate) fn serial_guard(&self) -> Result<Option<SerialGuard>> {
        let Some(path) = self.serial_mark_path()? else {
            return Ok(None);
        };
        let floor = match std::fs::read_to_string(&path) {
            Ok(text) => text.trim().parse::<u32>().map_err(|_| {
                StoreError::invalid(
                    "stamp.serial_mark_corrupt",
                    format!(
                        "Tệp số sê-ri {} bị hỏng (nội dung «{}»). Không đóng dấu để tránh trùng số: báo quản trị phường.",
                        path.display(),
                        text.trim().chars().take(40).collect::<String>()
                    ),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
            Err(e) => {
                return Err(StoreError::invalid(
                    "stamp.serial_mark_unreadable",
                    format!("Không đọc được tệp số sê-ri {}: {e}.", path.display()),
                ))
            }
        };
        Ok(Some(SerialGuard { path, floor }))
    }
}

impl SerialGuard {
    /// Inside the batch's transaction, before any allocation: refuse a copied
    /// or restored database, and move the counter up to the mark.
    pub(crate) fn before(&self, tx: &Transaction<'_>) -> Result<()> {
        let (code, ws): (String, u8) =
            tx.query_row("SELECT code, workstation FROM ward WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if self.floor == 0 && has_serials(tx, &code, ws)? {
            return Err(StoreError::invalid(
                "stamp.restored_store",
                format!(
                    "Cơ sở dữ liệu này đã có giấy do máy trạm số {ws} đóng dấu nhưng máy này không có tệp số sê-ri ({}): \
                     đây là bản sao hoặc bản khôi phục, máy trạm {ws} có thể đã cấp những số sau đó. \
                     Để không trùng số sê-ri, hãy nhận quyền thành máy trạm số mới \
                     (gdd activation takeover --workstation SỐ_MỚI) rồi xin khóa cài đặt mới.",
                    self.path.display()
                ),
            ));
        }
        // A mark far above anything this database knows is not a restore but a damaged or
        // edited file: taken as is, it would exhaust the workstation's serials.
        let last = counter(tx)?;
        if self.floor > last.saturating_add(MAX_MARK_LEAD) {
            return Err(StoreError::invalid(
                "stamp.serial_mark_ahead",
                format!(
                    "Tệp số sê-ri {} ghi số {} nhưng cơ sở dữ liệu mới cấp đến số {last}: chênh lệch bất thường \
                     (tệp bị sửa hoặc hỏng?). Không đóng dấu. Quản trị phường kiểm tra rồi xác nhận \
                     (gdd activation accept-serial-mark), hoặc nhận quyền thành máy trạm số mới \
                     (gdd activation takeover --workstation SỐ_MỚI).",
                    self.path.display(),
                    self.floor
                ),
            ));
        }
        // The trigger refuses a counter that goes back; only ever raise it.
        tx.execute(
            "UPDATE serial_counter SET last = ?1 WHERE id = 1 AND last < ?1",
            [self.floor],
        )?;
        Ok(())
    }

    /// Still inside the transaction, after the last allocation: the new mark
    /// is on disk before the serials are committed.
    pub(crate) fn after(&self, tx: &Transaction<'_>) -> Result<()> {
        let last = counter(tx)?;
        if last > self.floor {
            keystore::write_private_file(&self.path, format!("{last}\n").as_bytes())?;
        }
        Ok(())
    }
}
