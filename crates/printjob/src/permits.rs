//! Store rows → what the PDF needs. Everything the permit states (name, ID, dates, area…) is
//! read from the signed token, never from the editable rows, so the paper says exactly what
//! the QR proves. The store adds what is not signed: the address, the stamping time and
//! whether this print is a reprint.

use permit::{category, IdType, Token};
use permitpdf::{PrintPermit, StampMark, WardHeader};
use store::{Printable, Store, Ward};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

use crate::error::{PrintJobError, Result};

/// Vietnam time (UTC+7, no daylight saving): the permit's issue date is a Vietnamese day.
const VIETNAM: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// Uppercase as Vietnamese headers are written ("Phường Ba Đình" → "PHƯỜNG BA ĐÌNH"): NFC
/// first so that a name typed in NFD (Windows' keyboard) becomes precomposed capitals with
/// their tone marks, and NFC again after.
pub fn upper_vi(s: &str) -> String {
    vntext::clean(&vntext::clean(s).to_uppercase())
}

/// The header lines of a permit issued by `ward`.
pub fn ward_header(ward: &Ward) -> WardHeader {
    let name = vntext::clean(&ward.name);
    let upper = upper_vi(&name);
    WardHeader {
        ubnd: format!("UBND {upper}"),
        police: format!("CÔNG AN {upper}"),
        ward_name: name,
        ward_code: ward.code.clone(),
    }
}

/// "CCCD 001090012345", "Hộ chiếu C1234567", or the document's own label.
pub fn id_label(kind: IdType, number: &str, label: Option<&str>) -> String {
    match kind {
        IdType::Cccd => format!("CCCD {number}"),
        IdType::Cmnd => format!("CMND {number}"),
        IdType::PassportVn => format!("Hộ chiếu {number}"),
        IdType::Other => format!("{} {number}", label.unwrap_or("Giấy tờ")),
    }
}

/// Builds [`PrintPermit`]s one at a time from the store's printable rows.
pub(crate) struct Builder {
    ward: WardHeader,
    demo_ward: bool,
    /// Whether the last certificate seen chains to the demo root: a batch is
    /// usually one workstation's, so one signature check instead of one per permit.
    demo_cert: std::cell::RefCell<Option<(Vec<u8>, bool)>>,
}

impl Builder {
    pub(crate) fn new(store: &Store) -> Result<Builder> {
        let ward = store.ward()?.ok_or(PrintJobError::NoWard)?;
        Ok(Builder {
            ward: ward_header(&ward),
            demo_ward: ward.demo,
            demo_cert: std::cell::RefCell::new(None),
        })
    }

    pub(crate) fn build(&self, p: &Printable) -> Result<PrintPermit> {
        let bad = |source| PrintJobError::BadToken {
            permit_id: p.permit_id,
            serial: p.serial.clone(),
            source: Box::new(source),
        };
        let token = Token::from_text(&p.token).map_err(bad)?;
        token.verify_signature().map_err(bad)?;
        let f = token.fields();
        let cert = token.certificate();
        let stamped_at = p
            .stamped_at
            .as_deref()
            .and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok())
            .ok_or_else(|| PrintJobError::NoStampRecord {
                permit_id: p.permit_id,
                serial: p.serial.clone(),
            })?;
        let demo = self.demo_ward || self.under_demo_root(cert);
        Ok(PrintPermit {
            serial: token.serial().to_string(),
            holder_name: f.holder_name.clone(),
            id_label: id_label(f.id.kind, &f.id.number, f.id.label.as_deref()),
            date_of_birth: f.date_of_birth,
            organization: f.organization.clone(),
            address: p.address.clone(),
            purpose: f
                .purpose
                .clone()
                .unwrap_or_else(|| category::name_vi(f.category).to_string()),
            area: f.area.clone(),
            valid_from: f.valid_from,
            valid_to: f.valid_to,
            daily_hours: f.daily_hours.map(|h| h.to_string().replace('-', "–")),
            issued_on: stamped_at.to_offset(VIETNAM).date(),
            ward: self.ward.clone(),
            // The certificate in the token says which workstation and key signed it (a
            // permit stamped before a takeover keeps its old workstation number); the
            // fingerprint is the one the ward read to the city at activation.
            stamp: StampMark {
                workstation: cert.fields().workstation,
                stamped_at,
                key_fingerprint: keystore::fingerprint(&cert.fields().public_key).to_string(),
                demo,
            },
            token: p.token.clone(),
            reprint: p.reprint,
        })
    }

    fn under_demo_root(&self, cert: &permit::Certificate) -> bool {
        let mut cache = self.demo_cert.borrow_mut();
        if let Some((bytes, demo)) = cache.as_ref() {
            if bytes.as_slice() == cert.encode() {
                return *demo;
            }
        }
        let demo = cert.verify_with(&permit::roots::demo_root_public()).is_ok();
        *cache = Some((cert.encode().to_vec(), demo));
        demo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_uppercased_the_vietnamese_way() {
        assert_eq!(upper_vi("Phường Ba Đình"), "PHƯỜNG BA ĐÌNH");
        assert_eq!(upper_vi("Xã Sóc Sơn"), "XÃ SÓC SƠN");
        assert_eq!(upper_vi("Đặc khu Phú Quốc"), "ĐẶC KHU PHÚ QUỐC");
        assert_eq!(upper_vi("phường  Hoàn Kiếm "), "PHƯỜNG HOÀN KIẾM");
        // NFD as Windows' keyboard types it: precomposed capitals come out.
        let nfd = "Phu\u{031B}o\u{031B}\u{0300}ng Nghi\u{0303}a \u{0110}o\u{0302}";
        let up = upper_vi(nfd);
        assert_eq!(up, "PHƯỜNG NGHĨA ĐÔ");
        assert!(up.chars().all(|c| !('\u{0300}'..='\u{036F}').contains(&c)));
    }

    #[test]
    fn ward_header_lines() {
        let ward = Ward {
            code: "00004".into(),
            name: "Phường Ba Đình".into(),
            dataset: "2025-07".into(),
            workstation: 1,
            created_at: String::new(),
            demo: true,
        };
        let h = ward_header(&ward);
        assert_eq!(h.ubnd, "UBND PHƯỜNG BA ĐÌNH");
        assert_eq!(h.police, "CÔNG AN PHƯỜNG BA ĐÌNH");
        assert_eq!(h.ward_name, "Phường Ba Đình");
        assert_eq!(h.ward_code, "00004");
    }

    #[test]
    fn id_labels() {
        assert_eq!(
            id_label(IdType::Cccd, "001090012345", None),
            "CCCD 001090012345"
        );
        assert_eq!(
            id_label(IdType::PassportVn, "C1234567", None),
            "Hộ chiếu C1234567"
        );
        assert_eq!(
            id_label(IdType::Other, "X99", Some("Hộ chiếu (Pháp)")),
            "Hộ chiếu (Pháp) X99"
        );
    }
}
