#![no_main]
//! Any bytes as a CSV list: never a panic, every row accounted for.

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    common::check("f.csv", data);
});
