//! Slowing down password guessing: failures per account in the database
//! (migration 0009), so that neither a new process nor the app and `gdd`
//! side by side start the count again.

use rusqlite::{params, OptionalExtension, Transaction};

use crate::error::Result;

/// Failures allowed before each further try must wait.
pub(crate) const FREE_FAILURES: u32 = 5;
/// The longest wait between two tries.
const MAX_WAIT_SECS: u64 = 15 * 60;
/// Every name that is not a user's counts under this one account.
pub(crate) const UNKNOWN_ACCOUNT: &str = "";

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The wait after the `failures`-th failure: none before [`FREE_FAILURES`],
/// then 1 s, 2 s, 4 s… up to [`MAX_WAIT_SECS`].
pub(crate) fn wait_after(failures: u32) -> u64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(20);
    (1u64 << doublings).min(MAX_WAIT_SECS)
}

/// Seconds `account` must still wait (rounded up), or `None` when it may try now.
pub(crate) fn wait(tx: &Transaction<'_>, account: &str, now: i64) -> Result<Option<u64>> {
    let until: Option<i64> = tx
        .query_row(
            "SELECT locked_until FROM login_failures WHERE account = ?1",
            [account],
            |r| r.get(0),
        )
        .optional()?;
    Ok(until
        .filter(|u| *u > now)
        .map(|u| ((u - now) as u64).div_ceil(1000)))
}

pub(crate) struct Failure {
    pub failures: u32,
    pub wait_secs: u64,
}

/// Record one more failure of `account` at `now`.
pub(crate) fn fail(tx: &Transaction<'_>, account: &str, now: i64) -> Result<Failure> {
    let before: u32 = tx
        .query_row(
            "SELECT failures FROM login_failures WHERE account = ?1",
            [account],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    let failures = before.saturating_add(1);
    let wait_secs = wait_after(failures);
    tx.execute(
        "INSERT INTO login_failures (account, failures, last_failure_at, locked_until)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (account) DO UPDATE SET failures = excluded.failures,
             last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until",
        params![account, failures, now, now + (wait_secs as i64) * 1000],
    )?;
    Ok(Failure {
        failures,
        wait_secs,
    })
}

/// The right password (or an administrator's reset): the count starts again.
pub(crate) fn clear(tx: &Transaction<'_>, account: &str) -> Result<()> {
    tx.execute("DELETE FROM login_failures WHERE account = ?1", [account])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_after_five_failures_and_stop_at_fifteen_minutes() {
        let w: Vec<u64> = (1..=9).map(wait_after).collect();
        assert_eq!(w, vec![0, 0, 0, 0, 1, 2, 4, 8, 16]);
        assert_eq!(wait_after(40), MAX_WAIT_SECS);
        assert_eq!(wait_after(u32::MAX), MAX_WAIT_SECS);
    }
}
