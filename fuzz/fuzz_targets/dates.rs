//! The date parser on arbitrary text, in both day/month orders.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    streamline::fuzzing::read_date(data);
});
