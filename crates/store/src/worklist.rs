//! Read-only queries behind the app's work screens: the permits waiting for a
//! stamp, and the activation overview (why a workstation cannot stamp yet).

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::error::Result;
use crate::search::{PersonHit, MAX_PER_PAGE};
use crate::util::{date_str, today_vn};
use crate::{InstalledKey, Store, WorkstationKeyInfo};

/// One page of the stamping queue (approved permits, oldest first).
#[derive(Debug, Clone, Serialize)]
pub struct StampQueue {
    pub items: Vec<PersonHit>,
    pub page: u32,
    pub per_page: u32,
    pub has_more: bool,
    /// Approved permits matching the filter, all pages.
    pub total: u64,
}

/// A request that has permits waiting for a stamp (the queue's filter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueRequest {
    pub request_id: i64,
    pub org_name: Option<String>,
    pub org_ref: Option<String>,
    pub approved: u64,
}

/// Why stamping is or is not possible on this workstation today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivationReason {
    Activated,
    NoKey,
    NoInstallKey,
    Expired,
    NotYetValid,
}

/// Everything the activation screen shows.
#[derive(Debug, Clone, Serialize)]
pub struct ActivationOverview {
    pub activated: bool,
    pub reason: ActivationReason,
    pub key: Option<WorkstationKeyInfo>,
    /// The install key in date today, if any.
    pub installed: Option<InstalledKey>,
    /// Validity of the newest install key for this key when none is in date.
    pub latest_valid_from: Option<String>,
    pub latest_valid_to: Option<String>,
}

const QUEUE_COLS: &str =
    "p.id, p.request_id, p.full_name, p.id_kind, p.id_number, p.id_label, p.dob, p.sex,
     o.name, o.ref_code, pm.id, pm.state, pm.serial, pm.valid_from, pm.valid_to";

impl Store {
    /// Approved permits waiting for a stamp, oldest first; `request_id`
    /// narrows to one request. `page` from 1, `per_page` up to 200.
    pub fn stamp_queue(
        &self,
        request_id: Option<i64>,
        page: u32,
        per_page: u32,
    ) -> Result<StampQueue> {
        let page = page.max(1);
        let per_page = per_page.clamp(1, MAX_PER_PAGE);
        let offset = i64::from(page - 1) * i64::from(per_page);
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {QUEUE_COLS} FROM permits pm JOIN persons p ON p.id = pm.person_id
             JOIN requests r ON r.id = pm.request_id LEFT JOIN organizations o ON o.id = r.org_id
             WHERE pm.state = 'approved' AND (?1 IS NULL OR pm.request_id = ?1)
             ORDER BY pm.id LIMIT ?2 OFFSET ?3"
        ))?;
        let mut items = st
            .query_map(
                params![request_id, i64::from(per_page) + 1, offset],
                crate::search::person_hit,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let has_more = items.len() > per_page as usize;
        items.truncate(per_page as usize);
        let total: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM permits WHERE state = 'approved' AND (?1 IS NULL OR request_id = ?1)",
            [request_id],
            |r| r.get(0),
        )?;
        Ok(StampQueue {
            items,
            page,
            per_page,
            has_more,
            total: total.max(0) as u64,
        })
    }

    /// Requests with approved permits, newest first (at most 200).
    pub fn stamp_queue_requests(&self) -> Result<Vec<QueueRequest>> {
        let mut st = self.conn.prepare_cached(
            "SELECT pm.request_id, o.name, o.ref_code, COUNT(*) FROM permits pm
             JOIN requests r ON r.id = pm.request_id LEFT JOIN organizations o ON o.id = r.org_id
             WHERE pm.state = 'approved' GROUP BY pm.request_id ORDER BY pm.request_id DESC LIMIT 200",
        )?;
        let v = st
            .query_map([], |r| {
                Ok(QueueRequest {
                    request_id: r.get(0)?,
                    org_name: r.get(1)?,
                    org_ref: r.get(2)?,
                    approved: r.get::<_, i64>(3)?.max(0) as u64,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(v)
    }

    /// The workstation key, the install key in date, and the reason when the
    /// workstation cannot stamp today.
    pub fn activation_overview(&self) -> Result<ActivationOverview> {
        let key = self.workstation_key()?;
        let installed = self.installed_key()?;
        let latest: Option<(String, String)> = match &key {
            Some(k) => self
                .conn
                .query_row(
                    "SELECT valid_from, valid_to FROM install_keys WHERE public_key = ?1
                     ORDER BY id DESC LIMIT 1",
                    [&k.public_key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?,
            None => None,
        };
        let today = date_str(today_vn());
        let reason = match (&key, &installed, &latest) {
            (None, _, _) => ActivationReason::NoKey,
            (Some(_), Some(_), _) => ActivationReason::Activated,
            (Some(_), None, None) => ActivationReason::NoInstallKey,
            // ISO dates compare as text.
            (Some(_), None, Some((from, _))) if *from > today => ActivationReason::NotYetValid,
            (Some(_), None, Some(_)) => ActivationReason::Expired,
        };
        let (latest_valid_from, latest_valid_to) = latest.unzip();
        Ok(ActivationOverview {
            activated: reason == ActivationReason::Activated,
            reason,
            key,
            installed,
            latest_valid_from,
            latest_valid_to,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_queue_pages_filters_and_activation() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path().join("gdd.db")).expect("open");
        crate::demo::fill(&store).expect("demo");
        let all = store.stamp_queue(None, 1, 5).expect("queue");
        assert!(all.total > 5 && all.has_more && all.items.len() == 5);
        assert!(all.items.iter().all(|h| h.state == crate::State::Approved));
        let page2 = store.stamp_queue(None, 2, 5).expect("page 2");
        assert!(page2.items[0].permit_id > all.items[4].permit_id);

        let requests = store.stamp_queue_requests().expect("requests");
        assert_eq!(requests.iter().map(|r| r.approved).sum::<u64>(), all.total);
        let one = &requests[0];
        let q = store
            .stamp_queue(Some(one.request_id), 1, 200)
            .expect("filtered");
        assert_eq!(q.total, one.approved);
        assert!(q.items.iter().all(|h| h.request_id == one.request_id));

        let o = store.activation_overview().expect("overview");
        assert!(o.activated && o.reason == ActivationReason::Activated);
        assert!(o.installed.as_ref().is_some_and(|i| i.demo_root));
        assert!(o.key.is_some());
    }

    #[test]
    fn a_new_ward_has_no_key() {
        let store = Store::open_in_memory().expect("open");
        let o = store.activation_overview().expect("overview");
        assert_eq!(o.reason, ActivationReason::NoKey);
        assert!(!o.activated && o.key.is_none() && o.installed.is_none());
    }
}
