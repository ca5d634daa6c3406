//! Helpers for the tests that print through the real CUPS queue GDD-PDF.
#![allow(dead_code, unused_imports)]

pub use printing::testutil::cups::*;

/// Tests that touch the shared queue run one at a time — across test binaries too (the CLI's
/// print tests use the same queue), hence a file lock rather than a static mutex.
pub fn queue_lock() -> printing::testutil::QueueLock {
    printing::testutil::lock_test_queue()
}
