//! Offline permit verification: token text → verdict, with no I/O and no
//! database (the same code serves the desktop app, the CLI and a phone
//! verifier). Roots and the revocation list are parameters.

pub mod card;
mod check;
mod details;
#[cfg(feature = "scan")]
pub mod scan;
mod verdict;

pub use card::{match_card, parse_card_qr, CardError, CardInfo, CardMatch};
pub use check::{
    demo_anchor, verify, verify_token, verify_with_lists, RevocationStatus, TrustAnchor,
    Verification, VIETNAM,
};
pub use details::{CertificateSummary, HolderDetails};
pub use permit::revocation::{
    reason, Issuer, Reason, RevocationContent, RevocationList, RevokedKey, RevokedPermit,
};
pub use verdict::Verdict;

#[cfg(test)]
mod tests;
