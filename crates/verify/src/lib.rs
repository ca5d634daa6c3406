//! Offline permit verification.
