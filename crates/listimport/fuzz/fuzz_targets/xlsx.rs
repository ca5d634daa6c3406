#![no_main]
//! Any bytes as an .xlsx (seeded with real workbooks): never a panic.

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    common::check("f.xlsx", data);
});
